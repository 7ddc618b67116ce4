/**
 * The quota state of every shard the layer has seen: token buckets for writes (records
 * and bytes), GetRecords (calls and bytes) and GetShardIterator (calls), each holding
 * BURST_SECONDS of its quota and starting full, as a new or idle shard does.
 */
import { BURST_SECONDS, type ShardQuota } from '../../config/quota-values.js';
import { TokenBucket, type MillisClock } from './token-bucket.js';

const MIB = 1_048_576;

interface ShardBuckets {
  readonly writeRecords: TokenBucket;
  readonly writeBytes: TokenBucket;
  readonly readCalls: TokenBucket;
  readonly readBytes: TokenBucket;
  readonly iteratorCalls: TokenBucket;
}

export class ShardQuotas {
  private readonly shards = new Map<string, ShardBuckets>();

  constructor(
    private readonly quota: ShardQuota,
    private readonly nowMs: MillisClock,
  ) {}

  /** Takes one record of `bytes` (data plus partition key) from the shard's write quota, if it fits. */
  tryWrite(stream: string, shardId: string, bytes: number): boolean {
    const shard = this.buckets(stream, shardId);
    if (!shard.writeRecords.canTake(1) || !shard.writeBytes.canTake(bytes)) return false;
    shard.writeRecords.debit(1);
    shard.writeBytes.debit(bytes);
    return true;
  }

  /** Gives back a write that the emulator then refused (an invalid request uses no quota). */
  refundWrite(stream: string, shardId: string, bytes: number): void {
    const shard = this.buckets(stream, shardId);
    shard.writeRecords.debit(-1);
    shard.writeBytes.debit(-bytes);
  }

  /**
   * Takes one GetRecords call, if the call quota allows it and the bytes read earlier
   * are paid for. The bytes a call returns are only known after it (`readReturned`), so
   * a large answer puts the shard in debt and the calls after it are throttled until the
   * refill pays it back, as Kinesis does ("if a call returns 10 MiB, calls in the next
   * 5 seconds are throttled").
   */
  tryRead(stream: string, shardId: string): boolean {
    const shard = this.buckets(stream, shardId);
    if (!shard.readCalls.canTake(1) || shard.readBytes.available() < 0) return false;
    shard.readCalls.debit(1);
    return true;
  }

  readReturned(stream: string, shardId: string, bytes: number): void {
    this.buckets(stream, shardId).readBytes.debit(bytes);
  }

  tryIterator(stream: string, shardId: string): boolean {
    const shard = this.buckets(stream, shardId);
    if (!shard.iteratorCalls.canTake(1)) return false;
    shard.iteratorCalls.debit(1);
    return true;
  }

  private buckets(stream: string, shardId: string): ShardBuckets {
    const key = `${stream}\u0000${shardId}`;
    let shard = this.shards.get(key);
    if (shard === undefined) {
      const q = this.quota;
      const bucket = (perS: number): TokenBucket => new TokenBucket(perS, perS * BURST_SECONDS, this.nowMs);
      shard = {
        writeRecords: bucket(q.writeRecordsPerS),
        writeBytes: bucket(q.writeMibPerS * MIB),
        readCalls: bucket(q.readCallsPerS),
        readBytes: bucket(q.readMibPerS * MIB),
        iteratorCalls: bucket(q.iteratorCallsPerS),
      };
      this.shards.set(key, shard);
    }
    return shard;
  }
}
