/**
 * How much worse a figure may get against a baseline before it counts as a regression:
 * `--max-regression 10%` for every gated metric, `--max-regression put.p99_ms=20%` for
 * one, `put.throttled_pct=1` (absolute, in the metric's unit: useful when the baseline
 * is 0), or `put.p90_ms=off` to leave one out of the gate.
 */
import { ValueError } from '../errors/errors.js';
import { findMetric, metricNames, type Metric } from './metrics.js';

export type Tolerance =
  | { readonly kind: 'relative'; readonly pct: number }
  | { readonly kind: 'absolute'; readonly amount: number }
  | { readonly kind: 'off' };

export interface RegressionLimits {
  /** For every metric marked gated, unless it has its own. */
  readonly global: Tolerance | undefined;
  readonly perMetric: ReadonlyMap<string, Tolerance>;
}

export const NO_LIMITS: RegressionLimits = { global: undefined, perMetric: new Map() };

const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;
const NUMBER = /^\d+(?:\.\d+)?$/;

/** `10%`, or `metric=10%` / `metric=2` / `metric=off`. */
export function parseRegressionLimit(text: string): {
  readonly metric: Metric | undefined;
  readonly tolerance: Tolerance;
} {
  const trimmed = text.trim();
  const equals = trimmed.indexOf('=');
  if (equals < 0) {
    const match = PERCENT.exec(trimmed);
    if (!match) throw new ValueError(`"${text}" is not a tolerance (use a percentage like 10%, or metric=10%)`);
    return { metric: undefined, tolerance: { kind: 'relative', pct: Number(match[1]) } };
  }
  const name = trimmed.slice(0, equals).trim();
  const value = trimmed.slice(equals + 1).trim();
  const metric = findMetric(name);
  if (!metric) throw new ValueError(`"${text}": unknown metric ${name} (known: ${metricNames()})`);
  if (metric.better === 'neither')
    throw new ValueError(`"${text}": ${metric.name} is neither better higher nor lower, so it cannot regress`);
  return { metric, tolerance: parseTolerance(text, value, metric) };
}

function parseTolerance(text: string, value: string, metric: Metric): Tolerance {
  if (value === 'off') return { kind: 'off' };
  const percent = PERCENT.exec(value);
  if (percent) return { kind: 'relative', pct: Number(percent[1]) };
  if (NUMBER.test(value)) return { kind: 'absolute', amount: Number(value) };
  throw new ValueError(
    `"${text}" is not a tolerance (after ${metric.name}= write a percentage like 10%, an amount in ${metric.unit}, ` +
      `or off)`,
  );
}

/** Later limits override earlier ones: the command line after the scenario file. */
export function combineLimits(texts: readonly string[], base: RegressionLimits = NO_LIMITS): RegressionLimits {
  let global = base.global;
  const perMetric = new Map(base.perMetric);
  for (const text of texts) {
    const { metric, tolerance } = parseRegressionLimit(text);
    if (metric) perMetric.set(metric.name, tolerance);
    else global = tolerance;
  }
  return { global, perMetric };
}

/** The tolerance for one metric, undefined when it is not gated. */
export function toleranceFor(limits: RegressionLimits, metric: Metric): Tolerance | undefined {
  const own = limits.perMetric.get(metric.name);
  if (own) return own.kind === 'off' ? undefined : own;
  return metric.gated ? limits.global : undefined;
}

export function formatTolerance(tolerance: Tolerance, unit: string): string {
  switch (tolerance.kind) {
    case 'relative':
      return `${tolerance.pct} %`;
    case 'absolute':
      return `${tolerance.amount} ${unit}`;
    case 'off':
      return 'off';
  }
}
