/**
 * How a put run ends, and what it leaves behind: a refused run never deletes a stream it
 * did not create, and what the run counted agrees between summary.json and intervals.csv.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite } from '../../src/target/embedded.js';
import { receivedRecords, startCountingProxy } from '../support/counting-proxy.js';
import { readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';

type IntervalRow = Record<string, string>;
const intervals = (out: string): IntervalRow[] =>
  parse(readFileSync(path.join(out, 'intervals.csv'), 'utf8'), { columns: true }) as IntervalRow[];
const total = (rows: IntervalRow[], column: string): number => rows.reduce((sum, row) => sum + Number(row[column]), 0);

const localClient = (endpoint: string) =>
  createKinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 'k' },
    maxSockets: 1,
  });

test('a run refused because its stream already exists never deletes that stream', async (t) => {
  const emulator = await startKinesalite();
  t.after(() => emulator.stop());
  const common = [
    'put',
    '--endpoint',
    emulator.endpoint,
    '--run-id',
    'dup',
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--rate',
    '50',
    '--quiet',
  ];
  const first = await runKbench([...common, '--keep-stream', '--out', tempDir()]);
  assert.equal(first.code, 0, first.stderr);

  const second = await runKbench([...common, '--out', tempDir()]);
  assert.equal(second.code, 1, second.stderr);
  assert.match(second.stderr, /stream kbench-dup already exists/);
  assert.doesNotMatch(second.stderr, /delete/i);

  const client = localClient(emulator.endpoint);
  t.after(() => client.destroy());
  const answer = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'kbench-dup' }));
  assert.equal(answer.StreamDescriptionSummary?.StreamStatus, 'ACTIVE', "the other run's stream is still there");
});

test('a producer behind its schedule sends nothing new after the measured phase, and counts as sent only what went out', async (t) => {
  const emulator = await startKinesalite();
  t.after(() => emulator.stop());
  // Every put held 100 ms, 10 in flight: about 100 records/s, far behind 2,000 records/s.
  const proxy = await startCountingProxy(emulator.endpoint, { putDelayMs: 100 });
  t.after(() => proxy.close());
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--endpoint',
    proxy.endpoint,
    '--rate',
    '2000',
    '--concurrency',
    '10',
    '--workers',
    '1',
    '--duration',
    '2s',
    '--warmup',
    '0s',
    '--interval',
    '500ms',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const { puts } = proxy.stats;
  const firstAt = puts[0]!.at;
  const lastAt = puts[puts.length - 1]!.at;
  // Requests still in flight at the end went out before it; 1 s covers a loaded machine.
  assert.ok(
    lastAt - firstAt < 3000,
    `the last put reached the server ${lastAt - firstAt} ms after the first, with a 2 s measured phase`,
  );

  const rows = intervals(out);
  assert.equal(
    total(rows, 'records_sent'),
    receivedRecords(proxy.stats),
    'records_sent counts exactly the records the server received',
  );
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.put.records.sent, receivedRecords(proxy.stats));
  assert.equal(summary.put.records.unfinished, 0, 'the drain waited for every answer');
  assert.ok(summary.client.schedule_behind_max_ms > 0, 'the backlog never sent shows as behind schedule');
});

test('--rate 1e7 (scientific notation) ends on time even though no client keeps up', async (t) => {
  const emulator = await startKinesalite();
  t.after(() => emulator.stop());
  const proxy = await startCountingProxy(emulator.endpoint);
  t.after(() => proxy.close());
  const out = tempDir();
  const started = Date.now();
  const result = await runKbench([
    'put',
    '--endpoint',
    proxy.endpoint,
    '--rate',
    '1e7',
    '--concurrency',
    '4',
    '--workers',
    '1',
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
  assert.equal(summary.options.rate, 10_000_000);
  assert.equal(total(intervals(out), 'records_sent'), receivedRecords(proxy.stats));
  assert.ok(Date.now() - started < 30_000, 'well inside the drain limit');
});

test('Ctrl-C of a --rate max run: answers that arrive while stopping are counted, and summary.json agrees with intervals.csv', async () => {
  const out = tempDir();
  const run = startKbench([
    'put',
    '--limits',
    'none',
    '--rate',
    'max',
    '--concurrency',
    '50',
    '--workers',
    '1',
    '--duration',
    '60s',
    '--warmup',
    '0s',
    '--interval',
    '200ms',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(
    () => existsSync(path.join(out, 'intervals.csv')) && intervals(out).length >= 3,
    30_000,
    'three intervals written',
  );
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.code, 130, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  const rows = intervals(out);
  assert.ok(summary.put.records.accepted > 0);
  assert.equal(summary.put.records.unfinished, 0, 'every record sent was answered within the stop grace');
  assert.equal(summary.put.records.sent, total(rows, 'records_sent'));
  assert.equal(summary.put.records.accepted, total(rows, 'records_accepted'));
});

test('a run in which the stream accepted nothing exits 1 with the reason, and keeps its results', async () => {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--limits',
    'none',
    '--inject-errors',
    '500=100%',
    '--retries',
    '0',
    '--rate',
    '50',
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    /run failed: the stream accepted none of the \d+ records sent in the measured phase \(\d+ failed, 0 unanswered\); results are in /,
  );
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.put.records.accepted, 0);
  assert.ok(summary.put.records.failed > 0);
});
