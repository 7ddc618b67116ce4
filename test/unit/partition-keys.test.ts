import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxKeyLength } from '../../src/config/values.js';
import { createKeyGenerator } from '../../src/workload/partition-keys.js';

test('hot: always the same key', () => {
  const next = createKeyGenerator({ kind: 'hot' });
  assert.equal(new Set(Array.from({ length: 100 }, next)).size, 1);
});

test('a fixed number of keys: each used equally, round robin', () => {
  const next = createKeyGenerator({ kind: 'fixed', count: 4 });
  const keys = Array.from({ length: 12 }, next);
  assert.deepEqual(keys.slice(0, 4), ['key-0', 'key-1', 'key-2', 'key-3']);
  assert.deepEqual(keys.slice(8), keys.slice(0, 4));
});

test('random: a new key per record, no longer than maxKeyLength', () => {
  const next = createKeyGenerator({ kind: 'random' });
  const keys = Array.from({ length: 10_000 }, next);
  assert.equal(new Set(keys).size, 10_000);
  assert.ok(keys.every((k) => k.length >= 1 && k.length <= maxKeyLength({ kind: 'random' })));
});
