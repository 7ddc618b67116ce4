/** Reads a whole stream back with the real SDK, to check what kbench says it wrote. */
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { listShards } from '../../src/target/stream.js';
import { readHeader, type RecordHeader } from '../../src/workload/record-header.js';

export interface StoredRecord {
  readonly shardId: string;
  readonly header: RecordHeader | undefined;
}

export async function readWholeStream(client: KinesisClient, streamName: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for (const shard of await listShards(client, streamName)) {
    const start = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = start.ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        records.push({ shardId: shard.shardId, header: record.Data ? readHeader(record.Data) : undefined });
      }
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}
