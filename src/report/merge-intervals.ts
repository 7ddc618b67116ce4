/**
 * intervals.csv and the interval .hlog files of several processes as one: rows are put
 * on one time grid (the --interval, from the earliest start) by their start timestamp,
 * counts and rates summed per grid interval, latency percentiles taken from the
 * interval histograms added together. Pure.
 *
 * Timestamps come from each host's clock, so rows line up as well as the clocks agree
 * (NTP keeps them within milliseconds; an interval is a second).
 */
import { stringify } from 'csv-stringify/sync';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, summarizeMs, type Histogram, type LatencySummary } from '../measure/histogram.js';
import { hlogHeader, hlogLine } from './hlog.js';
import { INTERVAL_COLUMNS, intervalsCsvHeader } from './intervals-csv.js';

/** How one intervals.csv column is combined. */
export type MergeRule =
  | 'index'
  | 'phase'
  | 'start_utc'
  | 'start_s'
  | 'duration'
  /** Counts: added. */
  | 'sum'
  /** Per-second rates: over a process's own rows, weighted by time; across processes, added. */
  | 'rate'
  /** The worst process speaks (how far behind, how busy). */
  | 'max'
  | { readonly histogram: 'request' | 'record'; readonly stat: keyof LatencySummary };

/** Every intervals.csv column has a rule (a test checks it): a new column must say how it merges. */
export const INTERVAL_MERGE_RULES: Readonly<Record<string, MergeRule>> = {
  interval: 'index',
  phase: 'phase',
  start_utc: 'start_utc',
  start_s: 'start_s',
  duration_s: 'duration',
  records_sent: 'sum',
  records_accepted: 'sum',
  accepted_records_per_s: 'rate',
  accepted_mib_per_s: 'rate',
  throttled_records_per_s: 'rate',
  error_records_per_s: 'rate',
  records_retried: 'sum',
  records_failed: 'sum',
  requests: 'sum',
  latency_p50_ms: { histogram: 'request', stat: 'p50' },
  latency_p90_ms: { histogram: 'request', stat: 'p90' },
  latency_p99_ms: { histogram: 'request', stat: 'p99' },
  latency_max_ms: { histogram: 'request', stat: 'max' },
  record_latency_p99_ms: { histogram: 'record', stat: 'p99' },
  schedule_behind_ms: 'max',
  event_loop_delay_p99_ms: 'max',
  event_loop_utilization: 'max',
};

export interface IntervalSource {
  /** intervals.csv rows, by column name. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The encoded interval histograms of put-request-latency.hlog and put-record-latency.hlog, one per row. */
  readonly request: readonly string[];
  readonly record: readonly string[];
}

export interface MergedInterval {
  /** Values in INTERVAL_COLUMNS order. */
  readonly cells: ReadonlyArray<string | number>;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly request: Histogram;
  readonly record: Histogram;
}

export interface MergedIntervals {
  /** The grid's origin: the earliest row start, µs since the epoch. */
  readonly startMicros: number;
  readonly intervals: readonly MergedInterval[];
}

/** One process's rows that fell into one grid interval. */
interface Part {
  readonly phases: Set<string>;
  startMs: number;
  durationS: number;
  readonly sums: Map<string, number>;
  /** rate x seconds, to be divided by durationS. */
  readonly weighted: Map<string, number>;
  readonly maxes: Map<string, number>;
  readonly request: Histogram;
  readonly record: Histogram;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
const RATE_DIGITS: Readonly<Record<string, number>> = { accepted_mib_per_s: 4 };

export function mergeIntervalFiles(sources: readonly IntervalSource[], intervalMs: number): MergedIntervals {
  const starts = sources.flatMap((s) => s.rows.map((row) => Date.parse(row['start_utc'] ?? '')));
  const origin = Math.min(...starts.filter(Number.isFinite));
  if (!Number.isFinite(origin)) return { startMicros: 0, intervals: [] };

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
      addRow(part, row, startMs, source.request[i], source.record[i]);
    });
  });

  const intervals: MergedInterval[] = [];
  for (const slot of [...grid.keys()].sort((a, b) => a - b)) {
    const parts = [...(grid.get(slot)?.values() ?? [])];
    intervals.push(mergeSlot(parts, intervals.length, origin));
  }
  return { startMicros: origin * 1000, intervals };
}

function newPart(startMs: number): Part {
  return {
    phases: new Set(),
    startMs,
    durationS: 0,
    sums: new Map(),
    weighted: new Map(),
    maxes: new Map(),
    request: createLatencyHistogram(),
    record: createLatencyHistogram(),
  };
}

function addRow(part: Part, row: Readonly<Record<string, string>>, startMs: number, request: string | undefined, record: string | undefined): void {
  const durationS = Number(row['duration_s'] ?? 0);
  part.phases.add(row['phase'] ?? '');
  part.startMs = Math.min(part.startMs, startMs);
  part.durationS += durationS;
  for (const [column, rule] of Object.entries(INTERVAL_MERGE_RULES)) {
    const value = Number(row[column] ?? 0);
    if (rule === 'sum') part.sums.set(column, (part.sums.get(column) ?? 0) + value);
    else if (rule === 'rate') part.weighted.set(column, (part.weighted.get(column) ?? 0) + value * durationS);
    else if (rule === 'max') part.maxes.set(column, Math.max(part.maxes.get(column) ?? 0, value));
  }
  if (request) part.request.add(decodeHistogram(request));
  if (record) part.record.add(decodeHistogram(record));
}

function mergeSlot(parts: readonly Part[], index: number, originMs: number): MergedInterval {
  const request = createLatencyHistogram();
  const record = createLatencyHistogram();
  for (const part of parts) {
    request.add(part.request);
    record.add(part.record);
  }
  const summaries = { request: summarizeMs(request), record: summarizeMs(record) };
  const startMs = Math.min(...parts.map((p) => p.startMs));
  const durationS = Math.max(...parts.map((p) => p.durationS));
  const phases = new Set(parts.flatMap((p) => [...p.phases]));
  const cells = INTERVAL_COLUMNS.map((column): string | number => {
    const rule = INTERVAL_MERGE_RULES[column.name];
    if (rule === undefined) throw new RangeError(`intervals.csv column ${column.name} has no merge rule`);
    if (typeof rule === 'object') return summaries[rule.histogram][rule.stat];
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
        return parts.reduce((total, p) => total + (p.sums.get(column.name) ?? 0), 0);
      case 'rate':
        return round(
          parts.reduce((total, p) => total + (p.durationS > 0 ? (p.weighted.get(column.name) ?? 0) / p.durationS : 0), 0),
          RATE_DIGITS[column.name] ?? 3,
        );
      case 'max':
        return Math.max(...parts.map((p) => p.maxes.get(column.name) ?? 0));
    }
  });
  return { cells, startMicros: startMs * 1000, endMicros: Math.round((startMs + durationS * 1000) * 1000), request, record };
}

/** The merged intervals.csv. */
export function mergedIntervalsCsv(merged: MergedIntervals): string {
  return intervalsCsvHeader() + merged.intervals.map((interval) => stringify([[...interval.cells]])).join('');
}

/** A merged interval log, one histogram per merged interval. */
export function mergedHlog(merged: MergedIntervals, description: string, which: 'request' | 'record'): string {
  return (
    hlogHeader(merged.startMicros, description) +
    merged.intervals
      .map((interval) => {
        const histogram = interval[which];
        return hlogLine(encodeHistogram(histogram), interval.startMicros, interval.endMicros, histogram.maxValue, merged.startMicros);
      })
      .join('')
  );
}
