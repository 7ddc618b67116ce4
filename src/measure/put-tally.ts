/**
 * What the producers did, counted: one tally per interval and one for the measured phase.
 * The hot path only adds numbers and records into preallocated histograms.
 */
import type { PutCounts } from '../model/put-result.js';
import { createLatencyHistogram, type Histogram } from './histogram.js';

export const PUT_COUNT_FIELDS = [
  'sent',
  'accepted',
  'failed',
  'throttled',
  'errors',
  'retried',
  'acceptedBytes',
  'acceptedInPhase',
  'acceptedBytesInPhase',
  'requests',
  'requestsThrottled',
  'requestsFailed',
] as const satisfies readonly (keyof PutCounts)[];

export function emptyCounts(): PutCounts {
  return {
    sent: 0,
    accepted: 0,
    failed: 0,
    throttled: 0,
    errors: 0,
    retried: 0,
    acceptedBytes: 0,
    acceptedInPhase: 0,
    acceptedBytesInPhase: 0,
    requests: 0,
    requestsThrottled: 0,
    requestsFailed: 0,
  };
}

export function addCounts(into: PutCounts, from: Readonly<PutCounts>): void {
  for (const field of PUT_COUNT_FIELDS) into[field] += from[field];
}

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
    this.requestLatency.reset();
    this.recordLatency.reset();
    this.perShard.clear();
    this.perShardInPhase.clear();
  }

  add(other: PutTally): void {
    addCounts(this.counts, other.counts);
    this.requestLatency.add(other.requestLatency);
    this.recordLatency.add(other.recordLatency);
    addShardCounts(this.perShard, other.perShard);
    addShardCounts(this.perShardInPhase, other.perShardInPhase);
  }
}

export function addShardCounts(into: Map<string, number>, from: Iterable<readonly [string, number]>): void {
  for (const [shard, count] of from) into.set(shard, (into.get(shard) ?? 0) + count);
}
