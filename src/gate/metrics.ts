/**
 * The figures thresholds, comparisons and cases.csv speak about: one name each, where it
 * lives in summary.json, its unit, and which way is better. One list, so a threshold, a
 * compare row and a cases.csv column can never disagree about what a name means. A lag
 * metric reads as "not measured" in a summary without a `lag` block.
 */
import { numberAt, type Better } from '../blocks/block.js';
import { BLOCKS, type BlockKey } from '../blocks/run-layout.js';

/** The summary.json block a metric lives in; a summary without that block did not measure it. */
export type MetricBlock = BlockKey;

export interface Metric {
  /** What users write: `put.records_per_s`, `lag.p99_ms`. */
  readonly name: string;
  /** Where it is in summary.json (dotted), or a description when derived. */
  readonly path: string;
  readonly unit: string;
  readonly better: Better;
  readonly block: MetricBlock;
  /** A headline column of cases.csv, units in the name; undefined: not a headline. */
  readonly column?: string;
  /** A global --max-regression applies to it (the noisiest tails and counts that only inform do not). */
  readonly gated: boolean;
  /** The value in one summary.json; undefined when absent or not a finite number. */
  readonly read: (summary: unknown) => number | undefined;
}

/** Each block declares its metrics (src/blocks/); here they get their block and a reader. */
export const METRICS: readonly Metric[] = BLOCKS.flatMap(({ key: block, metrics }) =>
  metrics.map((def): Metric => ({
    name: def.name,
    path: def.path,
    unit: def.unit,
    better: def.better,
    block,
    ...(def.column !== undefined && { column: def.column }),
    gated: def.gated ?? false,
    read: def.read ?? ((summary) => numberAt(summary, def.path)),
  })),
);

/** cases.csv's headline figures, in this order. */
export const HEADLINE_METRICS: readonly Metric[] = METRICS.filter((metric) => metric.column !== undefined);

/** A metric by its name, or by its summary.json path (`put.latency_ms.p99` = `put.p99_ms`). */
export function findMetric(name: string): Metric | undefined {
  return METRICS.find((metric) => metric.name === name) ?? METRICS.find((metric) => metric.path === name);
}

export function metricNames(): string {
  return METRICS.map((metric) => metric.name).join(', ');
}

/** Whether a summary has the block a metric lives in (a put run has no lag figures). */
export function hasBlock(summary: unknown, block: MetricBlock): boolean {
  const value = (summary as Record<string, unknown> | null)?.[block];
  return typeof value === 'object' && value !== null;
}
