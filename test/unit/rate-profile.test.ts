import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors/errors.js';
import { startProducer } from '../../src/workload/producer.js';
import { formatStages, parseStages } from '../../src/config/stage-values.js';
import {
  RateProfile,
  StagedSchedule,
  peakRate,
  targetRateAt,
  totalDurationMs,
  withWarmup,
} from '../../src/workload/rate-profile.js';
import { FakeClock } from '../support/fake-clock.js';

test('stages parse as steps and ramps, and format back', () => {
  const stages = parseStages('500/s:30s, 3000/s:10s,0-5000/s:2m,2.5/s:500ms');
  assert.deepEqual(stages, [
    { fromPerS: 500, toPerS: 500, durationMs: 30_000 },
    { fromPerS: 3000, toPerS: 3000, durationMs: 10_000 },
    { fromPerS: 0, toPerS: 5000, durationMs: 120_000 },
    { fromPerS: 2.5, toPerS: 2.5, durationMs: 500 },
  ]);
  assert.equal(formatStages(stages), '500/s:30s,3000/s:10s,0-5000/s:2m,2.5/s:500ms');
  assert.equal(totalDurationMs(stages), 160_500);
  assert.equal(peakRate(stages), 5000);
  assert.equal(targetRateAt(stages, 40_000 + 60_000), 2500);
});

test('bad stages are refused with what is allowed', () => {
  for (const bad of [
    '',
    '500:30s',
    '500/s',
    '500/s:',
    '500/s:10',
    '500/s:0s',
    'a/s:1s',
    '-5/s:1s',
    '500/s:1s,,',
    '0/s:10s',
    '20000000/s:1s',
  ]) {
    assert.throws(() => parseStages(bad), ValueError, bad);
  }
  assert.throws(() => parseStages('500:30s'), /e\.g\. 500\/s:30s/);
});

test('a step profile: records are due at exact multiples of each stage period', () => {
  const profile = new RateProfile(parseStages('500/s:2s,3000/s:1s'));
  assert.equal(profile.totalRecords, 4000);
  assert.equal(profile.timeOfRecord(0), 0);
  assert.equal(profile.timeOfRecord(1), 2000);
  assert.equal(profile.timeOfRecord(999), 1_998_000);
  assert.equal(profile.timeOfRecord(1000), 2_000_000);
  assert.ok(Math.abs((profile.timeOfRecord(1003) as number) - (2_000_000 + 1000)) < 1e-6);
  assert.equal(profile.timeOfRecord(4000), undefined);
});

test('a ramp: the n-th record is due when the integral of the rate reaches n', () => {
  // 0 -> 1000/s over 1 s: N(t) = 500 t^2, so record n is due at sqrt(n / 500) s.
  const profile = new RateProfile(parseStages('0-1000/s:1s'));
  assert.equal(profile.totalRecords, 500);
  for (const n of [0, 1, 2, 50, 125, 499]) {
    assert.ok(Math.abs((profile.timeOfRecord(n) as number) - Math.sqrt(n / 500) * 1e6) < 1e-3, `record ${n}`);
  }
  // And down again: 1000 -> 0/s over 1 s, N(t) = 1000 t - 500 t^2.
  const down = new RateProfile(parseStages('1000-0/s:1s'));
  for (const n of [0, 100, 250, 499]) {
    const t = (profile.timeOfRecord(0) as number) + (1 - Math.sqrt(1 - n / 500)) * 1e6;
    assert.ok(Math.abs((down.timeOfRecord(n) as number) - t) < 1e-3, `record ${n} down`);
    assert.ok(Math.abs(down.recordsBy(down.timeOfRecord(n) as number) - n) < 1e-6);
  }
});

test('workers split one staged schedule: together they send exactly its times', () => {
  const stages = parseStages('0-1000/s:1s,2000/s:500ms');
  const whole = new StagedSchedule(0, stages, 2);
  const all: number[] = [];
  for (let due = whole.next(); Number.isFinite(due); due = whole.next()) all.push(due);
  assert.equal(all.length, (500 + 1000) / 2);
  const parts = [0, 1, 2].map((index) => {
    const share = new StagedSchedule(0, stages, 2, index, 3);
    const times: number[] = [];
    for (let due = share.next(); Number.isFinite(due); due = share.next()) times.push(due);
    return times;
  });
  assert.deepEqual(
    [...parts.flat()].sort((a, b) => a - b),
    all,
  );
  assert.deepEqual(parts[1]?.slice(0, 2), [all[1], all[4]]);
});

test('warmup runs at the first stage rate before the stages', () => {
  assert.deepEqual(withWarmup(parseStages('0-100/s:1s'), 2000)[0], { fromPerS: 0, toPerS: 0, durationMs: 2000 });
  assert.deepEqual(withWarmup(parseStages('50/s:1s'), 0), parseStages('50/s:1s'));
});

test('the open model follows a ramp with a fake clock, each send at its intended time', async () => {
  const clock = new FakeClock(1_000_000);
  const sends: Array<{ intended: number; at: number }> = [];
  const producer = startProducer(
    {
      rate: 1000,
      batch: 1,
      concurrency: 10,
      startMicros: 1_000_000,
      endMicros: 2_000_000,
      stages: { stages: parseStages('0-1000/s:1s'), share: { index: 1, of: 2 } },
    },
    {
      clock,
      stop: new AbortController().signal,
      sendBatch: async (_size, intended) => {
        sends.push({ intended, at: clock.nowMicros() });
      },
    },
  );
  await clock.advanceTo(3_000_000);
  await producer.done;
  // Worker 1 of 2 takes the odd records: n = 1, 3, ..., 499.
  assert.equal(sends.length, 250);
  for (const [i, send] of sends.entries()) {
    const n = 2 * i + 1;
    assert.ok(Math.abs(send.intended - (1_000_000 + Math.sqrt(n / 500) * 1e6)) < 1e-3, `record ${n}`);
    assert.equal(send.at, send.intended);
  }
});
