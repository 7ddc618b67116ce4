/**
 * The results folder of one run. Interval rows are appended as each interval ends (a
 * crash or Ctrl-C keeps everything measured so far); the summary files are written at
 * the end. This is the only module that writes result files.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunError, errorMessage } from '../errors.js';
import type { PutInterval } from '../run/put-run.js';
import { hlogHeader, hlogLine } from './hlog.js';
import { intervalsCsvHeader, intervalsCsvRow } from './intervals-csv.js';

export const RESULT_FILES = {
  summary: 'summary.json',
  intervals: 'intervals.csv',
  latency: 'latency.csv',
  requestLog: 'put-request-latency.hlog',
  recordLog: 'put-record-latency.hlog',
  /** The measured phase's whole-run histograms, one tagged line each: what kbench merge adds. */
  measuredLog: 'measured-histograms.hlog',
} as const;

export class ResultsFolder {
  private runStartMicros = 0;

  private constructor(readonly dir: string) {}

  /** Creates the folder and proves it writable before any load is sent. */
  static open(dir: string): ResultsFolder {
    try {
      mkdirSync(dir, { recursive: true });
      const probe = path.join(dir, '.kbench-write-test');
      writeFileSync(probe, '');
      rmSync(probe);
    } catch (error) {
      throw new RunError(`results folder ${dir} is not writable: ${errorMessage(error)}`);
    }
    return new ResultsFolder(dir);
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  startPut(runId: string, runStartMicros: number): void {
    this.runStartMicros = runStartMicros;
    writeFileSync(this.file(RESULT_FILES.intervals), intervalsCsvHeader());
    writeFileSync(
      this.file(RESULT_FILES.requestLog),
      hlogHeader(runStartMicros, `kbench put ${runId}: request latency, values in microseconds`),
    );
    writeFileSync(
      this.file(RESULT_FILES.recordLog),
      hlogHeader(runStartMicros, `kbench put ${runId}: record latency (with retries), values in microseconds`),
    );
  }

  appendInterval(interval: PutInterval): void {
    const { startMicros, endMicros } = interval;
    appendFileSync(this.file(RESULT_FILES.intervals), intervalsCsvRow(interval, this.runStartMicros));
    appendFileSync(
      this.file(RESULT_FILES.requestLog),
      hlogLine(interval.requestHistogram, startMicros, endMicros, interval.requestLatency.max * 1000, this.runStartMicros),
    );
    appendFileSync(
      this.file(RESULT_FILES.recordLog),
      hlogLine(interval.recordHistogram, startMicros, endMicros, interval.recordLatency.max * 1000, this.runStartMicros),
    );
  }

  write(name: string, text: string): void {
    writeFileSync(this.file(name), text);
  }
}
