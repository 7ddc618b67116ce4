/**
 * Which shard a record goes to, as Kinesis decides it: the MD5 of the partition key (its
 * UTF-8 bytes) read as an unsigned 128-bit integer, or the ExplicitHashKey when one is
 * given, falls into exactly one open shard's hash key range. Keys are compared as 32-digit
 * hex strings, which order like the numbers and spare a BigInt per record.
 */
import { createHash } from 'node:crypto';

export interface HashRange {
  readonly shardId: string;
  /** 32 lowercase hex digits. */
  readonly start: string;
  readonly end: string;
}

/** A decimal hash key (as ListShards and ExplicitHashKey give it) as 32 hex digits. */
export function hexHashKey(decimal: string): string {
  return BigInt(decimal).toString(16).padStart(32, '0');
}

export function hashKeyOf(partitionKey: string, explicitHashKey?: string): string {
  if (explicitHashKey !== undefined) return hexHashKey(explicitHashKey);
  return createHash('md5').update(partitionKey, 'utf8').digest('hex');
}

/** The shard whose range holds the key, or undefined when none does (a stale map). */
export function shardFor(
  ranges: readonly HashRange[],
  partitionKey: string,
  explicitHashKey?: string,
): string | undefined {
  // One open shard takes every key: no need to hash (the common 1-shard case).
  if (ranges.length === 1) return ranges[0]?.shardId;
  let hashKey: string;
  try {
    hashKey = hashKeyOf(partitionKey, explicitHashKey);
  } catch {
    return undefined; // not a number: the emulator will refuse the record
  }
  for (const range of ranges) {
    if (hashKey >= range.start && hashKey <= range.end) return range.shardId;
  }
  return undefined;
}
