/**
 * intervals.csv and the interval .hlog files of several processes as one: rows are put
 * on one time grid (the --interval, from the earliest start) by their start timestamp,
 * counts and rates summed per grid interval, latency percentiles taken from the
 * interval histograms added together. A put run's columns and logs, or a lag run's
 * (the put ones plus the consumers'). Pure.
 *
 * Timestamps come from each host's clock, so rows line up as well as the clocks agree
 * (NTP keeps them within milliseconds; an interval is a second).
 */
import { stringify } from 'csv-stringify/sync';
import { LAG_BLOCK } from '../blocks/lag.js';
import { layoutSpec, type BlockKey, type HistogramName, type LayoutSpec } from '../blocks/run-layout.js';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  summarizeMs,
  type Histogram,
} from '../measure/histogram.js';
import { hlogHeader, hlogLine } from '../results/hlog.js';
import { roundTo as round } from '../runtime/round.js';

/** Every column of a put run's intervals.csv with its merge rule, as the blocks declare them. */
export const INTERVAL_MERGE_RULES = layoutSpec('put').rules;

/** The consumers' columns of a lag run. */
export const LAG_INTERVAL_MERGE_RULES = Object.fromEntries(LAG_BLOCK.columns.map((c) => [c.name, c.merge]));

/** Which results a merge is of: its intervals.csv columns and interval logs. */
export type IntervalLayout = BlockKey;

export interface IntervalSource {
  /** intervals.csv rows, by column name. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The encoded interval histograms of each interval log, one per row. */
  readonly histograms: Partial<Readonly<Record<HistogramName, readonly string[]>>>;
}

export interface MergedInterval {
  /** Values in the order of MergedIntervals.columns. */
  readonly cells: ReadonlyArray<string | number>;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly histograms: ReadonlyMap<HistogramName, Histogram>;
}

export interface MergedIntervals {
  /** The grid's origin: the earliest row start, µs since the epoch. */
  readonly startMicros: number;
  readonly columns: readonly string[];
  readonly intervals: readonly MergedInterval[];
}

/** One process's rows that fell into one grid interval. */
interface Part {
  readonly phases: Set<string>;
  startMs: number;
  /** The start of the row the levels were taken from. */
  levelStartMs: number;
  durationS: number;
  readonly sums: Map<string, number>;
  /** rate x seconds, to be divided by durationS. */
  readonly weighted: Map<string, number>;
  readonly maxes: Map<string, number>;
  readonly levels: Map<string, number>;
  readonly histograms: Map<HistogramName, Histogram>;
}

export function mergeIntervalFiles(
  sources: readonly IntervalSource[],
  intervalMs: number,
  layout: IntervalLayout,
): MergedIntervals {
  const spec = layoutSpec(layout);
  for (const column of spec.columns) {
    if (spec.rules[column] === undefined) throw new RangeError(`intervals.csv column ${column} has no merge rule`);
  }
  const starts = sources.flatMap((s) => s.rows.map((row) => Date.parse(row['start_utc'] ?? '')));
  const origin = Math.min(...starts.filter(Number.isFinite));
  if (!Number.isFinite(origin)) return { startMicros: 0, columns: spec.columns, intervals: [] };

  // grid index -> one part per source
  const grid = new Map<number, Map<number, Part>>();
  sources.forEach((source, s) => {
    source.rows.forEach((row, i) => {
      const startMs = Date.parse(row['start_utc'] ?? '');
      if (!Number.isFinite(startMs)) return;
      const slot = Math.round((startMs - origin) / intervalMs);
      const parts = grid.get(slot) ?? new Map<number, Part>();
      grid.set(slot, parts);
      const part = parts.get(s) ?? newPart(startMs);
      parts.set(s, part);
      addRow(part, spec, row, startMs, (name) => source.histograms[name]?.[i]);
    });
  });

  const intervals: MergedInterval[] = [];
  for (const slot of [...grid.keys()].sort((a, b) => a - b)) {
    const parts = [...(grid.get(slot)?.values() ?? [])];
    intervals.push(mergeSlot(parts, spec, intervals.length, origin));
  }
  return { startMicros: origin * 1000, columns: spec.columns, intervals };
}

function newPart(startMs: number): Part {
  return {
    phases: new Set(),
    startMs,
    levelStartMs: Number.NEGATIVE_INFINITY,
    durationS: 0,
    sums: new Map(),
    weighted: new Map(),
    maxes: new Map(),
    levels: new Map(),
    histograms: new Map(),
  };
}

function addRow(
  part: Part,
  spec: LayoutSpec,
  row: Readonly<Record<string, string>>,
  startMs: number,
  encoded: (name: HistogramName) => string | undefined,
): void {
  const durationS = Number(row['duration_s'] ?? 0);
  part.phases.add(row['phase'] ?? '');
  part.startMs = Math.min(part.startMs, startMs);
  part.durationS += durationS;
  const latest = startMs >= part.levelStartMs;
  if (latest) part.levelStartMs = startMs;
  for (const column of spec.columns) {
    const rule = spec.rules[column];
    const text = row[column] ?? '';
    // An empty cell measured nothing (no answers in that interval): not a 0 to take the max of.
    if (text === '' && rule === 'max') continue;
    const value = Number(text === '' ? 0 : text);
    if (rule === 'sum') part.sums.set(column, (part.sums.get(column) ?? 0) + value);
    else if (rule === 'rate') part.weighted.set(column, (part.weighted.get(column) ?? 0) + value * durationS);
    else if (rule === 'max') part.maxes.set(column, Math.max(part.maxes.get(column) ?? 0, value));
    else if (rule === 'level' && latest) part.levels.set(column, value);
  }
  for (const { name } of spec.histograms) {
    const text = encoded(name);
    if (!text) continue;
    const histogram = part.histograms.get(name) ?? createLatencyHistogram();
    histogram.add(decodeHistogram(text));
    part.histograms.set(name, histogram);
  }
}

function mergeSlot(parts: readonly Part[], spec: LayoutSpec, index: number, originMs: number): MergedInterval {
  const histograms = new Map<HistogramName, Histogram>();
  for (const { name } of spec.histograms) {
    const total = createLatencyHistogram();
    for (const part of parts) {
      const histogram = part.histograms.get(name);
      if (histogram) total.add(histogram);
    }
    histograms.set(name, total);
  }
  const summaries = new Map([...histograms].map(([name, histogram]) => [name, summarizeMs(histogram)] as const));
  const startMs = Math.min(...parts.map((p) => p.startMs));
  const durationS = Math.max(...parts.map((p) => p.durationS));
  const phases = new Set(parts.flatMap((p) => [...p.phases]));
  const cells = spec.columns.map((column): string | number => {
    const rule = spec.rules[column];
    if (rule === undefined) throw new RangeError(`intervals.csv column ${column} has no merge rule`);
    if (typeof rule === 'object') {
      // Nothing measured in any process: an empty cell, as each process wrote it.
      const summary = summaries.get(rule.histogram);
      return summary && summary.count > 0 ? summary[rule.stat] : '';
    }
    switch (rule) {
      case 'index':
        return index;
      case 'phase':
        // Processes that did not start together are in different phases at one time.
        return phases.size === 1 ? ([...phases][0] ?? '') : 'mixed';
      case 'start_utc':
        return new Date(startMs).toISOString();
      case 'start_s':
        return round((startMs - originMs) / 1000, 3);
      case 'duration':
        return round(durationS, 3);
      case 'sum':
        return parts.reduce((sum, p) => sum + (p.sums.get(column) ?? 0), 0);
      case 'level':
        return parts.reduce((sum, p) => sum + (p.levels.get(column) ?? 0), 0);
      case 'rate':
        return round(
          parts.reduce((sum, p) => sum + (p.durationS > 0 ? (p.weighted.get(column) ?? 0) / p.durationS : 0), 0),
          spec.digits[column] ?? 3,
        );
      case 'max': {
        const values = parts.flatMap((p) => (p.maxes.has(column) ? [p.maxes.get(column) ?? 0] : []));
        return values.length > 0 ? Math.max(...values) : '';
      }
    }
  });
  return { cells, startMicros: startMs * 1000, endMicros: Math.round((startMs + durationS * 1000) * 1000), histograms };
}

/** The merged intervals.csv. */
export function mergedIntervalsCsv(merged: MergedIntervals): string {
  return (
    stringify([[...merged.columns]]) + merged.intervals.map((interval) => stringify([[...interval.cells]])).join('')
  );
}

/** A merged interval log, one histogram per merged interval. */
export function mergedHlog(
  merged: MergedIntervals,
  description: string,
  which: LayoutSpec['histograms'][number],
): string {
  return (
    // The merged lines count as each process's lines do: say so as they do.
    hlogHeader(merged.startMicros, description, which.notes) +
    merged.intervals
      .map((interval) => {
        const histogram = interval.histograms.get(which.name) ?? createLatencyHistogram();
        return hlogLine(
          encodeHistogram(histogram),
          interval.startMicros,
          interval.endMicros,
          histogram.maxValue,
          merged.startMicros,
        );
      })
      .join('')
  );
}
