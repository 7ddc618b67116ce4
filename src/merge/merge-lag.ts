/**
 * What makes merging several kbench lag processes of one run (the same --run-id) meaningful.
 * The merge of their lag blocks is the lag block's own (blocks/lag.ts). The consumer kind
 * and poll interval must be the same everywhere (refused otherwise: a lag distribution
 * mixed from different polling is no one's), and processes on one stream must not share
 * producer ids. Pure.
 */
import { UsageError } from '../errors/errors.js';
import type { MergeSource } from './merge-source.js';
import type { LagSummaryJson, SummaryJson } from '../results/summary.js';

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
    if (typeof block !== 'object' || block === null)
      throw new UsageError(`${source.dir}: a lag summary.json without its lag block`);
  }
  const blocks = sources.map((s) => (s.summary as LagSummaryJson).lag);
  const kinds = [...new Set(blocks.map((b) => b.consumer))];
  if (kinds.length > 1) {
    throw new UsageError(
      `the folders used different --consumer (${kinds.join(', ')}): their lag measures different things; merge the ` +
        `folders of one consumer kind`,
    );
  }
  const polls = [...new Set(blocks.map((b) => b.poll_interval_ms))];
  if (polls.length > 1) {
    throw new UsageError(
      `the folders used different --poll-interval (${polls.join(', ')} ms): lag follows the poll interval; merge ` +
        `the folders of one poll interval`,
    );
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
          `${a.dir} and ${b.dir} share producer ids (${Math.max(a0, b0)}-${Math.min(a1, b1)}) on ` +
            `stream ${a.summary.stream.name}: ` +
            "each took the other's records for its own, so their lag and completeness are wrong; rerun each process " +
            'with its own --producer-id-base, at least --workers apart',
        );
      }
    }
  }
}

function sameStream(a: SummaryJson, b: SummaryJson): boolean {
  return a.target.endpoint === b.target.endpoint && a.stream.name === b.stream.name;
}
