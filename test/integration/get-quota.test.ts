/**
 * GetRecords against the read quotas, through the real SDK: polling one shard at 10
 * calls/s (twice its 5 calls/s quota) gets about half the calls throttled, and reading
 * on from the same iterator after a throttle loses and repeats nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { AWS_SHARD_QUOTA } from '../../src/config/quota-values.js';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { createStream } from '../../src/target/stream.js';
import { classifyRequestError } from '../../src/workload/put-errors.js';

let emulator: EmbeddedEmulator;
let client: KinesisClient;
before(async () => {
  // Writes 10 MiB/s so the test can fill a stream fast; reads as on AWS.
  emulator = await startKinesalite({ layer: { quota: { ...AWS_SHARD_QUOTA, writeMibPerS: 10 }, faults: {} } });
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

const sleepUntil = (t: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, t - performance.now())));

async function firstIterator(stream: string): Promise<string> {
  const answer = await client.send(
    new GetShardIteratorCommand({
      StreamName: stream,
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  return answer.ShardIterator ?? assert.fail('no iterator');
}

test('GetRecords at 10 calls/s on one shard: about half throttled (HTTP 400), and no record lost or read twice', async () => {
  await createStream(client, 'polled', 1);
  const written = Array.from({ length: 200 }, (_, i) => `record-${i}`);
  const put = await client.send(
    new PutRecordsCommand({
      StreamName: 'polled',
      Records: written.map((text) => ({ PartitionKey: text, Data: Buffer.from(text) })),
    }),
  );
  assert.equal(put.FailedRecordCount, 0);

  let iterator = await firstIterator('polled');
  const read: string[] = [];
  const counts = { warmup: { ok: 0, throttled: 0 }, measured: { ok: 0, throttled: 0 } };
  const start = performance.now();
  // 1 s to use up the burst (5 saved-up calls), then 3 s measured, one call every 100 ms.
  for (let call = 0; call < 40; call++) {
    await sleepUntil(start + call * 100);
    const phase = call < 10 ? counts.warmup : counts.measured;
    try {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 3 }));
      for (const record of page.Records ?? []) read.push(Buffer.from(record.Data ?? []).toString());
      iterator = page.NextShardIterator ?? assert.fail('the shard is open');
      phase.ok += 1;
    } catch (error) {
      assert.equal((error as Error).name, 'ProvisionedThroughputExceededException');
      assert.equal((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 400);
      assert.equal(classifyRequestError(error), 'throttled');
      phase.throttled += 1; // the same iterator is used again: nothing is skipped
    }
  }
  const elapsedS = (performance.now() - start) / 1000;
  const measured = counts.measured.ok + counts.measured.throttled;
  const share = counts.measured.throttled / measured;
  assert.ok(
    share >= 0.35 && share <= 0.65,
    `about half of the measured calls throttled: ${counts.measured.throttled} of ${measured}`,
  );
  const served = counts.warmup.ok + counts.measured.ok;
  assert.ok(
    served <= 5 + 5 * elapsedS + 1,
    `never more than the burst plus 5 calls/s: ${served} in ${elapsedS.toFixed(1)} s`,
  );

  // Read on at a pace the quota allows, until the shard is drained.
  while (read.length < written.length) {
    await sleepUntil(performance.now() + 250);
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
    for (const record of page.Records ?? []) read.push(Buffer.from(record.Data ?? []).toString());
    iterator = page.NextShardIterator ?? assert.fail('the shard is open');
  }
  assert.deepEqual(read, written, 'every record, once, in order');
});

test('GetRecords bytes quota: an answer larger than 2 MiB throttles the calls after it until the debt is paid', async () => {
  await createStream(client, 'big', 1);
  const record = Buffer.alloc(500 * 1024, 7);
  for (let i = 0; i < 6; i++) {
    const answer = await client.send(
      new PutRecordsCommand({ StreamName: 'big', Records: [{ PartitionKey: `k${i}`, Data: record }] }),
    );
    assert.equal(answer.FailedRecordCount, 0);
  }
  const first = await client.send(new GetRecordsCommand({ ShardIterator: await firstIterator('big') }));
  assert.equal(first.Records?.length, 6, '3 MiB in one answer: 1 MiB more than the 2 MiB saved up');
  const next = first.NextShardIterator ?? assert.fail('the shard is open');
  // Calls are not the limit (1 of 5 used); the bytes are: the debt takes 0.5 s to pay back.
  await assert.rejects(client.send(new GetRecordsCommand({ ShardIterator: next })), {
    name: 'ProvisionedThroughputExceededException',
  });
  await sleepUntil(performance.now() + 1000);
  const after = await client.send(new GetRecordsCommand({ ShardIterator: next }));
  assert.equal(after.Records?.length, 0);
});
