import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLatencyHistogram, encodeHistogram, recordMicros } from '../../src/measure/histogram.js';
import type { Phase } from '../../src/model/schedule.js';
import { ProgressLines, formatProgressLine, type IntervalSample } from '../../src/console/progress-lines.js';

const T0 = 1_000_000_000;
const SCHEDULE = { startMicros: T0, measuredFromMicros: T0 + 5_000_000, measuredUntilMicros: T0 + 35_000_000 };

function sample(second: number, phase: Phase, records: number, latencyMicros: number[], errors = 0): IntervalSample {
  const histogram = createLatencyHistogram();
  for (const value of latencyMicros) recordMicros(histogram, value);
  return {
    phase,
    startMicros: T0 + second * 1_000_000,
    endMicros: T0 + (second + 1) * 1_000_000,
    records,
    throttled: 1,
    errors,
    histogram: encodeHistogram(histogram),
  };
}

function runSeconds(lines: ProgressLines, seconds: number): void {
  for (let s = 0; s < seconds; s++) {
    lines.interval(sample(s, s < 5 ? 'warmup' : 'measure', 100, [2_000, s === 12 ? 90_000 : 3_000], s === 7 ? 2 : 0));
  }
}

test('a line at the start, at the end of warmup, then every 10 s of run time, and the rest at the end', () => {
  const written: string[] = [];
  const lines = new ProgressLines((line) => written.push(line));
  lines.started(SCHEDULE);
  runSeconds(lines, 33);
  lines.flush();
  assert.equal(written.length, 5, written.join('\n'));
  assert.match(written[0]!, /^kbench: started: warmup 5\.0 s, then measure 30\.0 s/);
  assert.match(written[1]!, /^kbench: 5 s warmup \| last 5\.0 s: /);
  assert.match(written[2]!, /^kbench: 15 s measure \| last 10\.0 s: 100\.0 records\/s accepted/);
  assert.match(written[3]!, /^kbench: 25 s measure \| last 10\.0 s: /);
  assert.match(written[4]!, /^kbench: 33 s measure \| last 8\.0 s: /);
  assert.deepEqual(
    written.filter((line) => /[\r\u001b]/.test(line)),
    [],
    'no carriage returns or colours',
  );
});

test('a line covers the intervals since the previous one: their p99 together, errors counted from the start', () => {
  const written: string[] = [];
  const lines = new ProgressLines((line) => written.push(line));
  lines.started(SCHEDULE);
  runSeconds(lines, 25);
  // 5-15 s: 20 samples, one of them 90 ms: p99 is the 90 ms one (the top 1 % of 20 samples).
  assert.match(written[2]!, /request p99 90\.0\d? ms/);
  assert.match(written[2]!, /throttled 10 records/);
  assert.match(written[2]!, /errors so far 2$/);
  // 15-25 s: no slow sample any more.
  assert.match(written[3]!, /request p99 3\.0 ms/);
  assert.match(written[3]!, /errors so far 2$/);
});

test('nothing is written before the run has started, and an empty window writes nothing', () => {
  const written: string[] = [];
  const lines = new ProgressLines((line) => written.push(line));
  lines.interval(sample(0, 'warmup', 1, [1_000]));
  lines.flush();
  assert.deepEqual(written, []);
});

test('a lag line: records in and out per second, lag p99, deliveries awaited; a window with no answers shows "-"', () => {
  const line = formatProgressLine({
    phase: 'measure',
    elapsedS: 20,
    windowS: 10,
    records: 1_000,
    received: 990,
    p99Ms: undefined,
    throttled: 0,
    errorsSoFar: 0,
    awaiting: 10,
  });
  assert.equal(
    line,
    'kbench: 20 s measure | last 10.0 s: in 100.0 records/s, out 99.0 records/s, lag p99 -, throttled 0 records | awaiting 10 deliveries | errors so far 0',
  );
});
