/**
 * kbench merge: the results folders of several kbench put (or lag) processes that ran the
 * same run (the same --run-id, e.g. one per host) into one folder with the files a single
 * run of that command writes, plus merge.json saying what was merged. Histograms are
 * added, never percentiles averaged; rates are summed per interval on one time grid.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { RunError, UsageError, errorMessage } from '../errors/errors.js';
import { createLatencyHistogram, decodeHistogram, type Histogram } from '../measure/histogram.js';
import { measuredHlog, parseHlog, type HlogEntry } from '../results/hlog.js';
import { latencyCsv } from '../results/latency-csv.js';
import { hgrm, hgrmFile } from '../results/hgrm.js';
import { formatLagTable } from '../console/lag-table.js';
import { producerIdRange } from '../merge/merge-lag.js';
import { layoutSpec, type HistogramName } from '../blocks/run-layout.js';
import {
  mergeIntervalFiles,
  mergedHlog,
  mergedIntervalsCsv,
  type IntervalLayout,
  type IntervalSource,
} from '../merge/merge-intervals.js';
import type { MergeSource } from '../merge/merge-source.js';
import { checkMergeable, mergeSummaries } from '../merge/merge-summary.js';
import { formatPutTable } from '../console/put-table.js';
import { RESULT_FILES, ResultsFolder } from '../results/results-folder.js';
import { checkedSummary } from '../results/results-reader.js';
import { RUN_FILES } from '../results/run-folder.js';
import type { LagSummaryJson, SummaryJson } from '../results/summary.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import type { CommandIo, CommandOutcome } from './session.js';
import { fitWidth } from '../console/fit-width.js';
import { writeFolderReport } from './report-command.js';

export interface MergeOptions {
  readonly dirs: readonly string[];
  /** The merged folder; undefined: results/<run id>-merged. */
  readonly out: string | undefined;
  /** A non-empty --out: remove kbench's files from it rather than refuse it. */
  readonly force: boolean;
  readonly json: boolean;
}

/** What was merged and what to know about it, next to the merged files. */
export const MERGE_FILE = 'merge.json';

/** The histograms of a command's results: a lag run has the put ones and its own. */
const histogramsOf = (layout: IntervalLayout): readonly HistogramName[] =>
  layoutSpec(layout).histograms.map((h) => h.name);

interface LoadedSource extends MergeSource {
  readonly layout: IntervalLayout;
  readonly measured: ReadonlyMap<HistogramName, Histogram>;
  /** When the measured phase ran, from measured-histograms.hlog. */
  readonly measuredFromMicros: number;
  readonly measuredUntilMicros: number;
  readonly intervals: IntervalSource;
  /** The processes whose results the folder holds: itself, or a merged folder's sources. */
  readonly processes: readonly string[];
}

export async function mergeCommand(
  options: MergeOptions,
  io: Pick<CommandIo, 'stdout' | 'stderr'>,
): Promise<CommandOutcome> {
  refuseSameFolderTwice(options.dirs);
  const sources = options.dirs.map(loadSource);
  const runId = sources[0]?.summary.run_id ?? '';
  const out = options.out ?? path.join('results', `${runId}-merged`);
  if (options.dirs.some((dir) => path.resolve(dir) === path.resolve(out))) {
    throw new UsageError(`--out ${out} is one of the folders being merged; choose another`);
  }

  // Mixed commands, other runs, overlapping producer ids: refused before anything is added.
  checkMergeable(sources);
  refuseSameProcessTwice(sources);
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

  const folder = ResultsFolder.open(out, options.force);
  const record = {
    schema_version: 1,
    kbench: { version: KBENCH_VERSION, node: process.version },
    command: 'merge',
    run_id: summary.run_id,
    sources: options.dirs,
    // Each source's producer ids (first, last), in the order of sources.
    producer_ids: sources.map((s) => producerIdRange(s.summary)),
    // Every process merged in (a merged source's own processes too), so a later merge can refuse counting one twice.
    processes: sources.flatMap((s) => s.processes),
    notes,
  };
  const failures = folder.writeAll([
    [RESULT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`],
    [RESULT_FILES.latency, latencyCsv(measured)],
    ...measured.map(([name, histogram]): [string, string] => [hgrmFile(name), hgrm(histogram)]),
    [
      RESULT_FILES.measuredLog,
      measuredHlog(
        `${what}: the measured phase, one histogram per tag, values in microseconds`,
        from,
        from,
        until,
        measured,
      ),
    ],
    [RESULT_FILES.intervals, mergedIntervalsCsv(intervals)],
    ...layoutSpec(layout).histograms.map((log): [string, string] => [
      log.file,
      mergedHlog(intervals, `${what}: ${log.what}, values in microseconds`, log),
    ]),
    [MERGE_FILE, `${JSON.stringify(record, null, 2)}\n`],
  ]);
  // The pictures of the run, from the files just written; a failure here only warns.
  const reportProblem = failures.length > 0 ? undefined : writeFolderReport(folder.dir);
  if (reportProblem !== undefined) io.stderr.write(`kbench: ${reportProblem}\n`);

  if (options.json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    io.stdout.write(
      fitWidth(`kbench merge · ${sources.length} processes of run ${summary.run_id}: ${options.dirs.join(', ')}\n`),
    );
    for (const note of notes) io.stdout.write(fitWidth(`note      ${note}\n`));
    const table =
      layout === 'lag'
        ? formatLagTable(summary as LagSummaryJson, { processes: sources.length })
        : formatPutTable(summary);
    io.stdout.write(fitWidth(`\n${table}results   ${folder.dir}\n`));
  }
  // The figures were printed above either way; a file that could not be written fails the merge.
  if (failures.length > 0) throw new RunError(failures.join('; '));
  return { status: 'completed' };
}

/** The same folder named twice (also through another path or a link) would count it twice. */
function refuseSameFolderTwice(dirs: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    let key: string;
    try {
      key = realpathSync(dir);
    } catch {
      key = path.resolve(dir);
    }
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new UsageError(`${dir}: the same folder as ${earlier}; merging it twice would count every record twice`);
    seen.set(key, dir);
  }
}

/** What tells one process's results from another's: its run, producer ids, start and end, and what it sent. */
function processKey(summary: SummaryJson): string {
  const [first, last] = producerIdRange(summary);
  return (
    `${summary.run_id} producers ${first}-${last} started ${summary.started_at} ended ${summary.ended_at} ` +
    `sent ${summary.put.records.sent}`
  );
}

/** A copy of a folder, or a merged folder and one of its sources, would count a process twice. */
function refuseSameProcessTwice(sources: readonly LoadedSource[]): void {
  const seen = new Map<string, string>();
  for (const source of sources) {
    for (const key of source.processes) {
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw new UsageError(
          `${earlier} and ${source.dir} both hold the results of one process (run ${key}): merging would count it ` +
            `twice; merge each process once`,
        );
      }
      seen.set(key, source.dir);
    }
  }
}

/** A merged folder lists the processes it holds in merge.json; any other folder is one process. */
function processesOf(dir: string, summary: SummaryJson): readonly string[] {
  const file = path.join(dir, MERGE_FILE);
  if (!existsSync(file)) return [processKey(summary)];
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as { processes?: unknown };
    if (Array.isArray(record.processes) && record.processes.every((p) => typeof p === 'string'))
      return record.processes as string[];
  } catch (error) {
    throw new UsageError(`${file}: ${errorMessage(error).split('\n')[0]}`);
  }
  return [processKey(summary)];
}

function loadSource(dir: string): LoadedSource {
  const file = (name: string): string => path.join(dir, name);
  if (!existsSync(file(RESULT_FILES.summary))) {
    if (existsSync(file(RUN_FILES.manifest))) {
      throw new UsageError(
        `${dir} is a kbench run folder: merge its case folders one by one (kbench merge hostA/RUN/c01 hostB/RUN/c01 ` +
          `--out merged/c01)`,
      );
    }
    throw new UsageError(`${dir}: not a kbench results folder (no ${RESULT_FILES.summary})`);
  }
  const read = (name: string): string => {
    if (!existsSync(file(name))) {
      const why =
        name === RESULT_FILES.measuredLog ? ': without the whole histograms, percentiles cannot be merged' : '';
      throw new UsageError(`${dir}: ${name} is missing${why}`);
    }
    try {
      return readFileSync(file(name), 'utf8');
    } catch (error) {
      throw new UsageError(`${dir}: cannot read ${name}: ${errorMessage(error)}`);
    }
  };
  const hlog = (name: string): HlogEntry[] => {
    const text = read(name);
    try {
      const entries = parseHlog(text);
      // Decoded once here so that a damaged histogram (a truncated file) is named now, not deep in the merge.
      for (const entry of entries) decodeHistogram(entry.encoded);
      return entries;
    } catch (error) {
      throw new UsageError(
        `${file(name)}: damaged or truncated HdrHistogram log (${errorMessage(error).split('\n')[0]})`,
      );
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
  for (const log of layoutSpec(layout).histograms) histograms[log.name] = hlog(log.file).map((e) => e.encoded);
  return {
    dir,
    summary,
    layout,
    measured,
    measuredFromMicros: span?.startMicros ?? 0,
    measuredUntilMicros: span?.endMicros ?? 0,
    intervals: { rows, histograms },
    processes: processesOf(dir, summary),
  };
}
