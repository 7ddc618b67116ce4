import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryLedger } from '../../src/measure/delivery-ledger.js';

test('every accepted record ends as received, duplicated or missing, per consumer', () => {
  const ledger = new DeliveryLedger(2);
  for (let seq = 0; seq < 5; seq++) ledger.accepted(0, seq);
  for (let seq = 0; seq < 5; seq++) assert.equal(ledger.delivered(0, 0, seq), true);
  assert.equal(ledger.delivered(0, 0, 3), false, 'a second delivery is a duplicate');
  assert.equal(ledger.delivered(1, 0, 0), true, 'another consumer has its own first delivery');
  ledger.delivered(1, 0, 1);
  const result = ledger.result();
  assert.equal(result.produced, 5);
  assert.equal(result.expected, 10);
  assert.equal(result.received, 7);
  assert.equal(result.duplicates, 1);
  assert.equal(result.missing, 3);
  assert.deepEqual(result.consumers, [
    { received: 5, duplicates: 1, missing: 0, unacknowledged: 0 },
    { received: 2, duplicates: 0, missing: 3, unacknowledged: 0 },
  ]);
  assert.equal(ledger.pending, 3);
});

test('a record read before its producer hears the answer still counts as received', () => {
  const ledger = new DeliveryLedger(1);
  ledger.delivered(0, 7, 0);
  assert.equal(ledger.pending, 0);
  ledger.accepted(7, 0);
  assert.equal(ledger.pending, 0);
  assert.equal(ledger.result().received, 1);
});

test('records received but never acknowledged (an answer lost, the record stored) are counted apart', () => {
  const ledger = new DeliveryLedger(1);
  ledger.accepted(0, 0);
  ledger.delivered(0, 0, 0);
  ledger.delivered(0, 0, 1);
  const result = ledger.result();
  assert.equal(result.received, 1);
  assert.equal(result.unacknowledged, 1);
  assert.equal(result.missing, 0);
});

test('sequence numbers far apart and several producers are tracked exactly', () => {
  const ledger = new DeliveryLedger(1);
  for (const [producer, seq] of [
    [0, 0],
    [0, 100_000],
    [3, 5],
  ] as const) {
    ledger.accepted(producer, seq);
    ledger.delivered(0, producer, seq);
  }
  assert.deepEqual(
    { ...ledger.result(), consumers: undefined },
    { produced: 3, expected: 3, received: 3, duplicates: 0, missing: 0, unacknowledged: 0, consumers: undefined },
  );
});

test('caughtUp resolves when the last due delivery arrives, or when its signal aborts', async () => {
  const ledger = new DeliveryLedger(1);
  ledger.accepted(0, 0);
  ledger.accepted(0, 1);
  let resolved = false;
  const waiting = ledger.caughtUp(new AbortController().signal).then(() => (resolved = true));
  ledger.delivered(0, 0, 0);
  await Promise.resolve();
  assert.equal(resolved, false);
  ledger.delivered(0, 0, 1);
  await waiting;
  assert.equal(resolved, true);

  ledger.accepted(0, 2);
  const stop = new AbortController();
  const stopped = ledger.caughtUp(stop.signal);
  stop.abort();
  await stopped;
  assert.equal(ledger.pending, 1);
});
