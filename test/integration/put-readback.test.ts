/**
 * kbench put against a real kinesalite through the real SDK; the stream is then read back
 * to prove that what kbench reports as accepted is exactly what the stream holds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { runTag } from '../../src/workload/record-header.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';
import { readWholeStream, type StoredRecord } from '../support/stream-reader.js';
import { startThrottlingProxy } from '../support/throttling-proxy.js';

let emulator: EmbeddedEmulator;
before(async () => {
  emulator = await startKinesalite();
});
after(async () => {
  await emulator.stop();
});

function ours(records: StoredRecord[], runId: string): StoredRecord[] {
  const tag = runTag(runId).toString('hex');
  return records.filter((r) => r.header?.runTag === tag);
}

function assertNoDuplicates(records: StoredRecord[]): void {
  const ids = new Set(records.map((r) => `${r.header?.producerId}/${r.header?.sequence}`));
  assert.equal(ids.size, records.length, 'every record is in the stream once');
}

function countByShard(records: StoredRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.shardId] = (counts[r.shardId] ?? 0) + 1;
  return counts;
}

async function readBack(streamName: string): Promise<StoredRecord[]> {
  const client = createKinesisClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 4,
  });
  try {
    return await readWholeStream(client, streamName);
  } finally {
    client.destroy();
  }
}

for (const shards of [1, 3]) {
  test(`${shards} shard(s): the stream holds exactly the records kbench reports as accepted, per shard`, async () => {
    const out = tempDir();
    const runId = `readback-${shards}-${Date.now()}`;
    const result = await runKbench([
      'put',
      '--endpoint',
      emulator.endpoint,
      '--shards',
      String(shards),
      '--keep-stream',
      '--run-id',
      runId,
      '--duration',
      '2s',
      '--warmup',
      '0s',
      '--batch',
      shards === 1 ? '1' : '25',
      '--concurrency',
      '8',
      '--out',
      out,
      '--quiet',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '', 'nothing on stderr when all goes well');
    const summary = readJson(path.join(out, 'summary.json'));
    const stored = ours(await readBack(summary.stream.name), runId);

    assert.ok(summary.put.records.accepted > 100, 'the run wrote something');
    assert.equal(stored.length, summary.put.records.accepted);
    assertNoDuplicates(stored);
    assert.equal(summary.stream.shards, shards);
    const perShard = Object.fromEntries(
      Object.entries(summary.put.per_shard).map(([id, s]: [string, any]) => [id, s.accepted]),
    );
    assert.deepEqual(perShard, countByShard(stored));
    assert.equal(
      summary.put.records.sent,
      summary.put.records.accepted + summary.put.records.failed + summary.put.records.unfinished,
    );
    // The rate is throughput: records acknowledged during the phase, per second of it.
    assert.ok(
      Math.abs(summary.put.records_per_s - summary.put.records.accepted_in_phase / summary.phases.measured_s) < 0.01,
    );
    assert.ok(
      summary.put.records.accepted_in_phase <= summary.put.records.accepted,
      'with no warmup, only answers after the end fall out',
    );

    // The other files exist and parse.
    const intervals = parse(readFileSync(path.join(out, 'intervals.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    assert.ok(intervals.length >= 2);
    const intervalAccepted = intervals.reduce((sum, row) => sum + Number(row['records_accepted']), 0);
    assert.equal(intervalAccepted, stored.length, 'intervals.csv accounts for every accepted record');
    const latency = parse(readFileSync(path.join(out, 'latency.csv')), { columns: true }) as Record<string, string>[];
    assert.deepEqual([...new Set(latency.map((r) => r['histogram']))], ['put_request', 'put_record']);
    for (const log of ['put-request-latency.hlog', 'put-record-latency.hlog']) {
      const lines = readFileSync(path.join(out, log), 'utf8')
        .split('\n')
        .filter((l) => /^\d/.test(l));
      assert.equal(lines.length, intervals.length, `${log} has a histogram per interval`);
    }
  });
}

test('with a warmup, the stream holds warmup and measured records; the summary counts only the measured ones', async () => {
  const out = tempDir();
  const runId = `warmup-${Date.now()}`;
  const result = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--keep-stream',
    '--run-id',
    runId,
    '--rate',
    '200',
    '--duration',
    '2s',
    '--warmup',
    '1s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  const stored = ours(await readBack(summary.stream.name), runId);
  const intervals = parse(readFileSync(path.join(out, 'intervals.csv')), { columns: true }) as Record<string, string>[];
  assert.equal(
    intervals.reduce((sum, row) => sum + Number(row['records_accepted']), 0),
    stored.length,
  );
  assert.deepEqual([...new Set(intervals.map((r) => r['phase']))].slice(0, 2), ['warmup', 'measure']);
  // A fixed rate of 200 records/s over 2 measured seconds: exactly 400 due, all accepted.
  // A client too busy to keep the schedule sends fewer (nothing overdue goes out after the
  // phase), and says it is client-bound.
  if (!summary.client.client_bound) assert.equal(summary.put.records.sent, 400);
  assert.ok(summary.put.records.sent <= 400);
  assert.equal(summary.put.records.accepted, summary.put.records.sent);
  // Throughput by acknowledgement time: within a record or two of the schedule.
  assert.ok(Math.abs(summary.put.records_per_s - 200) <= 2, `${summary.put.records_per_s} records/s`);
  assert.ok(stored.length >= 400 + 150, `warmup records are in the stream too (${stored.length})`);
});

for (const batch of [1, 10]) {
  test(`batch ${batch}: throttled records are retried, counted as throttled, and written exactly once`, async () => {
    const proxy = await startThrottlingProxy(emulator.endpoint);
    try {
      const out = tempDir();
      const runId = `throttle-${batch}-${Date.now()}`;
      const result = await runKbench([
        'put',
        '--endpoint',
        proxy.endpoint,
        '--keep-stream',
        '--run-id',
        runId,
        '--batch',
        String(batch),
        '--concurrency',
        '4',
        '--duration',
        '1500ms',
        '--warmup',
        '0s',
        '--retry-backoff',
        '5ms',
        '--out',
        out,
        '--quiet',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const summary = readJson(path.join(out, 'summary.json'));
      const { records, requests } = summary.put;
      const stored = ours(await readBack(summary.stream.name), runId);
      assert.ok(records.throttled > 0);
      assert.equal(records.throttled, proxy.stats.throttledRecords, 'every throttled attempt is counted');
      assert.equal(records.retried, records.throttled, 'each throttled record was retried');
      assert.equal(records.failed, 0);
      assert.equal(records.accepted, records.sent);
      assert.equal(stored.length, records.accepted, 'the stream holds exactly the accepted records');
      assertNoDuplicates(stored);
      if (batch === 1) assert.equal(requests.throttled, records.throttled, 'PutRecord: throttled as HTTP 400');
      else assert.equal(requests.throttled, 0, 'PutRecords: throttled inside 200 answers');
      assert.ok(
        summary.put.throttled_pct > 20 && summary.put.throttled_pct < 40,
        `about a third of attempts: ${summary.put.throttled_pct}`,
      );
    } finally {
      await proxy.close();
    }
  });
}

test('with --retries 0 a throttled record counts as failed, never as accepted', async () => {
  const proxy = await startThrottlingProxy(emulator.endpoint);
  try {
    const out = tempDir();
    const runId = `noretry-${Date.now()}`;
    const result = await runKbench([
      'put',
      '--endpoint',
      proxy.endpoint,
      '--keep-stream',
      '--run-id',
      runId,
      '--batch',
      '20',
      '--retries',
      '0',
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
    const { records } = summary.put;
    const stored = ours(await readBack(summary.stream.name), runId);
    assert.equal(records.failed, records.throttled);
    assert.equal(records.accepted + records.failed, records.sent);
    assert.equal(stored.length, records.accepted);
  } finally {
    await proxy.close();
  }
});
