/**
 * A measurement block: one thing a run measures (the producers' puts, the consumers' lag),
 * declared once with what every layer above needs: its histograms, its intervals.csv
 * columns and how each merges across processes, how its summary.json block merges, and
 * the gate metrics it offers. Results files, merging and the gate loop over blocks, so a
 * new figure is added in its block and nowhere else.
 */
import type { Histogram } from '../measure/histogram.js';
import type { LatencySummary } from '../model/latency.js';
import { UsageError } from '../errors/errors.js';
import { roundTo as round } from '../runtime/round.js';

/** How one intervals.csv column is combined across processes. */
export type MergeRule<H extends string = string> =
  | 'index'
  | 'phase'
  | 'start_utc'
  | 'start_s'
  | 'duration'
  /** Counts: added. */
  | 'sum'
  /** Per-second rates: over a process's own rows, weighted by time; across processes, added. */
  | 'rate'
  /** The worst process speaks (how far behind, how busy, the highest MillisBehindLatest). */
  | 'max'
  /** A level at the interval's end (deliveries still due): each process's last, added across processes. */
  | 'level'
  /** A figure of the interval histograms added together. */
  | { readonly histogram: H; readonly stat: keyof LatencySummary };

/** One intervals.csv column: its name (units in it), its value in an interval, and its merge rule. */
export interface IntervalColumn<Row, H extends string = string> {
  readonly name: string;
  readonly value: (row: Row, runStartMicros: number) => string | number;
  readonly merge: MergeRule<H>;
  /** A 'rate' column's decimals once merged; 3 unless said. */
  readonly digits?: number;
}

/**
 * One histogram a block keeps, by its tag (latency.csv, measured-histograms.hlog,
 * <tag>.hgrm): its interval log, what it holds, and where to find it in an interval and
 * in the run's result.
 */
export interface HistogramSpec<Row, Result> {
  readonly file: string;
  readonly what: string;
  /** The interval's encoded histogram and its max in ms. */
  readonly interval: (row: Row) => readonly [encoded: string, maxMs: number];
  /** The measured phase's whole histogram. */
  readonly whole: (result: Result) => Histogram;
}

export type Better = 'higher' | 'lower' | 'neither';

/** A gate metric as a block declares it; gate/metrics.ts adds the block and the reader. */
export interface MetricDef {
  /** What users write: `put.records_per_s`, `lag.p99_ms`. */
  readonly name: string;
  /** Where it is in summary.json (dotted), or a description when derived. */
  readonly path: string;
  readonly unit: string;
  readonly better: Better;
  /** A headline column of cases.csv, units in the name; undefined: not a headline. */
  readonly column?: string;
  /** A global --max-regression applies to it (the noisiest tails and counts that only inform do not). */
  readonly gated?: boolean;
  readonly read?: (summary: unknown) => number | undefined;
}

export interface Block<Key extends string, Row, Result, Json, H extends string> {
  /** Its key in summary.json and the prefix of its metrics. */
  readonly key: Key;
  /** In file order: latency.csv and measured-histograms.hlog list them so. */
  readonly histograms: Readonly<Record<H, HistogramSpec<Row, Result>>>;
  /** What its interval logs' lines count, and why they do not add up to summary.json (each log's header says it). */
  readonly logNotes: readonly string[];
  /** Their histograms are the block's own (NoInfer: the names come from `histograms` alone). */
  readonly columns: readonly IntervalColumn<Row, NoInfer<H>>[];
  /** Its summary.json block from several processes' blocks and their measured histograms added up. */
  readonly merge: (blocks: readonly Json[], histograms: ReadonlyMap<string, Histogram>) => Json;
  readonly metrics: readonly MetricDef[];
}

/** Infers the histogram names from the block's own declaration, so they are written once. */
export function defineBlock<Key extends string, Row, Result, Json, H extends string>(
  block: Block<Key, Row, Result, Json, H>,
): Block<Key, Row, Result, Json, H> {
  return block;
}

/** The histogram a merged block needs; a merge whose histograms lack it is refused. */
export function mergedHistogram(histograms: ReadonlyMap<string, Histogram>, tag: string, lacking = tag): Histogram {
  const found = histograms.get(tag);
  if (!found) throw new UsageError(`the merged histograms lack ${lacking}`);
  return found;
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Times of an interval row. */
export interface Timed {
  readonly startMicros: number;
  readonly endMicros: number;
}

export const seconds = (row: Timed): number => (row.endMicros - row.startMicros) / 1e6;

/** A count over an interval's seconds, as intervals.csv writes rates. */
export const perSecond = (count: number, row: Timed): number => {
  const s = seconds(row);
  return s > 0 ? round(count / s, 3) : 0;
};

/**
 * A latency figure, or an empty cell when the interval measured none: a 0 there would be
 * averaged in by a spreadsheet as if answers had been instant.
 */
export const ms = (summary: LatencySummary, value: number): number | '' => (summary.count > 0 ? value : '');

/**
 * An intervals.csv latency column: one figure of the interval's summary of histogram `histogram`,
 * merged across processes from those histograms added together, so value and merge rule name one
 * histogram and one figure.
 */
export const latencyColumn = <Row, H extends string>(
  name: string,
  histogram: H,
  stat: 'p50' | 'p90' | 'p99' | 'max',
  summary: (row: Row) => LatencySummary,
): IntervalColumn<Row, H> => ({
  name,
  value: (row) => ms(summary(row), summary(row)[stat]),
  merge: { histogram, stat },
});

/** The value at a dotted path of parsed JSON, when it is a finite number. */
export function numberAt(json: unknown, path: string): number | undefined {
  let node: unknown = json;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'number' && Number.isFinite(node) ? node : undefined;
}

const LATENCY_FIELDS = [
  ['p50', true],
  ['p90', true],
  ['p99', true],
  ['p999', false],
  ['max', false],
] as const;

/** The metrics of one latency summary in a block: p50 to max, with headline columns and gating. */
export const latencyMetrics = (
  block: string,
  prefix: string,
  path: string,
  columns: readonly string[],
  columnPrefix: string,
  gatedFields: (field: string) => boolean = () => true,
): MetricDef[] =>
  LATENCY_FIELDS.map(([field, gated]) => ({
    name: `${block}.${prefix}${field}_ms`,
    path: `${block}.${path}.${field}`,
    unit: 'ms',
    better: 'lower' as const,
    gated: gated && gatedFields(field),
    ...(columns.includes(field) && { column: `${columnPrefix}${field}_ms` }),
  }));
