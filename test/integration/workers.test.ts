/** Load spread over worker threads: the schedule is kept in total, and kbench watches itself. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { runTag } from '../../src/workload/record-header.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';
import { readWholeStream } from '../support/stream-reader.js';
import { assertExactlyOnce, columnSum, intervalRows } from '../support/lag-results.js';
import { acceptedInAllIntervals } from '../support/readback.js';

let emulator: EmbeddedEmulator;
before(async () => {
  emulator = await startKinesalite();
});
after(async () => {
  await emulator.stop();
});

test('--rate 1000 --workers 4 sends 1,000 records/s in total, from four producers', async () => {
  const out = tempDir();
  const runId = `workers-${Date.now()}`;
  const result = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--rate',
    '1000',
    '--workers',
    '4',
    '--duration',
    '3s',
    '--warmup',
    '2s',
    '--keep-stream',
    '--run-id',
    runId,
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.client.workers, 4);
  // The schedule is fixed: 3,000 records are due in the 3 measured seconds, and sent unless
  // the machine could not keep four threads going (a 2-core box shared with other tests):
  // what is overdue at the end is never sent, and kbench must then say its figures are the
  // client's. Throughput (what the stream acknowledged during them) holds to it within 10 %.
  if (!summary.client.client_bound) assert.equal(summary.put.records.sent, 3000);
  assert.ok(summary.put.records.sent <= 3000);
  assert.equal(summary.put.records.accepted, summary.put.records.sent);
  // Throughput counts the acknowledgements that arrive in the measured phase, so it includes
  // the answers to the 2,000 records due in the warmup that were not yet acknowledged when
  // it ended (in flight, or overdue on a busy machine): those are taken out before comparing.
  const warmup = intervalRows(out).filter((row) => row['phase'] === 'warmup');
  const warmupBacklog = 2000 - columnSum(warmup, 'records_accepted');
  const rate = (summary.put.records_per_s * 3 - warmupBacklog) / 3;
  if (Math.abs(rate - 1000) > 100) {
    assert.equal(
      summary.client.client_bound,
      true,
      `${rate} records/s, off the schedule, without the client-bound warning`,
    );
  }

  const client = createKinesisClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 2,
  });
  const stored = (await readWholeStream(client, summary.stream.name)).filter(
    (r) => r.header?.runTag === runTag(runId).toString('hex'),
  );
  client.destroy();
  assert.equal(stored.length, acceptedInAllIntervals(out), 'warmup and measured phase: everything accepted is stored');
  if (!summary.client.client_bound) assert.equal(stored.length, 5000, '5 s at 1,000 records/s');
  const perProducer = new Map<number, Set<number>>();
  for (const r of stored) {
    const seqs = perProducer.get(r.header!.producerId) ?? new Set<number>();
    seqs.add(r.header!.sequence);
    perProducer.set(r.header!.producerId, seqs);
  }
  assert.deepEqual([...perProducer.keys()].sort(), [0, 1, 2, 3], 'one producer id per worker');
  const sizes = [...perProducer.values()].map((seqs) => seqs.size);
  assert.equal(
    sizes.reduce((a, b) => a + b, 0),
    stored.length,
    'each record once',
  );
  if (!summary.client.client_bound) assert.deepEqual(sizes, [1250, 1250, 1250, 1250], 'each worker sent its quarter');
});

test('kbench lag --workers 2 --shards 3: producers and consumers on two threads each, one clock; every record received once, lag plausible', async () => {
  const out = tempDir();
  const result = await runKbench([
    'lag',
    '--shards',
    '3',
    '--rate',
    '200',
    '--workers',
    '2',
    '--poll-interval',
    '200ms',
    '--duration',
    '2s',
    '--warmup',
    '500ms',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.target.kind, 'embedded');
  assert.equal(summary.client.workers, 2);
  assert.equal(summary.client.consumer_workers, 2);
  if (!summary.client.client_bound) assert.equal(summary.put.records.sent, 400, 'the total schedule is unchanged');
  assertExactlyOnce(summary.lag);
  // The three shards' readers are split over the two consumer threads, each shard read by one.
  const threads: Array<{ shards: string[]; readers: number }> = summary.lag.per_worker;
  assert.equal(threads.length, 2);
  assert.deepEqual(threads.map((t) => t.readers).sort(), [1, 2]);
  assert.deepEqual(threads.flatMap((t) => t.shards).sort(), Object.keys(summary.lag.per_shard).sort());
  assert.equal(new Set(threads.flatMap((t) => t.shards)).size, 3);
  // Skew-free: records stamped on producer threads and received on consumer threads share
  // one clock, so no lag is negative and none is below the write path's own latency.
  assert.ok(summary.lag.latency_ms.min > 0, `lag min ${summary.lag.latency_ms.min} ms`);
  assert.ok(summary.lag.latency_ms.p50 < 200 + 300, `p50 ${summary.lag.latency_ms.p50} ms`);
  assert.match(result.stdout, /client {4}lean client · 2 producer workers \+ 2 consumer workers/);
});

test('a light run is not client-bound', async () => {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--rate',
    '50',
    '--workers',
    '1',
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
  assert.equal(summary.client.client_bound, false, JSON.stringify(summary.client));
  assert.doesNotMatch(result.stdout, /client-bound/);
});

test('a generator asked for far more than it can send says it is client-bound, and what to do', async () => {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--rate',
    '50000',
    '--workers',
    '1',
    '--concurrency',
    '1000',
    '--duration',
    '2s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.client.client_bound, true);
  assert.ok(
    summary.client.client_bound_reasons.some((r: string) => /schedule fell \d+ ms behind/.test(r)),
    summary.client.client_bound_reasons.join('; '),
  );
  assert.match(summary.client.client_bound_advice, /add --workers/);
  assert.match(result.stdout, /WARNING\s+client-bound: the figures above measure kbench, not the stream/);
});

test('more workers than requests in flight is a usage error', async () => {
  const result = await runKbench(['put', '--workers', '4', '--concurrency', '2']);
  assert.equal(result.code, 2);
  assert.match(result.stderr.trim(), /^kbench: --workers: 4 workers need --concurrency of at least 4/);
});
