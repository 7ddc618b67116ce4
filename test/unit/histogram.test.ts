import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  recordMicros,
  summarizeMs,
} from '../../src/measure/histogram.js';

test('summaries are in milliseconds with microsecond precision', () => {
  const h = createLatencyHistogram();
  for (let i = 1; i <= 100; i++) recordMicros(h, i * 1000); // 1..100 ms
  const s = summarizeMs(h);
  assert.equal(s.count, 100);
  assert.ok(Math.abs(s.p50 - 50) < 0.05, `p50 ${s.p50}`);
  assert.ok(Math.abs(s.p99 - 99) < 0.1, `p99 ${s.p99}`);
  assert.equal(s.max, 100);
  assert.equal(s.min, 1);
});

test('no percentile is ever above the max', () => {
  const h = createLatencyHistogram();
  recordMicros(h, 245_982);
  recordMicros(h, 1000);
  const s = summarizeMs(h);
  assert.ok(s.p999 <= s.max && s.p99 <= s.max, JSON.stringify(s));
});

test('values outside the range are clamped, not lost', () => {
  const h = createLatencyHistogram();
  recordMicros(h, 0.2);
  recordMicros(h, 1e12);
  assert.equal(h.totalCount, 2);
});

test('an encoded histogram decodes to the same distribution and can be added', () => {
  const h = createLatencyHistogram();
  for (let i = 0; i < 1000; i++) recordMicros(h, 100 + i * 37);
  const decoded = decodeHistogram(encodeHistogram(h));
  assert.equal(decoded.totalCount, 1000);
  assert.equal(decoded.getValueAtPercentile(99), h.getValueAtPercentile(99));
  decoded.add(h);
  assert.equal(decoded.totalCount, 2000);
});

test('an empty histogram summarizes to zeros', () => {
  assert.deepEqual(summarizeMs(createLatencyHistogram()), {
    count: 0,
    min: 0,
    mean: 0,
    p50: 0,
    p90: 0,
    p99: 0,
    p999: 0,
    max: 0,
  });
});
