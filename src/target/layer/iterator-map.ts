/**
 * Which shard a shard iterator reads. Iterators are opaque (kinesalite encrypts them), so
 * the layer remembers the ones it hands out: from GetShardIterator answers, and the
 * NextShardIterator of every GetRecords answer. Kinesis iterators expire after 5
 * minutes, so older entries are dropped.
 */
const ITERATOR_LIFETIME_MS = 5 * 60_000;

export interface IteratorTarget {
  readonly stream: string;
  readonly shardId: string;
}

interface Entry extends IteratorTarget {
  readonly at: number;
}

export class IteratorMap {
  private readonly iterators = new Map<string, Entry>();

  constructor(private readonly nowMs: () => number) {}

  remember(iterator: string, target: IteratorTarget): void {
    const now = this.nowMs();
    this.iterators.set(iterator, { ...target, at: now });
    // Map order is insertion order, so the oldest entries come first.
    for (const [key, entry] of this.iterators) {
      if (now - entry.at < ITERATOR_LIFETIME_MS) break;
      this.iterators.delete(key);
    }
  }

  find(iterator: string): IteratorTarget | undefined {
    return this.iterators.get(iterator);
  }
}
