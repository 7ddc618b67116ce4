/**
 * What the AWS SDK receives from the quota layer: the same error shapes (status, __type,
 * message) as from the real service, so they surface under the same error names, and
 * kbench's classification (throttled / retryable) treats them as it treats AWS's.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { AWS_SHARD_QUOTA } from '../../src/config/quota-values.js';
import type { FaultSpec } from '../../src/config/fault-values.js';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { createStream } from '../../src/target/stream.js';
import { classifyRecordErrorCode, classifyRequestError, isConnectionError } from '../../src/workload/put-errors.js';

const emulators: EmbeddedEmulator[] = [];
const clients: KinesisClient[] = [];
after(async () => {
  for (const client of clients) client.destroy();
  await Promise.all(emulators.map((e) => e.stop()));
});

async function layered(quota: typeof AWS_SHARD_QUOTA | null, faults: FaultSpec = {}): Promise<KinesisClient> {
  const emulator = await startKinesalite({ layer: { quota, faults } });
  emulators.push(emulator);
  const client = createKinesisClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 4,
  });
  clients.push(client);
  return client;
}

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('the call was expected to fail');
}

const data = new Uint8Array(100);
let tight: KinesisClient;
before(async () => {
  // One write and one read per second, so the second call in a row is over quota.
  tight = await layered({
    writeRecordsPerS: 1,
    writeMibPerS: 1,
    readCallsPerS: 1,
    readMibPerS: 2,
    iteratorCallsPerS: 1,
  });
});

test('PutRecord over quota: HTTP 400 ProvisionedThroughputExceededException, worded as AWS words it', async () => {
  await createStream(tight, 'put-one', 1);
  await tight.send(new PutRecordCommand({ StreamName: 'put-one', PartitionKey: 'k', Data: data }));
  const error = await rejection(
    tight.send(new PutRecordCommand({ StreamName: 'put-one', PartitionKey: 'k', Data: data })),
  );
  assert.equal(error.name, 'ProvisionedThroughputExceededException');
  assert.equal(error.$metadata?.httpStatusCode, 400);
  assert.equal(
    error.message,
    'Rate exceeded for shard shardId-000000000000 in stream put-one under account 000000000000.',
  );
  assert.equal(classifyRequestError(error), 'throttled');
});

test('PutRecords over quota: HTTP 200, over-quota records carry ErrorCode and ErrorMessage, FailedRecordCount counts them', async () => {
  await createStream(tight, 'put-many', 1);
  const answer = await tight.send(
    new PutRecordsCommand({
      StreamName: 'put-many',
      Records: Array.from({ length: 4 }, (_, i) => ({ PartitionKey: `k${i}`, Data: data })),
    }),
  );
  assert.equal(answer.$metadata.httpStatusCode, 200);
  assert.equal(answer.FailedRecordCount, 3);
  const [first, ...rest] = answer.Records ?? [];
  assert.equal(first?.ShardId, 'shardId-000000000000');
  assert.match(first?.SequenceNumber ?? '', /^\d+$/);
  for (const record of rest) {
    assert.equal(record.ErrorCode, 'ProvisionedThroughputExceededException');
    assert.equal(
      record.ErrorMessage,
      'Rate exceeded for shard shardId-000000000000 in stream put-many under account 000000000000.',
    );
    assert.equal(classifyRecordErrorCode(record.ErrorCode ?? ''), 'throttled');
  }
});

test('GetShardIterator and GetRecords over quota: HTTP 400 ProvisionedThroughputExceededException', async () => {
  await createStream(tight, 'reads', 1);
  const iterator = { StreamName: 'reads', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' as const };
  const { ShardIterator } = await tight.send(new GetShardIteratorCommand(iterator));
  const iteratorError = await rejection(tight.send(new GetShardIteratorCommand(iterator)));
  assert.equal(iteratorError.name, 'ProvisionedThroughputExceededException');
  assert.equal(iteratorError.$metadata?.httpStatusCode, 400);

  await tight.send(new GetRecordsCommand({ ShardIterator }));
  const readError = await rejection(tight.send(new GetRecordsCommand({ ShardIterator })));
  assert.equal(readError.name, 'ProvisionedThroughputExceededException');
  assert.equal(readError.$metadata?.httpStatusCode, 400);
  assert.equal(readError.message, 'Rate exceeded for Shard - 000000000000/reads/shardId-000000000000');
});

test('injected InternalFailure and ServiceUnavailable: HTTP 500 and 503 under the AWS common error names, retryable', async () => {
  for (const [faults, name, status] of [
    [{ internalFailurePct: 100, serviceUnavailablePct: 0, connectionResetPct: 0 }, 'InternalFailure', 500],
    [{ internalFailurePct: 0, serviceUnavailablePct: 100, connectionResetPct: 0 }, 'ServiceUnavailable', 503],
  ] as const) {
    const client = await layered(null, { errors: faults });
    // Control calls are never failed: the stream can be set up.
    await client.send(new ListStreamsCommand({}));
    await createStream(client, 'faulty', 1);
    const error = await rejection(
      client.send(new PutRecordCommand({ StreamName: 'faulty', PartitionKey: 'k', Data: data })),
    );
    assert.equal(error.name, name);
    assert.equal(error.$metadata?.httpStatusCode, status);
    assert.equal(classifyRequestError(error), 'retryable');
  }
});

test('an injected connection reset reaches the SDK as ECONNRESET, a retryable connection error', async () => {
  const client = await layered(null, {
    errors: { internalFailurePct: 0, serviceUnavailablePct: 0, connectionResetPct: 100 },
  });
  await createStream(client, 'resets', 1);
  const error = await rejection(
    client.send(new PutRecordCommand({ StreamName: 'resets', PartitionKey: 'k', Data: data })),
  );
  assert.equal(error.code, 'ECONNRESET');
  assert.equal(classifyRequestError(error), 'retryable');
  assert.ok(isConnectionError(error));
});

test('injected latency holds data calls of the chosen side only', async () => {
  const client = await layered(null, { latency: { writes: { kind: 'fixed', ms: 1000 } } });
  await createStream(client, 'slow', 1);
  let started = performance.now();
  await client.send(new PutRecordCommand({ StreamName: 'slow', PartitionKey: 'k', Data: data }));
  assert.ok(performance.now() - started >= 1000, 'a write waits at least the injected 1 s');
  started = performance.now();
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({
      StreamName: 'slow',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records } = await client.send(new GetRecordsCommand({ ShardIterator }));
  assert.equal(Records?.length, 1);
  assert.ok(performance.now() - started < 1000, 'reads are not held (two calls took less than one delay)');
});
