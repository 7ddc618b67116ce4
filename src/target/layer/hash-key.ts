/**
 * Which shard a record goes to, as Kinesis decides it: the MD5 of the partition key (its
 * UTF-8 bytes) read as an unsigned 128-bit integer, or the ExplicitHashKey when one is
 * given, falls into exactly one open shard's hash key range.
 */
import { createHash } from 'node:crypto';

export interface HashRange {
  readonly shardId: string;
  readonly start: bigint;
  readonly end: bigint;
}

export function hashKeyOf(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** The shard whose range holds `hashKey`, or undefined when none does (a stale map). */
export function shardFor(ranges: readonly HashRange[], partitionKey: string, explicitHashKey?: string): string | undefined {
  // One open shard takes every key: no need to hash (the common 1-shard case).
  if (ranges.length === 1) return ranges[0]?.shardId;
  let hashKey: bigint;
  try {
    hashKey = hashKeyOf(partitionKey, explicitHashKey);
  } catch {
    return undefined;
  }
  for (const range of ranges) {
    if (hashKey >= range.start && hashKey <= range.end) return range.shardId;
  }
  return undefined;
}
