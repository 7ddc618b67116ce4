/**
 * What every consumer does with the records it reads, whichever way it reads them: tell
 * this run's records from foreign ones by their header, check each off in the ledger
 * (first delivery or duplicate), and time it from the send time in its header.
 */
import type { _Record } from '@aws-sdk/client-kinesis';
import type { DeliveryLedger } from '../measure/delivery-ledger.js';
import type { LagRecorder } from '../measure/lag-recorder.js';
import { readHeader } from './record-header.js';

export class RecordIntake {
  /** Records on the stream that are not this run's, all phases. */
  foreignTotal = 0;

  constructor(
    private readonly runTagHex: string,
    private readonly ledger: DeliveryLedger,
    private readonly recorder: LagRecorder,
  ) {}

  /** Records one answer delivered to `consumer` at `receiveMicros`. */
  take(consumer: number, receiveMicros: number, records: readonly _Record[]): void {
    let foreign = 0;
    for (const record of records) {
      const header = record.Data ? readHeader(record.Data) : undefined;
      if (header === undefined || header.runTag !== this.runTagHex) {
        foreign += 1;
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
  }
}
