/**
 * Reads what a report draws: a results folder (summary.json, intervals.csv,
 * measured-histograms.hlog, shard-intervals.csv when there) or a `kbench run` folder
 * (run.json and its cases' folders), into plain data the page embeds as JSON. Reads
 * only; report-html.ts turns this into the page.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError, errorMessage } from '../../errors/errors.js';
import { METRICS } from '../../gate/metrics.js';
import { decodeHistogram } from '../../measure/histogram.js';
import { parseHlog } from '../hlog.js';
import { RESULT_FILES } from '../results-folder.js';
import { checkedSummary } from '../results-reader.js';
import { RUN_FILES } from '../run-folder.js';
import type { CaseRecord, RunManifest } from '../run-manifest.js';

export type CsvRow = Readonly<Record<string, string | number>>;

/** One whole-run histogram as the plotter draws it: [percentile %, value ms] points. */
export interface Distribution {
  readonly name: string;
  readonly count: number;
  readonly points: ReadonlyArray<readonly [percentile: number, ms: number]>;
}

/** One results folder: one put, lag or merge. */
export interface ReportRun {
  readonly dir: string;
  readonly label: string;
  readonly summary: Readonly<Record<string, unknown>>;
  readonly intervals: readonly CsvRow[];
  readonly shardIntervals: readonly CsvRow[];
  readonly distributions: readonly Distribution[];
}

/** One case of a `kbench run`: its completed repetitions, and the median of each headline figure. */
export interface ReportCase {
  readonly key: string;
  readonly label: string;
  readonly status: string;
  readonly runs: readonly ReportRun[];
  readonly metrics: Readonly<Record<string, { readonly value: number; readonly unit: string }>>;
}

export interface ReportRunSet {
  readonly dir: string;
  readonly manifest: Pick<
    RunManifest,
    'run_id' | 'scenario' | 'description' | 'status' | 'started_at' | 'ended_at' | 'repeat' | 'gate'
  >;
  readonly cases: readonly ReportCase[];
}

export type ReportSource =
  { readonly kind: 'results'; readonly run: ReportRun } | { readonly kind: 'run'; readonly set: ReportRunSet };

export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  readonly kbenchVersion: string;
  readonly sources: readonly ReportSource[];
  /** `--baseline`: drawn beside the current curves. */
  readonly baseline: ReportSource | null;
}

/** Reads a results folder or a `kbench run` folder. Throws a UsageError naming the folder. */
export function readReportSource(dir: string, role = 'report'): ReportSource {
  const where = `${role} ${dir}`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${where}: no such folder`);
  if (existsSync(path.join(dir, RUN_FILES.manifest))) return { kind: 'run', set: readRunSet(dir, where) };
  if (existsSync(path.join(dir, RESULT_FILES.summary))) return { kind: 'results', run: readRun(dir, where) };
  throw new UsageError(
    `${where}: not a kbench results folder (${RESULT_FILES.summary}) or run folder (${RUN_FILES.manifest})`,
  );
}

export function readRun(dir: string, where: string, label?: string): ReportRun {
  const summary = checkedSummary(readJson(path.join(dir, RESULT_FILES.summary), where), where);
  return {
    dir,
    label: label ?? String(summary['run_id'] ?? dir),
    summary,
    intervals: readCsv(path.join(dir, RESULT_FILES.intervals), where),
    shardIntervals: readCsv(path.join(dir, RESULT_FILES.shardIntervals), where),
    distributions: readDistributions(path.join(dir, RESULT_FILES.measuredLog), where),
  };
}

function readRunSet(dir: string, where: string): ReportRunSet {
  const manifest = readJson(path.join(dir, RUN_FILES.manifest), where) as Partial<RunManifest>;
  if (manifest.command !== 'run' || !Array.isArray(manifest.cases))
    throw new UsageError(`${where}: ${RUN_FILES.manifest} is not a kbench run.json`);
  const records: readonly CaseRecord[] = manifest.cases;
  const cases = records.map((record): ReportCase => {
    const runs = record.runs
      .filter((run) => run.status === 'completed' && existsSync(path.join(dir, run.folder, RESULT_FILES.summary)))
      .map((run, index, all) =>
        readRun(path.join(dir, run.folder), where, all.length > 1 ? `${record.label} #${index + 1}` : record.label),
      );
    return { key: record.key, label: record.label, status: record.status, runs, metrics: caseMetrics(runs) };
  });
  const { run_id, scenario, description, status, started_at, ended_at, repeat, gate } = manifest as RunManifest;
  return { dir, manifest: { run_id, scenario, description, status, started_at, ended_at, repeat, gate }, cases };
}

/** The median over repetitions of every metric the gate knows, as `kbench compare` takes it. */
function caseMetrics(runs: readonly ReportRun[]): ReportCase['metrics'] {
  const metrics: Record<string, { value: number; unit: string }> = {};
  for (const metric of METRICS) {
    const values = runs
      .map((run) => metric.read(run.summary))
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    if (values.length === 0) continue;
    const mid = Math.floor(values.length / 2);
    const median = values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
    metrics[metric.name] = { value: median, unit: metric.unit };
  }
  return metrics;
}

/**
 * Percentile levels on the plotter's axis: 1/(1-p) from 1 to 100,000 in tenths of a
 * decade, so 50 %, 90 %, 99 %, 99.9 %, 99.99 % and 99.999 % are all points.
 */
const LEVELS = [
  ...new Set([50, ...Array.from({ length: 51 }, (_, k) => Math.round(100 * (1 - 10 ** (-k / 10)) * 1e6) / 1e6)]),
].sort((a, b) => a - b);

function readDistributions(file: string, where: string): Distribution[] {
  if (!existsSync(file)) return [];
  let entries;
  try {
    entries = parseHlog(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${where}: ${path.basename(file)}: ${errorMessage(error)}`);
  }
  return entries.map((entry, index) => {
    const histogram = decodeHistogram(entry.encoded);
    const points: Array<readonly [number, number]> = [];
    for (const level of LEVELS) {
      if (histogram.totalCount === 0) break;
      const micros = Math.min(histogram.getValueAtPercentile(level), histogram.maxValue);
      points.push([level, micros / 1000]);
      // Past the largest value the curve only repeats it.
      if (micros >= histogram.maxValue) break;
    }
    return { name: entry.tag ?? `histogram ${index + 1}`, count: histogram.totalCount, points };
  });
}

/** A CSV with a header row; numeric cells as numbers. Missing file: no rows. */
function readCsv(file: string, where: string): CsvRow[] {
  if (!existsSync(file)) return [];
  try {
    return parse(readFileSync(file, 'utf8'), {
      columns: true,
      cast: (value) => (value !== '' && Number.isFinite(Number(value)) ? Number(value) : value),
    }) as CsvRow[];
  } catch (error) {
    throw new UsageError(`${where}: cannot read ${path.basename(file)}: ${errorMessage(error).split('\n')[0]}`);
  }
}

function readJson(file: string, where: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`${where}: cannot read ${path.basename(file)}: ${errorMessage(error).split('\n')[0]}`);
  }
}
