import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HistogramLogReader } from 'hdr-histogram-js';
import { createLatencyHistogram, recordMicros, summarizeMs } from '../../src/measure/histogram.js';
import { hgrm, hgrmFile } from '../../src/results/hgrm.js';
import { measuredHlog, parseHlog } from '../../src/results/hlog.js';

/**
 * The HdrHistogram plotter's (plotFiles.html) parsing rules: a line that does not start
 * with '#' and splits on spaces into exactly 4 fields is a point, value from the first
 * field, x from the fourth (1/(1-percentile)). The last (100 %) line has 3 fields and is
 * skipped, as the plotter does.
 */
function plotterPoints(text: string): Array<{ value: number; percentile: number; count: number; x: number }> {
  const points = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const fields = line.split(/ +/);
    if (line.startsWith('#') || fields.length !== 4) continue;
    const [value, percentile, count, x] = fields.map(Number) as [number, number, number, number];
    if (Number.isNaN(value) || Number.isNaN(x)) continue;
    points.push({ value, percentile, count, x });
  }
  return points;
}

function sampleHistogram() {
  const histogram = createLatencyHistogram();
  // 1..1000 ms, plus a tail: p99 well below max.
  for (let i = 1; i <= 1000; i++) recordMicros(histogram, i * 1000);
  for (let i = 0; i < 5; i++) recordMicros(histogram, 5_000_000);
  return histogram;
}

test('.hgrm has outputPercentileDistribution header, columns and footer, values in ms', () => {
  const text = hgrm(sampleHistogram());
  const lines = text.split('\n');
  assert.equal(lines[0], '       Value     Percentile TotalCount 1/(1-Percentile)');
  assert.equal(lines[1], '');
  assert.match(text, /#\[Mean    = +[\d.]+, StdDeviation   = +[\d.]+\]/);
  assert.match(text, /#\[Max     = +5000\.\d+, Total count    = +1005\]/);
  assert.match(text, /#\[Buckets = +\d+, SubBuckets     = +\d+\]/);
  assert.equal(hgrmFile('put_request'), 'put_request.hgrm');
});

test("the plotter's parsing of a .hgrm gives the summary's percentiles", () => {
  const histogram = sampleHistogram();
  const summary = summarizeMs(histogram);
  const points = plotterPoints(hgrm(histogram));
  assert.ok(points.length > 20, `${points.length} points`);
  for (const [percentile, expected] of [
    [0.5, summary.p50],
    [0.9, summary.p90],
    [0.99, summary.p99],
  ] as const) {
    // The distribution's ticks need not land on 99 % exactly: the summary's percentile
    // lies on the curve between the ticks around it (or on one).
    const at = points.findIndex((p) => p.percentile >= percentile);
    const above = points[at];
    const below = points[at - 1];
    assert.ok(above && below, `points around ${percentile}`);
    assert.ok(
      below.value <= expected && expected <= above.value,
      `p${percentile * 100}: ${expected} ms not between ${below.value} and ${above.value} ms`,
    );
    assert.ok(Math.abs(above.x - 1 / (1 - above.percentile)) < 0.01 * above.x);
  }
  // Counts rise to the total.
  const last = points.at(-1);
  assert.ok(last && last.count <= 1005 && last.count >= 1000);
});

test('an empty histogram says it had no samples', () => {
  assert.equal(hgrm(createLatencyHistogram()), '#[no samples]\n');
});

test('measured-histograms.hlog: the first histogram untagged and named in the header, readable by HistogramLogReader', () => {
  const request = sampleHistogram();
  const record = createLatencyHistogram();
  recordMicros(record, 2000, 7);
  const text = measuredHlog('test', 1_700_000_000_000_000, 1_700_000_001_000_000, 1_700_000_005_000_000, [
    ['put_request', request],
    ['put_record', record],
  ]);
  const body = text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('"'));
  assert.ok(body[0]?.startsWith('1.000,4.000,'), body[0]);
  assert.ok(body[1]?.startsWith('Tag=put_record,1.000,4.000,'), body[1]);
  // kbench's own reader names the untagged line.
  assert.deepEqual(
    parseHlog(text).map((e) => e.tag),
    ['put_request', 'put_record'],
  );
  // hdr-histogram-js reads both, with no options; the untagged one has no tag.
  const reader = new HistogramLogReader(text);
  const first = reader.nextIntervalHistogram();
  const second = reader.nextIntervalHistogram();
  assert.equal(first?.totalCount, 1005);
  assert.equal(first?.tag, 'NO TAG'); // hdr-histogram-js's name for an untagged line
  assert.equal(second?.totalCount, 7);
  assert.equal(second?.tag, 'put_record');
  assert.equal(reader.nextIntervalHistogram(), null);
});
