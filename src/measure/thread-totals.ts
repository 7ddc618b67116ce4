/**
 * Adding up what several threads measured: producers' put tallies and consumers' lag
 * tallies. Histograms are added bucket by bucket from their encoded form, never by
 * averaging percentiles, so a merged p99 is the p99 of all the values together.
 */
import { worstClientLoad } from './client-load.js';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, summarizeMs, type Histogram } from './histogram.js';
import { LAG_TALLY_HISTOGRAMS, LagTally, type LagTallyHistogram } from './lag-tally.js';
import type { LagCounts, ShardReadCounts } from '../model/lag-result.js';
import type { PutInterval } from '../model/put-result.js';
import { addCounts, addShardCounts, emptyCounts, PutTally } from './put-tally.js';

export function addEncoded(encoded: readonly string[]): Histogram {
  const merged = createLatencyHistogram();
  for (const text of encoded) merged.add(decodeHistogram(text));
  return merged;
}

/** One interval from the same interval of several threads. */
export function sumIntervals(parts: readonly PutInterval[]): PutInterval {
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
    perShard: [...shardTotals(parts.map((p) => p.perShard))],
    behindMs: Math.max(...parts.map((p) => p.behindMs)),
    clientLoad: worstClientLoad(parts.map((p) => p.clientLoad)),
  };
}

function shardTotals(parts: ReadonlyArray<ReadonlyArray<readonly [string, number]>>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const part of parts) addShardCounts(totals, part);
  return totals;
}

/** A tally holding everything several threads' tallies hold. */
export function sumTallies(
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

/** A LagTally as plain data (histograms encoded), as a consumer thread sends it. */
export interface LagTallyData {
  readonly counts: Readonly<LagCounts>;
  readonly histograms: Readonly<Record<LagTallyHistogram, string>>;
  readonly perShard: ReadonlyArray<readonly [string, Readonly<ShardReadCounts>]>;
}

export function lagTallyData(tally: LagTally): LagTallyData {
  const histograms = {} as Record<LagTallyHistogram, string>;
  for (const name of LAG_TALLY_HISTOGRAMS) histograms[name] = encodeHistogram(tally[name]);
  return {
    counts: { ...tally.counts },
    histograms,
    perShard: [...tally.perShard].map(([shardId, counts]) => [shardId, { ...counts }] as const),
  };
}

/**
 * A tally holding everything several consumer threads' tallies hold: counts summed,
 * histograms added, each shard's reads kept under its shard (summed where two threads
 * read one shard, as the consumers of several applications do).
 */
export function sumLagTallies(parts: readonly LagTallyData[]): LagTally {
  const merged = new LagTally();
  for (const part of parts) merged.add(decodeLagTally(part));
  return merged;
}

function decodeLagTally(data: LagTallyData): LagTally {
  const tally = new LagTally();
  Object.assign(tally.counts, data.counts);
  for (const name of LAG_TALLY_HISTOGRAMS) tally[name].add(decodeHistogram(data.histograms[name]));
  for (const [shardId, counts] of data.perShard) Object.assign(tally.shard(shardId), counts);
  return tally;
}
