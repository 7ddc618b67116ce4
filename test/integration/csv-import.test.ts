/**
 * Every CSV kbench writes imports into pandas or a spreadsheet without cleaning: a strict
 * parser reads it (same number of cells in every row), each column holds one type
 * (numbers, or text, with empty cells where nothing was measured), the columns with a
 * unit in their name are numbers, and a put-only run has no column that is always empty.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { emptyCounts } from '../../src/measure/put-tally.js';
import { createLatencyHistogram, encodeHistogram, summarizeMs } from '../../src/measure/histogram.js';
import { intervalsCsvHeader, intervalsCsvRow } from '../../src/results/intervals-csv.js';
import { latencyCsv } from '../../src/results/latency-csv.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';

type Rows = Array<Record<string, string>>;

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
/** Names that carry a unit or a count: their cells must be numbers (or empty). */
const NUMERIC_NAME =
  /(_ms|_s|_per_s|_pct|_bytes|_records|_utilization|^records_\w+|^reads|^read_errors|^requests|^iterators_renewed|^resubscriptions|^interval|^case|^repetitions\w*|^shards|^batch|^concurrency|^retries|^percentile|^count|^producer_id_base|^consumers_per_shard|^emulator_port)$/;

function readStrict(file: string): { header: string[]; rows: Rows } {
  const text = readFileSync(file, 'utf8');
  // Strict: no ragged rows, no stray quotes, no empty lines skipped silently.
  const records = parse(text, {
    relax_column_count: false,
    relax_quotes: false,
    skip_empty_lines: false,
  }) as string[][];
  const [header, ...body] = records;
  assert.ok(header, `${file} has a header`);
  assert.equal(new Set(header).size, header.length, `${file}: column names are unique`);
  return { header, rows: body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))) };
}

/** Checks one type per column and numbers where the name says so; returns the numeric columns. */
function checkTypes(file: string, header: readonly string[], rows: Rows): Set<string> {
  const numeric = new Set<string>();
  for (const column of header) {
    const cells = rows.map((row) => row[column] ?? '').filter((cell) => cell !== '');
    const numbers = cells.filter((cell) => NUMBER.test(cell));
    assert.ok(
      numbers.length === 0 || numbers.length === cells.length,
      `${path.basename(file)}: ${column} mixes numbers and text: ${cells.join('|')}`,
    );
    if (NUMERIC_NAME.test(column))
      assert.equal(numbers.length, cells.length, `${path.basename(file)}: ${column} holds numbers`);
    if (cells.length > 0 && numbers.length === cells.length) numeric.add(column);
  }
  return numeric;
}

test('intervals.csv and latency.csv: an interval or histogram with no answers has empty latency cells, not 0', () => {
  const empty = createLatencyHistogram();
  const t0 = 1_764_000_000_000_000;
  const interval = {
    index: 0,
    phase: 'measure' as const,
    startMicros: t0,
    endMicros: t0 + 1_000_000,
    counts: { ...emptyCounts(), sent: 5 },
    requestLatency: summarizeMs(empty),
    recordLatency: summarizeMs(empty),
    requestHistogram: encodeHistogram(empty),
    recordHistogram: encodeHistogram(empty),
    behindMs: 0,
    clientLoad: { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0 },
    perShard: [],
  };
  const [row] = parse(intervalsCsvHeader() + intervalsCsvRow(interval, t0), { columns: true }) as Rows;
  for (const column of [
    'latency_p50_ms',
    'latency_p90_ms',
    'latency_p99_ms',
    'latency_max_ms',
    'record_latency_p99_ms',
  ])
    assert.equal(row?.[column], '', column);
  assert.equal(row?.['records_sent'], '5');
  const latency = parse(latencyCsv([['put_request', empty]]), { columns: true }) as Rows;
  assert.ok(latency.every((r) => r['latency_ms'] === '' && r['count'] === '0'));
});

test('put and lag results: intervals.csv and latency.csv parse strictly, one type per column', async () => {
  const put = tempDir();
  const lag = tempDir();
  const putRun = await runKbench([
    'put',
    '--rate',
    '100',
    '--warmup',
    '1s',
    '--duration',
    '2s',
    '--quiet',
    '--out',
    put,
  ]);
  assert.equal(putRun.code, 0, putRun.stderr);
  const lagRun = await runKbench([
    'lag',
    '--rate',
    '50',
    '--warmup',
    '0s',
    '--duration',
    '2s',
    '--poll-interval',
    '200ms',
    '--drain',
    '2s',
    '--quiet',
    '--out',
    lag,
  ]);
  assert.equal(lagRun.code, 0, lagRun.stderr);
  for (const dir of [put, lag]) {
    for (const name of ['intervals.csv', 'latency.csv']) {
      const file = path.join(dir, name);
      const { header, rows } = readStrict(file);
      assert.ok(rows.length > 0, `${file} has rows`);
      const numeric = checkTypes(file, header, rows);
      if (name === 'intervals.csv')
        for (const column of ['accepted_records_per_s', 'latency_p99_ms', 'duration_s'])
          assert.ok(numeric.has(column), column);
    }
  }
  const lagIntervals = readStrict(path.join(lag, 'intervals.csv'));
  assert.ok(lagIntervals.header.includes('lag_p99_ms'));
});

test('a put-only kbench run: cases.csv has rate_mode and a numeric rate, limits as summary.json says, and no always-empty column', async () => {
  const out = tempDir();
  const file = path.join(tempDir('kbench-scenario-'), 'rates.yaml');
  writeFileSync(
    file,
    ['shards: 1', 'concurrency: 4', 'warmup: 0s', 'duration: 1s', 'matrix:', '  rate: [max, 150]', ''].join('\n'),
  );
  const result = await runKbench(['run', file, '--out', out, '--quiet']);
  assert.equal(result.code, 0, result.stderr);
  const csv = path.join(out, 'cases.csv');
  const { header, rows } = readStrict(csv);
  const numeric = checkTypes(csv, header, rows);
  assert.deepEqual(
    rows.map((row) => [row['rate_mode'], row['rate_records_per_s']]),
    [
      ['closed', ''],
      ['open', '150'],
    ],
  );
  assert.ok(numeric.has('rate_records_per_s') && numeric.has('put_records_per_s') && numeric.has('shards'));
  assert.ok(!header.includes('rate'), 'no column mixing numbers and "max"');
  const summary = readJson(path.join(out, rows[0]?.['case_id'] ?? '', 'summary.json'));
  assert.equal(rows[0]?.['limits'], summary.target.limits);
  assert.equal(rows[0]?.['limits'], 'emulated-aws');
  // `error` says why a case failed: empty in a run where none did, and still a column.
  const alwaysEmpty = header.filter((column) => column !== 'error' && rows.every((row) => row[column] === ''));
  assert.deepEqual(alwaysEmpty, []);
  assert.ok(
    !header.some((column) => column.startsWith('lag_') || column === 'consumer'),
    'no lag columns in a put-only run',
  );
  // The fixed order: identity, then where, the stream, time, producers, then the figures.
  const order = [
    'case',
    'case_id',
    'mode',
    'status',
    'target',
    'limits',
    'shards',
    'duration_s',
    'rate_mode',
    'rate_records_per_s',
    'concurrency',
    'batch',
    'put_records_per_s',
    'client_bound',
    'error',
  ];
  const positions = order.map((column) => header.indexOf(column));
  assert.ok(
    positions.every((at) => at >= 0),
    `all of ${order.join(', ')} are columns: ${header.join(',')}`,
  );
  assert.deepEqual(
    [...positions].sort((a, b) => a - b),
    positions,
    `in this order: ${header.join(',')}`,
  );
});
