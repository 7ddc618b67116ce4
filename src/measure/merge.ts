/**
 * Adding up what several threads (or, later, processes) measured. Histograms are added
 * bucket by bucket from their encoded form, never by averaging percentiles, so a merged
 * p99 is the p99 of all the values together.
 */
import { worstLoad } from './client-load.js';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, summarizeMs, type Histogram } from './histogram.js';
import { addCounts, addShardCounts, emptyCounts, PutTally } from './put-tally.js';
import type { PutInterval } from '../run/put-run.js';

export function addEncoded(encoded: readonly string[]): Histogram {
  const merged = createLatencyHistogram();
  for (const text of encoded) merged.add(decodeHistogram(text));
  return merged;
}

/** One interval from the same interval of several threads. */
export function mergeIntervals(parts: readonly PutInterval[]): PutInterval {
  const [first] = parts;
  if (!first) throw new RangeError('nothing to merge');
  if (parts.length === 1) return first;
  const counts = emptyCounts();
  for (const part of parts) addCounts(counts, part.counts);
  const request = addEncoded(parts.map((p) => p.requestHistogram));
  const record = addEncoded(parts.map((p) => p.recordHistogram));
  return {
    index: first.index,
    phase: first.phase,
    startMicros: Math.min(...parts.map((p) => p.startMicros)),
    endMicros: Math.max(...parts.map((p) => p.endMicros)),
    counts,
    requestLatency: summarizeMs(request),
    recordLatency: summarizeMs(record),
    requestHistogram: encodeHistogram(request),
    recordHistogram: encodeHistogram(record),
    behindMs: Math.max(...parts.map((p) => p.behindMs)),
    clientLoad: worstLoad(parts.map((p) => p.clientLoad)),
  };
}

/** A tally holding everything several threads' tallies hold. */
export function mergeTallies(
  parts: ReadonlyArray<{
    readonly counts: PutTally['counts'];
    readonly requestHistogram: string;
    readonly recordHistogram: string;
    readonly perShard: ReadonlyArray<readonly [string, number]>;
    readonly perShardInPhase: ReadonlyArray<readonly [string, number]>;
  }>,
): PutTally {
  const tally = new PutTally();
  for (const part of parts) {
    addCounts(tally.counts, part.counts);
    tally.requestLatency.add(decodeHistogram(part.requestHistogram));
    tally.recordLatency.add(decodeHistogram(part.recordHistogram));
    addShardCounts(tally.perShard, part.perShard);
    addShardCounts(tally.perShardInPhase, part.perShardInPhase);
  }
  return tally;
}
