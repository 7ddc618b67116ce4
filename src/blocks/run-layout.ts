/**
 * Which blocks a run measures, and where each finds its part of the run's interval and
 * result: a put run is [put], a lag run [put, lag]. The results folder, the merge and
 * the commands loop over a layout's blocks; nothing above lists a block's files, columns
 * or histograms again.
 */
import type { Histogram } from '../measure/histogram.js';
import type { PutInterval, PutRunResult } from '../model/put-result.js';
import type { LagRunInterval, LagRunResult } from '../model/lag-result.js';
import { roundTo as round } from '../runtime/round.js';
import { seconds, type Block, type IntervalColumn, type MergeRule } from './block.js';
import { LAG_BLOCK } from './lag.js';
import { PUT_BLOCK } from './put.js';

/** Every block, in summary.json's order. */
export const BLOCKS = [PUT_BLOCK, LAG_BLOCK] as const;

export type BlockKey = (typeof BLOCKS)[number]['key'];

export type PutHistogramName = keyof typeof PUT_BLOCK.histograms;
export type LagHistogramName = keyof typeof LAG_BLOCK.histograms;
export type HistogramName = PutHistogramName | LagHistogramName;

/** A histogram of a run, with its block's words for its interval log. */
export interface RunHistogram<Row, Result> {
  readonly name: HistogramName;
  readonly file: string;
  readonly what: string;
  /** What the interval log's lines count (its header). */
  readonly notes: readonly string[];
  readonly interval: (row: Row) => readonly [encoded: string, maxMs: number];
  readonly whole: (result: Result) => Histogram;
}

/** One of a run's blocks, bound to where its parts are in the run's rows and result. */
export interface RunBlock {
  readonly key: BlockKey;
  /** Its summary.json block from several processes' blocks (read from their files). */
  readonly merge: (blocks: readonly unknown[], histograms: ReadonlyMap<string, Histogram>) => unknown;
}

export interface RunLayout<Row, Result> {
  /** The command whose results these are. */
  readonly command: BlockKey;
  readonly blocks: readonly RunBlock[];
  /** intervals.csv: the interval's time frame, then each block's columns. */
  readonly columns: readonly IntervalColumn<Row, HistogramName>[];
  readonly histograms: readonly RunHistogram<Row, Result>[];
  /** The producers' row: its time frame and its per-shard counts (shard-intervals.csv). */
  readonly put: (row: Row) => PutInterval;
}

/** The time frame of every intervals.csv row, from the producers' interval. */
const FRAME_COLUMNS: readonly IntervalColumn<PutInterval, HistogramName>[] = [
  { name: 'interval', value: (r) => r.index, merge: 'index' },
  { name: 'phase', value: (r) => r.phase, merge: 'phase' },
  { name: 'start_utc', value: (r) => new Date(r.startMicros / 1000).toISOString(), merge: 'start_utc' },
  { name: 'start_s', value: (r, t0) => round((r.startMicros - t0) / 1e6, 3), merge: 'start_s' },
  { name: 'duration_s', value: (r) => round(seconds(r), 3), merge: 'duration' },
];

interface BoundBlock<Row, Result> {
  readonly block: RunBlock;
  readonly columns: readonly IntervalColumn<Row, HistogramName>[];
  readonly histograms: readonly RunHistogram<Row, Result>[];
}

/** A block's declarations, reading from the run's rows and result. */
function bind<Row, Result, BRow, BResult, Json, K extends BlockKey, H extends HistogramName>(
  block: Block<K, BRow, BResult, Json, H>,
  row: (row: Row) => BRow,
  result: (result: Result) => BResult,
): BoundBlock<Row, Result> {
  const specs = Object.entries(block.histograms) as [H, Block<K, BRow, BResult, Json, H>['histograms'][H]][];
  return {
    // Read from summary.json files, so typed by the reader's checks, not by the compiler.
    block: { key: block.key, merge: (blocks, histograms) => block.merge(blocks as readonly Json[], histograms) },
    columns: bindColumns(block.columns, row),
    histograms: specs.map(([name, spec]) => ({
      name,
      file: spec.file,
      what: spec.what,
      notes: block.logNotes,
      interval: (r: Row) => spec.interval(row(r)),
      whole: (r: Result) => spec.whole(result(r)),
    })),
  };
}

function bindColumns<Row, BRow>(
  columns: readonly IntervalColumn<BRow, HistogramName>[],
  row: (row: Row) => BRow,
): IntervalColumn<Row, HistogramName>[] {
  return columns.map((column) => ({ ...column, value: (r: Row, t0: number) => column.value(row(r), t0) }));
}

function layout<Row, Result>(
  command: BlockKey,
  put: (row: Row) => PutInterval,
  bound: readonly BoundBlock<Row, Result>[],
): RunLayout<Row, Result> {
  return {
    command,
    blocks: bound.map((b) => b.block),
    columns: [...bindColumns(FRAME_COLUMNS, put), ...bound.flatMap((b) => b.columns)],
    histograms: bound.flatMap((b) => b.histograms),
    put,
  };
}

const self = <T>(value: T): T => value;

export const PUT_RUN: RunLayout<PutInterval, PutRunResult> = layout('put', self, [
  bind(PUT_BLOCK, self<PutInterval>, self<PutRunResult>),
]);

export const LAG_RUN: RunLayout<LagRunInterval, LagRunResult> = layout('lag', (r: LagRunInterval) => r.put, [
  bind(
    PUT_BLOCK,
    (r: LagRunInterval) => r.put,
    (r: LagRunResult) => r.put,
  ),
  bind(
    LAG_BLOCK,
    (r: LagRunInterval) => r.lag,
    (r: LagRunResult) => r.lag,
  ),
]);

/** What a merge needs of a layout: rows are read back as text, so only names, rules and blocks. */
export interface LayoutSpec {
  readonly command: BlockKey;
  readonly blocks: readonly RunBlock[];
  readonly columns: readonly string[];
  readonly rules: Readonly<Record<string, MergeRule<HistogramName>>>;
  /** Decimals of merged 'rate' columns, where not 3. */
  readonly digits: Readonly<Record<string, number>>;
  readonly histograms: readonly Omit<RunHistogram<never, never>, 'interval' | 'whole'>[];
}

function spec<Row, Result>(run: RunLayout<Row, Result>): LayoutSpec {
  return {
    command: run.command,
    blocks: run.blocks,
    columns: run.columns.map((c) => c.name),
    rules: Object.fromEntries(run.columns.map((c) => [c.name, c.merge])),
    digits: Object.fromEntries(run.columns.flatMap((c) => (c.digits === undefined ? [] : [[c.name, c.digits]]))),
    histograms: run.histograms.map(({ name, file, what, notes }) => ({ name, file, what, notes })),
  };
}

const SPECS: Readonly<Record<BlockKey, LayoutSpec>> = { put: spec(PUT_RUN), lag: spec(LAG_RUN) };

/** The layout of a command's results: a lag run's has the put columns and histograms and its own. */
export function layoutSpec(command: BlockKey): LayoutSpec {
  return SPECS[command];
}
