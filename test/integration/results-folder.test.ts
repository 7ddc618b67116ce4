/**
 * The results folder through the real CLI: a folder that cannot be written is refused
 * before anything starts, an earlier run's results are never overwritten (unless --force,
 * which removes only kbench's own files), a file that cannot be written still leaves the
 * summary on stdout and names the file, and kbench merge never counts a process twice.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  truncateSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isKbenchFile, prepareOutputFolder } from '../../src/results/output-folder.js';
import { UsageError } from '../../src/errors/errors.js';
import { readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';

const quickPut = (out: string, ...extra: string[]): string[] => [
  'put',
  '--rate',
  '50',
  '--warmup',
  '0s',
  '--duration',
  '1s',
  '--quiet',
  '--out',
  out,
  ...extra,
];

test(
  '--out inside /proc is refused at once with one line, exit 2 (no mkdir spinning)',
  { timeout: 20_000 },
  async () => {
    const result = await runKbench(quickPut('/proc/nope/deeper'));
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /--out \/proc\/nope\/deeper is inside \/proc, a system folder/);
  },
);

test('--out that is a file, or under a file: one line naming it, exit 1', async () => {
  const root = tempDir();
  const file = path.join(root, 'file.txt');
  writeFileSync(file, 'x');
  const onFile = await runKbench(quickPut(file));
  assert.equal(onFile.code, 1, onFile.stderr);
  assert.match(onFile.stderr, /results folder .*file\.txt is not writable: it is a file, not a folder/);
  const under = await runKbench(quickPut(path.join(file, 'sub')));
  assert.equal(under.code, 1, under.stderr);
  assert.match(under.stderr, /file\.txt is a file, not a folder/);
});

test('an empty --out is refused naming the flag', () => {
  assert.throws(
    () => prepareOutputFolder('', { flag: '--out', force: false }),
    (e: unknown) => e instanceof UsageError && /--out is empty/.test(e.message),
  );
});

test('a missing folder is created level by level; a system folder is a usage error', () => {
  const root = tempDir();
  const deep = path.join(root, 'a', 'b', 'c');
  assert.deepEqual(prepareOutputFolder(deep, { flag: '--out', force: false }), { created: true });
  assert.ok(statSync(deep).isDirectory());
  assert.deepEqual(
    prepareOutputFolder(deep, { flag: '--out', force: false }),
    { created: false },
    'an empty folder is fine',
  );
  assert.throws(() => prepareOutputFolder('/proc', { flag: '--out', force: false }), UsageError);
});

test('kbench files are told from others', () => {
  for (const name of [
    'summary.json',
    'intervals.csv',
    'latency.csv',
    'put-request-latency.hlog',
    'run.json',
    'cases.csv',
    'merge.json',
    'report.html',
    'put.hgrm',
    'shard-intervals.csv',
    'find-max.csv',
    'summary.json.tmp-123',
  ]) {
    assert.ok(isKbenchFile(name), name);
  }
  for (const name of ['notes.txt', 'summary.json.bak', 'data.csv']) assert.ok(!isKbenchFile(name), name);
});

test(
  'put into a folder holding results is refused (old results untouched); --force replaces only kbench files',
  { timeout: 120_000 },
  async () => {
    const out = path.join(tempDir(), 'results');
    const first = await runKbench(quickPut(out, '--run-id', 'first'));
    assert.equal(first.code, 0, first.stderr);
    const before = readFileSync(path.join(out, 'summary.json'), 'utf8');

    const again = await runKbench(quickPut(out, '--run-id', 'second'));
    assert.equal(again.code, 2, again.stderr);
    assert.equal(again.stderr.trim().split('\n').length, 1, again.stderr);
    assert.match(again.stderr, /--out .* is not empty \(.*\): choose a new folder, or add --force/);
    assert.equal(readFileSync(path.join(out, 'summary.json'), 'utf8'), before, 'the earlier summary is untouched');

    // A file of the user's is never removed, even with --force.
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const foreign = await runKbench(quickPut(out, '--run-id', 'second', '--force'));
    assert.equal(foreign.code, 2, foreign.stderr);
    assert.match(foreign.stderr, /--force: .* holds files kbench did not write \(notes\.txt\)/);
    assert.equal(readFileSync(path.join(out, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(readFileSync(path.join(out, 'summary.json'), 'utf8'), before);

    // An old run's extra file (a lag log) would be left beside the new run's: --force removes it.
    rmSync(path.join(out, 'notes.txt'));
    writeFileSync(path.join(out, 'lag-latency.hlog'), 'old');
    const forced = await runKbench(quickPut(out, '--run-id', 'second', '--force'));
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readJson(path.join(out, 'summary.json')).run_id, 'second');
    assert.ok(!existsSync(path.join(out, 'lag-latency.hlog')), "the earlier run's file is gone");
  },
);

test('kbench run refuses a non-empty --out too', { timeout: 60_000 }, async () => {
  const root = tempDir();
  const out = path.join(root, 'run');
  mkdirSync(out);
  writeFileSync(path.join(out, 'run.json'), '{}');
  const scenario = path.join(root, 's.yaml');
  writeFileSync(scenario, 'mode: put\nrate: 50\nduration: 1s\nwarmup: 0s\n');
  const run = await runKbench(['run', scenario, '--out', out, '--quiet']);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--out .* is not empty \(run\.json\)/);
});

test(
  'a summary that cannot be written: the table is still printed, the file is named, exit 1',
  { timeout: 120_000 },
  async () => {
    const out = path.join(tempDir(), 'results');
    const run = startKbench(['put', '--rate', '50', '--warmup', '0s', '--duration', '3s', '--quiet', '--out', out]);
    await waitFor(() => existsSync(path.join(out, 'intervals.csv')), 60_000, 'the run to start');
    // A folder where summary.json goes: the rename into place fails, as a full disk would fail the write.
    mkdirSync(path.join(out, 'summary.json', 'blocker'), { recursive: true });
    const result = await run.result;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /records/, 'the summary table is on stdout');
    assert.match(result.stderr, /cannot write .*summary\.json: /);
    assert.doesNotMatch(result.stderr, /internal error/);
    assert.ok(existsSync(path.join(out, 'latency.csv')), 'the other files are written');
    assert.deepEqual(
      readdirSync(out).filter((f) => f.includes('.tmp-')),
      [],
      'no temporary file is left',
    );
  },
);

test(
  'merge refuses the same folder twice, a merged folder with one of its sources, and names a truncated .hlog',
  { timeout: 120_000 },
  async () => {
    const root = tempDir();
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    const common = ['--run-id', 'dup', '--rate', '50', '--warmup', '0s', '--duration', '1s', '--quiet'];
    const results = await Promise.all([
      runKbench(['put', ...common, '--out', a]),
      runKbench(['put', ...common, '--out', b]),
    ]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);

    const twice = await runKbench(['merge', a, `${a}/`, '--out', path.join(root, 'm0')]);
    assert.equal(twice.code, 2, twice.stderr);
    assert.match(twice.stderr, /the same folder as .*; merging it twice would count every record twice/);

    const copy = path.join(root, 'copy-of-a');
    cpSync(a, copy, { recursive: true });
    const copied = await runKbench(['merge', a, copy, '--out', path.join(root, 'm1')]);
    assert.equal(copied.code, 2, copied.stderr);
    assert.match(copied.stderr, /both hold the results of one process/);

    const merged = path.join(root, 'merged');
    const ok = await runKbench(['merge', a, b, '--out', merged]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readJson(path.join(merged, 'merge.json')).processes.length, 2);
    const over = await runKbench(['merge', a, b, '--out', merged]);
    assert.equal(over.code, 2, over.stderr);
    assert.match(over.stderr, /--out .* is not empty/);
    const again = await runKbench(['merge', merged, b, '--out', path.join(root, 'm2')]);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /both hold the results of one process/);

    const log = path.join(b, 'put-request-latency.hlog');
    truncateSync(log, statSync(log).size - 7);
    appendFileSync(log, '');
    const truncated = await runKbench(['merge', a, b, '--out', path.join(root, 'm3')]);
    assert.equal(truncated.code, 2, truncated.stderr);
    assert.match(truncated.stderr, /put-request-latency\.hlog: damaged or truncated HdrHistogram log/);
    assert.doesNotMatch(truncated.stderr, /internal error/);
  },
);

test(
  'the results folder removed mid-run: the summary is still printed and the failed files named, exit 1, no internal error',
  { timeout: 120_000 },
  async () => {
    const out = path.join(tempDir(), 'results');
    const run = startKbench(['put', '--rate', '50', '--warmup', '0s', '--duration', '3s', '--quiet', '--out', out]);
    await waitFor(() => existsSync(path.join(out, 'intervals.csv')), 60_000, 'the run to start');
    rmSync(out, { recursive: true, force: true });
    const result = await run.result;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /records/, 'the summary table is on stdout');
    assert.match(
      result.stderr,
      /^kbench: cannot write .*intervals\.csv: ENOENT.*; interval rows after that were not written; cannot write .*summary\.json/,
    );
    assert.doesNotMatch(result.stderr, /internal error/);
  },
);
