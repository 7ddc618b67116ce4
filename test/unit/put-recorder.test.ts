import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PutRecorder } from '../../src/measure/put-recorder.js';

// Measured phase: records due from t=1000 up to (not including) t=2000.
const recorder = (): PutRecorder => new PutRecorder(1000, 2000);

test('only records due inside the measured phase count for the run; intervals see everything', () => {
  const r = recorder();
  r.sent(500, 10); // warmup
  r.accepted(500, 50, 10, 1000);
  r.sent(1500, 4);
  r.accepted(1500, 70, 4, 400);
  r.sent(2500, 3); // after the end
  r.accepted(2500, 10, 3, 300);
  assert.equal(r.run.counts.sent, 4);
  assert.equal(r.run.counts.accepted, 4);
  assert.equal(r.run.counts.acceptedBytes, 400);
  assert.equal(r.run.recordLatency.totalCount, 4);
  const interval = r.rollover((tally) => ({ ...tally.counts }));
  assert.equal(interval.sent, 17);
  assert.equal(interval.accepted, 17);
});

test('throttled and failed records are never counted as accepted', () => {
  const r = recorder();
  r.sent(1100, 5);
  r.requestRejected(1100, 5, true); // whole request throttled (HTTP 400)
  r.retried(1100, 5);
  r.requestAnswered(1100, 20);
  r.accepted(1100, 120, 3, 300);
  r.recordsRejected(1100, 2, 0); // two throttled inside the 200 answer
  r.failed(1100, 2); // given up
  const c = r.run.counts;
  assert.equal(c.sent, 5);
  assert.equal(c.accepted, 3);
  assert.equal(c.failed, 2);
  assert.equal(c.throttled, 7);
  assert.equal(c.requests, 2);
  assert.equal(c.requestsThrottled, 1);
  assert.equal(r.run.requestLatency.totalCount, 1, 'the throttled request is not a latency sample');
});

test('cutting the measured phase (an interrupt) excludes records due after the cut', () => {
  const r = recorder();
  r.cutMeasuredPhase(1200);
  r.sent(1100, 1);
  r.sent(1300, 1);
  assert.equal(r.run.counts.sent, 1);
  assert.equal(r.measuredUntil, 1200);
});

test('a stop that arrives late never cuts before records already counted as sent: their answers still count', () => {
  const r = recorder();
  r.sent(1300, 2); // sent after the stop was decided (t=1200), before this thread heard of it
  r.cutMeasuredPhase(1200);
  r.accepted(1300, 40, 2, 200);
  assert.equal(r.measuredUntil, 1301);
  assert.equal(r.run.counts.sent, 2);
  assert.equal(r.run.counts.accepted, 2, 'nothing sent in the phase is left unfinished by the cut');
  r.sent(1400, 1); // after the cut: not the run's
  assert.equal(r.run.counts.sent, 2);
});

test('per-shard counts follow the same phase rule', () => {
  const r = recorder();
  r.shardAccepted(1500, 'shard-0', 1600);
  r.shardAccepted(1500, 'shard-0', 1600);
  r.shardAccepted(500, 'shard-1', 600);
  assert.deepEqual([...r.run.perShard], [['shard-0', 2]]);
});

test('throughput counts acknowledgements by when they came: a warmup record acknowledged in the phase counts, a phase record acknowledged after it does not', () => {
  const r = recorder();
  r.accepted(900, 200, 1, 100); // sent in the warmup, acknowledged at 1100: in the phase
  r.shardAccepted(900, 'shard-0', 1100);
  r.accepted(1900, 300, 2, 200); // sent in the phase, acknowledged at 2200 after a retry: after it
  r.shardAccepted(1900, 'shard-0', 2200);
  r.accepted(1500, 100, 4, 400); // sent and acknowledged in the phase
  assert.equal(r.run.counts.accepted, 6, 'records sent in the phase');
  assert.equal(r.run.counts.acceptedInPhase, 5, 'records acknowledged in the phase');
  assert.equal(r.run.counts.acceptedBytesInPhase, 500);
  assert.deepEqual([...r.run.perShardInPhase], [['shard-0', 1]]);
});

test('rollover hands over the interval and starts the next one empty', () => {
  const r = recorder();
  r.sent(1500, 2);
  r.requestAnswered(1500, 1000);
  const first = r.rollover((t) => ({ sent: t.counts.sent, samples: t.requestLatency.totalCount }));
  const second = r.rollover((t) => ({ sent: t.counts.sent, samples: t.requestLatency.totalCount }));
  assert.deepEqual(first, { sent: 2, samples: 1 });
  assert.deepEqual(second, { sent: 0, samples: 0 });
  assert.equal(r.run.counts.sent, 2, 'the run tally is untouched by rollovers');
});
