/**
 * kbench merge: the results folders of several kbench processes that ran the same run
 * (the same --run-id, e.g. one per host) into one folder with the files a single run
 * writes, plus merge.json saying what was merged. Histograms are added, never
 * percentiles averaged; rates are summed per interval on one time grid.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError, errorMessage } from '../errors.js';
import { createLatencyHistogram, decodeHistogram, type Histogram } from '../measure/histogram.js';
import { measuredHlog, parseHlog, type HlogEntry } from '../report/hlog.js';
import { latencyCsv } from '../report/latency-csv.js';
import { mergeIntervalFiles, mergedHlog, mergedIntervalsCsv, type IntervalSource } from '../report/merge-intervals.js';
import { mergeSummaries, type MergeSource } from '../report/merge-summary.js';
import { formatPutTable } from '../report/put-table.js';
import { RESULT_FILES, ResultsFolder } from '../report/results-folder.js';
import { checkedSummary } from '../report/results-reader.js';
import { RUN_FILES } from '../report/run-folder.js';
import type { SummaryJson } from '../report/summary.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import type { CommandIo, CommandOutcome } from './session.js';

export interface MergeOptions {
  readonly dirs: readonly string[];
  /** The merged folder; undefined: results/<run id>-merged. */
  readonly out: string | undefined;
  readonly json: boolean;
}

/** What was merged and what to know about it, next to the merged files. */
export const MERGE_FILE = 'merge.json';

/** The measured-phase histograms kbench merge adds, by tag. */
const MEASURED_TAGS = ['put_request', 'put_record'] as const;

interface LoadedSource extends MergeSource {
  readonly measured: ReadonlyMap<string, Histogram>;
  /** When the measured phase ran, from measured-histograms.hlog. */
  readonly measuredFromMicros: number;
  readonly measuredUntilMicros: number;
  readonly intervals: IntervalSource;
}

export async function mergeCommand(options: MergeOptions, io: Pick<CommandIo, 'stdout'>): Promise<CommandOutcome> {
  const sources = options.dirs.map(loadSource);
  const runId = sources[0]?.summary.run_id ?? '';
  const out = options.out ?? path.join('results', `${runId}-merged`);
  if (options.dirs.some((dir) => path.resolve(dir) === path.resolve(out))) {
    throw new UsageError(`--out ${out} is one of the folders being merged; choose another`);
  }

  const measured = MEASURED_TAGS.map((tag): readonly [string, Histogram] => {
    const total = createLatencyHistogram();
    for (const source of sources) total.add(source.measured.get(tag) ?? createLatencyHistogram());
    return [tag, total];
  });
  const { summary, notes } = mergeSummaries(sources, new Map(measured), out);
  const intervals = mergeIntervalFiles(
    sources.map((s) => s.intervals),
    Number(summary.options['interval_s']) * 1000,
  );
  const what = `kbench merge of ${sources.length} processes of run ${summary.run_id}`;
  const from = Math.min(...sources.map((s) => s.measuredFromMicros));
  const until = Math.max(...sources.map((s) => s.measuredUntilMicros));

  const folder = ResultsFolder.open(out);
  folder.write(RESULT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`);
  folder.write(RESULT_FILES.latency, latencyCsv(measured));
  folder.write(RESULT_FILES.measuredLog, measuredHlog(`${what}: the measured phase, one histogram per tag, values in microseconds`, from, from, until, measured));
  folder.write(RESULT_FILES.intervals, mergedIntervalsCsv(intervals));
  folder.write(RESULT_FILES.requestLog, mergedHlog(intervals, `${what}: request latency, values in microseconds`, 'request'));
  folder.write(RESULT_FILES.recordLog, mergedHlog(intervals, `${what}: record latency (with retries), values in microseconds`, 'record'));
  const record = { schema_version: 1, kbench: { version: KBENCH_VERSION, node: process.version }, command: 'merge', run_id: summary.run_id, sources: options.dirs, notes };
  folder.write(MERGE_FILE, `${JSON.stringify(record, null, 2)}\n`);

  if (options.json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    io.stdout.write(`kbench merge · ${sources.length} processes of run ${summary.run_id}: ${options.dirs.join(', ')}\n`);
    for (const note of notes) io.stdout.write(`note      ${note}\n`);
    io.stdout.write(`\n${formatPutTable(summary)}results   ${folder.dir}\n`);
  }
  return { status: 'completed' };
}

function loadSource(dir: string): LoadedSource {
  const file = (name: string): string => path.join(dir, name);
  if (!existsSync(file(RESULT_FILES.summary))) {
    if (existsSync(file(RUN_FILES.manifest))) {
      throw new UsageError(`${dir} is a kbench run folder: merge its case folders one by one (kbench merge hostA/RUN/c01 hostB/RUN/c01 --out merged/c01)`);
    }
    throw new UsageError(`${dir}: not a kbench results folder (no ${RESULT_FILES.summary})`);
  }
  const read = (name: string): string => {
    if (!existsSync(file(name))) {
      const why = name === RESULT_FILES.measuredLog ? ': without the whole histograms, percentiles cannot be merged' : '';
      throw new UsageError(`${dir}: ${name} is missing${why}`);
    }
    try {
      return readFileSync(file(name), 'utf8');
    } catch (error) {
      throw new UsageError(`${dir}: cannot read ${name}: ${errorMessage(error)}`);
    }
  };
  const hlog = (name: string): HlogEntry[] => {
    try {
      return parseHlog(read(name));
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(`${file(name)}: ${error.message}`);
      throw error;
    }
  };
  let json: unknown;
  let rows: Array<Record<string, string>>;
  try {
    json = JSON.parse(read(RESULT_FILES.summary));
    rows = parse(read(RESULT_FILES.intervals), { columns: true }) as Array<Record<string, string>>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${dir}: ${errorMessage(error).split('\n')[0]}`);
  }
  const summary = checkedSummary(json, dir) as unknown as SummaryJson;
  const entries = hlog(RESULT_FILES.measuredLog);
  const measured = new Map<string, Histogram>();
  for (const tag of MEASURED_TAGS) {
    const entry = entries.find((e) => e.tag === tag);
    if (!entry) throw new UsageError(`${file(RESULT_FILES.measuredLog)}: no histogram tagged ${tag}`);
    measured.set(tag, decodeHistogram(entry.encoded));
  }
  const [span] = entries;
  return {
    dir,
    summary,
    measured,
    measuredFromMicros: span?.startMicros ?? 0,
    measuredUntilMicros: span?.endMicros ?? 0,
    intervals: {
      rows,
      request: hlog(RESULT_FILES.requestLog).map((e) => e.encoded),
      record: hlog(RESULT_FILES.recordLog).map((e) => e.encoded),
    },
  };
}
