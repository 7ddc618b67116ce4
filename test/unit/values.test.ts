import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors/errors.js';
import {
  parseDurationMs,
  parseInteger,
  parseKeySpec,
  parseNonNegativeDurationMs,
  parseRate,
} from '../../src/config/values.js';

test('durations accept ms, s, m, h and combinations', () => {
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('30s'), 30_000);
  assert.equal(parseDurationMs('2m'), 120_000);
  assert.equal(parseDurationMs('1h'), 3_600_000);
  assert.equal(parseDurationMs('1m30s'), 90_000);
  assert.equal(parseDurationMs('1.5s'), 1500);
  assert.equal(parseDurationMs('0'), 0);
});

test('durations refuse bare numbers and garbage, saying what is allowed', () => {
  for (const bad of ['10', '', 'abc', '5x', '-3s', 's', '1m 30s']) {
    assert.throws(
      () => parseDurationMs(bad),
      (error: unknown) => error instanceof ValueError && /not a duration/.test(error.message),
      bad,
    );
  }
});

test('rates are positive numbers or max', () => {
  assert.equal(parseRate('max'), 'max');
  assert.equal(parseRate('MAX'), 'max');
  assert.equal(parseRate('1000'), 1000);
  assert.equal(parseRate('0.5'), 0.5);
  for (const bad of ['0', '-1', 'fast', '']) assert.throws(() => parseRate(bad), /not a rate/);
});

test('integers are checked against their range', () => {
  assert.equal(parseInteger('3', 1, 10), 3);
  assert.throws(() => parseInteger('0', 1, 10), /from 1 to 10/);
  assert.throws(() => parseInteger('11', 1, 10), /from 1 to 10/);
  assert.throws(() => parseInteger('2.5', 1, 10), /integer/);
  assert.throws(() => parseInteger('x', 1, 10), /integer/);
});

test('key distributions: random, hot, or a number of distinct keys', () => {
  assert.deepEqual(parseKeySpec('random'), { kind: 'random' });
  assert.deepEqual(parseKeySpec('hot'), { kind: 'hot' });
  assert.deepEqual(parseKeySpec('16'), { kind: 'fixed', count: 16 });
  assert.throws(() => parseKeySpec('0'), /key distribution/);
  assert.throws(() => parseKeySpec('some'), /key distribution/);
});

test('a bounded duration allows 0, says "below 0" for negatives and names its ceiling', () => {
  assert.equal(parseNonNegativeDurationMs('0', 60_000), 0);
  assert.equal(parseNonNegativeDurationMs('200ms', 60_000), 200);
  assert.throws(() => parseNonNegativeDurationMs('-1s', 60_000), /"-1s" is below 0 \(use 0 to 1m/);
  assert.throws(() => parseNonNegativeDurationMs('90s', 60_000), /too long \(at most 1m\)/);
  assert.throws(() => parseNonNegativeDurationMs('fast', 60_000), /not a duration/);
});

test('one number syntax everywhere: scientific notation is the same value as its digits', () => {
  assert.equal(parseRate('1e6'), parseRate('1000000'));
  assert.equal(parseRate('2.5E3'), 2500);
  assert.equal(parseInteger('1e3', 1, 10_000), 1000);
  assert.throws(() => parseInteger('1.5e0', 1, 10), /integer/);
  assert.deepEqual(parseKeySpec('1e2'), { kind: 'fixed', count: 100 });
  assert.equal(parseDurationMs('1e3ms'), 1000);
  assert.equal(parseDurationMs('1.5e1s'), 15_000);
  for (const bad of ['1e', 'e3', '1e+']) assert.throws(() => parseRate(bad), /not a rate/, bad);
});

test('a rate above 10,000,000 records/s is refused with the limit, whichever way it is written', () => {
  assert.equal(parseRate('1e7'), 10_000_000);
  for (const big of ['1e12', '1000000000000', '10000001']) {
    assert.throws(() => parseRate(big), /above the highest rate, 10,000,000 records\/s/, big);
  }
});

test('durations have a ceiling of 576h, below what a Node timer can wait', () => {
  assert.equal(parseDurationMs('576h'), 576 * 3_600_000);
  assert.throws(() => parseDurationMs('577h'), /too long \(at most 576h\)/);
  assert.throws(() => parseDurationMs('9999999h'), /too long \(at most 576h\)/);
});
