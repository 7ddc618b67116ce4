/**
 * The results folder of one run. Interval rows are appended as each interval ends (a
 * crash or Ctrl-C keeps everything measured so far); the summary files are written at
 * the end. This is the only module that writes result files.
 */
import { appendFileSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunError, errorMessage } from '../errors.js';
import type { LagRunInterval } from '../run/lag-run.js';
import type { PutInterval } from '../run/put-run.js';
import { hlogHeader, hlogLine } from './hlog.js';
import { shardIntervalsCsvHeader, shardIntervalsCsvRows } from './shard-intervals-csv.js';
import { intervalsCsvHeader, intervalsCsvRow, lagIntervalsCsvHeader, lagIntervalsCsvRow } from './intervals-csv.js';

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

  private constructor(
    readonly dir: string,
    /** kbench made the folder (it did not exist before this run). */
    private readonly created: boolean,
  ) {}

  /** Creates the folder and proves it writable before any load is sent. */
  static open(dir: string): ResultsFolder {
    let created: string | undefined;
    try {
      created = mkdirSync(dir, { recursive: true });
      const probe = path.join(dir, '.kbench-write-test');
      writeFileSync(probe, '');
      rmSync(probe);
    } catch (error) {
      throw new RunError(`results folder ${dir} is not writable: ${errorMessage(error)}`);
    }
    return new ResultsFolder(dir, created !== undefined);
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
    writeFileSync(this.file(RESULT_FILES.intervals), intervalsCsvHeader());
    writeFileSync(this.file(RESULT_FILES.shardIntervals), shardIntervalsCsvHeader());
    this.startPutLogs(`kbench put ${runId}`, runStartMicros);
  }

  appendInterval(interval: PutInterval): void {
    appendFileSync(this.file(RESULT_FILES.intervals), intervalsCsvRow(interval, this.runStartMicros));
    appendFileSync(this.file(RESULT_FILES.shardIntervals), shardIntervalsCsvRows(interval, this.runStartMicros));
    this.appendPutLogs(interval);
  }

  private startPutLogs(title: string, runStartMicros: number): void {
    for (const log of [INTERVAL_LOGS.put_request, INTERVAL_LOGS.put_record]) {
      writeFileSync(this.file(log.file), hlogHeader(runStartMicros, `${title}: ${log.what}, values in microseconds`, INTERVAL_LOG_NOTES.put));
    }
  }

  private appendPutLogs(interval: PutInterval): void {
    const { startMicros, endMicros } = interval;
    appendFileSync(
      this.file(RESULT_FILES.requestLog),
      hlogLine(interval.requestHistogram, startMicros, endMicros, interval.requestLatency.max * 1000, this.runStartMicros),
    );
    appendFileSync(
      this.file(RESULT_FILES.recordLog),
      hlogLine(interval.recordHistogram, startMicros, endMicros, interval.recordLatency.max * 1000, this.runStartMicros),
    );
  }

  /** A lag run: intervals.csv with the put and lag columns, and the put and lag interval logs. */
  startLag(runId: string, runStartMicros: number): void {
    this.runStartMicros = runStartMicros;
    writeFileSync(this.file(RESULT_FILES.intervals), lagIntervalsCsvHeader());
    writeFileSync(this.file(RESULT_FILES.shardIntervals), shardIntervalsCsvHeader());
    this.startPutLogs(`kbench lag ${runId}`, runStartMicros);
    for (const [{ file, what }] of LAG_LOGS) {
      writeFileSync(this.file(file), hlogHeader(runStartMicros, `kbench lag ${runId}: ${what}, values in microseconds`, INTERVAL_LOG_NOTES.lag));
    }
  }

  appendLagInterval(interval: LagRunInterval): void {
    const { startMicros, endMicros } = interval.put;
    appendFileSync(this.file(RESULT_FILES.intervals), lagIntervalsCsvRow(interval, this.runStartMicros));
    appendFileSync(this.file(RESULT_FILES.shardIntervals), shardIntervalsCsvRows(interval.put, this.runStartMicros));
    this.appendPutLogs(interval.put);
    for (const [{ file }, histogram] of LAG_LOGS) {
      const [encoded, maxMs] = histogram(interval);
      appendFileSync(this.file(file), hlogLine(encoded, startMicros, endMicros, maxMs * 1000, this.runStartMicros));
    }
  }

  write(name: string, text: string): void {
    writeFileSync(this.file(name), text);
  }
}
