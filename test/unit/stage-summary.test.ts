import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLatencyHistogram, encodeHistogram, recordMicros } from '../../src/measure/histogram.js';
import { emptyCounts } from '../../src/measure/put-tally.js';
import type { PutInterval } from '../../src/model/put-result.js';
import { buildStagesBlock, intervalTarget } from '../../src/results/stage-summary.js';
import { parseStages } from '../../src/config/stage-values.js';

const T0 = 5_000_000; // measured phase starts 5 s after the run's start

function interval(index: number, accepted: number, throttled: number, latencyMs: number): PutInterval {
  const histogram = createLatencyHistogram();
  recordMicros(histogram, latencyMs * 1000, Math.max(1, accepted));
  const encoded = encodeHistogram(histogram);
  const summary = {
    count: accepted,
    min: latencyMs,
    mean: latencyMs,
    p50: latencyMs,
    p90: latencyMs,
    p99: latencyMs,
    p999: latencyMs,
    max: latencyMs,
  };
  return {
    index,
    phase: 'measure',
    startMicros: T0 + index * 1e6,
    endMicros: T0 + (index + 1) * 1e6,
    counts: { ...emptyCounts(), sent: accepted + throttled, accepted, throttled, retried: throttled },
    requestLatency: summary,
    recordLatency: summary,
    requestHistogram: encoded,
    recordHistogram: encoded,
    behindMs: 0,
    perShard: [],
    clientLoad: { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0 },
  };
}

test('per stage figures and the spike: throttling stops and p99 returns after the spike', () => {
  const stages = parseStages('100/s:2s,1000/s:1s,100/s:4s');
  const rows = [
    interval(0, 100, 0, 5),
    interval(1, 100, 0, 5),
    interval(2, 500, 500, 40), // the spike: half throttled
    interval(3, 100, 50, 200), // retries of the spike still throttled
    interval(4, 100, 0, 30),
    interval(5, 100, 0, 8),
    interval(6, 100, 0, 6),
  ];
  const block = buildStagesBlock(
    stages,
    T0,
    rows.map((put) => ({ put })),
    false,
  );
  assert.equal(block.stages.length, 3);
  const [first, spike, after] = block.stages;
  assert.deepEqual(
    [first?.from_s, first?.to_s, first?.intervals, first?.records_per_s, first?.throttled_pct],
    [0, 2, 2, 100, 0],
  );
  assert.equal(spike?.target_records_per_s, 1000);
  assert.equal(spike?.records_per_s, 500);
  assert.equal(spike?.throttled_pct, 33.33); // 500 throttled of 1500 attempts
  assert.equal(after?.intervals, 4);
  assert.equal(spike?.lag_ms, null);
  // Baseline: the stage before's p99 (5 ms, to HDR precision); recovered at or under twice it.
  assert.ok(Math.abs((block.spike?.baseline_p99_ms ?? 0) - 5) < 0.01);
  assert.ok(Math.abs((block.spike?.recovered_p99_bound_ms ?? 0) - 10) < 0.02);
  assert.equal(block.spike?.stage, 2);
  assert.equal(block.spike?.throttling_stopped_after_s, 1); // the last throttled interval ends 1 s after the spike
  assert.equal(block.spike?.p99_recovered_after_s, 2); // 200 ms and 30 ms are above the bound, 8 ms is not
});

test('no spike block without a stage before and after the highest; never recovering is null', () => {
  assert.equal(buildStagesBlock(parseStages('0-1000/s:2s'), T0, [{ put: interval(0, 1, 0, 1) }], false).spike, null);
  const rows = [interval(0, 100, 0, 5), interval(1, 100, 100, 50), interval(2, 100, 100, 50)];
  const block = buildStagesBlock(
    parseStages('100/s:1s,1000/s:1s,100/s:1s'),
    T0,
    rows.map((put) => ({ put })),
    false,
  );
  assert.equal(block.spike?.throttling_stopped_after_s, null);
  assert.equal(block.spike?.p99_recovered_after_s, null);
});

test('an interval target: the stages mean over it, the fixed rate, or none for max', () => {
  const stages = parseStages('0-1000/s:2s');
  const options = { rate: 1000, stages, warmupMs: 1000 };
  // Warmup runs at the first rate (0/s); then 0->1000 over 2 s: 1.5 s to 2.5 s (250/s to 750/s) averages 500/s.
  assert.equal(intervalTarget(options, 0, { startMicros: 1_500_000, endMicros: 2_500_000, phase: 'measure' }), 500);
  assert.equal(intervalTarget(options, 0, { startMicros: 0, endMicros: 1_000_000, phase: 'warmup' }), 0);
  assert.equal(
    intervalTarget({ rate: 400, warmupMs: 0 }, 0, { startMicros: 0, endMicros: 1e6, phase: 'measure' }),
    400,
  );
  assert.equal(
    intervalTarget({ rate: 'max', warmupMs: 0 }, 0, { startMicros: 0, endMicros: 1e6, phase: 'measure' }),
    undefined,
  );
});
