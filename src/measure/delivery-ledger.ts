/**
 * Completeness: which records the stream accepted, and which of them each consumer has
 * received, so that at the end every accepted record is accounted for as received once,
 * received more than once (duplicates, counted), or missing. Sequence numbers are dense
 * per producer (from 0), so the ledger keeps one byte per record and consumer.
 */
import type { Completeness, ConsumerCompleteness } from '../model/lag-result.js';

/** Sequence numbers above this are not a kbench producer's: kept out of the arrays. */
const MAX_TRACKED_SEQUENCE = 2 ** 31;

class ByteFlags {
  private bytes = new Uint8Array(1024);
  private size = 0;

  get length(): number {
    return this.size;
  }

  has(index: number): boolean {
    return index < this.size && this.bytes[index] === 1;
  }

  /** Sets the flag; false if it was already set. */
  set(index: number): boolean {
    if (index >= this.bytes.length) {
      let capacity = this.bytes.length * 2;
      while (capacity <= index) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    if (index >= this.size) this.size = index + 1;
    if (this.bytes[index] === 1) return false;
    this.bytes[index] = 1;
    return true;
  }
}

interface ProducerLedger {
  readonly accepted: ByteFlags;
  readonly received: ByteFlags[];
}

export class DeliveryLedger {
  private readonly producers = new Map<number, ProducerLedger>();
  private acceptedCount = 0;
  /** Deliveries of accepted records to a consumer that had not had them. */
  private matched = 0;
  private readonly duplicates: number[];
  /** Deliveries of records out of the tracked range: counted, never matched. */
  private readonly untracked: number[];
  private waiter: (() => void) | undefined;

  constructor(readonly consumers: number) {
    this.duplicates = new Array<number>(consumers).fill(0);
    this.untracked = new Array<number>(consumers).fill(0);
  }

  private producer(producerId: number): ProducerLedger {
    let ledger = this.producers.get(producerId);
    if (!ledger) {
      ledger = { accepted: new ByteFlags(), received: Array.from({ length: this.consumers }, () => new ByteFlags()) };
      this.producers.set(producerId, ledger);
    }
    return ledger;
  }

  /** The stream acknowledged this record to its producer. */
  accepted(producerId: number, sequence: number): void {
    const ledger = this.producer(producerId);
    if (!ledger.accepted.set(sequence)) return;
    this.acceptedCount += 1;
    // A consumer can read a record before its producer hears the answer.
    for (const received of ledger.received) if (received.has(sequence)) this.matched += 1;
    if (this.pending === 0) this.notify();
  }

  /** A consumer received this record; true on its first delivery to that consumer, false for a duplicate. */
  delivered(consumer: number, producerId: number, sequence: number): boolean {
    if (sequence >= MAX_TRACKED_SEQUENCE) {
      this.untracked[consumer] = (this.untracked[consumer] ?? 0) + 1;
      return true;
    }
    const ledger = this.producer(producerId);
    const received = ledger.received[consumer];
    if (!received) throw new RangeError(`no consumer ${consumer}`);
    if (!received.set(sequence)) {
      this.duplicates[consumer] = (this.duplicates[consumer] ?? 0) + 1;
      return false;
    }
    if (ledger.accepted.has(sequence)) {
      this.matched += 1;
      if (this.pending === 0) this.notify();
    }
    return true;
  }

  /** Deliveries still due: accepted records some consumer has not received yet. */
  get pending(): number {
    return this.acceptedCount * this.consumers - this.matched;
  }

  /** Resolves when no delivery is due (at once if none is), or when `signal` aborts. */
  caughtUp(signal: AbortSignal): Promise<void> {
    if (this.pending === 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiter = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiter = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private notify(): void {
    this.waiter?.();
  }

  result(): Completeness {
    const perConsumer: ConsumerCompleteness[] = [];
    for (let consumer = 0; consumer < this.consumers; consumer++) {
      let received = 0;
      let unacknowledged = this.untracked[consumer] ?? 0;
      for (const ledger of this.producers.values()) {
        const flags = ledger.received[consumer];
        if (!flags) continue;
        for (let sequence = 0; sequence < flags.length; sequence++) {
          if (!flags.has(sequence)) continue;
          if (ledger.accepted.has(sequence)) received += 1;
          else unacknowledged += 1;
        }
      }
      perConsumer.push({
        received,
        duplicates: this.duplicates[consumer] ?? 0,
        missing: this.acceptedCount - received,
        unacknowledged,
      });
    }
    const sum = (field: keyof ConsumerCompleteness): number => perConsumer.reduce((total, c) => total + c[field], 0);
    return {
      produced: this.acceptedCount,
      expected: this.acceptedCount * this.consumers,
      received: sum('received'),
      duplicates: sum('duplicates'),
      missing: sum('missing'),
      unacknowledged: sum('unacknowledged'),
      consumers: perConsumer,
    };
  }
}
