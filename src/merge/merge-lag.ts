/**
 * The lag block of summary.json from the lag blocks of several kbench lag processes of
 * one run (the same --run-id), e.g. one per host. Pure.
 *
 * Each process accounts only for the records its own producers wrote (its producer ids):
 * it alone knows which of them the stream accepted, and their send times come from its
 * own clock. So each merged figure is a sum of per-process figures that never compare
 * two hosts' clocks for lag:
 * - lag histograms are added (from measured-histograms.hlog), never percentiles averaged;
 * - record counts are summed: `expected` is the sum of each process's produced x its own
 *   consumers, and `missing` counts deliveries due to the consumers of the process that
 *   wrote the record; other processes' consumers read those records too, counted in
 *   `other_processes`, but do not check them off;
 * - read counts are summed per shard and in total; reads_per_s is the sum of the
 *   processes' rates (each over its own measured phase), the rule merge applies to put
 *   rates; records_per_read is recomputed from the summed counts;
 * - the consumer kind and poll interval must be the same everywhere (refused otherwise:
 *   a lag distribution mixed from different polling is no one's);
 * - drain_s is the longest drain; consumers_deregistered is true only if every process
 *   deregistered all of its consumers.
 */
import { UsageError } from '../errors/errors.js';
import { summarizeMs, type Histogram } from '../measure/histogram.js';
import type { MergeSource } from './merge-summary.js';
import { SERVER_CLOCK_FIGURES, type LagBlock, type LagSummaryJson, type ReadFigures, type SummaryJson } from '../results/summary.js';
import { roundTo as round } from '../runtime/round.js';

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The producer ids a process stamped: from its --producer-id-base, one per worker. */
export function producerIdRange(summary: SummaryJson): readonly [first: number, last: number] {
  const base = summary.options['producer_id_base'];
  // Summaries from before --producer-id-base: every process started at 0.
  const first = typeof base === 'number' ? base : 0;
  return [first, first + Math.max(1, summary.client.workers) - 1];
}

/** What makes merging lag results meaningful; throws UsageError naming the folders. */
export function checkLagMergeable(sources: readonly MergeSource[]): void {
  for (const source of sources) {
    const block: unknown = (source.summary as Partial<LagSummaryJson>).lag;
    if (typeof block !== 'object' || block === null) throw new UsageError(`${source.dir}: a lag summary.json without its lag block`);
  }
  const blocks = sources.map((s) => (s.summary as LagSummaryJson).lag);
  const kinds = [...new Set(blocks.map((b) => b.consumer))];
  if (kinds.length > 1) {
    throw new UsageError(`the folders used different --consumer (${kinds.join(', ')}): their lag measures different things; merge the folders of one consumer kind`);
  }
  const polls = [...new Set(blocks.map((b) => b.poll_interval_ms))];
  if (polls.length > 1) {
    throw new UsageError(`the folders used different --poll-interval (${polls.join(', ')} ms): lag follows the poll interval; merge the folders of one poll interval`);
  }
  // Processes on one stream with overlapping producer ids read each other's records as
  // their own: their lag and completeness figures are wrong, and no merge can undo that.
  for (let i = 0; i < sources.length; i++) {
    for (let j = i + 1; j < sources.length; j++) {
      const a = sources[i];
      const b = sources[j];
      if (!a || !b || !sameStream(a.summary, b.summary)) continue;
      const [a0, a1] = producerIdRange(a.summary);
      const [b0, b1] = producerIdRange(b.summary);
      if (a0 <= b1 && b0 <= a1) {
        throw new UsageError(
          `${a.dir} and ${b.dir} share producer ids (${Math.max(a0, b0)}-${Math.min(a1, b1)}) on stream ${a.summary.stream.name}: ` +
            'each took the other\'s records for its own, so their lag and completeness are wrong; rerun each process with its own --producer-id-base, at least --workers apart',
        );
      }
    }
  }
}

function sameStream(a: SummaryJson, b: SummaryJson): boolean {
  return a.target.endpoint === b.target.endpoint && a.stream.name === b.stream.name;
}

/** Measured-phase histograms by tag, already added up across the processes. */
export type LagHistograms = ReadonlyMap<string, Histogram>;

export function mergeLagBlocks(blocks: readonly LagBlock[], histograms: LagHistograms): LagBlock {
  const [first] = blocks;
  if (!first) throw new RangeError('no lag blocks to merge');
  const histogram = (tag: string): Histogram => {
    const found = histograms.get(tag);
    if (!found) throw new UsageError(`the merged histograms lack ${tag}`);
    return found;
  };
  const total = (field: keyof LagBlock['records']): number => sum(blocks.map((b) => b.records[field]));
  const records = {
    produced: total('produced'),
    expected: total('expected'),
    received: total('received'),
    duplicates: total('duplicates'),
    missing: total('missing'),
    unacknowledged: total('unacknowledged'),
    foreign: total('foreign'),
    other_processes: total('other_processes'),
  };
  const perShard: Record<string, ReadFigures> = {};
  for (const shard of [...new Set(blocks.flatMap((b) => Object.keys(b.per_shard)))].sort()) {
    perShard[shard] = mergeReads(blocks.flatMap((b) => b.per_shard[shard] ?? []));
  }
  const deregistered = blocks.map((b) => b.consumers_deregistered);
  return {
    consumer: first.consumer,
    consumers: sum(blocks.map((b) => b.consumers)),
    poll_interval_ms: first.poll_interval_ms,
    ...(first.efo_http !== undefined && { efo_http: first.efo_http }),
    latency_ms: summarizeMs(histogram('lag')),
    put_to_arrival_ms: summarizeMs(histogram('put_to_arrival')),
    arrival_to_receive_ms: summarizeMs(histogram('arrival_to_receive')),
    millis_behind_latest_ms: summarizeMs(histogram('millis_behind_latest')),
    server_clock_figures: SERVER_CLOCK_FIGURES,
    clock_disagreements: {
      arrival_before_send: sum(blocks.map((b) => b.clock_disagreements.arrival_before_send)),
      arrival_after_receive: sum(blocks.map((b) => b.clock_disagreements.arrival_after_receive)),
    },
    records,
    complete: records.missing === 0,
    // One entry per consumer application of each process, in the order of the folders.
    per_consumer: blocks.flatMap((b) => b.per_consumer),
    reads: mergeReads(blocks.map((b) => b.reads)),
    per_shard: perShard,
    drain_s: Math.max(...blocks.map((b) => b.drain_s)),
    consumers_deregistered: deregistered.every((d) => d === null) ? null : deregistered.every((d) => d === true),
    // Each process's consumer threads, in the order of the folders (absent before lag had them).
    per_worker: blocks.flatMap((b) => b.per_worker ?? []),
  };
}

function mergeReads(figures: readonly ReadFigures[]): ReadFigures {
  const reads = sum(figures.map((f) => f.reads));
  const records = sum(figures.map((f) => f.records));
  return {
    reads,
    reads_per_s: round(sum(figures.map((f) => f.reads_per_s))),
    records,
    records_per_read: reads > 0 ? round(records / reads, 2) : 0,
    throttled: sum(figures.map((f) => f.throttled)),
    errors: sum(figures.map((f) => f.errors)),
    iterators_renewed: sum(figures.map((f) => f.iterators_renewed)),
    resubscriptions: sum(figures.map((f) => f.resubscriptions)),
  };
}
