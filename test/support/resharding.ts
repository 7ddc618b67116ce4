/** Resharding a stream under a running lag test, the way the polling and efo tests both need it. */
import {
  DescribeStreamSummaryCommand,
  MergeShardsCommand,
  SplitShardCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { waitFor } from './kbench-cli.js';

export async function waitForActive(client: KinesisClient, streamName: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () =>
      (await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary
        ?.StreamStatus === 'ACTIVE',
    timeoutMs,
    `stream ${streamName} to be ACTIVE`,
  );
}

/**
 * On a 2-shard stream read by 2 threads: split shard 0 into 2 and 3 (thread 0 reads both),
 * then merge 3 with shard 1 into 4, whose parents were read by different threads, so only
 * one of them may read it.
 */
export async function splitThenMerge(client: KinesisClient, streamName: string): Promise<void> {
  await client.send(
    new SplitShardCommand({
      StreamName: streamName,
      ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: (2n ** 126n).toString(),
    }),
  );
  await waitForActive(client, streamName);
  await client.send(
    new MergeShardsCommand({
      StreamName: streamName,
      ShardToMerge: 'shardId-000000000003',
      AdjacentShardToMerge: 'shardId-000000000001',
    }),
  );
}
