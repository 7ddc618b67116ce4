/**
 * One thread's share of a lag run's consumers: readers of given shards for given consumer
 * applications (polling or enhanced fan-out alike). Readers take their positions before
 * the first record is produced; when resharding closes a shard, its reader ends and this
 * group reads the shard's children from their beginning, once per consumer.
 */
import type { ShardReader, ShardReaderContext, StartingPoint } from './shard-reader.js';

/** One reader: a consumer application and a shard it reads. */
export interface ReaderAssignment {
  readonly consumer: number;
  readonly shardId: string;
}

export interface ConsumerGroupDeps {
  /** Consumer applications in the run (numbered from 0). */
  readonly consumers: number;
  /** The readers this group starts at LATEST: open shards at the start, per consumer. */
  readonly readers: readonly ReaderAssignment[];
  readonly stop: AbortSignal;
  /** Starts one reader of one shard. */
  readonly startReader: (ctx: ShardReaderContext) => ShardReader;
  /** The context every reader shares; the group fills in consumer, shard, start and the end hook. */
  readonly readerContext: Omit<ShardReaderContext, 'consumer' | 'shardId' | 'start' | 'onShardEnded'>;
  /** The children of a closed shard, when its last answer did not name them (retried until stopped). */
  readonly findChildren: (shardId: string) => Promise<readonly string[]>;
  /**
   * Whether this group may read a child shard for a consumer. Two parents merged into one
   * child may be read by two threads' groups: only the first to claim the child reads it.
   */
  readonly claim: (consumer: number, shardId: string) => Promise<boolean>;
}

export class ConsumerGroup {
  private readonly started: Set<string>[];
  private active = 0;
  private startedCount = 0;
  private finishedResolve: () => void = () => undefined;
  /** Resolves when every reader has ended (the group was stopped, or a fatal fault). */
  readonly finished: Promise<void>;

  constructor(private readonly deps: ConsumerGroupDeps) {
    this.started = Array.from({ length: deps.consumers }, () => new Set<string>());
    this.finished = new Promise((resolve) => {
      this.finishedResolve = resolve;
    });
  }

  /** Starts the group's readers at LATEST; resolves when all hold their position. */
  async position(): Promise<void> {
    const positioned: Promise<void>[] = [];
    for (const { consumer, shardId } of this.deps.readers) {
      const reader = this.startReader(consumer, shardId, { type: 'LATEST' });
      if (reader) positioned.push(reader.positioned);
    }
    if (this.active === 0) this.finishedResolve();
    await Promise.all(positioned);
  }

  /** Readers running now. */
  get running(): number {
    return this.active;
  }

  /** Readers started so far, children of closed shards included. */
  get readersStarted(): number {
    return this.startedCount;
  }

  /** Every shard this group has read (for any consumer), sorted. */
  get shards(): string[] {
    return [...new Set(this.started.flatMap((shards) => [...shards]))].sort();
  }

  private startReader(consumer: number, shardId: string, start: StartingPoint): ShardReader | undefined {
    const started = this.started[consumer];
    if (!started || started.has(shardId)) return undefined;
    started.add(shardId);
    this.active += 1;
    this.startedCount += 1;
    let childrenNamed: readonly string[] | undefined;
    let ended = false;
    const reader = this.deps.startReader({
      ...this.deps.readerContext,
      consumer,
      shardId,
      start,
      onShardEnded: (children) => {
        ended = true;
        childrenNamed = children;
      },
    });
    void reader.done
      .then(async () => {
        if (!ended || this.deps.stop.aborted) return;
        const children = childrenNamed ?? (await this.deps.findChildren(shardId));
        for (const child of children) {
          if (started.has(child) || !(await this.deps.claim(consumer, child)) || this.deps.stop.aborted) continue;
          // Children hold only records written after the split or merge: read them whole.
          this.startReader(consumer, child, { type: 'TRIM_HORIZON' });
        }
      })
      .finally(() => {
        this.active -= 1;
        if (this.active === 0) this.finishedResolve();
      });
    return reader;
  }
}
