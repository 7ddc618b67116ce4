import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeMs } from '../../src/measure/histogram.js';
import { LagRecorder } from '../../src/measure/lag-recorder.js';

// Measured phase: records sent from t=1,000,000 µs up to (not including) t=2,000,000 µs.
const recorder = (): LagRecorder => {
  const r = new LagRecorder();
  r.measure(1_000_000, 2_000_000);
  return r;
};

test('a delivery counts for the phase its record was sent in, whenever it arrives', () => {
  const r = recorder();
  r.delivered(500_000, 1_100_000, undefined); // warmup record read in the measured phase
  r.delivered(1_500_000, 1_600_000, undefined);
  r.delivered(1_900_000, 2_300_000, undefined); // measured record read during the drain
  assert.equal(r.run.counts.received, 2);
  assert.deepEqual([summarizeMs(r.run.lag).min, summarizeMs(r.run.lag).max], [100, 400]);
  const interval = r.rollover((tally) => tally.counts.received);
  assert.equal(interval, 3, 'intervals see every delivery');
});

test('nothing is measured before the producers schedule the measured phase', () => {
  const r = new LagRecorder();
  r.read('shard-0', 10, 0, 0);
  r.delivered(10, 20, undefined);
  assert.equal(r.run.counts.reads, 0);
  assert.equal(r.run.counts.received, 0);
});

test('server-clock figures that come out negative are counted, and recorded as 0', () => {
  const r = recorder();
  // Arrival stamped 2 ms before the send (server clock behind), received 10 ms after the send.
  r.delivered(1_500_000, 1_510_000, 1_498_000);
  assert.equal(r.run.counts.arrivalBeforeSend, 1);
  assert.equal(r.run.counts.arrivalAfterReceive, 0);
  assert.equal(summarizeMs(r.run.putToArrival).max, 0);
  assert.equal(summarizeMs(r.run.arrivalToReceive).max, 12);
  assert.equal(summarizeMs(r.run.lag).max, 10, 'the one-clock lag is unaffected');
});

test('MillisBehindLatest of 0 stays 0 (caught up), in ms like every other figure', () => {
  const r = recorder();
  r.read('shard-0', 1_200_000, 5, 0);
  r.read('shard-0', 1_400_000, 5, 250);
  const summary = summarizeMs(r.run.behindLatest);
  assert.deepEqual([summary.min, summary.max, summary.count], [0, 250, 2]);
  assert.deepEqual(r.run.perShard.get('shard-0'), {
    reads: 2,
    records: 10,
    throttled: 0,
    errors: 0,
    iteratorsRenewed: 0,
    resubscriptions: 0,
  });
});

test('read faults are counted per shard, in the phase they happened', () => {
  const r = recorder();
  r.readThrottled('shard-1', 1_100_000);
  r.readThrottled('shard-1', 2_500_000);
  r.iteratorRenewed('shard-1', 1_200_000);
  r.readFailed('shard-2', 1_300_000);
  r.resubscribed('shard-2', 1_300_000);
  assert.equal(r.run.counts.readsThrottled, 1);
  assert.equal(r.run.shard('shard-1').throttled, 1);
  assert.equal(r.run.shard('shard-1').iteratorsRenewed, 1);
  assert.equal(r.run.shard('shard-2').errors, 1);
  assert.equal(r.run.shard('shard-2').resubscriptions, 1);
  assert.equal(
    r.rollover((tally) => tally.counts.readsThrottled),
    2,
  );
});

test('cutting the measured phase (an interrupt) leaves out records sent after the cut', () => {
  const r = recorder();
  r.cutMeasuredPhase(1_200_000);
  r.delivered(1_100_000, 1_150_000, undefined);
  r.delivered(1_300_000, 1_350_000, undefined);
  assert.equal(r.run.counts.received, 1);
});
