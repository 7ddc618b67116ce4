/**
 * What the producers did, counted: one tally per interval and one for the measured phase.
 * The hot path only adds numbers and records into preallocated histograms.
 */
import { PUT_COUNT_FIELDS, type PutCounts } from '../model/put-result.js';
import { createLatencyHistogram, type Histogram } from './histogram.js';

export function emptyCounts(): PutCounts {
  const counts = {} as PutCounts;
  for (const field of PUT_COUNT_FIELDS) counts[field] = 0;
  return counts;
}

export function addCounts(into: PutCounts, from: Readonly<PutCounts>): void {
  for (const field of PUT_COUNT_FIELDS) into[field] += from[field];
}

/** The histograms a PutTally keeps, by field: resetting and adding loop over them. */
export const PUT_TALLY_HISTOGRAMS = ['requestLatency', 'recordLatency'] as const;

export class PutTally {
  readonly counts: PutCounts = emptyCounts();
  /** Per request attempt that got an HTTP 200 answer, from its intended send time. */
  readonly requestLatency: Histogram = createLatencyHistogram();
  /** Per accepted record, from its first intended send time: includes kbench's retries. */
  readonly recordLatency: Histogram = createLatencyHistogram();
  /** Accepted records per shard id. */
  readonly perShard = new Map<string, number>();
  /** Records acknowledged during the measured phase per shard id (see acceptedInPhase). */
  readonly perShardInPhase = new Map<string, number>();

  reset(): void {
    for (const field of PUT_COUNT_FIELDS) this.counts[field] = 0;
    for (const name of PUT_TALLY_HISTOGRAMS) this[name].reset();
    this.perShard.clear();
    this.perShardInPhase.clear();
  }

  add(other: PutTally): void {
    addCounts(this.counts, other.counts);
    for (const name of PUT_TALLY_HISTOGRAMS) this[name].add(other[name]);
    addShardCounts(this.perShard, other.perShard);
    addShardCounts(this.perShardInPhase, other.perShardInPhase);
  }
}

export function addShardCounts(into: Map<string, number>, from: Iterable<readonly [string, number]>): void {
  for (const [shard, count] of from) into.set(shard, (into.get(shard) ?? 0) + count);
}
