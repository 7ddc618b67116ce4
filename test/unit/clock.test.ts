import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MonotonicClock, createAnchor } from '../../src/measure/clock.js';

test('sleepUntil never resolves before the target time', async () => {
  const clock = new MonotonicClock();
  for (let i = 0; i < 200; i++) {
    const target = clock.nowMicros() + 300 + (i % 7) * 250;
    await clock.sleepUntil(target);
    assert.ok(clock.nowMicros() >= target, `woke ${(target - clock.nowMicros()).toFixed(0)} µs early`);
  }
});

test('sleepUntil ends early when its signal aborts', async () => {
  const clock = new MonotonicClock();
  const stop = new AbortController();
  const started = clock.nowMicros();
  setTimeout(() => stop.abort(), 20);
  await clock.sleepUntil(started + 10_000_000, stop.signal);
  assert.ok(clock.nowMicros() - started < 5_000_000);
});

test('two clocks on one anchor agree (threads share an anchor), and read epoch microseconds', () => {
  const anchor = createAnchor();
  const a = new MonotonicClock(anchor);
  const b = new MonotonicClock(anchor);
  for (let i = 0; i < 100; i++) {
    const t1 = a.nowMicros();
    const t2 = b.nowMicros();
    const t3 = a.nowMicros();
    // b was read between two readings of a; allow a few µs for the reads themselves.
    assert.ok(t2 >= t1 - 5 && t2 <= t3 + 5, `one time line: ${t1} ${t2} ${t3}`);
  }
  assert.ok(Math.abs(a.nowMicros() / 1000 - Date.now()) < 50, 'epoch-based');
});
