/**
 * report.html of real runs, drawn in headless Chromium: it renders with no console errors
 * and no network, and the data its charts hold equal summary.json and intervals.csv.
 * Screenshots go to the temp folder (paths printed) as test artifacts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { HistogramLogReader } from 'hdr-histogram-js';
import { RESULT_FILES } from '../../src/results/results-folder.js';
import { browserMissing, openPage, type PageVisit } from '../support/browser.js';
import { readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';

const skip = browserMissing();

interface ChartSeries {
  readonly id: string;
  readonly title: string;
  readonly series: ReadonlyArray<{ readonly label: string; readonly values: ReadonlyArray<number | null> }>;
}

const csvRows = (dir: string): Array<Record<string, string>> =>
  parse(readFileSync(path.join(dir, RESULT_FILES.intervals)), { columns: true }) as Array<Record<string, string>>;
// An empty cell is an interval with nothing measured: the chart leaves a gap (null) there.
const csvColumn = (dir: string, name: string): Array<number | null> =>
  csvRows(dir).map((row) => (row[name] === '' ? null : Number(row[name])));

async function charts(visit: PageVisit): Promise<ChartSeries[]> {
  // A string expression: the page's globals, without DOM types in a Node test.
  return (await visit.page.evaluate('window.kbenchCharts')) as ChartSeries[];
}

function series(all: readonly ChartSeries[], idPrefix: string, label: string): ReadonlyArray<number | null> {
  const chart = all.find((c) => c.id.startsWith(idPrefix));
  assert.ok(chart, `a chart ${idPrefix}: ${all.map((c) => c.id).join(', ')}`);
  const found = chart.series.find((s) => s.label === label);
  assert.ok(found, `series ${label} in ${chart.id}: ${chart.series.map((s) => s.label).join(', ')}`);
  return found.values;
}

/** Renders the page, checks it drew cleanly, saves a screenshot; returns the visit (caller closes). */
async function rendered(file: string, shot: string): Promise<PageVisit> {
  const visit = await openPage(file);
  assert.equal(await visit.page.getAttribute('body', 'data-rendered'), 'ok');
  assert.deepEqual(visit.consoleErrors, [], 'no console errors');
  assert.deepEqual(visit.requests, [], 'no network requests: everything is inlined');
  const screenshot = path.join(tmpdir(), shot);
  await visit.page.screenshot({ path: screenshot, fullPage: true });
  process.stdout.write(`# screenshot: ${screenshot}\n`);
  return visit;
}

test(
  'a put run: report.html renders, its charts hold intervals.csv and summary.json; .hgrm and .hlog files agree with the summary',
  { skip },
  async () => {
    const out = tempDir();
    const result = await runKbench([
      'put',
      '--shards',
      '2',
      '--rate',
      '200',
      '--duration',
      '3s',
      '--warmup',
      '1s',
      '--out',
      out,
      '--quiet',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const summary = readJson(path.join(out, RESULT_FILES.summary));
    const html = path.join(out, 'report.html');
    assert.ok(existsSync(html), 'put writes report.html');

    const visit = await rendered(html, 'kbench-report-put.png');
    try {
      assert.ok(
        (await visit.page.locator('canvas').count()) >= 4,
        'throughput, latency, per-shard and percentile charts drawn',
      );
      const all = await charts(visit);
      assert.deepEqual(series(all, 'throughput', 'accepted records/s'), csvColumn(out, 'accepted_records_per_s'));
      assert.deepEqual(series(all, 'throughput', 'throttled records/s'), csvColumn(out, 'throttled_records_per_s'));
      assert.deepEqual(series(all, 'put-latency', 'request p99 (ms)'), csvColumn(out, 'latency_p99_ms'));
      // Per shard over time: shard-intervals.csv, whose shards add up to intervals.csv's accepted records.
      const shardRows = parse(readFileSync(path.join(out, RESULT_FILES.shardIntervals)), { columns: true }) as Array<
        Record<string, string>
      >;
      for (const shard of Object.keys(summary.put.per_shard)) {
        assert.deepEqual(
          series(all, 'shards', shard),
          shardRows.filter((r) => r['shard'] === shard).map((r) => Number(r['accepted_records_per_s'])),
        );
      }
      const perInterval = csvRows(out).map((row) =>
        shardRows
          .filter((r) => r['interval'] === row['interval'])
          .reduce((sum, r) => sum + Number(r['records_accepted']), 0),
      );
      assert.deepEqual(perInterval, csvColumn(out, 'records_accepted'));
      // The percentile curve passes through the summary's percentiles.
      const curve = all.find((c) => c.id.startsWith('distribution'));
      const request = curve?.series.find((s) => s.label.startsWith('put_request'));
      assert.ok(request, 'the put_request curve');
      const page = (await visit.page.evaluate("JSON.parse(document.getElementById('kbench-data').textContent)")) as {
        sources: Array<{ run: { distributions: Array<{ points: Array<[number, number]> }> } }>;
      };
      const points = page.sources[0]?.run.distributions[0]?.points ?? [];
      for (const [percentile, field] of [
        [50, 'p50'],
        [90, 'p90'],
        [99, 'p99'],
      ] as const) {
        const point = points.find(([p]) => p === percentile);
        assert.ok(point, `a point at ${percentile} %`);
        assert.ok(
          Math.abs(point[1] - summary.put.latency_ms[field]) < 0.001,
          `${field}: ${point[1]} against ${summary.put.latency_ms[field]} ms`,
        );
      }
      assert.match(await visit.page.locator('body').innerText(), new RegExp(`run ${summary.run_id}`));
    } finally {
      await visit.close();
    }

    // .hgrm: one per whole-run histogram, the footer's count is the summary's.
    for (const [name, block] of [
      ['put_request', 'latency_ms'],
      ['put_record', 'record_latency_ms'],
    ] as const) {
      const text = readFileSync(path.join(out, `${name}.hgrm`), 'utf8');
      assert.match(text, /^ {7}Value {5}Percentile TotalCount 1\/\(1-Percentile\)\n\n/);
      assert.equal(
        Number(/Total count += +(\d+)/.exec(text)?.[1]),
        summary.put[block].count,
        `${name}.hgrm holds the summary's count`,
      );
    }
    // The interval log adds up to every answer of the run (intervals.csv's requests), as its
    // header says; measured-histograms.hlog's untagged line is the summary's histogram.
    const intervalLog = readFileSync(path.join(out, RESULT_FILES.requestLog), 'utf8');
    assert.match(intervalLog, /#\[Each line: the answers that arrived in that interval/);
    let answers = 0;
    const reader = new HistogramLogReader(intervalLog);
    for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) answers += h.totalCount;
    assert.equal(
      answers,
      csvColumn(out, 'requests').reduce((a: number, b) => a + (b ?? 0), 0),
    );
    const measured = new HistogramLogReader(
      readFileSync(path.join(out, RESULT_FILES.measuredLog), 'utf8'),
    ).nextIntervalHistogram();
    assert.equal(measured?.tag, 'NO TAG');
    assert.equal(measured?.totalCount, summary.put.latency_ms.count);

    // kbench report draws it again, two runs side by side and with a baseline; a folder
    // that is not kbench's: one line, exit 2.
    const side = path.join(tempDir(), 'side.html');
    const again = await runKbench(['report', out, out, '--out', side, '--baseline', out]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^report {4}.*side\.html \(\d+ KiB\)\n$/);
    const sideVisit = await rendered(side, 'kbench-report-side-by-side.png');
    try {
      const all = await charts(sideVisit);
      assert.ok(all.some((c) => c.id.startsWith('overlay-throughput')));
      assert.deepEqual(
        series(all, 'throughput', 'baseline accepted records/s'),
        csvColumn(out, 'accepted_records_per_s'),
      );
    } finally {
      await sideVisit.close();
    }
    const notOurs = tempDir();
    writeFileSync(path.join(notOurs, 'something.txt'), 'hello');
    const refused = await runKbench(['report', notOurs]);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      `kbench: report ${notOurs}: not a kbench results folder (summary.json) or run folder (run.json)\n`,
    );
  },
);

test('a lag run: the lag chart holds intervals.csv, the breakdown and completeness are shown', { skip }, async () => {
  const out = tempDir();
  const result = await runKbench([
    'lag',
    '--rate',
    '100',
    '--poll-interval',
    '200ms',
    '--duration',
    '2s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, RESULT_FILES.summary));
  const visit = await rendered(path.join(out, 'report.html'), 'kbench-report-lag.png');
  try {
    const all = await charts(visit);
    assert.deepEqual(series(all, 'lag', 'lag p99 (ms)'), csvColumn(out, 'lag_p99_ms'));
    assert.deepEqual(series(all, 'throughput', 'received records/s'), csvColumn(out, 'received_records_per_s'));
    const text = await visit.page.locator('body').innerText();
    assert.match(text, /write path: send to arrival/);
    assert.match(text, /backlog: MillisBehindLatest/);
    assert.match(text, summary.lag.complete ? /complete: every record produced was received/ : /INCOMPLETE/);
  } finally {
    await visit.close();
  }
  assert.ok(existsSync(path.join(out, 'lag.hgrm')), 'a .hgrm per lag histogram');
});

test('an interrupted run: the report says so', { skip }, async () => {
  const out = tempDir();
  const run = startKbench(['put', '--rate', '100', '--duration', '60s', '--warmup', '0s', '--out', out, '--quiet']);
  await waitFor(
    () => existsSync(path.join(out, RESULT_FILES.intervals)) && csvRows(out).length >= 2,
    20_000,
    'two intervals written',
  );
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.code, 130, result.stderr);
  const visit = await rendered(path.join(out, 'report.html'), 'kbench-report-interrupted.png');
  try {
    assert.match(await visit.page.locator('.banner.interrupted').innerText(), /^INTERRUPTED: interrupted by SIGINT/);
  } finally {
    await visit.close();
  }
});

test('a kbench run folder: the cases side by side, beside the baseline, with the thresholds', { skip }, async () => {
  const scenario = path.join(tempDir('kbench-scenario-'), 'two-batch-sizes.yaml');
  writeFileSync(
    scenario,
    [
      'shards: 1',
      'rate: 200',
      'concurrency: 10',
      'warmup: 0s',
      'duration: 1s',
      'matrix:',
      '  batch: [1, 10]',
      'thresholds:',
      '  - put.failed == 0',
      '',
    ].join('\n'),
  );
  const out = tempDir();
  const result = await runKbench(['run', scenario, '--out', out, '--quiet']);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.ok(existsSync(path.join(out, 'report.html')), 'kbench run writes report.html');
  const page = path.join(tempDir(), 'run.html');
  const again = await runKbench(['report', out, '--baseline', out, '--out', page]);
  assert.equal(again.code, 0, again.stderr);
  const visit = await rendered(page, 'kbench-report-run.png');
  try {
    const all = await charts(visit);
    const cases = parse(readFileSync(path.join(out, 'cases.csv')), { columns: true }) as Array<Record<string, string>>;
    const perCase = cases.map((row) => Number(row['put_records_per_s']));
    assert.deepEqual(series(all, 'cases', 'current'), perCase);
    assert.deepEqual(series(all, 'cases', 'baseline'), perCase);
    const text = await visit.page.locator('body').innerText();
    assert.match(text, /thresholds: passed/);
    assert.match(text, /put\.failed == 0/);
  } finally {
    await visit.close();
  }
});
