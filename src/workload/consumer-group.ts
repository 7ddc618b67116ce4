/**
 * The consumers of a lag run: `consumers` applications, each reading every shard with one
 * reader per shard (polling or enhanced fan-out alike). Readers take their positions
 * before the first record is produced; when resharding closes a shard, its reader ends
 * and readers for its children start from their beginning, once per consumer.
 */
import type { ShardInfo } from '../target/stream.js';
import type { ShardReader, ShardReaderContext, StartingPoint } from './shard-reader.js';

export interface ConsumerGroupDeps {
  readonly consumers: number;
  /** The open shards at the start. */
  readonly shards: readonly ShardInfo[];
  readonly stop: AbortSignal;
  /** Starts one reader of one shard. */
  readonly startReader: (ctx: ShardReaderContext) => ShardReader;
  /** The context every reader shares; the group fills in consumer, shard, start and the end hook. */
  readonly readerContext: Omit<ShardReaderContext, 'consumer' | 'shardId' | 'start' | 'onShardEnded'>;
  /** The children of a closed shard, when its last answer did not name them (retried until stopped). */
  readonly findChildren: (shardId: string) => Promise<readonly string[]>;
}

export class ConsumerGroup {
  private readonly started: Set<string>[];
  private active = 0;
  private readonly initial: Promise<void>[] = [];
  private finishedResolve: () => void = () => undefined;
  /** Resolves when every reader has ended (the group was stopped, or a fatal fault). */
  readonly finished: Promise<void>;

  constructor(private readonly deps: ConsumerGroupDeps) {
    this.started = Array.from({ length: deps.consumers }, () => new Set<string>());
    this.finished = new Promise((resolve) => {
      this.finishedResolve = resolve;
    });
  }

  /** Starts a reader per consumer and open shard at LATEST; resolves when all hold their position. */
  async position(): Promise<void> {
    for (let consumer = 0; consumer < this.deps.consumers; consumer++) {
      for (const shard of this.deps.shards) {
        if (!shard.open) continue;
        const reader = this.startReader(consumer, shard.shardId, { type: 'LATEST' });
        if (reader) this.initial.push(reader.positioned);
      }
    }
    if (this.active === 0) this.finishedResolve();
    await Promise.all(this.initial);
  }

  /** Readers running now. */
  get running(): number {
    return this.active;
  }

  private startReader(consumer: number, shardId: string, start: StartingPoint): ShardReader | undefined {
    const started = this.started[consumer];
    if (!started || started.has(shardId)) return undefined;
    started.add(shardId);
    this.active += 1;
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
        // Children hold only records written after the split or merge: read them whole.
        for (const child of children) this.startReader(consumer, child, { type: 'TRIM_HORIZON' });
      })
      .finally(() => {
        this.active -= 1;
        if (this.active === 0) this.finishedResolve();
      });
    return reader;
  }
}
