/**
 * The embedded target's lifecycle and interrupted runs: kbench starts and stops its own
 * emulator, cleans up on Ctrl-C, and keeps what it measured when the target goes away.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { startKinesalite } from '../../src/target/embedded.js';
import { childPids, isAlive, readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';

const intervalRows = (out: string): number => {
  const file = path.join(out, 'intervals.csv');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length - 1 : 0;
};

test('the default target: kbench starts kinesalite behind AWS quotas, creates and deletes its stream, and prints a table with units', async () => {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--shards',
    '3',
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.target.kind, 'embedded');
  assert.equal(summary.target.limits, 'emulated-aws', 'never "aws": a local figure is not an AWS figure');
  assert.deepEqual(summary.target.quota, {
    per: 'shard',
    write_records_per_s: 1000,
    write_mib_per_s: 1,
    read_calls_per_s: 5,
    read_mib_per_s: 2,
    iterator_calls_per_s: 5,
    burst_s: 1,
  });
  assert.equal(summary.target.faults, null);
  assert.deepEqual(summary.target.emulator, { name: 'kinesalite', version: '3.3.3' });
  assert.equal(summary.stream.created, true);
  assert.equal(summary.stream.deleted, true);
  assert.equal(summary.interrupted, false);
  assert.equal(Object.keys(summary.put.per_shard).length, 3);
  assert.equal(summary.schema_version, 1);
  assert.match(result.stdout, /records\/s accepted/);
  assert.match(result.stdout, /MiB\/s/);
  assert.match(result.stdout, /latency \(ms\)\s+p50\s+p90\s+p99\s+p99\.9\s+max/);
  assert.match(
    result.stdout,
    /limits\s+AWS's quotas, emulated by kbench's quota layer \(a local run, not an AWS figure\)/,
  );
  // The line wraps at 100 columns (under its label): any run of spaces or a line break between words.
  assert.match(
    result.stdout,
    /per shard: writes 1,000 records\/s and 1 MiB\/s, GetRecords 5 calls\/s and 2 MiB\/s,\s+GetShardIterator 5 calls\/s; burst 1 s/,
  );
  assert.match(result.stdout, /faults\s+none injected/);
  assert.ok(
    summary.put.records_per_s <= 3000 * 1.1 + 3000,
    `at most 3 shards' quota plus their burst: ${summary.put.records_per_s}`,
  );
});

test("--limits none: the raw emulator, no quota layer, and the summary says the figures are the emulator's", async () => {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--limits',
    'none',
    '--batch',
    '100',
    '--concurrency',
    '4',
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.target.limits, 'none');
  assert.equal(summary.target.quota, null);
  assert.equal(summary.options.limits, 'none');
  assert.equal(summary.put.records.throttled, 0);
  assert.match(result.stdout, /limits\s+none: the emulator enforces no Kinesis quotas/);
});

test('--json prints summary.json on stdout instead of the table', async () => {
  const out = tempDir();
  const result = await runKbench(['put', '--duration', '1s', '--warmup', '0s', '--out', out, '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), readJson(path.join(out, 'summary.json')));
});

test('Ctrl-C: stops sending, writes results marked interrupted, deletes the stream, stops the emulator, exits 130', async () => {
  const out = tempDir();
  const run = startKbench(['put', '--rate', '200', '--duration', '60s', '--warmup', '0s', '--out', out, '--quiet']);
  await waitFor(() => intervalRows(out) >= 2, 20_000, 'two intervals written');
  const [emulatorPid] = childPids(run.child.pid!);
  assert.ok(emulatorPid, 'kbench runs the emulator as its child');
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /run stopped early: interrupted by SIGINT/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  assert.equal(summary.interrupt_reason, 'interrupted by SIGINT');
  assert.equal(summary.stream.deleted, true);
  assert.ok(summary.phases.measured_s < 30, 'the measured phase ends at the interrupt');
  assert.ok(summary.put.records.accepted > 0);
  // Over the phase cut at the interrupt: never above the schedule; below it only by what a
  // busy machine had not yet sent when the interrupt came (not counted as sent).
  const rate = summary.put.records_per_s;
  assert.ok(rate <= 205 && rate >= 100, `rate over the cut phase: ${rate}`);
  assert.match(result.stdout, /INTERRUPTED/);
  await waitFor(() => !isAlive(emulatorPid), 5000, 'the emulator to exit');
});

test('if kbench is killed outright, its emulator does not outlive it', async () => {
  const out = tempDir();
  const run = startKbench(['put', '--rate', '100', '--duration', '60s', '--warmup', '0s', '--out', out, '--quiet']);
  await waitFor(() => intervalRows(out) >= 1, 20_000, 'an interval written');
  const [emulatorPid] = childPids(run.child.pid!);
  assert.ok(emulatorPid);
  run.child.kill('SIGKILL');
  await run.result;
  await waitFor(() => !isAlive(emulatorPid), 5000, 'the orphaned emulator to exit');
});

test('a crashed emulator stops the run: results kept and marked interrupted, exit 1', async () => {
  const out = tempDir();
  const run = startKbench(['put', '--rate', '200', '--duration', '60s', '--warmup', '0s', '--out', out, '--quiet']);
  await waitFor(() => intervalRows(out) >= 2, 20_000, 'two intervals written');
  const [emulatorPid] = childPids(run.child.pid!);
  process.kill(emulatorPid!, 'SIGKILL');
  const result = await run.result;
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /run stopped early: the embedded emulator \(kinesalite\) exited unexpectedly/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  assert.ok(summary.put.records.accepted >= 200, 'what was measured before the crash is kept');
  const rows = parse(readFileSync(path.join(out, 'intervals.csv')), { columns: true }) as unknown[];
  assert.ok(rows.length >= 2);
});

test('a lost endpoint stops the run after a few seconds of silence: results kept, exit 1', async () => {
  const emulator = await startKinesalite();
  const out = tempDir();
  const run = startKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--rate',
    '100',
    '--duration',
    '60s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(() => intervalRows(out) >= 1, 20_000, 'an interval written');
  await emulator.stop();
  const result = await run.result;
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /run stopped early: lost the endpoint/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  assert.ok(summary.put.records.accepted > 0);
  assert.ok(summary.put.records.errors > 0, 'the connection errors are counted');
});
