/**
 * Which shards of a stream are closed, as ListShards says, for enhanced fan-out readers.
 * The service ends a closed shard's subscription with an event that names its children;
 * kinesis-mock never does, and pushes empty events for ever. A reader that is caught up
 * asks here whether its shard was closed meanwhile. One ListShards call serves every
 * reader of a thread for a while, so idle readers never add up to a storm of calls.
 */
import type { Clock } from '../measure/clock.js';
import type { ShardInfo } from '../target/stream.js';

export class ClosedShardWatch {
  /** Shard -> when this thread first saw it closed (µs, the ListShards answer's arrival). */
  private readonly closedAt = new Map<string, number>();
  private lastCheckMicros: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly listShards: (signal: AbortSignal) => Promise<readonly ShardInfo[]>,
    private readonly clock: Clock,
    /** The least time between two ListShards calls. */
    private readonly everyMs: number,
  ) {}

  /** When this thread learned that the shard is closed (µs), or undefined while it looks open. */
  async closedSince(shardId: string, signal: AbortSignal): Promise<number | undefined> {
    const known = this.closedAt.get(shardId);
    if (known !== undefined) return known;
    const due =
      this.lastCheckMicros === undefined || this.clock.nowMicros() - this.lastCheckMicros >= this.everyMs * 1000;
    if (due) {
      this.inFlight ??= this.refresh(signal).finally(() => {
        this.inFlight = undefined;
      });
      await this.inFlight;
    }
    return this.closedAt.get(shardId);
  }

  private async refresh(signal: AbortSignal): Promise<void> {
    try {
      const shards = await this.listShards(signal);
      const at = this.clock.nowMicros();
      for (const shard of shards) {
        if (!shard.open && !this.closedAt.has(shard.shardId)) this.closedAt.set(shard.shardId, at);
      }
    } catch {
      // A failed check (throttled, stopping) is tried again at the next one.
    }
    this.lastCheckMicros = this.clock.nowMicros();
  }
}
