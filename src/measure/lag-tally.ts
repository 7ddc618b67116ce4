/**
 * What the consumers saw, counted: one tally per interval and one for the measured phase,
 * shaped like the producers' (counts plus preallocated histograms, values in µs), so the
 * tallies of several threads can later be added or merged as encoded histograms.
 */
import { LAG_COUNT_FIELDS, type LagCounts, type ShardReadCounts } from '../model/lag-result.js';
import { createLatencyHistogram, type Histogram } from './histogram.js';

export function emptyLagCounts(): LagCounts {
  const counts = {} as LagCounts;
  for (const field of LAG_COUNT_FIELDS) counts[field] = 0;
  return counts;
}

export function emptyShardReadCounts(): ShardReadCounts {
  return { reads: 0, records: 0, throttled: 0, errors: 0, iteratorsRenewed: 0, resubscriptions: 0 };
}

/** The histograms a LagTally keeps, by field: the thread sums and the encoded form loop over them. */
export const LAG_TALLY_HISTOGRAMS = ['lag', 'putToArrival', 'arrivalToReceive', 'behindLatest'] as const;

export type LagTallyHistogram = (typeof LAG_TALLY_HISTOGRAMS)[number];

export class LagTally {
  readonly counts: LagCounts = emptyLagCounts();
  /** Put-to-get lag per first delivery: consumer receive time minus the header's send time (one clock). */
  readonly lag: Histogram = createLatencyHistogram();
  /** Send time to the service's ApproximateArrivalTimestamp: compares the client's clock with the server's. */
  readonly putToArrival: Histogram = createLatencyHistogram();
  /** ApproximateArrivalTimestamp to receive time: compares the server's clock with the client's. */
  readonly arrivalToReceive: Histogram = createLatencyHistogram();
  /** MillisBehindLatest per answer, as the service computed it (in µs like the rest). */
  readonly behindLatest: Histogram = createLatencyHistogram();
  readonly perShard = new Map<string, ShardReadCounts>();

  shard(shardId: string): ShardReadCounts {
    let counts = this.perShard.get(shardId);
    if (!counts) {
      counts = emptyShardReadCounts();
      this.perShard.set(shardId, counts);
    }
    return counts;
  }

  reset(): void {
    for (const field of LAG_COUNT_FIELDS) this.counts[field] = 0;
    for (const name of LAG_TALLY_HISTOGRAMS) this[name].reset();
    this.perShard.clear();
  }

  add(other: LagTally): void {
    for (const field of LAG_COUNT_FIELDS) this.counts[field] += other.counts[field];
    for (const name of LAG_TALLY_HISTOGRAMS) this[name].add(other[name]);
    for (const [shardId, counts] of other.perShard) {
      const into = this.shard(shardId);
      for (const key of Object.keys(counts) as (keyof ShardReadCounts)[]) into[key] += counts[key];
    }
  }
}
