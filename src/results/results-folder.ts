/**
 * The results folder of one run. Interval rows are appended as each interval ends (a
 * crash or Ctrl-C keeps everything measured so far); the summary files are written at
 * the end. This is the only module that writes result files.
 */
import { appendFileSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunError, errorMessage } from '../errors/errors.js';
import { LAG_BLOCK } from '../blocks/lag.js';
import { PUT_BLOCK } from '../blocks/put.js';
import type { HistogramName, LagHistogramName, PutHistogramName, RunLayout } from '../blocks/run-layout.js';
import { hlogHeader, hlogLine } from './hlog.js';
import { intervalsHeader, intervalsRow } from './intervals-csv.js';
import { prepareOutputFolder } from './output-folder.js';
import { shardIntervalsCsvHeader, shardIntervalsCsvRows } from './shard-intervals-csv.js';

/** Every file kbench writes, for --force: defined with the folder checks, listed here too. */

/** A new file here belongs in KBENCH_FILES (output-folder.ts) too, so --force may remove it. */
export const RESULT_FILES = {
  summary: 'summary.json',
  intervals: 'intervals.csv',
  /** Accepted records per shard per interval. */
  shardIntervals: 'shard-intervals.csv',
  latency: 'latency.csv',
  requestLog: PUT_BLOCK.histograms.put_request.file,
  recordLog: PUT_BLOCK.histograms.put_record.file,
  /** The measured phase's whole-run histograms, one tagged line each: what kbench merge adds. */
  measuredLog: 'measured-histograms.hlog',
  lagLog: LAG_BLOCK.histograms.lag.file,
  putToArrivalLog: LAG_BLOCK.histograms.put_to_arrival.file,
  arrivalToReceiveLog: LAG_BLOCK.histograms.arrival_to_receive.file,
  behindLatestLog: LAG_BLOCK.histograms.millis_behind_latest.file,
} as const;

/**
 * Names of the whole-run histograms, as latency.csv and measured-histograms.hlog (its
 * tags) call them: a put run has the first two, a lag run all six. Declared by the blocks.
 */
export const PUT_HISTOGRAMS = Object.keys(PUT_BLOCK.histograms) as readonly PutHistogramName[];
export const LAG_HISTOGRAMS = Object.keys(LAG_BLOCK.histograms) as readonly LagHistogramName[];

/** The interval log of each histogram: its file, and what it holds (for the log's header). */
export const INTERVAL_LOGS: Readonly<Record<HistogramName, { readonly file: string; readonly what: string }>> = {
  ...PUT_BLOCK.histograms,
  ...LAG_BLOCK.histograms,
};

/**
 * What an interval log's lines count, and why they do not add up to summary.json: said in
 * each log's header (and in the README).
 */
export const INTERVAL_LOG_NOTES = { put: PUT_BLOCK.logNotes, lag: LAG_BLOCK.logNotes } as const;

export class ResultsFolder {
  private runStartMicros = 0;
  private recordFailure: string | undefined;

  private constructor(
    readonly dir: string,
    /** kbench made the folder (it did not exist before this run). */
    private readonly created: boolean,
  ) {}

  /**
   * Checks the folder (see output-folder.ts), creates it and proves it writable before
   * any load is sent. A folder holding results is refused unless `force`.
   */
  static open(dir: string, force = false): ResultsFolder {
    const { created } = prepareOutputFolder(dir, { flag: '--out', force });
    try {
      const probe = path.join(dir, '.kbench-write-test');
      writeFileSync(probe, '');
      rmSync(probe);
    } catch (error) {
      throw new RunError(`results folder ${dir} is not writable: ${errorMessage(error)}`);
    }
    return new ResultsFolder(dir, created);
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** A run that failed before it began leaves no empty folder behind. */
  discardIfEmpty(): void {
    try {
      if (this.created && readdirSync(this.dir).length === 0) rmdirSync(this.dir);
    } catch {
      // Not ours to clean, or already gone: nothing to do.
    }
  }

  /** intervals.csv, shard-intervals.csv and each block's interval logs, headers only. */
  start<Row, Result>(layout: RunLayout<Row, Result>, runId: string, runStartMicros: number): void {
    this.runStartMicros = runStartMicros;
    this.record('start', RESULT_FILES.intervals, intervalsHeader(layout));
    this.record('start', RESULT_FILES.shardIntervals, shardIntervalsCsvHeader());
    for (const { file, what, notes } of layout.histograms) {
      this.record(
        'start',
        file,
        hlogHeader(runStartMicros, `kbench ${layout.command} ${runId}: ${what}, values in microseconds`, notes),
      );
    }
  }

  append<Row, Result>(layout: RunLayout<Row, Result>, interval: Row): void {
    const put = layout.put(interval);
    this.record('append', RESULT_FILES.intervals, intervalsRow(layout, interval, this.runStartMicros));
    this.record('append', RESULT_FILES.shardIntervals, shardIntervalsCsvRows(put, this.runStartMicros));
    for (const histogram of layout.histograms) {
      const [encoded, maxMs] = histogram.interval(interval);
      this.record(
        'append',
        histogram.file,
        hlogLine(encoded, put.startMicros, put.endMicros, maxMs * 1000, this.runStartMicros),
      );
    }
  }

  /**
   * Interval files are written as the run goes. A failure (a full disk, the folder
   * removed) must not end a run that measures fine: it is kept, later rows are skipped,
   * and the command reports it after printing the summary.
   */
  private record(how: 'start' | 'append', name: string, text: string): void {
    if (this.recordFailure !== undefined) return;
    const file = this.file(name);
    try {
      if (how === 'start') writeFileSync(file, text);
      else appendFileSync(file, text);
    } catch (error) {
      this.recordFailure = `cannot write ${file}: ${errorMessage(error)}; interval rows after that were not written`;
    }
  }

  /** Why the interval files stopped being written, if they did. */
  get intervalFailure(): string | undefined {
    return this.recordFailure;
  }

  /**
   * Written to a temporary file and renamed into place: a full disk or a kill leaves the
   * old file or none, never a truncated one. Throws RunError naming the file.
   */
  write(name: string, text: string): void {
    const file = this.file(name);
    const temporary = `${file}.tmp-${process.pid}`;
    try {
      writeFileSync(temporary, text);
      renameSync(temporary, file);
    } catch (error) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // The folder itself may be gone; the error below says what failed.
      }
      throw new RunError(`cannot write ${file}: ${errorMessage(error)}`);
    }
  }

  /** Writes each file; returns one line per file that could not be written (the rest are written). */
  writeAll(files: ReadonlyArray<readonly [string, string]>): string[] {
    const failures: string[] = [];
    for (const [name, text] of files) {
      try {
        this.write(name, text);
      } catch (error) {
        failures.push(errorMessage(error));
      }
    }
    return failures;
  }
}
