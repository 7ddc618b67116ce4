/**
 * What every consumer does with the records it reads, whichever way it reads them: tell
 * this process's records from foreign ones and from other processes' by their header,
 * check each of its own off in the ledger (first delivery or duplicate), and time it from
 * the send time in its header.
 *
 * Several processes of one run (same --run-id) can share a stream, each with its own
 * producer ids (--producer-id-base). A process accounts only for the records its own
 * producers wrote: only it knows which of them the stream accepted, and their send times
 * come from its own clock, so its lag figures never compare two hosts' clocks.
 */
import type { _Record } from '@aws-sdk/client-kinesis';
import type { LagRecorder } from '../measure/lag-recorder.js';
import { readHeader } from './record-header.js';

/** The producer ids this process's producers stamp: first, first + 1, ..., first + count - 1. */
export interface ProducerIds {
  readonly first: number;
  readonly count: number;
}

/**
 * Tells a record's first delivery to a consumer from a repeat: the delivery ledger, or a
 * consumer thread's record of what its own readers received (see ConsumerLoad).
 */
export interface DeliveryCheck {
  /** True on the record's first delivery to `consumer`, false for a duplicate. */
  delivered(consumer: number, producerId: number, sequence: number): boolean;
}

export class RecordIntake {
  /** Records on the stream that are not this run's, all phases. */
  foreignTotal = 0;
  /** This run's records from other processes' producers, all phases. */
  otherProcessesTotal = 0;

  constructor(
    private readonly runTagHex: string,
    private readonly producers: ProducerIds,
    private readonly ledger: DeliveryCheck,
    private readonly recorder: LagRecorder,
  ) {}

  /** Records one answer delivered to `consumer` at `receiveMicros`. */
  take(consumer: number, receiveMicros: number, records: readonly _Record[]): void {
    let foreign = 0;
    let others = 0;
    for (const record of records) {
      const header = record.Data ? readHeader(record.Data) : undefined;
      if (header === undefined || header.runTag !== this.runTagHex) {
        foreign += 1;
        continue;
      }
      const offset = header.producerId - this.producers.first;
      if (offset < 0 || offset >= this.producers.count) {
        others += 1;
        continue;
      }
      if (this.ledger.delivered(consumer, header.producerId, header.sequence)) {
        const arrival = record.ApproximateArrivalTimestamp;
        this.recorder.delivered(header.sendMicros, receiveMicros, arrival ? arrival.getTime() * 1000 : undefined);
      } else {
        this.recorder.duplicate(header.sendMicros);
      }
    }
    if (foreign > 0) {
      this.foreignTotal += foreign;
      this.recorder.foreign(receiveMicros, foreign);
    }
    if (others > 0) {
      this.otherProcessesTotal += others;
      this.recorder.otherProcesses(receiveMicros, others);
    }
  }
}
