/**
 * Thresholds, k6 style: `put.records_per_s >= 2500`, `lag.p99_ms < 1500`,
 * `put.throttled_pct < 5%`, and for some cases of a matrix only:
 * `put.records_per_s{shards=3} >= 6000`.
 *
 *   threshold := metric [ "{" field "=" value { "," field "=" value } "}" ] op number [ "%" ]
 *   op        := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   number    := [ "-" ] digits [ "." digits ]     (in the metric's unit; "%" only for % metrics)
 *
 * Parsing is pure and knows only metrics; the scenario checks the selector's fields.
 */
import { ValueError } from '../errors/errors.js';
import { findMetric, hasBlock, metricNames, type Metric } from './metrics.js';
import { spreadOf, type Spread } from './repetitions.js';

export const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Threshold {
  /** As the user wrote it, for messages and reports. */
  readonly text: string;
  readonly metric: Metric;
  /** Only cases whose field has this value (as the field's parser reads it); empty: every case. */
  readonly selector: ReadonlyArray<readonly [field: string, value: string]>;
  readonly op: Operator;
  readonly limit: number;
}

const SHAPE = /^\s*([A-Za-z_][\w.]*)\s*(?:\{([^}]*)\})?\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$/;

export function parseThreshold(text: string): Threshold {
  const match = SHAPE.exec(text);
  if (!match) {
    throw new ValueError(
      `"${text}" is not a threshold (write metric op number, e.g. "put.records_per_s >= 2500"; op is one ` +
        `of ${OPERATORS.join(' ')})`,
    );
  }
  const [, name = '', selectorText, op = '<', number = '0', percent] = match;
  const metric = findMetric(name);
  if (!metric) throw new ValueError(`"${text}": unknown metric ${name} (known: ${metricNames()})`);
  if (percent === '%' && metric.unit !== '%') {
    throw new ValueError(`"${text}": ${metric.name} is in ${metric.unit}, not %`);
  }
  return {
    text: text.trim(),
    metric,
    selector: parseSelector(text, selectorText),
    op: op as Operator,
    limit: Number(number),
  };
}

function parseSelector(text: string, selector: string | undefined): Array<readonly [string, string]> {
  if (selector === undefined) return [];
  return selector.split(',').map((part) => {
    const [field, ...rest] = part.split('=');
    const value = rest.join('=').trim();
    if (!field?.trim() || rest.length === 0 || value === '') {
      throw new ValueError(`"${text}": the part in braces selects cases as field=value[,field=value], e.g. {shards=3}`);
    }
    return [field.trim(), value] as const;
  });
}

export function holds(value: number, op: Operator, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

export type ThresholdStatus =
  | 'pass'
  | 'fail'
  /** The case does not measure this metric (a lag threshold on a put case). */
  | 'n/a'
  /** The case has no completed run to judge; the run itself failed. */
  | 'not run';

export interface ThresholdResult {
  readonly case: string;
  readonly threshold: Threshold;
  /** The median over repetitions, and their spread. */
  readonly value: Spread | undefined;
  readonly status: ThresholdStatus;
}

export interface JudgedCase {
  readonly label: string;
  /** Completed repetitions' summary.json. */
  readonly summaries: readonly unknown[];
  /** Whether the threshold's selector picks this case. */
  readonly selects: (threshold: Threshold) => boolean;
}

/** Every threshold against every case it selects, on the median of the repetitions. */
export function evaluateThresholds(cases: readonly JudgedCase[], thresholds: readonly Threshold[]): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const judged of cases) {
    for (const threshold of thresholds) {
      if (!judged.selects(threshold)) continue;
      const base = { case: judged.label, threshold };
      if (judged.summaries.length === 0) {
        results.push({ ...base, value: undefined, status: 'not run' });
        continue;
      }
      const { metric } = threshold;
      if (!judged.summaries.some((summary) => hasBlock(summary, metric.block))) {
        results.push({ ...base, value: undefined, status: 'n/a' });
        continue;
      }
      const value = spreadOf(
        judged.summaries.map((summary) => metric.read(summary)).filter((v): v is number => v !== undefined),
        metric.better,
      );
      // A block that should hold the figure but does not: fail rather than pass unseen.
      results.push({
        ...base,
        value,
        status: value && holds(value.median, threshold.op, threshold.limit) ? 'pass' : 'fail',
      });
    }
  }
  return results;
}
