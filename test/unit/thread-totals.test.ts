import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  recordMicros,
  summarizeMs,
  type Histogram,
} from '../../src/measure/histogram.js';
import { LagRecorder } from '../../src/measure/lag-recorder.js';
import { lagTallyData, sumIntervals, sumLagTallies, sumTallies } from '../../src/measure/thread-totals.js';
import { PutRecorder } from '../../src/measure/put-recorder.js';
import type { PutInterval } from '../../src/model/put-result.js';
import { assignReaders, consumerWorkerCount } from '../../src/run/worker-consumer-group.js';
import { splitConfig } from '../../src/run/worker-put-load.js';
import { FixedRateSchedule } from '../../src/workload/fixed-rate.js';
import { DEFAULT_RETRY } from '../../src/config/retry-policy.js';

/** Deterministic pseudo-random latencies, different per worker. */
function latencies(seed: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 200 + (x % 500_000);
  });
}

test('merged worker tallies hold exactly what one histogram of all values holds', () => {
  const all = createLatencyHistogram();
  const parts = [1, 2, 3, 4].map((seed) => {
    const recorder = new PutRecorder(0, 1_000_000);
    for (const value of latencies(seed, 5000 * seed)) {
      recorder.sent(10, 1);
      recorder.requestAnswered(10, value);
      recorder.accepted(10, value, 1, 100);
      recorder.shardAccepted(10, `shard-${seed % 2}`, 10 + value);
      recordMicros(all, value);
    }
    const { counts, requestLatency, recordLatency, perShard, perShardInPhase } = recorder.run;
    return {
      counts,
      requestHistogram: encodeHistogram(requestLatency),
      recordHistogram: encodeHistogram(recordLatency),
      perShard: [...perShard],
      perShardInPhase: [...perShardInPhase],
    };
  });
  const merged = sumTallies(parts);
  assert.equal(merged.counts.accepted, 50_000);
  assert.equal(merged.counts.acceptedBytes, 5_000_000);
  // Workers send histograms encoded; compared with one histogram of all values sent the
  // same way, everything is identical.
  const one = decodeHistogram(encodeHistogram(all));
  assert.equal(merged.requestLatency.totalCount, one.totalCount);
  assert.equal(merged.requestLatency.minNonZeroValue, one.minNonZeroValue);
  assert.equal(merged.requestLatency.maxValue, one.maxValue);
  for (const p of [50, 90, 99, 99.9, 99.99]) {
    assert.equal(merged.requestLatency.getValueAtPercentile(p), all.getValueAtPercentile(p), `p${p}`);
  }
  // The exact max is known to HDR precision (3 significant digits) after encoding.
  assert.ok(Math.abs(merged.requestLatency.maxValue - all.maxValue) <= all.maxValue / 1000);
  assert.deepEqual(Object.fromEntries(merged.perShard), { 'shard-0': 30_000, 'shard-1': 20_000 });
  assert.deepEqual(Object.fromEntries(merged.perShardInPhase), { 'shard-0': 30_000, 'shard-1': 20_000 });
  assert.equal(merged.counts.acceptedInPhase, 50_000);
});

function interval(index: number, values: number[], accepted: number): PutInterval {
  const h = createLatencyHistogram();
  for (const v of values) recordMicros(h, v);
  const encoded = encodeHistogram(h);
  return {
    index,
    phase: 'measure',
    startMicros: 1000 * index,
    endMicros: 1000 * (index + 1),
    counts: {
      sent: accepted,
      accepted,
      failed: 0,
      throttled: 1,
      errors: 0,
      retried: 0,
      acceptedBytes: 0,
      acceptedInPhase: 0,
      acceptedBytesInPhase: 0,
      requests: values.length,
      requestsThrottled: 0,
      requestsFailed: 0,
    },
    requestLatency: { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    recordLatency: { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 },
    requestHistogram: encoded,
    recordHistogram: encoded,
    perShard: [['shardId-000000000000', accepted]],
    behindMs: index,
    clientLoad: { eventLoopDelayP99Ms: index, eventLoopDelayMaxMs: index, eventLoopUtilization: 0.1 * index },
  };
}

test('a merged interval: counts added, percentiles from the combined histogram, worst load', () => {
  const merged = sumIntervals([interval(2, [1000, 2000], 5), interval(2, [3000, 400_000], 7)]);
  assert.equal(merged.counts.accepted, 12);
  assert.deepEqual(merged.perShard, [['shardId-000000000000', 12]], 'per-shard counts added');
  assert.equal(merged.counts.throttled, 2);
  assert.equal(merged.requestLatency.count, 4);
  assert.ok(Math.abs(merged.requestLatency.max - 400) <= 0.4, 'max to HDR precision');
  assert.equal(merged.requestLatency.min, 1);
  assert.equal(merged.behindMs, 2);
});

const baseConfig = {
  runId: 'r',
  producerId: 0,
  rate: 1000 as number | 'max',
  batch: 10,
  concurrency: 10,
  recordSize: 100,
  keys: { kind: 'random' as const },
  retry: DEFAULT_RETRY,
  warmupMs: 0,
  durationMs: 1000,
  drainTimeoutMs: 1000,
  stopGraceMs: 1000,
};

test('splitting over workers keeps the totals: rate, concurrency, distinct producer ids', () => {
  const shares = splitConfig(baseConfig, 3);
  assert.equal(
    shares.reduce((sum, s) => sum + (s.rate as number), 0),
    1000,
  );
  assert.deepEqual(
    shares.map((s) => s.concurrency),
    [4, 3, 3],
  );
  assert.deepEqual(
    shares.map((s) => s.producerId),
    [0, 1, 2],
  );
  const closed = splitConfig({ ...baseConfig, rate: 'max' }, 4);
  assert.ok(closed.every((s) => s.rate === 'max'));
  assert.equal(
    closed.reduce((sum, s) => sum + s.concurrency, 0),
    10,
  );
});

test("the workers' schedules interleave into the single-worker schedule", () => {
  const start = 1_000_000;
  const single = new FixedRateSchedule(start, (baseConfig.batch / 1000) * 1e6);
  const expected = Array.from({ length: 40 }, () => single.next());
  const shares = splitConfig(baseConfig, 4);
  const combined = shares
    .flatMap((s) => {
      const schedule = new FixedRateSchedule(
        start + (s.scheduleOffsetMicros ?? 0),
        (s.batch / (s.rate as number)) * 1e6,
      );
      return Array.from({ length: 10 }, () => schedule.next());
    })
    .sort((a, b) => a - b);
  assert.deepEqual(
    combined.map((t) => Math.round(t)),
    expected.map((t) => Math.round(t)),
  );
});

/** What one consumer thread sees: deliveries, a duplicate, foreign records and reads on its shards. */
function consume(recorder: LagRecorder, seed: number, shards: readonly string[]): void {
  latencies(seed, 3000 * seed).forEach((lagMicros, i) => {
    const send = 1_000_000 + i * 100;
    const shard = shards[i % shards.length]!;
    recorder.delivered(send, send + lagMicros, send + (i % 7) * 1000);
    if (i % 500 === 0) recorder.duplicate(send);
    if (i % 10 === 0) recorder.read(shard, send + lagMicros, 10, i % 3);
    if (i % 1000 === 0) recorder.readThrottled(shard, send + lagMicros);
  });
  recorder.foreign(2_000_000, seed);
  recorder.otherProcesses(2_000_000, 2 * seed);
}

function assertSameHistogram(merged: Histogram, one: Histogram, what: string): void {
  // Threads send histograms encoded: compared with one histogram of everything sent the same way.
  const sent = decodeHistogram(encodeHistogram(one));
  assert.equal(merged.totalCount, sent.totalCount, `${what} count`);
  assert.equal(merged.minNonZeroValue, sent.minNonZeroValue, `${what} min`);
  assert.equal(merged.maxValue, sent.maxValue, `${what} max`);
  for (const p of [0, 50, 90, 99, 99.9, 100])
    assert.equal(merged.getValueAtPercentile(p), one.getValueAtPercentile(p), `${what} p${p}`);
  assert.deepEqual(summarizeMs(merged), summarizeMs(sent), `${what} summary`);
}

test('merged consumer-thread lag tallies hold exactly what one tally of everything holds, per interval and for the run', () => {
  const split = [['shard-0', 'shard-2'], ['shard-1'], ['shard-3', 'shard-4']];
  const threads = split.map(() => new LagRecorder());
  const all = new LagRecorder();
  for (const recorder of [...threads, all]) recorder.measure(0, 10_000_000);
  split.forEach((shards, i) => {
    consume(threads[i]!, i + 1, shards);
    consume(all, i + 1, shards);
  });
  const interval = sumLagTallies(threads.map((t) => t.rollover(lagTallyData)));
  const run = sumLagTallies(threads.map((t) => lagTallyData(t.run)));
  all.rollover((one) => {
    for (const merged of [interval, run]) {
      assert.deepEqual(merged.counts, one.counts);
      assert.equal(merged.counts.received, 18_000);
      assert.deepEqual(
        Object.fromEntries(merged.perShard),
        Object.fromEntries(one.perShard),
        'each shard keeps its reads',
      );
      assertSameHistogram(merged.lag, one.lag, 'lag');
      assertSameHistogram(merged.putToArrival, one.putToArrival, 'put -> arrival');
      assertSameHistogram(merged.arrivalToReceive, one.arrivalToReceive, 'arrival -> receive');
      assertSameHistogram(merged.behindLatest, one.behindLatest, 'MillisBehindLatest');
    }
  });
});

test('shard readers are divided between consumer workers: each once, balanced, never an idle worker', () => {
  const shards = (n: number, closed = 0) =>
    Array.from({ length: n + closed }, (_, i) => ({ shardId: `s${i}`, open: i >= closed }));
  const names = (shares: ReturnType<typeof assignReaders>) =>
    shares.map((share) => share.map((r) => `${r.shardId}/${r.consumer}`));
  assert.deepEqual(names(assignReaders(1, shards(3), 2)), [['s0/0'], ['s1/0', 's2/0']]);
  // A shard's consumers stay on one worker where the numbers allow.
  assert.deepEqual(names(assignReaders(2, shards(2), 2)), [
    ['s0/0', 's0/1'],
    ['s1/0', 's1/1'],
  ]);
  // One shard, five consumer applications: the applications are spread.
  assert.deepEqual(names(assignReaders(5, shards(1), 2)), [
    ['s0/0', 's0/1'],
    ['s0/2', 's0/3', 's0/4'],
  ]);
  // No more workers than readers; closed shards are not read from LATEST.
  assert.deepEqual(names(assignReaders(1, shards(2, 1), 4)), [['s1/0'], ['s2/0']]);
  assert.equal(consumerWorkerCount(8, 3), 3);
  assert.equal(consumerWorkerCount(1, 12), 1);
  assert.equal(consumerWorkerCount(4, 0), 1);
});
