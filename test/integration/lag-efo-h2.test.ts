/**
 * kbench lag --consumer efo over HTTP/2 end to end, as against AWS: SubscribeToShard goes
 * through the SDK's HTTP/2 handler (the one kbench uses for AWS) to an h2c front that
 * relays to a real kinesis-mock. Every record arrives once, also when the front cuts
 * subscriptions mid-run (cleanly, or with an RST_STREAM) and when shards are split and
 * merged mid-run.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { splitThenMerge } from '../support/resharding.js';
import { after, before, test } from 'node:test';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/target/client.js';
import { startEmulator, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';
import { assertExactlyOnce, columnSum, intervalRows } from '../support/lag-results.js';
import { startH2cFront, type H2cFront } from '../support/h2c-front.js';

let emulator: EmbeddedEmulator;
let client: KinesisClient;
before(async () => {
  emulator = await startEmulator('kinesis-mock');
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

/** Every subscription went over HTTP/2, none over HTTP/1.1. */
function assertHttp2Only(front: H2cFront, atLeast: number): void {
  assert.ok(front.stats.subscriptions >= atLeast, `subscriptions over HTTP/2: ${front.stats.subscriptions}`);
  assert.equal(front.stats.http1Subscriptions, 0, 'no SubscribeToShard over HTTP/1.1');
}

test('--efo-http 2 through an h2c front: 2 shards on 2 threads, every record received once, lag figures present, efo_http recorded', async () => {
  const front = await startH2cFront(emulator.endpoint);
  try {
    const out = tempDir();
    const result = await runKbench([
      'lag',
      '--endpoint',
      front.endpoint,
      '--consumer',
      'efo',
      '--efo-http',
      '2',
      '--shards',
      '2',
      '--workers',
      '2',
      '--rate',
      '40',
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
    assert.equal(result.stderr, '');
    const summary = readJson(path.join(out, 'summary.json'));
    const { lag } = summary;
    assert.equal(lag.consumer, 'efo');
    assert.equal(lag.efo_http, '2');
    assert.equal(summary.options.efo_http, '2');
    assertExactlyOnce(lag);
    assert.ok(lag.latency_ms.count > 0 && lag.latency_ms.min > 0 && lag.latency_ms.p99 >= lag.latency_ms.p50);
    assert.ok(lag.reads.reads > 0, 'events were pushed');
    for (const shard of Object.values<any>(lag.per_shard)) assert.ok(shard.reads > 0);
    assert.equal(lag.consumers_deregistered, true);
    assertHttp2Only(front, 2);
    assert.match(result.stdout, /efo \(enhanced fan-out\) · SubscribeToShard over HTTP\/2/);
  } finally {
    await front.close();
  }
});

for (const mode of ['end', 'reset'] as const) {
  test(`--efo-http 2, subscriptions cut mid-run (${mode === 'end' ? 'ended cleanly' : 'RST_STREAM'}): renewed where they stopped, nothing lost, nothing twice`, async () => {
    const front = await startH2cFront(emulator.endpoint, { cutAfterMs: 1500, cutMode: mode });
    try {
      const out = tempDir();
      const result = await runKbench([
        'lag',
        '--endpoint',
        front.endpoint,
        '--consumer',
        'efo',
        '--efo-http',
        '2',
        '--shards',
        '1',
        '--rate',
        '40',
        '--duration',
        '4s',
        '--warmup',
        '0s',
        '--drain',
        '20s',
        '--out',
        out,
        '--quiet',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const { lag } = readJson(path.join(out, 'summary.json'));
      assertExactlyOnce(lag);
      assert.ok(lag.latency_ms.count > 0);
      const resubscribed = columnSum(intervalRows(out), 'resubscriptions');
      assert.ok(front.stats.cut >= 1, `subscriptions cut: ${front.stats.cut}`);
      assert.ok(
        resubscribed >= 1 && resubscribed <= front.stats.cut,
        `resubscribed ${resubscribed} after ${front.stats.cut} cuts`,
      );
      // A reset subscription is a failed read (counted, retried). After either kind of cut
      // kinesis-mock may hold the old subscription for some seconds and refuse the next one
      // (ResourceInUseException): such refusals count as read errors too.
      if (mode === 'reset') {
        const errors = columnSum(intervalRows(out), 'read_errors');
        assert.ok(errors >= 1, `read errors ${errors} after ${front.stats.cut} resets`);
      }
      assertHttp2Only(front, 2);
    } finally {
      await front.close();
    }
  });
}

// kinesis-mock never ends a closed shard's subscription (the service ends it naming the
// children): the readers learn of the closing from ListShards. Over HTTP/2 through the
// front, and over HTTP/1.1 straight to kinesis-mock (kbench's default against it).
for (const http of ['2', '1.1'] as const) {
  test(`efo over HTTP/${http}, resharding mid-run: closed parents read to their end, then their children; nothing lost, nothing twice`, async () => {
    const front = await startH2cFront(emulator.endpoint);
    try {
      const out = tempDir();
      const runId = `efo-reshard-${http}-${Date.now()}`;
      const streamName = `kbench-${runId}`;
      const endpoint =
        http === '2' ? ['--endpoint', front.endpoint, '--efo-http', '2'] : ['--endpoint', emulator.endpoint];
      const run = startKbench([
        'lag',
        ...endpoint,
        '--consumer',
        'efo',
        '--shards',
        '2',
        '--workers',
        '2',
        '--run-id',
        runId,
        '--rate',
        '40',
        '--duration',
        '8s',
        '--warmup',
        '0s',
        '--drain',
        '20s',
        '--out',
        out,
        '--quiet',
      ]);
      await waitFor(() => intervalRows(out).length >= 1, 30_000, 'an interval written');
      await splitThenMerge(client, streamName);
      const result = await run.result;
      assert.equal(result.code, 0, result.stderr);
      const { lag } = readJson(path.join(out, 'summary.json'));
      // Records written after the split are only in the children: every one arrived.
      assertExactlyOnce(lag);
      const threads: Array<{ shards: string[] }> = lag.per_worker;
      const reader = (shardId: string): number => threads.findIndex((t) => t.shards.includes(shardId));
      for (const child of ['shardId-000000000002', 'shardId-000000000003']) {
        assert.equal(reader(child), reader('shardId-000000000000'), `${child} is read by its parent's thread`);
      }
      assert.equal(
        threads.filter((t) => t.shards.includes('shardId-000000000004')).length,
        1,
        'the merged child is read by one thread',
      );
      if (http === '2') assertHttp2Only(front, 5);
      else assert.equal(front.stats.requests + front.stats.http1Requests, 0);
    } finally {
      await front.close();
    }
  });
}

test('--efo-http 2, Ctrl-C: the HTTP/2 subscriptions end, results are marked interrupted, the consumer is deregistered, exit 130', async () => {
  const front = await startH2cFront(emulator.endpoint);
  try {
    const out = tempDir();
    const run = startKbench([
      'lag',
      '--endpoint',
      front.endpoint,
      '--consumer',
      'efo',
      '--efo-http',
      '2',
      '--shards',
      '2',
      '--rate',
      '40',
      '--duration',
      '60s',
      '--warmup',
      '0s',
      '--out',
      out,
      '--quiet',
    ]);
    await waitFor(() => intervalRows(out).length >= 2, 30_000, 'two intervals written');
    const stopped = Date.now();
    run.child.kill('SIGINT');
    const result = await run.result;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /run stopped early: interrupted by SIGINT/);
    // Open HTTP/2 sessions keep no thread alive: the stop drain is 2 s, then deregistering and deleting the stream.
    assert.ok(Date.now() - stopped < 30_000, `exited ${Date.now() - stopped} ms after SIGINT`);
    const summary = readJson(path.join(out, 'summary.json'));
    assert.equal(summary.interrupted, true);
    assert.equal(summary.lag.efo_http, '2');
    assert.ok(summary.lag.records.produced > 0);
    assert.equal(summary.lag.consumers_deregistered, true);
    assertHttp2Only(front, 2);
  } finally {
    await front.close();
  }
});

test('--efo-http only applies to --consumer efo; a version other than 1.1 or 2, or 2 on the embedded kinesis-mock, is refused (exit 2, one line)', async () => {
  const polling = await runKbench(['lag', '--endpoint', emulator.endpoint, '--efo-http', '2', '--duration', '1s']);
  assert.equal(polling.code, 2);
  assert.equal(polling.stderr.trim(), 'kbench: --efo-http only applies to --consumer efo');
  const bad = await runKbench([
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--consumer',
    'efo',
    '--efo-http',
    '3',
    '--duration',
    '1s',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--efo-http/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  // The embedded kinesis-mock never starts a subscription over HTTP/2: refused before anything starts.
  const embedded = await runKbench([
    'lag',
    '--emulator',
    'kinesis-mock',
    '--consumer',
    'efo',
    '--efo-http',
    '2',
    '--duration',
    '1s',
  ]);
  assert.equal(embedded.code, 2);
  assert.equal(
    embedded.stderr.trim(),
    'kbench: --efo-http: 2 does not work with the embedded kinesis-mock, which serves SubscribeToShard over HTTP/1.1 only: leave it out, or give an --endpoint with an HTTP/2 front',
  );
});
