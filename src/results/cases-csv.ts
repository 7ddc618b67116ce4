/**
 * cases.csv: one row per case of a `kbench run`, ready for a spreadsheet's pivot table:
 * the case, its parameters (named as in summary.json's `options`, units in the names, in
 * one fixed order), then the headline figures (units in the names; lag figures only when
 * the run has a lag case). One type per column; empty where nothing was measured. With --repeat, a figure is the median
 * of the repetitions, followed by their min and max. Header and rows come from one
 * column list. Pure: returns text.
 */
import { stringify } from 'csv-stringify/sync';
import { HEADLINE_METRICS, type Metric, type MetricBlock } from '../gate/metrics.js';
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

/**
 * The order of the parameter columns, whatever the scenario: where the load goes, the
 * stream, time, producers, consumers. An option not listed here (one added later) comes
 * after these, in the order the cases list it.
 */
export const OPTION_ORDER: readonly string[] = [
  'target',
  'emulator',
  'emulator_port',
  'endpoint',
  'region',
  'profile',
  'limits',
  'limits_given',
  'inject_latency',
  'inject_errors',
  'stream',
  'shards',
  'keep_stream',
  'duration_s',
  'warmup_s',
  'interval_s',
  'rate',
  'concurrency',
  'record_size_bytes',
  'batch',
  'partition_keys',
  'retries',
  'retry_backoff_ms',
  'retry_backoff_max_ms',
  'producer_id_base',
  'consumer',
  'poll_interval_ms',
  'consumers_per_shard',
  'drain_s',
  'strict',
];

/** Always a column: summary.json always says which limits applied, whatever the options said. */
const ALWAYS = new Set(['limits']);

/**
 * Parameter columns in the fixed order of OPTION_ORDER; an option no case gave a value
 * (null: left to the target, absent: not this kind of target or mode) has no column.
 */
export function optionColumns(options: ReadonlyArray<Readonly<Record<string, unknown>>>): string[] {
  const keys = [...new Set(options.flatMap((o) => Object.keys(o)))].filter((key) => !RUN_IDENTITY.has(key));
  const given = (key: string): boolean =>
    ALWAYS.has(key) || options.some((o) => o[key] !== undefined && o[key] !== null);
  const rank = (key: string): number => {
    const at = OPTION_ORDER.indexOf(key);
    return at === -1 ? OPTION_ORDER.length : at;
  };
  const ordered = [...new Set([...keys, ...ALWAYS])].filter(given);
  // `limits` is what applied (summary.json's word); what --limits said, when a case said it, is `limits_given`.
  if (options.some((o) => o['limits'] !== undefined && o['limits'] !== null)) ordered.push('limits_given');
  // Array.prototype.sort is stable: unlisted options keep the cases' order.
  return ordered.sort((a, b) => rank(a) - rank(b));
}

const median = (metric: Metric, row: CaseRow): number | undefined =>
  spreadOf(
    row.summaries.map((s) => metric.read(s)).filter((v): v is number => v !== undefined),
    metric.better,
  )?.median;

// Booleans as words: csv-stringify would write false as an empty cell.
const cell = (value: unknown): string | number =>
  value === undefined || value === null ? '' : typeof value === 'number' ? value : String(value);

/** What summary.json says of the target's limits ("emulated-aws", "aws", "none", ...). */
function limitsOf(row: CaseRow): string | number {
  for (const summary of row.summaries) {
    const limits = (summary as { target?: { limits?: unknown } } | null)?.target?.limits;
    if (typeof limits === 'string') return limits;
  }
  return cell(row.options['limits']);
}

/**
 * One or more columns for an option. `rate` is a number of records/s or "max": split in
 * two columns of one type each, so a spreadsheet reads the rate as a number.
 */
function optionColumn(key: string): CaseColumn[] {
  if (key === 'rate') {
    return [
      {
        name: 'rate_mode',
        value: (r) => (r.options['rate'] === undefined ? '' : r.options['rate'] === 'max' ? 'closed' : 'open'),
      },
      { name: 'rate_records_per_s', value: (r) => (typeof r.options['rate'] === 'number' ? r.options['rate'] : '') },
    ];
  }
  if (key === 'limits') return [{ name: 'limits', value: limitsOf }];
  if (key === 'limits_given') return [{ name: 'limits_given', value: (r) => cell(r.options['limits']) }];
  return [{ name: key, value: (r) => cell(r.options[key]) }];
}

/** All modes: what the README lists. A run's own columns leave out the figures of modes it has no case of. */
const ALL_MODES: readonly MetricBlock[] = ['put', 'lag'];

export function caseColumns(
  optionKeys: readonly string[],
  repeat: number,
  modes: readonly string[] = ALL_MODES,
): CaseColumn[] {
  const spread = (metric: Metric, row: CaseRow) =>
    spreadOf(
      row.summaries.map((s) => metric.read(s)).filter((v): v is number => v !== undefined),
      metric.better,
    );
  // A lag run has a put block too; a put run has no lag figures.
  const headline = HEADLINE_METRICS.filter((metric) => metric.block === 'put' || modes.includes(metric.block));
  return [
    { name: 'case', value: (r) => r.index },
    { name: 'case_id', value: (r) => r.id },
    { name: 'mode', value: (r) => r.mode },
    { name: 'status', value: (r) => r.status },
    { name: 'repetitions', value: (r) => r.repetitions },
    { name: 'repetitions_completed', value: (r) => r.summaries.length },
    ...optionKeys.flatMap(optionColumn),
    ...headline.map((metric): CaseColumn => ({
      name: metric.column ?? metric.name,
      value: (r) => cell(median(metric, r)),
    })),
    ...(repeat > 1
      ? headline.flatMap((metric): CaseColumn[] => [
          { name: `${metric.column}_min`, value: (r) => cell(spread(metric, r)?.min) },
          { name: `${metric.column}_max`, value: (r) => cell(spread(metric, r)?.max) },
        ])
      : []),
    {
      name: 'client_bound',
      value: (r) =>
        r.summaries.length === 0
          ? ''
          : String(
              r.summaries.some((s) => (s as { client?: { client_bound?: unknown } }).client?.client_bound === true),
            ),
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
