/**
 * kbench lag with polling consumers against a real kinesalite through the real SDK: every
 * record the stream accepted is received exactly once, lag is plausible for the poll
 * interval, throttled reads and expired iterators lose nothing, resharding does not stop
 * the consumers (on one thread or across two), foreign records are counted apart, and
 * stops (a fatal read, Ctrl-C, the target lost) reach every thread.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitThenMerge, waitForActive } from '../support/resharding.js';
import { after, before, test } from 'node:test';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { parse } from 'csv-parse/sync';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { HEADER_BYTES } from '../../src/config/record-header-size.js';
import { runTag, writeHeaderPrefix, writeHeaderStamp } from '../../src/workload/record-header.js';
import { childPids, isAlive, readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';
import { assertExactlyOnce, columnSum, hlogLines, intervalRows } from '../support/lag-results.js';
import { startReadFaultProxy } from '../support/read-fault-proxy.js';
import { readWholeStream } from '../support/stream-reader.js';

let emulator: EmbeddedEmulator;
let client: KinesisClient;
before(async () => {
  emulator = await startKinesalite();
  client = createKinesisClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 4,
  });
});
after(async () => {
  client.destroy();
  await emulator.stop();
});

const POLL_MS = 200;

// One shard on the embedded target kbench starts itself; three on a kinesalite the test
// started, so that the stream can be read back afterwards.
for (const shards of [1, 3]) {
  test(`${shards} shard(s), ${POLL_MS} ms polling: every record received exactly once, lag plausible for the poll interval`, async () => {
    const out = tempDir();
    const runId = `lag-${shards}-${Date.now()}`;
    const embedded = shards === 1;
    const result = await runKbench([
      'lag',
      ...(embedded ? [] : ['--endpoint', emulator.endpoint, '--keep-stream']),
      '--shards',
      String(shards),
      '--run-id',
      runId,
      '--poll-interval',
      `${POLL_MS}ms`,
      '--duration',
      '2s',
      '--warmup',
      '0s',
      '--out',
      out,
      '--quiet',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '', 'nothing on stderr when all goes well');
    const summary = readJson(path.join(out, 'summary.json'));
    const { lag, put } = summary;
    assert.equal(summary.command, 'lag');
    assert.equal(lag.consumer, 'polling');
    assert.equal(lag.poll_interval_ms, POLL_MS);
    assertExactlyOnce(lag);
    assert.equal(lag.records.foreign, 0);

    if (embedded) {
      assert.equal(summary.target.kind, 'embedded');
      assert.equal(summary.stream.deleted, true);
    } else {
      // What the consumers received is what the stream holds.
      const tag = runTag(runId).toString('hex');
      const stored = (await readWholeStream(client, summary.stream.name)).filter((r) => r.header?.runTag === tag);
      assert.equal(stored.length, lag.records.produced);
    }
    assert.equal(put.records.accepted, lag.records.produced, 'no warmup: the measured phase is the whole run');

    // Lag: present, positive, and around half the poll interval (a record waits for the next call).
    const latency = lag.latency_ms;
    assert.ok(latency.count > 0 && latency.count <= lag.records.received, `lag samples: ${latency.count}`);
    assert.ok(latency.min > 0, `no negative or zero lag: min ${latency.min}`);
    assert.ok(
      latency.p50 > 0 && latency.p50 < POLL_MS + 300,
      `p50 ${latency.p50} ms below the poll interval plus a margin`,
    );
    assert.ok(
      latency.p50 <= latency.p90 &&
        latency.p90 <= latency.p99 &&
        latency.p99 <= latency.p999 &&
        latency.p999 <= latency.max,
    );
    assert.deepEqual(lag.server_clock_figures, ['put_to_arrival_ms', 'arrival_to_receive_ms']);
    assert.ok(lag.put_to_arrival_ms.count > 0 && lag.arrival_to_receive_ms.count > 0);

    // Reads: never more often than the poll interval allows, on every shard.
    assert.equal(Object.keys(lag.per_shard).length, shards);
    // The readers are spread over min(--workers, readers) consumer threads, each shard read by one.
    assert.equal(summary.client.consumer_workers, Math.min(summary.client.workers, shards));
    assert.deepEqual(
      lag.per_worker.flatMap((t: { shards: string[] }) => t.shards).sort(),
      Object.keys(lag.per_shard).sort(),
    );
    for (const [shardId, reads] of Object.entries<any>(lag.per_shard)) {
      assert.ok(reads.reads > 0, `${shardId} was read`);
      assert.ok(reads.reads_per_s <= 1000 / POLL_MS + 1, `${shardId}: ${reads.reads_per_s} GetRecords calls/s`);
      assert.equal(reads.throttled, 0);
    }

    // The files: one interval row and one histogram per interval, every delivery in the rows.
    const rows = intervalRows(out);
    assert.ok(rows.length >= 2);
    assert.equal(columnSum(rows, 'records_received'), lag.records.received);
    assert.equal(columnSum(rows, 'records_accepted'), lag.records.produced);
    for (const log of [
      'put-request-latency.hlog',
      'put-record-latency.hlog',
      'lag-latency.hlog',
      'lag-put-to-arrival.hlog',
      'lag-arrival-to-receive.hlog',
      'lag-millis-behind-latest.hlog',
    ]) {
      assert.equal(hlogLines(out, log), rows.length, `${log} has a histogram per interval`);
    }
    const latencyRows = parse(readFileSync(path.join(out, 'latency.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    assert.deepEqual(
      [...new Set(latencyRows.map((r) => r['histogram']))],
      ['put_request', 'put_record', 'lag', 'put_to_arrival', 'arrival_to_receive', 'millis_behind_latest'],
    );
    assert.match(result.stdout, /put -> get \(lag\)/);
    assert.match(result.stdout, /complete\s+every accepted record reached every consumer/);
  });
}

test('--consumers-per-shard 2: every record reaches each consumer once', async () => {
  const out = tempDir();
  const result = await runKbench([
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--shards',
    '2',
    '--consumers-per-shard',
    '2',
    '--poll-interval',
    '100ms',
    '--rate',
    '50',
    '--duration',
    '1500ms',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const { lag } = readJson(path.join(out, 'summary.json'));
  assertExactlyOnce(lag, 2);
  assert.equal(lag.consumers, 2);
  assert.equal(lag.per_consumer.length, 2);
  for (const consumer of lag.per_consumer) assert.equal(consumer.received, lag.records.produced);
  assert.equal(lag.latency_ms.count <= 2 * lag.records.produced, true);
});

test('throttled reads back off and expired iterators are renewed after the last record read: nothing lost, nothing twice', async () => {
  // Of every three GetRecords calls: the first finds its iterator expired, the second is
  // throttled, the third is answered. Call 1 is a reader's very first: nothing read yet.
  const proxy = await startReadFaultProxy(emulator.endpoint, {
    fault: (call) => (call % 3 === 1 ? 'expire' : call % 3 === 2 ? 'throttle' : 'forward'),
  });
  try {
    const out = tempDir();
    const shards = 2;
    const result = await runKbench([
      'lag',
      '--endpoint',
      proxy.endpoint,
      '--shards',
      String(shards),
      '--poll-interval',
      '100ms',
      '--duration',
      '2s',
      '--warmup',
      '0s',
      '--drain',
      '10s',
      '--out',
      out,
      '--quiet',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { lag } = readJson(path.join(out, 'summary.json'));
    assertExactlyOnce(lag);
    assert.ok(proxy.stats.throttled > 0 && proxy.stats.expired > 0);
    // Every fault kbench saw is counted (a call in flight when the consumers stop is abandoned).
    const rows = intervalRows(out);
    const throttled = columnSum(rows, 'reads_throttled');
    const renewed = columnSum(rows, 'iterators_renewed');
    assert.ok(
      throttled <= proxy.stats.throttled && throttled >= proxy.stats.throttled - shards,
      `throttled ${throttled} of ${proxy.stats.throttled}`,
    );
    assert.ok(
      renewed <= proxy.stats.expired && renewed >= proxy.stats.expired - shards,
      `renewed ${renewed} of ${proxy.stats.expired}`,
    );
    assert.equal(columnSum(rows, 'read_errors'), 0, 'throttling and expiry are not counted as errors');
    // ... and per shard in the summary (the measured phase).
    const perShard = Object.values<any>(lag.per_shard);
    assert.equal(
      perShard.reduce((sum, s) => sum + s.throttled, 0),
      lag.reads.throttled,
    );
    assert.ok(lag.reads.throttled > 0 && lag.reads.iterators_renewed > 0);
  } finally {
    await proxy.close();
  }
});

test('records that never arrive are a loud warning, and fail the run with --strict', async () => {
  const proxy = await startReadFaultProxy(emulator.endpoint, { fault: () => 'forward', dropRecords: 3 });
  try {
    const out = tempDir();
    const result = await runKbench([
      'lag',
      '--endpoint',
      proxy.endpoint,
      '--poll-interval',
      '100ms',
      '--rate',
      '50',
      '--duration',
      '1s',
      '--warmup',
      '0s',
      '--drain',
      '1s',
      '--strict',
      '--out',
      out,
      '--quiet',
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /WARNING: 3 of \d+ deliveries are MISSING/);
    assert.match(result.stderr, /run failed: --strict: 3 deliveries missing/);
    assert.equal(result.stderr.trim().split('\n').length, 2, 'one line each, no stack trace');
    const { lag } = readJson(path.join(out, 'summary.json'));
    assert.equal(lag.records.missing, 3);
    assert.equal(lag.records.received, lag.records.produced - 3);
    assert.equal(lag.complete, false);
    assert.match(result.stdout, /WARNING\s+3 of \d+ deliveries MISSING/);
  } finally {
    await proxy.close();
  }
});

test('resharding mid-run on two consumer threads: closed parents are read to their end, then their children, each by one thread; nothing lost, nothing twice', async () => {
  const out = tempDir();
  const runId = `reshard-${Date.now()}`;
  const streamName = `kbench-${runId}`;
  // Thread 0 reads shard 0, thread 1 shard 1 (hash keys [0, 2^127) and [2^127, 2^128)).
  const run = startKbench([
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--shards',
    '2',
    '--workers',
    '2',
    '--run-id',
    runId,
    '--poll-interval',
    '200ms',
    '--duration',
    '5s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(() => intervalRows(out).length >= 1, 20_000, 'an interval written');
  await splitThenMerge(client, streamName);
  const result = await run.result;
  assert.equal(result.code, 0, result.stderr);
  const { lag } = readJson(path.join(out, 'summary.json'));
  assertExactlyOnce(lag);
  for (const child of ['shardId-000000000002', 'shardId-000000000004']) {
    assert.ok(lag.per_shard[child]?.records > 0, `child ${child} was read`);
  }
  const threads: Array<{ shards: string[] }> = lag.per_worker;
  const reader = (shardId: string): number => threads.findIndex((t) => t.shards.includes(shardId));
  assert.equal(threads.length, 2);
  assert.notEqual(reader('shardId-000000000000'), reader('shardId-000000000001'));
  assert.equal(
    reader('shardId-000000000002'),
    reader('shardId-000000000000'),
    "a split child is read by its parent's thread",
  );
  assert.equal(
    reader('shardId-000000000003'),
    reader('shardId-000000000000'),
    "a split child is read by its parent's thread",
  );
  assert.equal(
    threads.filter((t) => t.shards.includes('shardId-000000000004')).length,
    1,
    'the merged child is read by one thread',
  );
});

test('a consumer that may not read (AccessDeniedException) stops the run on every thread: one-line reason, results kept', async () => {
  // GetRecords calls are answered until records have been read (whatever the machine's
  // load: counting calls let a slow producer be denied before it had produced anything);
  // then the stream refuses this consumer.
  let recordsRead = (): number => 0;
  const proxy = await startReadFaultProxy(emulator.endpoint, { fault: () => (recordsRead() > 0 ? 'deny' : 'forward') });
  recordsRead = () => proxy.stats.recordsRead;
  try {
    const out = tempDir();
    const started = Date.now();
    const result = await runKbench([
      'lag',
      '--endpoint',
      proxy.endpoint,
      '--shards',
      '2',
      '--workers',
      '2',
      '--poll-interval',
      '200ms',
      '--duration',
      '60s',
      '--warmup',
      '0s',
      '--out',
      out,
      '--quiet',
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /^kbench: run stopped early: GetRecords on shardId-00000000000[01]: AccessDeniedException: User: .* not authorized/m,
    );
    assert.ok(Date.now() - started < 30_000, 'the producers stopped with the consumers');
    const summary = readJson(path.join(out, 'summary.json'));
    assert.equal(summary.interrupted, true);
    assert.match(summary.interrupt_reason, /AccessDeniedException/);
    assert.ok(summary.phases.measured_s < 30);
    assert.ok(summary.lag.records.produced > 0, 'what was measured is kept');
    assert.ok(intervalRows(out).length >= 1);
  } finally {
    await proxy.close();
  }
});

test('--stream with foreign records: counted as foreign, left out of the figures, the run goes on', async () => {
  const streamName = `foreign-${Date.now()}`;
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
  await waitForActive(client, streamName, 10_000);
  const out = tempDir();
  const run = startKbench([
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--stream',
    streamName,
    '--poll-interval',
    '200ms',
    '--rate',
    '50',
    '--duration',
    '4s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(() => intervalRows(out).length >= 1, 20_000, 'an interval written');
  // 10 records without a header, and 10 with kbench's header from another run.
  const otherRun = Buffer.alloc(HEADER_BYTES);
  writeHeaderPrefix(otherRun, runTag('some-other-run'), 0);
  writeHeaderStamp(otherRun, 0, Date.now() * 1000);
  const records = [
    ...Array.from({ length: 10 }, (_, i) => ({ Data: Buffer.from(`not kbench ${i}`), PartitionKey: `k${i}` })),
    ...Array.from({ length: 10 }, (_, i) => ({ Data: otherRun, PartitionKey: `o${i}` })),
  ];
  await client.send(new PutRecordsCommand({ StreamName: streamName, Records: records }));
  const result = await run.result;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^kbench: 20 foreign records on stream foreign-\d+ .* counted as foreign/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.stream.created, false);
  assertExactlyOnce(summary.lag);
  assert.equal(summary.lag.records.foreign, 20);
  assert.equal(columnSum(intervalRows(out), 'records_foreign'), 20);
});

test('Ctrl-C: producers stop first, consumers drain briefly, results marked interrupted, stream deleted, emulator stopped, exit 130', async () => {
  const out = tempDir();
  // Two producer and two consumer threads: the stop reaches all of them.
  const run = startKbench([
    'lag',
    '--shards',
    '2',
    '--workers',
    '2',
    '--poll-interval',
    '200ms',
    '--duration',
    '60s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(() => intervalRows(out).length >= 2, 20_000, 'two intervals written');
  const [emulatorPid] = childPids(run.child.pid!);
  assert.ok(emulatorPid, 'kbench runs the emulator as its child');
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /run stopped early: interrupted by SIGINT/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  assert.equal(summary.stream.deleted, true);
  assert.ok(summary.phases.measured_s < 30, 'the measured phase ends at the interrupt');
  assert.ok(summary.lag.drain_s <= 2.5, `a brief drain: ${summary.lag.drain_s} s`);
  assert.ok(summary.lag.records.received > 0, 'what was measured is kept');
  assert.equal(
    summary.lag.records.received + summary.lag.records.missing,
    summary.lag.records.expected,
    'every delivery accounted for',
  );
  assert.equal(summary.client.consumer_workers, 2);
  assert.match(result.stdout, /INTERRUPTED/);
  await waitFor(() => !isAlive(emulatorPid!), 5000, 'the emulator to exit');
});

test('the target lost mid-run (the embedded emulator killed): every thread stops, results kept and marked interrupted, exit 1', async () => {
  const out = tempDir();
  const run = startKbench([
    'lag',
    '--shards',
    '2',
    '--workers',
    '2',
    '--poll-interval',
    '200ms',
    '--duration',
    '60s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(() => intervalRows(out).length >= 2, 20_000, 'two intervals written');
  const [emulatorPid] = childPids(run.child.pid!);
  process.kill(emulatorPid!, 'SIGKILL');
  const result = await run.result;
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /run stopped early: the embedded emulator \(kinesalite\) exited unexpectedly/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  assert.ok(summary.phases.measured_s < 30);
  assert.ok(summary.lag.records.received > 0, 'what was measured before the loss is kept');
  assert.ok(summary.lag.drain_s <= 2.5, `a brief drain: ${summary.lag.drain_s} s`);
});
