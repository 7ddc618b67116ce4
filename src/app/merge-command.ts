/**
 * kbench merge: the results folders of several kbench put (or lag) processes that ran the
 * same run (the same --run-id, e.g. one per host) into one folder with the files a single
 * run of that command writes, plus merge.json saying what was merged. Histograms are
 * added, never percentiles averaged; rates are summed per interval on one time grid.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError, errorMessage } from '../errors.js';
import { createLatencyHistogram, decodeHistogram, type Histogram } from '../measure/histogram.js';
import { measuredHlog, parseHlog, type HlogEntry } from '../report/hlog.js';
import { latencyCsv } from '../report/latency-csv.js';
import { hgrm, hgrmFile } from '../report/hgrm.js';
import { formatLagTable } from '../report/lag-table.js';
import { producerIdRange } from '../report/merge-lag.js';
import { layoutSpec, mergeIntervalFiles, mergedHlog, mergedIntervalsCsv, type IntervalLayout, type IntervalSource } from '../report/merge-intervals.js';
import { checkMergeable, mergeSummaries, type MergeSource } from '../report/merge-summary.js';
import { formatPutTable } from '../report/put-table.js';
import { INTERVAL_LOGS, RESULT_FILES, ResultsFolder, type HistogramName } from '../report/results-folder.js';
import { checkedSummary } from '../report/results-reader.js';
import { RUN_FILES } from '../report/run-folder.js';
import type { LagSummaryJson, SummaryJson } from '../report/summary.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import type { CommandIo, CommandOutcome } from './session.js';
import { fitWidth } from '../report/fit-width.js';
import { writeFolderReport } from './report-command.js';

export interface MergeOptions {
  readonly dirs: readonly string[];
  /** The merged folder; undefined: results/<run id>-merged. */
  readonly out: string | undefined;
  readonly json: boolean;
}

/** What was merged and what to know about it, next to the merged files. */
export const MERGE_FILE = 'merge.json';

/** The histograms of a command's results: a lag run has the put ones and its own. */
const histogramsOf = (layout: IntervalLayout): readonly HistogramName[] => layoutSpec(layout).histograms;

interface LoadedSource extends MergeSource {
  readonly layout: IntervalLayout;
  readonly measured: ReadonlyMap<HistogramName, Histogram>;
  /** When the measured phase ran, from measured-histograms.hlog. */
  readonly measuredFromMicros: number;
  readonly measuredUntilMicros: number;
  readonly intervals: IntervalSource;
}

export async function mergeCommand(options: MergeOptions, io: Pick<CommandIo, 'stdout' | 'stderr'>): Promise<CommandOutcome> {
  const sources = options.dirs.map(loadSource);
  const runId = sources[0]?.summary.run_id ?? '';
  const out = options.out ?? path.join('results', `${runId}-merged`);
  if (options.dirs.some((dir) => path.resolve(dir) === path.resolve(out))) {
    throw new UsageError(`--out ${out} is one of the folders being merged; choose another`);
  }

  // Mixed commands, other runs, overlapping producer ids: refused before anything is added.
  checkMergeable(sources);
  const layout = sources[0]?.layout ?? 'put';
  const tags = histogramsOf(layout);
  const measured = tags.map((tag): readonly [HistogramName, Histogram] => {
    const total = createLatencyHistogram();
    for (const source of sources) {
      const histogram = source.measured.get(tag);
      if (histogram) total.add(histogram);
    }
    return [tag, total];
  });
  const { summary, notes } = mergeSummaries(sources, new Map(measured), out);
  const intervals = mergeIntervalFiles(
    sources.map((s) => s.intervals),
    Number(summary.options['interval_s']) * 1000,
    layout,
  );
  const what = `kbench merge of ${sources.length} ${layout} processes of run ${summary.run_id}`;
  const from = Math.min(...sources.map((s) => s.measuredFromMicros));
  const until = Math.max(...sources.map((s) => s.measuredUntilMicros));

  const folder = ResultsFolder.open(out);
  folder.write(RESULT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`);
  folder.write(RESULT_FILES.latency, latencyCsv(measured));
  for (const [name, histogram] of measured) folder.write(hgrmFile(name), hgrm(histogram));
  folder.write(RESULT_FILES.measuredLog, measuredHlog(`${what}: the measured phase, one histogram per tag, values in microseconds`, from, from, until, measured));
  folder.write(RESULT_FILES.intervals, mergedIntervalsCsv(intervals));
  for (const tag of tags) {
    const log = INTERVAL_LOGS[tag];
    folder.write(log.file, mergedHlog(intervals, `${what}: ${log.what}, values in microseconds`, tag));
  }
  const record = {
    schema_version: 1,
    kbench: { version: KBENCH_VERSION, node: process.version },
    command: 'merge',
    run_id: summary.run_id,
    sources: options.dirs,
    // Each source's producer ids (first, last), in the order of sources.
    producer_ids: sources.map((s) => producerIdRange(s.summary)),
    notes,
  };
  folder.write(MERGE_FILE, `${JSON.stringify(record, null, 2)}\n`);
  // The pictures of the run, from the files just written; a failure here only warns.
  const reportProblem = writeFolderReport(folder.dir);
  if (reportProblem !== undefined) io.stderr.write(`kbench: ${reportProblem}\n`);

  if (options.json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    io.stdout.write(fitWidth(`kbench merge · ${sources.length} processes of run ${summary.run_id}: ${options.dirs.join(', ')}\n`));
    for (const note of notes) io.stdout.write(fitWidth(`note      ${note}\n`));
    const table = layout === 'lag' ? formatLagTable(summary as LagSummaryJson, { processes: sources.length }) : formatPutTable(summary);
    io.stdout.write(fitWidth(`\n${table}results   ${folder.dir}\n`));
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
  // Only the files of the folder's own command are read; which commands merge is checked after.
  const layout: IntervalLayout = summary.command === 'lag' ? 'lag' : 'put';
  const entries = hlog(RESULT_FILES.measuredLog);
  const measured = new Map<HistogramName, Histogram>();
  for (const tag of histogramsOf(layout)) {
    const entry = entries.find((e) => e.tag === tag);
    if (!entry) throw new UsageError(`${file(RESULT_FILES.measuredLog)}: no histogram tagged ${tag}`);
    measured.set(tag, decodeHistogram(entry.encoded));
  }
  const [span] = entries;
  const histograms: Partial<Record<HistogramName, readonly string[]>> = {};
  for (const tag of histogramsOf(layout)) histograms[tag] = hlog(INTERVAL_LOGS[tag].file).map((e) => e.encoded);
  return {
    dir,
    summary,
    layout,
    measured,
    measuredFromMicros: span?.startMicros ?? 0,
    measuredUntilMicros: span?.endMicros ?? 0,
    intervals: { rows, histograms },
  };
}
