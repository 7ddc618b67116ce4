/**
 * The results folder of one run. Interval rows are appended as each interval ends (a
 * crash or Ctrl-C keeps everything measured so far); the summary files are written at
 * the end. This is the only module that writes result files.
 */
import { appendFileSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunError, errorMessage } from '../errors/errors.js';
import type { LagRunInterval } from '../model/lag-result.js';
import type { PutInterval } from '../model/put-result.js';
import { hlogHeader, hlogLine } from './hlog.js';
import { prepareOutputFolder } from './output-folder.js';
import { shardIntervalsCsvHeader, shardIntervalsCsvRows } from './shard-intervals-csv.js';

/** Every file kbench writes, for --force: defined with the folder checks, listed here too. */
export { KBENCH_FILES } from './output-folder.js';
import { intervalsCsvHeader, intervalsCsvRow, lagIntervalsCsvHeader, lagIntervalsCsvRow } from './intervals-csv.js';

/** A new file here belongs in KBENCH_FILES (output-folder.ts) too, so --force may remove it. */
export const RESULT_FILES = {
  summary: 'summary.json',
  intervals: 'intervals.csv',
  /** Accepted records per shard per interval. */
  shardIntervals: 'shard-intervals.csv',
  latency: 'latency.csv',
  requestLog: 'put-request-latency.hlog',
  recordLog: 'put-record-latency.hlog',
  /** The measured phase's whole-run histograms, one tagged line each: what kbench merge adds. */
  measuredLog: 'measured-histograms.hlog',
  lagLog: 'lag-latency.hlog',
  putToArrivalLog: 'lag-put-to-arrival.hlog',
  arrivalToReceiveLog: 'lag-arrival-to-receive.hlog',
  behindLatestLog: 'lag-millis-behind-latest.hlog',
} as const;

/**
 * Names of the whole-run histograms, as latency.csv and measured-histograms.hlog (its
 * tags) call them: a put run has the first two, a lag run all six.
 */
export const PUT_HISTOGRAMS = ['put_request', 'put_record'] as const;
export const LAG_HISTOGRAMS = ['lag', 'put_to_arrival', 'arrival_to_receive', 'millis_behind_latest'] as const;
export type HistogramName = (typeof PUT_HISTOGRAMS)[number] | (typeof LAG_HISTOGRAMS)[number];

/** The interval log of each histogram: its file, and what it holds (for the log's header). */
export const INTERVAL_LOGS: Readonly<Record<HistogramName, { readonly file: string; readonly what: string }>> = {
  put_request: { file: RESULT_FILES.requestLog, what: 'request latency' },
  put_record: { file: RESULT_FILES.recordLog, what: 'record latency (with retries)' },
  lag: { file: RESULT_FILES.lagLog, what: 'put-to-get lag (receive time minus header send time)' },
  put_to_arrival: { file: RESULT_FILES.putToArrivalLog, what: 'send time to ApproximateArrivalTimestamp (server clock)' },
  arrival_to_receive: { file: RESULT_FILES.arrivalToReceiveLog, what: 'ApproximateArrivalTimestamp to receive time (server clock)' },
  millis_behind_latest: { file: RESULT_FILES.behindLatestLog, what: 'MillisBehindLatest per answer' },
};

/**
 * What an interval log's lines count, and why they do not add up to summary.json: said in
 * each log's header (and in the README).
 */
export const INTERVAL_LOG_NOTES = {
  put: [
    'Each line: the answers that arrived in that interval, warmup and drain included, each latency measured from its intended send time.',
    'summary.json and measured-histograms.hlog count the requests whose intended send time lies in the measured phase, so these lines add up to every answer of the run (intervals.csv column requests), not to the summary.',
  ],
  lag: [
    'Each line: the first deliveries received in that interval, warmup and drain included.',
    'summary.json and measured-histograms.hlog count the records sent (header send time) in the measured phase, so these lines add up to every delivery of the run, not to the summary.',
  ],
} as const;

/** The lag run's interval logs: file, what it holds, and its histogram in an interval. */
const LAG_LOGS = [
  [INTERVAL_LOGS.lag, (i: LagRunInterval) => [i.lag.lagHistogram, i.lag.lag.max]],
  [INTERVAL_LOGS.put_to_arrival, (i: LagRunInterval) => [i.lag.putToArrivalHistogram, i.lag.putToArrival.max]],
  [INTERVAL_LOGS.arrival_to_receive, (i: LagRunInterval) => [i.lag.arrivalToReceiveHistogram, i.lag.arrivalToReceive.max]],
  [INTERVAL_LOGS.millis_behind_latest, (i: LagRunInterval) => [i.lag.behindLatestHistogram, i.lag.behindLatest.max]],
] as const satisfies ReadonlyArray<readonly [{ readonly file: string; readonly what: string }, (i: LagRunInterval) => readonly [string, number]]>;

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

  startPut(runId: string, runStartMicros: number): void {
    this.runStartMicros = runStartMicros;
    this.record('start', RESULT_FILES.intervals, intervalsCsvHeader());
    this.record('start', RESULT_FILES.shardIntervals, shardIntervalsCsvHeader());
    this.startPutLogs(`kbench put ${runId}`, runStartMicros);
  }

  appendInterval(interval: PutInterval): void {
    this.record('append', RESULT_FILES.intervals, intervalsCsvRow(interval, this.runStartMicros));
    this.record('append', RESULT_FILES.shardIntervals, shardIntervalsCsvRows(interval, this.runStartMicros));
    this.appendPutLogs(interval);
  }

  private startPutLogs(title: string, runStartMicros: number): void {
    for (const log of [INTERVAL_LOGS.put_request, INTERVAL_LOGS.put_record]) {
      this.record('start', log.file, hlogHeader(runStartMicros, `${title}: ${log.what}, values in microseconds`, INTERVAL_LOG_NOTES.put));
    }
  }

  private appendPutLogs(interval: PutInterval): void {
    const { startMicros, endMicros } = interval;
    this.record(
      'append',
      RESULT_FILES.requestLog,
      hlogLine(interval.requestHistogram, startMicros, endMicros, interval.requestLatency.max * 1000, this.runStartMicros),
    );
    this.record(
      'append',
      RESULT_FILES.recordLog,
      hlogLine(interval.recordHistogram, startMicros, endMicros, interval.recordLatency.max * 1000, this.runStartMicros),
    );
  }

  /** A lag run: intervals.csv with the put and lag columns, and the put and lag interval logs. */
  startLag(runId: string, runStartMicros: number): void {
    this.runStartMicros = runStartMicros;
    this.record('start', RESULT_FILES.intervals, lagIntervalsCsvHeader());
    this.record('start', RESULT_FILES.shardIntervals, shardIntervalsCsvHeader());
    this.startPutLogs(`kbench lag ${runId}`, runStartMicros);
    for (const [{ file, what }] of LAG_LOGS) {
      this.record('start', file, hlogHeader(runStartMicros, `kbench lag ${runId}: ${what}, values in microseconds`, INTERVAL_LOG_NOTES.lag));
    }
  }

  appendLagInterval(interval: LagRunInterval): void {
    const { startMicros, endMicros } = interval.put;
    this.record('append', RESULT_FILES.intervals, lagIntervalsCsvRow(interval, this.runStartMicros));
    this.record('append', RESULT_FILES.shardIntervals, shardIntervalsCsvRows(interval.put, this.runStartMicros));
    this.appendPutLogs(interval.put);
    for (const [{ file }, histogram] of LAG_LOGS) {
      const [encoded, maxMs] = histogram(interval);
      this.record('append', file, hlogLine(encoded, startMicros, endMicros, maxMs * 1000, this.runStartMicros));
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
