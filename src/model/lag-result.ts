/**
 * What a lag run reports, as plain data: the consumers' counts, completeness, interval rows
 * (paired with the producers'), events and result. run/ fills them; results/, merge/ and
 * console/ read them without reaching into run/.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { ClientLoadSample } from './client-load-sample.js';
import type { LatencySummary } from './latency.js';
import type { PutInterval, PutRunResult } from './put-result.js';
import type { PutSchedule } from './schedule.js';

/**
 * Consumer counts, named once here: the counts type, an empty tally and the sums of
 * threads all follow this list. Deliveries are counted per consumer: a record read by two
 * consumers is two deliveries. `received` counts first deliveries only; a record a
 * consumer gets again is a duplicate.
 */
export const LAG_COUNT_FIELDS = [
  // First deliveries of this run's records.
  'received',
  // Further deliveries of a record the same consumer already had.
  'duplicates',
  // Records on the stream that are not this run's (no kbench header, or another run's).
  'foreign',
  // This run's records written by another process (a producer id outside this process's
  // range): read, but left out of lag and completeness, which that process accounts for.
  'otherProcesses',
  // Answers: GetRecords calls answered (polling) or events pushed (enhanced fan-out).
  'reads',
  // Records in those answers, foreign ones included.
  'readRecords',
  // GetRecords calls rejected with ProvisionedThroughputExceededException.
  'readsThrottled',
  // Reads that failed for any other reason (retried).
  'readErrors',
  // Expired shard iterators renewed from the last record read.
  'iteratorsRenewed',
  // SubscribeToShard calls that reopened a subscription (after one ended or failed).
  'resubscriptions',
  // Deliveries whose server arrival time lies before the client's send time (clocks apart).
  'arrivalBeforeSend',
  // Deliveries whose server arrival time lies after the client's receive time (clocks apart).
  'arrivalAfterReceive',
] as const;

export type LagCounts = Record<(typeof LAG_COUNT_FIELDS)[number], number>;

/** What happened on one shard's reads. */
export interface ShardReadCounts {
  reads: number;
  records: number;
  throttled: number;
  errors: number;
  iteratorsRenewed: number;
  resubscriptions: number;
}

/** A finished lag tally as results read it (measure/lag-tally.ts's LagTally is one); values in µs. */
export interface LagTallyView {
  readonly counts: Readonly<LagCounts>;
  /** Put-to-get lag per first delivery: consumer receive time minus the header's send time (one clock). */
  readonly lag: Histogram;
  /** Send time to the service's ApproximateArrivalTimestamp: compares the client's clock with the server's. */
  readonly putToArrival: Histogram;
  /** ApproximateArrivalTimestamp to receive time: compares the server's clock with the client's. */
  readonly arrivalToReceive: Histogram;
  /** MillisBehindLatest per answer, as the service computed it. */
  readonly behindLatest: Histogram;
  readonly perShard: ReadonlyMap<string, Readonly<ShardReadCounts>>;
}

/** Of the records the stream accepted, what one consumer received (measure/delivery-ledger.ts keeps count). */
export interface ConsumerCompleteness {
  /** Accepted records this consumer received at least once. */
  readonly received: number;
  /** Deliveries beyond the first of a record. */
  readonly duplicates: number;
  /** Accepted records this consumer never received. */
  readonly missing: number;
  /**
   * This run's records received although their put was never acknowledged (failed or unanswered puts the service stored
   * anyway).
   */
  readonly unacknowledged: number;
}

/** Every consumer together, over all phases: each accepted record received once, more than once, or missing. */
export interface Completeness extends ConsumerCompleteness {
  /** Records the stream accepted (acknowledged to the producers), all phases. */
  readonly produced: number;
  /** Deliveries due: every accepted record once to every consumer. */
  readonly expected: number;
  readonly consumers: readonly ConsumerCompleteness[];
}

/** What one consumer thread did, for the summary. */
export interface ConsumerThreadFigures {
  /** Every shard it read, children of closed shards included. */
  readonly shards: readonly string[];
  /** Readers it started (a consumer application on a shard), children included. */
  readonly readers: number;
  /** Its event loop over the measured phase. */
  readonly clientLoad: ClientLoadSample;
}

export interface LagInterval {
  readonly index: number;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly counts: Readonly<LagCounts>;
  readonly lag: LatencySummary;
  readonly putToArrival: LatencySummary;
  readonly arrivalToReceive: LatencySummary;
  readonly behindLatest: LatencySummary;
  /** Encoded HDR histograms (µs), for interval logs and merging. */
  readonly lagHistogram: string;
  readonly putToArrivalHistogram: string;
  readonly arrivalToReceiveHistogram: string;
  readonly behindLatestHistogram: string;
  /** Deliveries due at the interval's end: accepted records some consumer has not received yet. */
  readonly awaiting: number;
}

/** One interval of a lag run: the producers' row and the consumers' row for the same time. */
export interface LagRunInterval {
  readonly put: PutInterval;
  readonly lag: LagInterval;
}

export type LagRunEvent =
  | { readonly type: 'positioned'; readonly readers: number }
  | { readonly type: 'started'; readonly schedule: PutSchedule }
  | { readonly type: 'interval'; readonly interval: LagRunInterval }
  | { readonly type: 'draining'; readonly awaiting: number }
  | { readonly type: 'stopping'; readonly reason: string };

export interface LagRunResult {
  /** The producers, as a put run reports them; stopReason also covers a stop during the drain. */
  readonly put: PutRunResult;
  readonly lag: {
    /** The measured phase: records sent in it, reads made in it. */
    readonly tally: LagTallyView;
    /** Every record of the run, all phases. */
    readonly completeness: Completeness;
    /** Records on the stream that were not this run's, all phases. */
    readonly foreign: number;
    /** This run's records written by other processes (other producer ids), all phases. */
    readonly otherProcesses: number;
    /** How long the consumers drained after the producers finished, in ms. */
    readonly drainedMs: number;
    /** Each consumer thread's share. */
    readonly threads: readonly ConsumerThreadFigures[];
  };
}
