/**
 * kbench run against the embedded target through the real CLI: a 2-case matrix writes
 * both case folders, cases.csv and run.json consistent with each case's summary.json;
 * thresholds and a baseline gate exit 99; a failing case keeps the cases before it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { RESULT_FILES } from '../../src/results/results-folder.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';

/** What kbench put writes into a case's folder. */
const PUT_FILES = [
  RESULT_FILES.summary,
  RESULT_FILES.intervals,
  RESULT_FILES.latency,
  RESULT_FILES.requestLog,
  RESULT_FILES.recordLog,
  RESULT_FILES.measuredLog,
];

const MATRIX = [
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
].join('\n');

function scenarioFile(text: string): string {
  const file = path.join(tempDir('kbench-scenario-'), 'two-batch-sizes.yaml');
  writeFileSync(file, text);
  return file;
}

const csvRows = (file: string): Array<Record<string, string>> =>
  parse(readFileSync(file), { columns: true }) as Array<Record<string, string>>;

test("a 2-case matrix: both case folders, cases.csv and run.json, each consistent with the case's summary.json", async () => {
  const out = tempDir();
  const markdown = path.join(tempDir(), 'verdict.md');
  const stepSummary = path.join(tempDir(), 'step-summary.md');
  writeFileSync(stepSummary, '# earlier step\n');
  const result = await runKbench(
    ['run', scenarioFile(MATRIX), '--run-id', 'tmatrix', '--out', out, '--quiet', '--markdown', markdown],
    { GITHUB_STEP_SUMMARY: stepSummary },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');

  const rows = csvRows(path.join(out, 'cases.csv'));
  assert.deepEqual(
    rows.map((r) => r['case_id']),
    ['c01-batch-1', 'c02-batch-10'],
  );
  for (const row of rows) {
    const folder = path.join(out, row['case_id'] ?? '');
    for (const file of PUT_FILES) assert.ok(existsSync(path.join(folder, file)), `${row['case_id']}/${file}`);
    const summary = readJson(path.join(folder, 'summary.json'));
    assert.equal(row['status'], 'completed');
    assert.equal(row['mode'], 'put');
    assert.equal(Number(row['batch']), summary.options.batch);
    assert.equal(Number(row['shards']), summary.options.shards);
    assert.equal(Number(row['duration_s']), summary.options.duration_s);
    assert.equal(Number(row['put_records_per_s']), summary.put.records_per_s);
    assert.equal(Number(row['put_mib_per_s']), summary.put.mib_per_s);
    assert.equal(Number(row['put_throttled_pct']), summary.put.throttled_pct);
    assert.equal(Number(row['put_latency_p50_ms']), summary.put.latency_ms.p50);
    assert.equal(Number(row['put_latency_p99_ms']), summary.put.latency_ms.p99);
    assert.equal(Number(row['put_failed_records']), summary.put.records.failed);
    assert.ok(!('lag_p99_ms' in row), 'a put-only run has no lag columns');
    assert.equal(row['limits'], summary.target.limits, 'limits as summary.json says');
    assert.equal(row['client_bound'], String(summary.client.client_bound));
    assert.ok(summary.put.records.accepted > 0);
    // Each case had its own stream, named by the run id and the case, created and deleted.
    assert.equal(summary.run_id, `tmatrix-${row['case_id']?.slice(0, 3)}`);
    assert.equal(summary.stream.name, `kbench-tmatrix-${row['case_id']?.slice(0, 3)}`);
    assert.equal(summary.stream.deleted, true);
  }
  assert.ok(
    Object.keys(rows[0] ?? {}).indexOf('shards') < Object.keys(rows[0] ?? {}).indexOf('batch'),
    'parameters in one fixed order, whichever varies',
  );

  const run = readJson(path.join(out, 'run.json'));
  assert.equal(run.command, 'run');
  assert.equal(run.status, 'completed');
  assert.deepEqual(
    run.cases.map((c: { key: string; status: string }) => [c.key, c.status]),
    [
      ['batch=1', 'completed'],
      ['batch=10', 'completed'],
    ],
  );
  assert.equal(run.gate.passed, true);
  assert.equal(run.gate.thresholds.length, 2);

  assert.match(result.stdout, /== case 1\/2: batch=1 \(c01-batch-1\) ==/);
  assert.match(result.stdout, /verdict   PASS \(2 threshold checks passed\)/);
  const md = readFileSync(markdown, 'utf8');
  assert.match(md, /^## kbench run .*: PASS/);
  assert.match(md, /`put\.failed == 0`/);
  assert.equal(readFileSync(stepSummary, 'utf8'), `# earlier step\n${md}`, 'appended to $GITHUB_STEP_SUMMARY');

  // The same scenario, one case, gated: on a baseline case (exit 0 within the limit) ...
  const again = await runKbench([
    'run',
    scenarioFile(MATRIX),
    '--batch',
    '10',
    '--out',
    tempDir(),
    '--quiet',
    '--baseline',
    path.join(out, 'c02-batch-10'),
    '--max-regression',
    'put.records_per_s=10%',
  ]);
  assert.equal(again.code, 0, again.stderr + again.stdout);
  assert.match(again.stdout, /put\.records_per_s/);
  // ... and on a threshold it cannot meet: exit 99, the reason on one line.
  const slow = tempDir();
  const failing = await runKbench([
    'run',
    scenarioFile(MATRIX),
    '--batch',
    '10',
    '--out',
    slow,
    '--quiet',
    '--threshold',
    'put.records_per_s > 1000000',
  ]);
  assert.equal(failing.code, 99, failing.stderr);
  assert.equal(
    failing.stderr,
    `kbench: FAILED: batch=10: threshold "put.records_per_s > 1000000" failed (${readJson(path.join(slow, 'c01-batch-10', 'summary.json')).put.records_per_s.toFixed(1)} records/s); results are in ${slow}\n`,
  );
  assert.match(failing.stdout, /verdict   FAIL: 1 check failed/);
  assert.equal(readJson(path.join(slow, 'run.json')).gate.passed, false);
});

test('a case that fails is recorded and the cases before it are kept; the matrix goes on', async () => {
  const out = tempDir();
  // The embedded emulator takes at most 100 shards: case 2 is refused when it starts.
  const file = scenarioFile(
    ['rate: 100', 'warmup: 0s', 'duration: 1s', 'matrix:', '  shards: [1, 101, 2]', ''].join('\n'),
  );
  const result = await runKbench(['run', file, '--out', out, '--quiet']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stderr,
    /^kbench: case 2 \(shards=101\) failed: --shards 101 is above the target's limit of 100 shards/m,
  );
  assert.match(result.stderr, /^kbench: case 2 \(shards=101\): .*; the other cases ran, results are in /m);
  const rows = csvRows(path.join(out, 'cases.csv'));
  assert.deepEqual(
    rows.map((r) => [r['case_id'], r['status']]),
    [
      ['c01-shards-1', 'completed'],
      ['c02-shards-101', 'failed'],
      ['c03-shards-2', 'completed'],
    ],
  );
  assert.ok(Number(rows[0]?.['put_records_per_s']) > 0);
  assert.equal(rows[1]?.['put_records_per_s'], '');
  assert.match(rows[1]?.['error'] ?? '', /above the target's limit/);
  assert.ok(existsSync(path.join(out, 'c01-shards-1', 'summary.json')));
  assert.equal(readJson(path.join(out, 'run.json')).status, 'failed');
});

test('a bad scenario is refused before anything runs: one line, the file, line and field, exit 2', async () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'an unknown field',
      [scenarioFile('shards: 1\nrecord_size: 100\n')],
      /\.yaml:2: unknown field "record_size" \(did you mean record-size\?\)/,
    ],
    [
      'a wrong type',
      [scenarioFile('shards: [1, 2]\n')],
      /\.yaml:1: shards: a single value as --shards <n> takes, not a list/,
    ],
    [
      'a value out of range',
      [scenarioFile('matrix:\n  record-size: [100, 31]\n')],
      /\.yaml:2: matrix\.record-size\[1\]: "31" is not an integer from 32 to 1048576/,
    ],
    [
      'a lag-only field in a put scenario',
      [scenarioFile('poll-interval: 200ms\n')],
      /poll-interval applies to mode lag, and this scenario runs put/,
    ],
    [
      'a bad --threshold',
      [scenarioFile('shards: 1\n'), '--threshold', 'put.rate > 5'],
      /option '--threshold <expr>' argument 'put\.rate > 5' is invalid\. "put\.rate > 5": unknown metric put\.rate/,
    ],
    [
      '--max-regression without --baseline',
      [scenarioFile('shards: 1\n'), '--max-regression', '10%'],
      /--max-regression needs --baseline/,
    ],
    [
      'a baseline that does not exist',
      [scenarioFile('shards: 1\n'), '--baseline', '/no/such/run'],
      /baseline \/no\/such\/run: no such file or folder/,
    ],
    ['a missing scenario file', ['/no/such.yaml'], /\/no\/such\.yaml: cannot read the scenario file/],
  ];
  for (const [what, args, pattern] of cases) {
    const out = tempDir();
    const result = await runKbench(['run', ...args, '--out', out]);
    assert.equal(result.code, 2, `${what}: ${result.stderr}`);
    assert.equal(result.stdout, '', what);
    const text = result.stderr.trim();
    assert.ok(!text.includes('\n'), `${what}: one line, got ${text}`);
    assert.match(text, /^kbench: /, what);
    assert.match(text, pattern, what);
    assert.ok(!existsSync(path.join(out, 'run.json')), `${what}: nothing ran`);
  }
});

test("a put and a lag case: cases.csv has the lag figures of the lag case's summary.json, and lag thresholds judge only it", async () => {
  const out = tempDir();
  const file = scenarioFile(
    [
      'shards: 1',
      'warmup: 0s',
      'duration: 2s',
      'rate: 100',
      'poll-interval: 200ms',
      'matrix:',
      '  mode: [put, lag]',
      'thresholds:',
      '  - lag.missing == 0',
      '',
    ].join('\n'),
  );
  const result = await runKbench(['run', file, '--out', out, '--quiet']);
  assert.equal(result.code, 0, result.stderr);
  const rows = csvRows(path.join(out, 'cases.csv'));
  assert.deepEqual(
    rows.map((r) => [r['case_id'], r['mode'], r['status']]),
    [
      ['c01-mode-put', 'put', 'completed'],
      ['c02-mode-lag', 'lag', 'completed'],
    ],
  );
  const lag = readJson(path.join(out, 'c02-mode-lag', 'summary.json'));
  assert.equal(lag.command, 'lag');
  assert.equal(Number(rows[1]?.['lag_p50_ms']), lag.lag.latency_ms.p50);
  assert.equal(Number(rows[1]?.['lag_p99_ms']), lag.lag.latency_ms.p99);
  assert.equal(Number(rows[1]?.['lag_missing_records']), lag.lag.records.missing);
  assert.equal(Number(rows[1]?.['poll_interval_ms']), 200);
  assert.equal(rows[0]?.['lag_p99_ms'], '');
  const run = readJson(path.join(out, 'run.json'));
  assert.deepEqual(
    run.gate.thresholds.map((t: { case: string; status: string }) => [t.case, t.status]),
    [
      ['mode=put', 'n/a'],
      ['mode=lag', 'pass'],
    ],
  );
});
