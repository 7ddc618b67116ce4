/**
 * A baseline against a current result, metric by metric: medians over repetitions, the
 * change in %, and a verdict; with regression limits, a gate. Pure.
 */
import { METRICS, type Metric } from './metrics.js';
import { spreadOf, type Spread } from './repetitions.js';
import type { CaseResults, ResultSet } from './result-set.js';
import { toleranceFor, type RegressionLimits, type Tolerance } from './tolerance.js';

export type Verdict =
  /** Moved the good way. */
  | 'better'
  | 'same'
  /** Moved the bad way, within the tolerance (or there is none). */
  | 'worse'
  /** Moved the bad way by more than the tolerance: fails the gate. */
  | 'regression'
  /** Neither direction is better; shown for information. */
  | 'info'
  /** In the baseline, not in the current result: fails the gate when the metric is gated. */
  | 'missing';

export interface CompareRow {
  readonly case: string;
  readonly metric: Metric;
  readonly baseline: Spread;
  readonly current: Spread | undefined;
  /** (current - baseline) / baseline in %, signed; undefined when the baseline is 0 or current is missing. */
  readonly changePct: number | undefined;
  readonly tolerance: Tolerance | undefined;
  readonly verdict: Verdict;
}

export interface Comparison {
  readonly baseline: string;
  readonly current: string;
  readonly rows: readonly CompareRow[];
  /** Cases in the baseline with no completed repetition in the current result. */
  readonly missingCases: readonly string[];
  /** Cases only the current result has: not compared. */
  readonly newCases: readonly string[];
  /** Things that make the comparison less meaningful (different options, client-bound runs). */
  readonly notes: readonly string[];
  /** Whether a tolerance was given at all: without one, compare only informs. */
  readonly gated: boolean;
  /** Gated metrics with a number on both sides: a gate that compared none passes nothing. */
  readonly compared: number;
  readonly passed: boolean;
}

/** Metrics shown: those a global limit gates, plus any given a limit of its own. */
function shownMetrics(limits: RegressionLimits): Metric[] {
  return METRICS.filter((metric) => metric.gated || limits.perMetric.has(metric.name));
}

export function compareResults(baseline: ResultSet, current: ResultSet, limits: RegressionLimits): Comparison {
  const pairs = pairCases(baseline.cases, current.cases);
  const rows: CompareRow[] = [];
  const notes: string[] = [];
  const missingCases: string[] = [];
  const metrics = shownMetrics(limits);
  for (const [base, cur] of pairs.matched) {
    if (cur.summaries.length === 0) {
      missingCases.push(base.label);
      continue;
    }
    notes.push(...comparabilityNotes(base, cur));
    for (const metric of metrics) {
      const row = compareMetric(cur.label, metric, base, cur, toleranceFor(limits, metric));
      if (row) rows.push(row);
    }
  }
  missingCases.push(...pairs.onlyBaseline.map((c) => c.label));
  const gated = limits.global !== undefined || [...limits.perMetric.values()].some((t) => t.kind !== 'off');
  const failedRows = rows.filter(
    (row) => row.verdict === 'regression' || (row.verdict === 'missing' && row.tolerance !== undefined),
  );
  const compared = rows.filter(
    (row) =>
      row.tolerance !== undefined &&
      row.tolerance.kind !== 'off' &&
      row.current !== undefined &&
      row.verdict !== 'info',
  ).length;
  return {
    baseline: baseline.source,
    current: current.source,
    rows,
    missingCases,
    newCases: pairs.onlyCurrent.map((c) => c.label),
    notes: [...new Set(notes)],
    gated,
    compared,
    passed: !gated || (failedRows.length === 0 && missingCases.length === 0 && compared > 0),
  };
}

function pairCases(
  baseline: readonly CaseResults[],
  current: readonly CaseResults[],
): { matched: Array<[CaseResults, CaseResults]>; onlyBaseline: CaseResults[]; onlyCurrent: CaseResults[] } {
  const [onlyBase] = baseline;
  const [onlyCur] = current;
  // One run against one run: whatever their case keys, they are the thing compared.
  if (baseline.length === 1 && current.length === 1 && onlyBase && onlyCur) {
    return { matched: [[onlyBase, onlyCur]], onlyBaseline: [], onlyCurrent: [] };
  }
  const byKey = new Map(current.map((c) => [c.key, c]));
  const matched: Array<[CaseResults, CaseResults]> = [];
  const onlyBaseline: CaseResults[] = [];
  for (const base of baseline) {
    const cur = byKey.get(base.key);
    if (cur) {
      matched.push([base, cur]);
      byKey.delete(base.key);
    } else {
      onlyBaseline.push(base);
    }
  }
  return { matched, onlyBaseline, onlyCurrent: [...byKey.values()] };
}

function values(summaries: readonly unknown[], metric: Metric): number[] {
  return summaries.map((s) => metric.read(s)).filter((v): v is number => v !== undefined);
}

function compareMetric(
  label: string,
  metric: Metric,
  base: CaseResults,
  cur: CaseResults,
  tolerance: Tolerance | undefined,
): CompareRow | undefined {
  const baseline = spreadOf(values(base.summaries, metric), metric.better);
  // A metric the baseline did not measure (a put run has no lag figures) is not compared.
  if (!baseline) return undefined;
  const current = spreadOf(values(cur.summaries, metric), metric.better);
  if (!current)
    return { case: label, metric, baseline, current: undefined, changePct: undefined, tolerance, verdict: 'missing' };
  const changePct =
    baseline.median !== 0 ? ((current.median - baseline.median) / Math.abs(baseline.median)) * 100 : undefined;
  return {
    case: label,
    metric,
    baseline,
    current,
    changePct,
    tolerance,
    verdict: verdictOf(metric, baseline.median, current.median, tolerance),
  };
}

export function verdictOf(
  metric: Metric,
  baseline: number,
  current: number,
  tolerance: Tolerance | undefined,
): Verdict {
  if (metric.better === 'neither') return 'info';
  if (current === baseline) return 'same';
  // How much worse, in the metric's unit and in % of the baseline (positive = worse).
  const worseBy = metric.better === 'higher' ? baseline - current : current - baseline;
  if (worseBy < 0) return 'better';
  if (!tolerance || tolerance.kind === 'off') return 'worse';
  if (tolerance.kind === 'absolute') return worseBy > tolerance.amount ? 'regression' : 'worse';
  // A baseline of 0 has no relative change: any worsening exceeds a relative tolerance.
  if (baseline === 0) return 'regression';
  return (worseBy / Math.abs(baseline)) * 100 > tolerance.pct ? 'regression' : 'worse';
}

/** Option keys that name a run rather than describe its load. */
const IDENTITY_OPTIONS = new Set(['run_id', 'out', 'emulator_port']);

function comparabilityNotes(base: CaseResults, cur: CaseResults): string[] {
  const notes: string[] = [];
  const [b] = base.summaries as Array<Record<string, unknown> | undefined>;
  const [c] = cur.summaries as Array<Record<string, unknown> | undefined>;
  const where = cur.key === '' ? '' : `${cur.label}: `;
  const baseOptions = (b?.['options'] ?? {}) as Record<string, unknown>;
  const curOptions = (c?.['options'] ?? {}) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(baseOptions), ...Object.keys(curOptions)])) {
    if (IDENTITY_OPTIONS.has(key)) continue;
    if (JSON.stringify(baseOptions[key]) !== JSON.stringify(curOptions[key])) {
      notes.push(
        `${where}option ${key} differs: baseline ${JSON.stringify(baseOptions[key])}, ` +
          `current ${JSON.stringify(curOptions[key])}`,
      );
    }
  }
  if (b?.['command'] !== c?.['command'])
    notes.push(`${where}different commands: baseline ${String(b?.['command'])}, current ${String(c?.['command'])}`);
  for (const [side, results] of [
    ['baseline', base],
    ['current', cur],
  ] as const) {
    const runs = results.summaries.length;
    const of = (n: number): string =>
      `${n} of the ${side}'s ${runs} run${runs === 1 ? '' : 's'} ${n === 1 ? 'was' : 'were'}`;
    const bound = results.summaries.filter(
      (s) => (s as { client?: { client_bound?: unknown } }).client?.client_bound === true,
    ).length;
    if (bound > 0) notes.push(`${where}${of(bound)} client-bound: those figures measure kbench, not the stream`);
    const interrupted = results.summaries.filter((s) => (s as { interrupted?: unknown }).interrupted === true).length;
    if (interrupted > 0) notes.push(`${where}${of(interrupted)} interrupted`);
  }
  return notes;
}
