/**
 * What the consumers saw, counted: one tally per interval and one for the measured phase,
 * shaped like the producers' (counts plus preallocated histograms, values in µs), so the
 * tallies of several threads can later be added or merged as encoded histograms.
 */
import type { LagCounts, ShardReadCounts } from '../model/lag-result.js';
import { createLatencyHistogram, type Histogram } from './histogram.js';

export const LAG_COUNT_FIELDS = [
  'received',
  'duplicates',
  'foreign',
  'otherProcesses',
  'reads',
  'readRecords',
  'readsThrottled',
  'readErrors',
  'iteratorsRenewed',
  'resubscriptions',
  'arrivalBeforeSend',
  'arrivalAfterReceive',
] as const satisfies readonly (keyof LagCounts)[];

export function emptyLagCounts(): LagCounts {
  const counts = {} as LagCounts;
  for (const field of LAG_COUNT_FIELDS) counts[field] = 0;
  return counts;
}

export function emptyShardReadCounts(): ShardReadCounts {
  return { reads: 0, records: 0, throttled: 0, errors: 0, iteratorsRenewed: 0, resubscriptions: 0 };
}

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
    for (const histogram of this.histograms()) histogram.reset();
    this.perShard.clear();
  }

  add(other: LagTally): void {
    for (const field of LAG_COUNT_FIELDS) this.counts[field] += other.counts[field];
    const mine = this.histograms();
    other.histograms().forEach((histogram, i) => mine[i]?.add(histogram));
    for (const [shardId, counts] of other.perShard) {
      const into = this.shard(shardId);
      for (const key of Object.keys(counts) as (keyof ShardReadCounts)[]) into[key] += counts[key];
    }
  }

  private histograms(): Histogram[] {
    return [this.lag, this.putToArrival, this.arrivalToReceive, this.behindLatest];
  }
}
