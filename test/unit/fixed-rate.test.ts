import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FixedRateSchedule } from '../../src/workload/fixed-rate.js';
import { startProducer } from '../../src/workload/producer.js';
import { FakeClock } from '../support/fake-clock.js';

/**
 * 1,000 records/s for 10 ms, one request in flight: the answer to the send intended at
 * `slowIntended` arrives only at `answeredAt`, stalling the schedule behind it.
 */
async function stalledOpenModel(slowIntended: number, answeredAt: number, runUntil: number) {
  const clock = new FakeClock(0);
  const sends: Array<{ intended: number; at: number }> = [];
  const producer = startProducer(
    { rate: 1000, batch: 1, concurrency: 1, startMicros: 0, endMicros: 10_000 },
    {
      clock,
      stop: new AbortController().signal,
      sendBatch: async (_size, intended) => {
        sends.push({ intended, at: clock.nowMicros() });
        if (intended === slowIntended) await clock.sleepUntil(answeredAt);
      },
    },
  );
  await clock.advanceTo(runUntil);
  await producer.done;
  return { sends, producer };
}

test('the schedule gives intended times at exact multiples of the period, without drift', () => {
  const schedule = new FixedRateSchedule(1_000_000, 333.333);
  const times = Array.from({ length: 3001 }, () => schedule.next());
  assert.equal(times[0], 1_000_000);
  assert.equal(times[3], 1_000_000 + 3 * 333.333);
  assert.equal(times[3000], 1_000_000 + 3000 * 333.333);
});

test('behindAt counts sends overdue beyond the one due now', () => {
  const schedule = new FixedRateSchedule(0, 1000);
  schedule.next(); // t=0 taken
  assert.equal(schedule.behindAt(500), 0);
  assert.equal(schedule.behindAt(1000), 0); // t=1000 is due now: not behind yet
  assert.equal(schedule.behindAt(5500), 4); // 1000..4000 overdue, 5000 due
});

test('the open model sends at the intended times and reports them', async () => {
  const clock = new FakeClock(0);
  const sends: Array<{ intended: number; at: number }> = [];
  const producer = startProducer(
    { rate: 1000, batch: 1, concurrency: 10, startMicros: 0, endMicros: 10_000 },
    {
      clock,
      stop: new AbortController().signal,
      sendBatch: async (_size, intended) => {
        sends.push({ intended, at: clock.nowMicros() });
      },
    },
  );
  await clock.advanceTo(20_000);
  await producer.done;
  assert.deepEqual(
    sends.map((s) => s.intended),
    [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000],
  );
  assert.ok(sends.every((s) => s.at === s.intended));
});

test('after a stall the open model catches up with back-to-back sends that keep their intended times', async () => {
  const { sends } = await stalledOpenModel(2000, 6_500, 20_000);
  assert.deepEqual(
    sends.map((s) => s.intended),
    [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000],
    'no send is skipped',
  );
  const caughtUp = sends.filter((s) => s.intended >= 3000 && s.intended <= 6000);
  assert.ok(
    caughtUp.every((s) => s.at === 6_500),
    'overdue sends go out as soon as the stall ends',
  );
  assert.deepEqual(
    sends.find((s) => s.intended === 7000),
    { intended: 7000, at: 7000 },
    'then back on schedule',
  );
});

test('the schedule uses the batch size: 100 records/s in batches of 10 is 10 requests/s', async () => {
  const clock = new FakeClock(0);
  const intended: number[] = [];
  const producer = startProducer(
    { rate: 100, batch: 10, concurrency: 5, startMicros: 0, endMicros: 1_000_000 },
    {
      clock,
      stop: new AbortController().signal,
      sendBatch: async (_size, t) => {
        intended.push(t);
      },
    },
  );
  await clock.advanceTo(2_000_000);
  await producer.done;
  assert.equal(intended.length, 10);
  assert.equal(intended[1], 100_000);
});

test('stopping the open model ends scheduling at once', async () => {
  const clock = new FakeClock(0);
  const stop = new AbortController();
  let sent = 0;
  const producer = startProducer(
    { rate: 1000, batch: 1, concurrency: 10, startMicros: 0, endMicros: 1_000_000 },
    { clock, stop: stop.signal, sendBatch: async () => void (sent += 1) },
  );
  await clock.advanceTo(4_500);
  stop.abort();
  await producer.done;
  assert.equal(sent, 5);
});

test('the closed model keeps exactly `concurrency` batches in flight, each sent when the last returns', async () => {
  const clock = new FakeClock(0);
  let inFlight = 0;
  let peak = 0;
  let sent = 0;
  const producer = startProducer(
    { rate: 'max', batch: 5, concurrency: 3, startMicros: 0, endMicros: 10_000 },
    {
      clock,
      stop: new AbortController().signal,
      sendBatch: async (size, intended) => {
        assert.equal(size, 5);
        assert.equal(intended, clock.nowMicros(), 'closed model: intended time is the actual send time');
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        sent += 1;
        await clock.sleepUntil(clock.nowMicros() + 1000);
        inFlight -= 1;
      },
    },
  );
  await clock.advanceTo(20_000);
  await producer.done;
  assert.equal(peak, 3);
  assert.equal(sent, 30); // 3 lanes x 10 sends of 1 ms in 10 ms
});

test('after a stop the open model is not "behind": nothing more is due', async () => {
  const clock = new FakeClock(0);
  const stop = new AbortController();
  const producer = startProducer(
    { rate: 1000, batch: 1, concurrency: 10, startMicros: 0, endMicros: 1_000_000 },
    { clock, stop: stop.signal, sendBatch: async () => undefined },
  );
  await clock.advanceTo(4_500);
  stop.abort();
  await producer.done;
  await clock.advanceTo(500_000);
  assert.equal(producer.behindMicros(clock.nowMicros()), 0);
});

test('a timer that fires a little late for the last slot still sends it', async () => {
  // The answer to the one before last comes 2 ms after the end: the last slot is late.
  const { sends } = await stalledOpenModel(8000, 12_000, 20_000);
  assert.deepEqual(sends.slice(-1), [{ intended: 9000, at: 12_000 }]);
});

test('the open model sends nothing after its end, even slots that fell due before it', async () => {
  // The first answer arrives only after the end: every slot after the first is overdue.
  const { sends, producer } = await stalledOpenModel(0, 70_000, 100_000);
  assert.deepEqual(sends, [{ intended: 0, at: 0 }]);
  assert.equal(producer.behindMicros(100_000), 9_000, 'the 9 slots never sent stay visible as the backlog at the end');
});
