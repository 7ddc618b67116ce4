/**
 * summary.json's `stages` block: a staged run read stage by stage (target, accepted
 * records/s, throttled %, latency, and lag for kbench lag), and the spike's aftermath:
 * how long after the highest stage ended throttling stopped and p99 came back. Built
 * from the measured intervals, each counted in the stage that holds its midpoint (stage
 * boundaries on the interval grid, the usual case, make this exact). Pure.
 */
import { addEncoded } from '../measure/thread-totals.js';
import { summarizeMs } from '../measure/histogram.js';
import type { LatencySummary } from '../model/latency.js';
import type { PutInterval } from '../model/put-result.js';
import { roundTo as round } from '../runtime/round.js';
import type { Stage } from '../config/stage-values.js';
import { meanTargetPerS } from '../workload/rate-profile.js';

/** A measured interval: the producers' row, and the consumers' lag histogram in a lag run. */
export interface StageInterval {
  readonly put: PutInterval;
  readonly lagHistogram?: string;
}

export interface StageJson {
  readonly stage: number;
  /** Seconds from the start of the measured phase. */
  readonly from_s: number;
  readonly to_s: number;
  readonly target_from_records_per_s: number;
  readonly target_to_records_per_s: number;
  /** Mean target over the stage. */
  readonly target_records_per_s: number;
  /** Acknowledgements per second in the stage's intervals. */
  readonly records_per_s: number;
  readonly throttled_pct: number;
  readonly intervals: number;
  readonly latency_ms: LatencySummary;
  readonly record_latency_ms: LatencySummary;
  /** kbench lag: put-to-receive lag of records received in the stage; null for put. */
  readonly lag_ms: LatencySummary | null;
}

export interface SpikeJson {
  /** The stage with the highest target (1-based, as in `stages`). */
  readonly stage: number;
  /**
   * Seconds from the spike's end to the end of the last interval with throttling; 0 if none after it, null if it never
   * stopped.
   */
  readonly throttling_stopped_after_s: number | null;
  /** Record-latency p99 of the stage before the spike: the level p99 must return to. */
  readonly baseline_p99_ms: number;
  /** Recovered means an interval's record p99 at most this (twice the baseline, at least baseline + 1 ms). */
  readonly recovered_p99_bound_ms: number;
  /**
   * Seconds from the spike's end to the end of the last interval above the bound; 0 if none, null if it never came
   * back.
   */
  readonly p99_recovered_after_s: number | null;
}

export interface StagesJson {
  readonly stages: readonly StageJson[];
  /** Null without a stage before and after the highest one. */
  readonly spike: SpikeJson | null;
}

export function buildStagesBlock(
  stages: readonly Stage[],
  /** The measured phase's start, µs: stage 1 starts here. */
  measuredFromMicros: number,
  intervals: readonly StageInterval[],
  withLag: boolean,
): StagesJson {
  const measured = intervals.filter((i) => i.put.phase === 'measure' && i.put.endMicros > i.put.startMicros);
  const bounds: Array<readonly [number, number]> = [];
  let at = measuredFromMicros;
  for (const stage of stages) {
    bounds.push([at, at + stage.durationMs * 1000]);
    at += stage.durationMs * 1000;
  }
  const inStage = (index: number): StageInterval[] => {
    const [from, to] = bounds[index] as readonly [number, number];
    return measured.filter((i) => {
      const mid = (i.put.startMicros + i.put.endMicros) / 2;
      return mid >= from && (mid < to || (index === stages.length - 1 && mid <= to));
    });
  };
  const blocks = stages.map((stage, index): StageJson => {
    const [from, to] = bounds[index] as readonly [number, number];
    const rows = inStage(index);
    const seconds = rows.reduce((sum, r) => sum + (r.put.endMicros - r.put.startMicros) / 1e6, 0);
    const sum = (pick: (r: StageInterval) => number): number => rows.reduce((total, r) => total + pick(r), 0);
    const attempts = sum((r) => r.put.counts.sent + r.put.counts.retried);
    return {
      stage: index + 1,
      from_s: round((from - measuredFromMicros) / 1e6),
      to_s: round((to - measuredFromMicros) / 1e6),
      target_from_records_per_s: stage.fromPerS,
      target_to_records_per_s: stage.toPerS,
      target_records_per_s: round(meanTargetPerS(stages, 0, from - measuredFromMicros, to - measuredFromMicros)),
      records_per_s: seconds > 0 ? round(sum((r) => r.put.counts.accepted) / seconds) : 0,
      throttled_pct: attempts > 0 ? round((sum((r) => r.put.counts.throttled) / attempts) * 100, 2) : 0,
      intervals: rows.length,
      latency_ms: summarizeMs(addEncoded(rows.map((r) => r.put.requestHistogram))),
      record_latency_ms: summarizeMs(addEncoded(rows.map((r) => r.put.recordHistogram))),
      lag_ms: withLag
        ? summarizeMs(addEncoded(rows.flatMap((r) => (r.lagHistogram === undefined ? [] : [r.lagHistogram]))))
        : null,
    };
  });
  return { stages: blocks, spike: spikeOf(stages, bounds, blocks, measured) };
}

function spikeOf(
  stages: readonly Stage[],
  bounds: ReadonlyArray<readonly [number, number]>,
  blocks: readonly StageJson[],
  measured: readonly StageInterval[],
): SpikeJson | null {
  const peaks = stages.map((s) => Math.max(s.fromPerS, s.toPerS));
  const top = Math.max(...peaks);
  const index = peaks.indexOf(top);
  if (index <= 0 || index >= stages.length - 1) return null;
  const spikeEnd = (bounds[index] as readonly [number, number])[1];
  const after = measured.filter((i) => (i.put.startMicros + i.put.endMicros) / 2 >= spikeEnd);
  const baseline = blocks[index - 1]?.record_latency_ms.p99 ?? 0;
  const bound = round(Math.max(2 * baseline, baseline + 1));
  return {
    stage: index + 1,
    throttling_stopped_after_s: lastAfter(after, spikeEnd, (i) => i.put.counts.throttled > 0),
    baseline_p99_ms: baseline,
    recovered_p99_bound_ms: bound,
    p99_recovered_after_s: lastAfter(after, spikeEnd, (i) => i.put.recordLatency.p99 > bound),
  };
}

/** Seconds from `fromMicros` to the end of the last interval where `bad` holds; null if the last interval is bad. */
function lastAfter(
  intervals: readonly StageInterval[],
  fromMicros: number,
  bad: (i: StageInterval) => boolean,
): number | null {
  let lastBad: StageInterval | undefined;
  for (const interval of intervals) if (bad(interval)) lastBad = interval;
  if (lastBad === undefined) return 0;
  if (lastBad === intervals.at(-1)) return null;
  return round(Math.max(0, lastBad.put.endMicros - fromMicros) / 1e6);
}

/** The target an interval was asked to send: the stages' mean over it, the fixed rate, or none (max). */
export function intervalTarget(
  options: { readonly rate: number | 'max'; readonly stages?: readonly Stage[]; readonly warmupMs: number },
  startMicros: number,
  interval: Pick<PutInterval, 'startMicros' | 'endMicros' | 'phase'>,
): number | undefined {
  if (options.stages)
    return meanTargetPerS(
      options.stages,
      options.warmupMs,
      interval.startMicros - startMicros,
      interval.endMicros - startMicros,
    );
  if (options.rate === 'max') return undefined;
  // Nothing is due after the measured phase.
  return interval.phase === 'drain' ? 0 : options.rate;
}
