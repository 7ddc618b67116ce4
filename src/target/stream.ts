/**
 * The stream a run writes to: created for the run (and deleted after it) or an existing
 * one the user named (never deleted).
 */
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { RunError, UsageError } from '../errors/errors.js';
import { sleepMs } from '../measure/clock.js';
import { describeSdkError } from './target.js';

export interface ShardInfo {
  readonly shardId: string;
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  /** A closed shard (after resharding) takes no more writes. */
  readonly open: boolean;
  /** The shard(s) it was split or merged from, after resharding. */
  readonly parentShardIds: readonly string[];
}

export interface StreamHandle {
  readonly name: string;
  readonly created: boolean;
  readonly shards: readonly ShardInfo[];
}

const ACTIVE_POLL_MS = 100;
const ACTIVE_TIMEOUT_MS = 5 * 60_000;

export async function createStream(
  client: KinesisClient,
  name: string,
  shardCount: number,
  signal?: AbortSignal,
  /** Told as soon as CreateStream succeeded, before waiting for ACTIVE: from then on the stream is ours to delete. */
  onCreated?: () => void,
): Promise<StreamHandle> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }), abortable(signal));
    onCreated?.();
  } catch (error) {
    if (signal?.aborted) {
      // Whether the service created it before the abort is unknown, and whose it is then too.
      throw new RunError(`interrupted while creating stream ${name}: if it exists now, delete it yourself`);
    }
    const e = error as Error;
    if (e.name === 'LimitExceededException') {
      throw new UsageError(`--shards ${shardCount} is above what the target allows: ${e.message}`);
    }
    if (e.name === 'ResourceInUseException') {
      throw new RunError(`stream ${name} already exists: choose another --run-id, or use it with --stream ${name}`);
    }
    throw new RunError(`could not create stream ${name}: ${describeSdkError(error)}`);
  }
  await waitUntilActive(client, name, signal);
  return { name, created: true, shards: await listShards(client, name, signal) };
}

export async function openExistingStream(
  client: KinesisClient,
  name: string,
  signal?: AbortSignal,
): Promise<StreamHandle> {
  const status = await streamStatus(client, name, signal);
  if (status === undefined) throw new RunError(`--stream ${name}: stream not found on the target`);
  if (status !== 'ACTIVE' && status !== 'UPDATING') {
    throw new RunError(`--stream ${name}: stream is ${status}, not ACTIVE`);
  }
  return { name, created: false, shards: await listShards(client, name, signal) };
}

/**
 * Deletes a stream kbench created. A stream still being created (Ctrl-C during setup)
 * cannot be deleted yet, so this waits for it rather than leave a billed stream behind.
 */
export async function deleteStream(client: KinesisClient, name: string, waitLimitMs = 120_000): Promise<void> {
  const deadline = Date.now() + waitLimitMs;
  for (;;) {
    try {
      await client.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
      return;
    } catch (error) {
      const errorName = (error as Error).name;
      if (errorName === 'ResourceNotFoundException') return;
      if (errorName !== 'ResourceInUseException' || Date.now() > deadline) {
        throw new RunError(`could not delete stream ${name}: ${describeSdkError(error)}`);
      }
      await sleepMs(500);
    }
  }
}

export async function listShards(client: KinesisClient, name: string, signal?: AbortSignal): Promise<ShardInfo[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: name }),
      abortable(signal),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards.map((shard) => ({
    shardId: shard.ShardId ?? '',
    startingHashKey: shard.HashKeyRange?.StartingHashKey ?? '0',
    endingHashKey: shard.HashKeyRange?.EndingHashKey ?? '0',
    open: shard.SequenceNumberRange?.EndingSequenceNumber === undefined,
    parentShardIds: [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined),
  }));
}

async function streamStatus(client: KinesisClient, name: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const answer = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }), abortable(signal));
    return answer.StreamDescriptionSummary?.StreamStatus ?? 'UNKNOWN';
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw new RunError(`could not describe stream ${name}: ${describeSdkError(error)}`);
  }
}

async function waitUntilActive(client: KinesisClient, name: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const status = await streamStatus(client, name, signal);
    if (status === 'ACTIVE') return;
    if (signal?.aborted) throw new RunError(`interrupted while stream ${name} was being created`);
    if (Date.now() > deadline) throw new RunError(`stream ${name} did not become ACTIVE within 5 minutes`);
    await sleepMs(ACTIVE_POLL_MS, signal);
  }
}

function abortable(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}
