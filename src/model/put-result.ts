/**
 * What a put run reports, as plain data: its counts, its interval rows, its events and its
 * result. run/ fills them; results/, merge/ and console/ read them without reaching into run/.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { ClientLoadSample } from './client-load-sample.js';
import type { LatencySummary } from './latency.js';
import type { Phase, PutSchedule } from './schedule.js';

/**
 * Record counts, named once here: the counts type, an empty tally and the sums of threads
 * all follow this list. A record is counted once in `sent` however often it is retried;
 * it ends as `accepted` or `failed`, or is still unanswered when the run stops
 * (`unfinished`). `throttled` and `errors` count rejected attempts, so a record throttled
 * twice and then accepted adds 2 to `throttled` and 1 to `accepted`.
 */
export const PUT_COUNT_FIELDS = [
  'sent',
  'accepted',
  'failed',
  'throttled',
  'errors',
  'retried',
  // Data plus partition key, as Kinesis counts bytes against a shard's 1 MiB/s.
  'acceptedBytes',
  // Records (and their bytes) the service acknowledged during the measured phase, whenever
  // they were first sent: the stream's throughput. Differs from `accepted` (records sent in
  // the phase, whenever acknowledged) when retries carry acceptances past the phase's end.
  // Only the run's tally keeps them.
  'acceptedInPhase',
  'acceptedBytesInPhase',
  'requests',
  'requestsThrottled',
  'requestsFailed',
] as const;

export type PutCounts = Record<(typeof PUT_COUNT_FIELDS)[number], number>;

/** A finished put tally as results read it (measure/put-tally.ts's PutTally is one). */
export interface PutTallyView {
  readonly counts: Readonly<PutCounts>;
  /** Per request attempt that got an HTTP 200 answer, from its intended send time (µs). */
  readonly requestLatency: Histogram;
  /** Per accepted record, from its first intended send time (µs). */
  readonly recordLatency: Histogram;
  /** Accepted records per shard id. */
  readonly perShard: ReadonlyMap<string, number>;
  /** Records acknowledged during the measured phase per shard id. */
  readonly perShardInPhase: ReadonlyMap<string, number>;
}

export interface PutInterval {
  readonly index: number;
  readonly phase: Phase;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly counts: Readonly<PutCounts>;
  readonly requestLatency: LatencySummary;
  readonly recordLatency: LatencySummary;
  /** Encoded HDR histograms (µs), for interval logs and merging. */
  readonly requestHistogram: string;
  readonly recordHistogram: string;
  /** Accepted records per shard in the interval, by acknowledgement time. */
  readonly perShard: ReadonlyArray<readonly [shardId: string, accepted: number]>;
  /** Open model: how far behind its schedule the producer was at the interval's end, ms. */
  readonly behindMs: number;
  /** The producing thread's event loop in the interval (several threads: the worst). */
  readonly clientLoad: ClientLoadSample;
  /** Open model: the records/s the interval was asked to send (set by the command); undefined with --rate max. */
  readonly targetRecordsPerS?: number;
}

export type PutRunEvent =
  | { readonly type: 'started'; readonly schedule: PutSchedule }
  | { readonly type: 'interval'; readonly interval: PutInterval }
  | { readonly type: 'stopping'; readonly reason: string };

export interface PutRunResult {
  readonly schedule: PutSchedule;
  /** Where the measured phase really ended: earlier than planned if the run was stopped. */
  readonly measuredUntilMicros: number;
  readonly endedMicros: number;
  /** Why the run stopped early; undefined when it ran its course. */
  readonly stopReason: string | undefined;
  /** The measured phase (records due from warmup end to the end of the measured phase). */
  readonly tally: PutTallyView;
  readonly intervals: number;
  /** The producing threads' event loops over the measured phase (the worst thread). */
  readonly clientLoad: ClientLoadSample;
  /** Open model: the furthest behind schedule at any measured interval's end, ms. */
  readonly maxBehindMs: number;
}
