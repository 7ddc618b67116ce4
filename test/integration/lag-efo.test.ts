/**
 * kbench lag with enhanced fan-out consumers against a real kinesis-mock (the emulator that
 * has SubscribeToShard) through the real SDK: every record received, subscriptions that end
 * are renewed without loss, and registered consumers are deregistered, Ctrl-C included.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DescribeStreamSummaryCommand, ListStreamConsumersCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/target/client.js';
import { startEmulator, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { childPids, isAlive, readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';
import { assertExactlyOnce, columnSum, intervalRows } from '../support/lag-results.js';
import { startSubscriptionCuttingProxy } from '../support/subscription-cutting-proxy.js';

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

async function registeredConsumers(streamName: string): Promise<string[]> {
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const answer = await client.send(
    new ListStreamConsumersCommand({ StreamARN: summary.StreamDescriptionSummary?.StreamARN }),
  );
  return (answer.Consumers ?? []).filter((c) => c.ConsumerStatus !== 'DELETING').map((c) => c.ConsumerName ?? '');
}

test('efo on 2 shards, 2 consumer threads: every record received once over SubscribeToShard; the consumer is deregistered at the end', async () => {
  const out = tempDir();
  const runId = `efo-${Date.now()}`;
  const result = await runKbench([
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--consumer',
    'efo',
    '--shards',
    '2',
    '--workers',
    '2',
    '--keep-stream',
    '--run-id',
    runId,
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
  assert.equal(lag.poll_interval_ms, null);
  assertExactlyOnce(lag);
  assert.ok(lag.latency_ms.count > 0 && lag.latency_ms.min > 0);
  assert.ok(lag.reads.reads > 0, 'events were pushed');
  // One consumer registered on the main thread, subscribed to a shard from each thread.
  assert.deepEqual(
    lag.per_worker.map((t: { shards: string[] }) => t.shards),
    [['shardId-000000000000'], ['shardId-000000000001']],
  );
  for (const shard of Object.values<any>(lag.per_shard)) assert.ok(shard.reads > 0);
  assert.equal(lag.consumers_deregistered, true);
  assert.deepEqual(await registeredConsumers(summary.stream.name), [], 'no consumer left registered');
  assert.match(result.stdout, /efo \(enhanced fan-out\) · SubscribeToShard over HTTP\/1\.1/);
});

test('efo: subscriptions that end (as they do after 5 minutes) are renewed where they stopped: nothing lost, nothing twice', async () => {
  const proxy = await startSubscriptionCuttingProxy(emulator.endpoint, 1500);
  try {
    const out = tempDir();
    const result = await runKbench([
      'lag',
      '--endpoint',
      proxy.endpoint,
      '--consumer',
      'efo',
      '--shards',
      '1',
      '--rate',
      '40',
      '--duration',
      '3s',
      '--warmup',
      '0s',
      '--drain',
      '15s',
      '--out',
      out,
      '--quiet',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { lag } = readJson(path.join(out, 'summary.json'));
    assertExactlyOnce(lag);
    // kinesis-mock, like the service, refuses to replace a subscription younger than 5 s:
    // kbench waits until it may, so each cut is followed by one resubscription.
    const resubscribed = columnSum(intervalRows(out), 'resubscriptions');
    assert.ok(proxy.stats.cut >= 1, `subscriptions cut: ${proxy.stats.cut}`);
    assert.ok(
      resubscribed >= 1 && resubscribed <= proxy.stats.cut,
      `resubscribed ${resubscribed} after ${proxy.stats.cut} cuts`,
    );
  } finally {
    await proxy.close();
  }
});

test('efo, Ctrl-C: producers stop, results are marked interrupted, the consumer is deregistered, exit 130', async () => {
  const out = tempDir();
  const runId = `efo-int-${Date.now()}`;
  const run = startKbench([
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--consumer',
    'efo',
    '--keep-stream',
    '--run-id',
    runId,
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
  run.child.kill('SIGINT');
  const result = await run.result;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /run stopped early: interrupted by SIGINT/);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  assert.ok(summary.phases.measured_s < 30);
  assert.ok(summary.lag.records.produced > 0);
  assert.equal(summary.lag.consumers_deregistered, true);
  assert.deepEqual(await registeredConsumers(`kbench-${runId}`), []);
});

test('--emulator kinesis-mock: kbench embeds it, and it does not outlive kbench killed outright', async () => {
  const out = tempDir();
  const run = startKbench([
    'lag',
    '--emulator',
    'kinesis-mock',
    '--rate',
    '20',
    '--duration',
    '60s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(() => intervalRows(out).length >= 1, 30_000, 'an interval written');
  const [emulatorPid] = childPids(run.child.pid!);
  assert.ok(emulatorPid, 'kbench runs kinesis-mock as its child');
  run.child.kill('SIGKILL');
  await run.result;
  await waitFor(() => !isAlive(emulatorPid!), 5000, 'the orphaned kinesis-mock to exit');
});
