/**
 * cases.csv: one row per case of a `kbench run`, ready for a spreadsheet's pivot table:
 * the case, its parameters (named as in summary.json's `options`, units in the names),
 * then the headline figures (units in the names). With --repeat, a figure is the median
 * of the repetitions, followed by their min and max. Header and rows come from one
 * column list. Pure: returns text.
 */
import { stringify } from 'csv-stringify/sync';
import { HEADLINE_METRICS, type Metric } from '../gate/metrics.js';
import { spreadOf } from '../gate/repetitions.js';

/** How a case ended: every repetition completed, or not. */
export type CaseStatus = 'completed' | 'failed' | 'interrupted' | 'skipped';

export interface CaseRow {
  readonly index: number;
  readonly id: string;
  readonly mode: string;
  readonly status: CaseStatus;
  /** Repetitions planned (--repeat). */
  readonly repetitions: number;
  /** The case's options as its summary.json lists them. */
  readonly options: Readonly<Record<string, unknown>>;
  /** summary.json of each completed repetition. */
  readonly summaries: readonly unknown[];
  readonly error: string | undefined;
}

export interface CaseColumn {
  readonly name: string;
  readonly value: (row: CaseRow) => string | number;
}

/** Options that name a run rather than describe its workload. */
const RUN_IDENTITY = new Set(['run_id', 'out']);

/** Parameter columns: the options that differ between cases first (the pivot keys), then the rest. */
export function optionColumns(options: ReadonlyArray<Readonly<Record<string, unknown>>>): string[] {
  const keys = [...new Set(options.flatMap((o) => Object.keys(o)))].filter((key) => !RUN_IDENTITY.has(key));
  const varies = (key: string): boolean => new Set(options.map((o) => JSON.stringify(o[key] ?? null))).size > 1;
  return [...keys.filter(varies), ...keys.filter((key) => !varies(key))];
}

const median = (metric: Metric, row: CaseRow): number | undefined =>
  spreadOf(row.summaries.map((s) => metric.read(s)).filter((v): v is number => v !== undefined), metric.better)?.median;

export function caseColumns(optionKeys: readonly string[], repeat: number): CaseColumn[] {
  // Booleans as words: csv-stringify would write false as an empty cell.
  const cell = (value: unknown): string | number => (value === undefined || value === null ? '' : typeof value === 'number' ? value : String(value));
  const spread = (metric: Metric, row: CaseRow) =>
    spreadOf(row.summaries.map((s) => metric.read(s)).filter((v): v is number => v !== undefined), metric.better);
  return [
    { name: 'case', value: (r) => r.index },
    { name: 'case_id', value: (r) => r.id },
    { name: 'mode', value: (r) => r.mode },
    { name: 'status', value: (r) => r.status },
    { name: 'repetitions', value: (r) => r.repetitions },
    { name: 'repetitions_completed', value: (r) => r.summaries.length },
    ...optionKeys.map((key): CaseColumn => ({ name: key, value: (r) => cell(r.options[key]) })),
    ...HEADLINE_METRICS.map((metric): CaseColumn => ({ name: metric.column ?? metric.name, value: (r) => cell(median(metric, r)) })),
    ...(repeat > 1
      ? HEADLINE_METRICS.flatMap((metric): CaseColumn[] => [
          { name: `${metric.column}_min`, value: (r) => cell(spread(metric, r)?.min) },
          { name: `${metric.column}_max`, value: (r) => cell(spread(metric, r)?.max) },
        ])
      : []),
    {
      name: 'client_bound',
      value: (r) => (r.summaries.length === 0 ? '' : String(r.summaries.some((s) => (s as { client?: { client_bound?: unknown } }).client?.client_bound === true))),
    },
    { name: 'error', value: (r) => r.error ?? '' },
  ];
}

export function casesCsvHeader(columns: readonly CaseColumn[]): string {
  return stringify([columns.map((column) => column.name)]);
}

export function casesCsvRow(columns: readonly CaseColumn[], row: CaseRow): string {
  return stringify([columns.map((column) => column.value(row))]);
}
