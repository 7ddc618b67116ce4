/**
 * One summary.json from the summaries of several kbench processes that ran the same run
 * (the same --run-id) side by side, e.g. producers on several hosts. Counts and rates
 * are added; latency figures come from the processes' measured-phase histograms added
 * together, never from averaging their percentiles. Pure.
 *
 * Rates are summed: each process's rate is its accepted records over its own measured
 * phase, so the sum is the load the stream took while they all ran. That holds when the
 * processes ran at the same time (started by one job runner); the notes say when the
 * measured phases differ in length.
 */
import { layoutSpec } from '../blocks/run-layout.js';
import { UsageError } from '../errors/errors.js';
import type { Histogram } from '../measure/histogram.js';
import { checkLagMergeable } from './merge-lag.js';
import type { MergeSource } from './merge-source.js';
import type { ClientBlock, SummaryJson } from '../results/summary.js';
import { roundTo as round } from '../runtime/round.js';

export interface MergedSummary {
  /** A LagSummaryJson when lag runs were merged. */
  readonly summary: SummaryJson;
  /** What a reader of the merged figures should know: options that differed, phases of different lengths. */
  readonly notes: readonly string[];
}

/** Measured-phase histograms by tag (put_request, put_record, and a lag run's), already added up. */
export type MergedHistograms = ReadonlyMap<string, Histogram>;

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The commands whose results kbench merge adds. */
export const MERGEABLE_COMMANDS = ['put', 'lag'] as const;

/** The checks that make a merge meaningful; throws UsageError naming the folders. */
export function checkMergeable(sources: readonly MergeSource[]): void {
  const [first] = sources;
  if (!first || sources.length < 2) throw new UsageError('merge needs at least two results folders');
  for (const source of sources) {
    if (!(MERGEABLE_COMMANDS as readonly string[]).includes(source.summary.command)) {
      throw new UsageError(
        `${source.dir}: merging ${source.summary.command} results is not supported (kbench merge adds put runs or ` +
          `lag runs)`,
      );
    }
  }
  const commands = [...new Set(sources.map((s) => s.summary.command))];
  if (commands.length > 1) {
    const which = sources.map((s) => `${s.dir}: ${s.summary.command}`).join(', ');
    throw new UsageError(
      `cannot merge ${commands.join(' and ')} results together (${which}): merge the folders of one command`,
    );
  }
  const runIds = [...new Set(sources.map((s) => s.summary.run_id))];
  if (runIds.length > 1) {
    throw new UsageError(
      `the folders are from different runs (${runIds.join(', ')}): kbench merge adds processes started with the ` +
        `same --run-id`,
    );
  }
  const intervals = [...new Set(sources.map((s) => s.summary.options['interval_s']))];
  if (intervals.length > 1) {
    throw new UsageError(
      `the folders have different --interval (${intervals.join(', ')} s): their intervals cannot be lined up`,
    );
  }
  if (first.summary.command === 'lag') checkLagMergeable(sources);
}

export function mergeSummaries(
  sources: readonly MergeSource[],
  histograms: MergedHistograms,
  out: string,
): MergedSummary {
  checkMergeable(sources);
  const summaries = sources.map((s) => s.summary);
  const first = summaries[0] as SummaryJson;
  const notes: string[] = [];
  const differing = (values: readonly unknown[]): boolean => new Set(values.map((v) => JSON.stringify(v))).size > 1;

  const options: Record<string, unknown> = { ...first.options, out };
  // The load of several processes adds up (consumer applications too: each process's
  // consumers read every shard); anything else that differs is noted.
  const rates = summaries.map((s) => s.options['rate']);
  if (rates.every((r) => typeof r === 'number')) options['rate'] = round(sum(rates as number[]));
  options['concurrency'] = sum(summaries.map((s) => Number(s.options['concurrency'])));
  if (first.command === 'lag')
    options['consumers_per_shard'] = sum(summaries.map((s) => Number(s.options['consumers_per_shard'])));
  // Each process has its own producer ids by design: no one base speaks for all (merge.json lists them).
  const bases = summaries.map((s) => s.options['producer_id_base']);
  if (differing(bases)) options['producer_id_base'] = null;
  for (const key of Object.keys(first.options)) {
    if (['rate', 'concurrency', 'consumers_per_shard', 'producer_id_base', 'out', 'emulator_port'].includes(key))
      continue;
    const values = summaries.map((s) => s.options[key]);
    if (differing(values))
      notes.push(
        `option ${key} differs between the processes (${values.map((v) => JSON.stringify(v)).join(', ')}); ` +
          `summary.json lists the first`,
      );
  }
  if (differing(rates) && !rates.every((r) => typeof r === 'number'))
    notes.push(`rate differs between the processes (${rates.join(', ')}); summary.json lists the first`);

  const measured = summaries.map((s) => s.phases.measured_s);
  if (Math.max(...measured) - Math.min(...measured) > 1) {
    notes.push(
      `the measured phases differ in length (${measured.join(', ')} s): summed rates assume the processes ran side ` +
        `by side`,
    );
  }
  if (differing(summaries.map((s) => s.target.endpoint)))
    notes.push('the processes used different endpoints: figures from different targets were added');
  if (differing(summaries.map((s) => s.stream.name)))
    notes.push(`the processes wrote to different streams (${summaries.map((s) => s.stream.name).join(', ')})`);

  const reasons = summaries.map((s) => s.interrupt_reason).filter((r): r is string => r !== null);
  const merged: SummaryJson = {
    ...first,
    started_at: earliest(summaries.map((s) => s.started_at)),
    ended_at: latest(summaries.map((s) => s.ended_at)),
    interrupted: summaries.some((s) => s.interrupted),
    interrupt_reason: reasons.length > 0 ? [...new Set(reasons)].join('; ') : null,
    options,
    stream: {
      ...first.stream,
      shards: Math.max(...summaries.map((s) => s.stream.shards)),
      created: summaries.some((s) => s.stream.created),
      deleted: summaries.every((s) => !s.stream.created || s.stream.deleted),
    },
    phases: { warmup_s: Math.max(...summaries.map((s) => s.phases.warmup_s)), measured_s: Math.max(...measured) },
    // Each block of the command's results merges its own figures (a lag run: put, then lag).
    ...mergeBlocks(first.command === 'lag' ? 'lag' : 'put', summaries, histograms),
    client: mergeClientBlocks(summaries.map((s) => s.client)),
  };
  return { summary: merged, notes };
}

/** Every block of the command, merged; keys keep their place (the first summary's order). */
function mergeBlocks(
  command: 'put' | 'lag',
  summaries: readonly SummaryJson[],
  histograms: MergedHistograms,
): Record<string, unknown> {
  const blockOf = (summary: SummaryJson, key: string): unknown =>
    (summary as unknown as Readonly<Record<string, unknown>>)[key];
  return Object.fromEntries(
    layoutSpec(command).blocks.map((block) => [
      block.key,
      block.merge(
        summaries.map((s) => blockOf(s, block.key)),
        histograms,
      ),
    ]),
  );
}

/** Each process's own figures, combined: totals add up; the worst process speaks for load. */
function mergeClientBlocks(blocks: readonly ClientBlock[]): ClientBlock {
  const reasons = [...new Set(blocks.flatMap((b) => b.client_bound_reasons))];
  return {
    workers: sum(blocks.map((b) => b.workers)),
    // Summaries from before lag's consumers ran on workers lack the field.
    consumer_workers: sum(blocks.map((b) => b.consumer_workers ?? 0)),
    peak_rss_mib: Math.max(...blocks.map((b) => b.peak_rss_mib)),
    cpu_user_s: round(sum(blocks.map((b) => b.cpu_user_s)), 2),
    cpu_system_s: round(sum(blocks.map((b) => b.cpu_system_s)), 2),
    event_loop_delay_p99_ms: Math.max(...blocks.map((b) => b.event_loop_delay_p99_ms)),
    event_loop_utilization: Math.max(...blocks.map((b) => b.event_loop_utilization)),
    schedule_behind_max_ms: Math.max(...blocks.map((b) => b.schedule_behind_max_ms)),
    client_bound: blocks.some((b) => b.client_bound),
    client_bound_reasons: reasons,
    client_bound_advice: blocks.find((b) => b.client_bound_advice !== null)?.client_bound_advice ?? null,
  };
}

const earliest = (dates: readonly string[]): string => [...dates].sort()[0] ?? '';
const latest = (dates: readonly string[]): string => [...dates].sort().at(-1) ?? '';
