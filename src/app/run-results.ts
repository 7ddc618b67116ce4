/**
 * The end of kbench put and kbench lag, one path for both: summary.json and every
 * whole-run histogram file of the run's blocks written, the pictures of the run, and the
 * summary on stdout. What differs between the commands (their summary and table, lag's
 * warnings and --strict) stays in each command.
 */
import type { RunLayout } from '../blocks/run-layout.js';
import { fitWidth } from '../console/fit-width.js';
import { hgrm, hgrmFile } from '../results/hgrm.js';
import { measuredHlog } from '../results/hlog.js';
import { latencyCsv } from '../results/latency-csv.js';
import { RESULT_FILES, type ResultsFolder } from '../results/results-folder.js';
import type { PutRunResult } from '../model/put-result.js';
import { emptyRunReason } from './empty-run.js';
import { terminalRateChart, writeFolderReport } from './report-command.js';
import type { CommandIo, CommandOutcome } from './session.js';

export interface RunResults<Result> {
  readonly runId: string;
  readonly result: Result;
  /** The producers' side of the result: the measured phase's time frame. */
  readonly put: PutRunResult;
  readonly summary: object;
  readonly results: ResultsFolder;
  /** --json: the summary on stdout rather than the table. */
  readonly json: boolean;
  /** The human summary (the command's table). */
  readonly table: () => string;
}

/**
 * Writes the run's files and prints its summary; returns what could not be written (the
 * interval files included). Every file is tried, and the summary printed, even when one
 * cannot be written (a full disk): the run happened.
 */
export function writeRunResults<Row, Result>(
  layout: RunLayout<Row, Result>,
  run: RunResults<Result>,
  io: CommandIo,
): string[] {
  const { results, put } = run;
  const histograms = layout.histograms.map((histogram) => [histogram.name, histogram.whole(run.result)] as const);
  const written = results.writeAll([
    [RESULT_FILES.summary, `${JSON.stringify(run.summary, null, 2)}\n`],
    [RESULT_FILES.latency, latencyCsv(histograms)],
    ...histograms.map(([name, histogram]): [string, string] => [hgrmFile(name), hgrm(histogram)]),
    // The same histograms whole, for kbench merge: percentiles of several runs cannot be added, histograms can.
    [
      RESULT_FILES.measuredLog,
      measuredHlog(
        `kbench ${layout.command} ${run.runId}: the measured phase, one histogram per tag, values in microseconds`,
        put.schedule.startMicros,
        put.schedule.measuredFromMicros,
        put.measuredUntilMicros,
        histograms,
      ),
    ],
  ]);
  const failures = results.intervalFailure === undefined ? written : [results.intervalFailure, ...written];
  // The pictures of the run, from the files just written; a failure here only warns.
  const reportProblem = failures.length > 0 ? undefined : writeFolderReport(results.dir);
  if (reportProblem !== undefined) io.stderr.write(`kbench: ${reportProblem}\n`);
  const chart = failures.length > 0 ? '' : terminalRateChart(results.dir, io.stdout);
  io.stdout.write(
    run.json
      ? `${JSON.stringify(run.summary, null, 2)}\n`
      : `${fitWidth(run.table())}${chart}results   ${results.dir}\n`,
  );
  return failures;
}

/** How a run that wrote its files ended: stopped early, measured nothing, or undefined when it completed. */
export function producerOutcome(put: PutRunResult): CommandOutcome | undefined {
  if (put.stopReason !== undefined) return { status: 'stopped', reason: put.stopReason };
  const empty = emptyRunReason(put.tally.counts);
  return empty === undefined ? undefined : { status: 'failed', reason: empty };
}
