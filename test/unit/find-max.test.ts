import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FindMaxSettings } from '../../src/config/find-max-settings.js';
import type { StepMeasure } from '../../src/model/find-max-result.js';
import { brokenCriteria, findMax } from '../../src/run/find-max.js';

const settings: FindMaxSettings = {
  startPerS: 800,
  stepFactor: 2,
  precision: 0.1,
  maxThrottledPct: 1,
  maxP99Ms: undefined,
  settleMs: 1000,
  maxSteps: 30,
  ceilingPerS: 1_000_000,
};

const calm: StepMeasure = {
  acceptedPerS: 0,
  throttledPct: 0,
  recordP99Ms: 5,
  requestP99Ms: 5,
  behindMaxMs: 0,
  eventLoopUtilization: 0.2,
};

/** A stream that takes `quota` records/s and throttles the rest. */
const quotaStream =
  (quota: number) =>
  async (rate: number): Promise<StepMeasure> => ({
    ...calm,
    acceptedPerS: Math.min(rate, quota),
    throttledPct: rate > quota ? ((rate - quota) / rate) * 100 : 0,
  });

test('steps up by the factor, then bisects to the precision; the quota stops it', async () => {
  const result = await findMax(settings, quotaStream(1000));
  assert.deepEqual(
    result.steps.map((s) => s.targetPerS),
    [800, 1600, 1200, 1000, 1100],
  );
  assert.deepEqual(
    result.steps.map((s) => s.held),
    [true, false, false, true, false],
  );
  assert.equal(result.maxPerS, 1000);
  assert.equal(result.brokeAtPerS, 1100);
  assert.deepEqual(result.stoppedBy, ['throttled']);
  assert.equal(result.ended, 'precision');

  const three = await findMax(settings, quotaStream(3000));
  assert.ok(three.maxPerS !== null && three.maxPerS <= 3000 && three.maxPerS >= 2700, String(three.maxPerS));
});

test('a latency curve: the p99 bound stops it', async () => {
  // p99 grows 1 ms per 100 records/s: above 20 ms from 1,500 records/s.
  const result = await findMax({ ...settings, maxP99Ms: 20 }, async (rate) => ({
    ...calm,
    recordP99Ms: 5 + rate / 100,
  }));
  assert.deepEqual(result.stoppedBy, ['p99']);
  assert.ok(result.maxPerS !== null && result.maxPerS <= 1500 && result.maxPerS >= 1350, String(result.maxPerS));
});

test('a client that cannot keep the schedule stops it as client-bound', async () => {
  const result = await findMax(settings, async (rate) => ({ ...calm, behindMaxMs: rate > 5000 ? 3000 : 0 }));
  assert.deepEqual(result.stoppedBy, ['client']);
  assert.deepEqual(brokenCriteria({ ...calm, eventLoopUtilization: 0.95 }, settings), ['client']);
});

test('a first step that breaks bisects down; the ceiling and the step limit end the search', async () => {
  const low = await findMax(settings, quotaStream(100));
  assert.equal(low.steps[0]?.held, false);
  assert.ok(low.maxPerS !== null && low.maxPerS <= 100 && low.maxPerS >= 90, String(low.maxPerS));

  const capped = await findMax({ ...settings, ceilingPerS: 2000 }, quotaStream(1e9));
  assert.deepEqual(
    capped.steps.map((s) => s.targetPerS),
    [800, 1600, 2000],
  );
  assert.equal(capped.ended, 'ceiling');
  assert.equal(capped.maxPerS, 2000);

  const limited = await findMax({ ...settings, maxSteps: 2 }, quotaStream(1e9));
  assert.equal(limited.ended, 'max-steps');
  assert.equal(limited.steps.length, 2);

  const stopped = await findMax(settings, async (rate) => (rate > 1000 ? undefined : calm));
  assert.equal(stopped.ended, 'stopped');
  assert.equal(stopped.maxPerS, 800);
});

test('falling behind while throttled or slow is the stream, not the client', () => {
  const s = { ...settings, maxP99Ms: 100 };
  assert.deepEqual(brokenCriteria({ ...calm, throttledPct: 20, behindMaxMs: 5000 }, s), ['throttled']);
  assert.deepEqual(brokenCriteria({ ...calm, recordP99Ms: 900, behindMaxMs: 5000 }, s), ['p99']);
  assert.deepEqual(brokenCriteria({ ...calm, behindMaxMs: 5000 }, s), ['client']);
});
