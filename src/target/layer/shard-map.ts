/**
 * Each stream's open shards and their hash key ranges, learned from the emulator with
 * ListShards and cached. A cached map is dropped when a call through the layer changes
 * the stream's shards, when a record's key falls outside it, and after MAX_AGE_MS (the
 * shards may have been changed by a client that does not go through the layer).
 */
import { hexHashKey, type HashRange } from './hash-key.js';

/** Lists a stream's shards upstream; undefined when the stream does not exist there. */
export type ShardLister = (stream: StreamRef) => Promise<ListedShard[] | undefined>;

export interface StreamRef {
  readonly StreamName?: string;
  readonly StreamARN?: string;
}

export interface ListedShard {
  readonly ShardId: string;
  readonly HashKeyRange: { readonly StartingHashKey: string; readonly EndingHashKey: string };
  readonly SequenceNumberRange?: { readonly EndingSequenceNumber?: string };
}

const MAX_AGE_MS = 10_000;

interface Entry {
  readonly ranges: Promise<HashRange[] | undefined>;
  readonly at: number;
}

export function streamKey(ref: StreamRef): string | undefined {
  return ref.StreamName ?? ref.StreamARN;
}

export class ShardMap {
  private readonly streams = new Map<string, Entry>();

  constructor(
    private readonly list: ShardLister,
    private readonly nowMs: () => number,
  ) {}

  /** The open shards' ranges; concurrent callers share one ListShards call. */
  ranges(ref: StreamRef): Promise<HashRange[] | undefined> {
    const key = streamKey(ref);
    if (key === undefined) return Promise.resolve(undefined);
    const cached = this.streams.get(key);
    if (cached && this.nowMs() - cached.at < MAX_AGE_MS) return cached.ranges;
    const ranges = this.list(ref).then(
      (shards) => shards?.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined).map(toRange),
      () => undefined,
    );
    this.streams.set(key, { ranges, at: this.nowMs() });
    // A stream that did not exist yet may be created soon: do not remember its absence.
    void ranges.then((r) => {
      if (r === undefined && this.streams.get(key)?.ranges === ranges) this.streams.delete(key);
    });
    return ranges;
  }

  forget(ref: StreamRef): void {
    const key = streamKey(ref);
    if (key !== undefined) this.streams.delete(key);
  }
}

function toRange(shard: ListedShard): HashRange {
  return {
    shardId: shard.ShardId,
    start: hexHashKey(shard.HashKeyRange.StartingHashKey),
    end: hexHashKey(shard.HashKeyRange.EndingHashKey),
  };
}
