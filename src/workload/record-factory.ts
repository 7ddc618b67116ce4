/**
 * Makes the records a producer sends: a header kbench can read back, then filler up to
 * the record size. The filler is random (once per producer) so nothing on the path can
 * compress it into a faster run than real data would give.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../measure/clock.js';
import type { KeyGenerator } from './partition-keys.js';
import type { PutEntry } from './put-sender.js';
import { HEADER_BYTES } from '../config/record-header-size.js';
import { writeHeaderPrefix, writeHeaderStamp } from './record-header.js';

export class RecordFactory {
  private nextSequence = 0;
  private readonly template: Buffer;

  constructor(
    runTag: Buffer,
    readonly producerId: number,
    private readonly recordSize: number,
    private readonly nextKey: KeyGenerator,
    private readonly clock: Clock,
  ) {
    if (recordSize < HEADER_BYTES) throw new RangeError(`record size must be at least ${HEADER_BYTES} bytes`);
    this.template = randomBytes(recordSize);
    writeHeaderPrefix(this.template, runTag, producerId);
  }

  /** Records produced so far (the next sequence number). */
  get produced(): number {
    return this.nextSequence;
  }

  /** `count` new records stamped with the current time as their send time. */
  batch(count: number): PutEntry[] {
    const sendMicros = this.clock.nowMicros();
    const entries: PutEntry[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const data = Buffer.allocUnsafe(this.recordSize);
      this.template.copy(data);
      writeHeaderStamp(data, this.nextSequence++, sendMicros);
      entries[i] = { Data: data, PartitionKey: this.nextKey() };
    }
    return entries;
  }
}
