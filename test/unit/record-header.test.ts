import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordFactory } from '../../src/workload/record-factory.js';
import { HEADER_BYTES } from '../../src/config/record-header-size.js';
import { readHeader, runTag } from '../../src/workload/record-header.js';
import { FakeClock } from '../support/fake-clock.js';

test('records carry a header that reads back: run tag, producer, sequence, send time in µs', () => {
  const clock = new FakeClock(1_764_305_070_123_456);
  const factory = new RecordFactory(runTag('run-a'), 7, 100, () => 'k', clock);
  const [first, second] = factory.batch(2);
  assert.ok(first && second);
  assert.equal(first.Data.length, 100);
  assert.deepEqual(readHeader(first.Data), {
    runTag: runTag('run-a').toString('hex'),
    producerId: 7,
    sequence: 0,
    sendMicros: 1_764_305_070_123_456,
  });
  assert.equal(readHeader(second.Data)?.sequence, 1);
  assert.equal(factory.produced, 2);
});

test('sequence numbers above 2^32 survive the round trip', () => {
  const factory = new RecordFactory(runTag('r'), 1, HEADER_BYTES, () => 'k', new FakeClock(5));
  (factory as unknown as { nextSequence: number }).nextSequence = 2 ** 40 + 3;
  const [entry] = factory.batch(1);
  assert.equal(readHeader(entry!.Data)?.sequence, 2 ** 40 + 3);
});

test('foreign data is not mistaken for a kbench record', () => {
  assert.equal(readHeader(Buffer.from('{"hello":"world", "padding": "..........."}')), undefined);
  assert.equal(readHeader(Buffer.alloc(10)), undefined);
});

test('different runs get different tags', () => {
  assert.notDeepEqual(runTag('a'), runTag('b'));
  assert.equal(runTag('a').length, 8);
});

test('records smaller than the header are refused', () => {
  assert.throws(() => new RecordFactory(runTag('r'), 1, HEADER_BYTES - 1, () => 'k', new FakeClock()), /at least 32/);
});
