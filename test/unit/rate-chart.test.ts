import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateChart } from '../../src/console/rate-chart.js';

const rows = (n: number, rate: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ start_s: i, duration_s: 1, accepted_records_per_s: rate(i) }));

test('the terminal chart: one column per interval, the rate on the axis in records/s', () => {
  const text = rateChart(rows(10, (i) => (i < 5 ? 100 : 200)));
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'records/s accepted over 10 s (warmup and drain included; one column per interval)');
  assert.equal(lines.length, 1 + 7, 'a title and 7 rows (height 6)');
  assert.match(lines[1] ?? '', /^ +200 /);
  assert.match(lines.at(-1) ?? '', /^ +0 /);
  // Every data row has the axis plus one column per interval.
  assert.ok(
    lines.slice(1).every((line) => line.length <= 8 + 2 + 10),
    lines.join('\n'),
  );
});

test('a long run is averaged into at most 60 columns; fewer than 2 intervals draw nothing', () => {
  const text = rateChart(rows(600, () => 50));
  assert.match(text, /one column per 10 intervals/);
  assert.ok(
    text
      .trim()
      .split('\n')
      .slice(1)
      .every((line) => line.length <= 8 + 2 + 60),
  );
  assert.equal(rateChart(rows(1, () => 50)), '');
});
