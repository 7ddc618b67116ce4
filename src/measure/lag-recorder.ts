/**
 * Routes each consumer observation into the current interval's tally and, when it belongs
 * to the measured phase, into the run's tally. A delivery belongs to the phase its record
 * was sent in (the send time in its header), so records sent at the end of the measured
 * phase and read during the drain still count, and warmup records never do. Reads belong
 * to the phase they were made in.
 */
import { recordMicros, recordMicrosFromZero } from './histogram.js';
import { LagTally } from './lag-tally.js';

export class LagRecorder {
  /** The measured phase only. */
  readonly run = new LagTally();
  private current = new LagTally();
  private spare = new LagTally();
  // Nothing is measured until the producers' schedule is known (consumers start first).
  private measuredFromMicros = Number.POSITIVE_INFINITY;
  private measuredUntilMicros = Number.POSITIVE_INFINITY;

  /** Sets the measured phase, once the producers' schedule is known. */
  measure(fromMicros: number, untilMicros: number): void {
    this.measuredFromMicros = fromMicros;
    this.measuredUntilMicros = untilMicros;
  }

  /** Ends the measured phase early (an interrupted run). */
  cutMeasuredPhase(atMicros: number): void {
    if (atMicros < this.measuredUntilMicros) this.measuredUntilMicros = Math.max(atMicros, this.measuredFromMicros);
  }

  private measured(micros: number): boolean {
    return micros >= this.measuredFromMicros && micros < this.measuredUntilMicros;
  }

  /**
   * The first delivery of one of this run's records to one consumer. `arrivalMicros` is
   * the service's ApproximateArrivalTimestamp (server clock, millisecond resolution).
   */
  delivered(sendMicros: number, receiveMicros: number, arrivalMicros: number | undefined): void {
    addDelivery(this.current, sendMicros, receiveMicros, arrivalMicros);
    if (this.measured(sendMicros)) addDelivery(this.run, sendMicros, receiveMicros, arrivalMicros);
  }

  /** A record the same consumer had already received. */
  duplicate(sendMicros: number): void {
    this.current.counts.duplicates += 1;
    if (this.measured(sendMicros)) this.run.counts.duplicates += 1;
  }

  foreign(atMicros: number, records: number): void {
    this.current.counts.foreign += records;
    if (this.measured(atMicros)) this.run.counts.foreign += records;
  }

  /** This run's records from another process's producers, read at `atMicros`. */
  otherProcesses(atMicros: number, records: number): void {
    this.current.counts.otherProcesses += records;
    if (this.measured(atMicros)) this.run.counts.otherProcesses += records;
  }

  /** One answer: a GetRecords call (timed from its start) or a pushed event. */
  read(shardId: string, atMicros: number, records: number, millisBehindLatest: number | undefined): void {
    addRead(this.current, shardId, records, millisBehindLatest);
    if (this.measured(atMicros)) addRead(this.run, shardId, records, millisBehindLatest);
  }

  readThrottled(shardId: string, atMicros: number): void {
    this.bump(shardId, atMicros, 'readsThrottled', 'throttled');
  }

  readFailed(shardId: string, atMicros: number): void {
    this.bump(shardId, atMicros, 'readErrors', 'errors');
  }

  iteratorRenewed(shardId: string, atMicros: number): void {
    this.bump(shardId, atMicros, 'iteratorsRenewed', 'iteratorsRenewed');
  }

  /** A subscription reopened after the previous one ended or failed. */
  resubscribed(shardId: string, atMicros: number): void {
    this.bump(shardId, atMicros, 'resubscriptions', 'resubscriptions');
  }

  private bump(
    shardId: string,
    atMicros: number,
    field: 'readsThrottled' | 'readErrors' | 'iteratorsRenewed' | 'resubscriptions',
    shardField: 'throttled' | 'errors' | 'iteratorsRenewed' | 'resubscriptions',
  ): void {
    this.current.counts[field] += 1;
    this.current.shard(shardId)[shardField] += 1;
    if (this.measured(atMicros)) {
      this.run.counts[field] += 1;
      this.run.shard(shardId)[shardField] += 1;
    }
  }

  /**
   * Hands the current interval's tally to `use` and starts a new one. The tally is reused
   * afterwards, so `use` must copy what it keeps.
   */
  rollover<T>(use: (interval: LagTally) => T): T {
    const finished = this.current;
    this.current = this.spare;
    this.spare = finished;
    const result = use(finished);
    finished.reset();
    return result;
  }
}

function addDelivery(
  tally: LagTally,
  sendMicros: number,
  receiveMicros: number,
  arrivalMicros: number | undefined,
): void {
  tally.counts.received += 1;
  recordMicros(tally.lag, receiveMicros - sendMicros);
  if (arrivalMicros === undefined) return;
  // Two clocks: the differences can come out negative. They are counted, and recorded as 0.
  const toArrival = arrivalMicros - sendMicros;
  const toReceive = receiveMicros - arrivalMicros;
  if (toArrival < 0) tally.counts.arrivalBeforeSend += 1;
  if (toReceive < 0) tally.counts.arrivalAfterReceive += 1;
  recordMicrosFromZero(tally.putToArrival, toArrival);
  recordMicrosFromZero(tally.arrivalToReceive, toReceive);
}

function addRead(tally: LagTally, shardId: string, records: number, millisBehindLatest: number | undefined): void {
  tally.counts.reads += 1;
  tally.counts.readRecords += records;
  const shard = tally.shard(shardId);
  shard.reads += 1;
  shard.records += records;
  if (millisBehindLatest !== undefined) recordMicrosFromZero(tally.behindLatest, millisBehindLatest * 1000);
}
