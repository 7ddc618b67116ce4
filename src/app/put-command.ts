/**
 * kbench put: one producer run in a session, then its results: files in the results
 * folder and the summary on stdout. Decides what goes to stdout; the run never prints.
 */
import { PUT_RUN } from '../blocks/run-layout.js';
import { RunError } from '../errors/errors.js';
import { runPut } from '../run/put-run.js';
import type { PutOptions } from '../config/options.js';
import { createProgress } from '../console/progress.js';
import { buildSummary } from '../results/summary.js';
import { formatPutTable } from '../console/put-table.js';
import { measuredHlog } from '../results/hlog.js';
import { latencyCsv } from '../results/latency-csv.js';
import { RESULT_FILES, type HistogramName } from '../results/results-folder.js';
import { hgrm, hgrmFile } from '../results/hgrm.js';
import type { Histogram } from '../measure/histogram.js';
import { emptyRunReason } from './empty-run.js';
import { startProducers } from './producers.js';
import { terminalRateChart, writeFolderReport } from './report-command.js';
import { withSession, type CommandIo, type CommandOutcome } from './session.js';
import { fitWidth } from '../console/fit-width.js';
import { ProfileResults, profileText } from './profile-results.js';
import { findMaxCommand } from './find-max-command.js';

export async function putCommand(options: PutOptions, io: CommandIo): Promise<CommandOutcome> {
  if (options.findMax) return findMaxCommand(options, options.findMax, io);
  const profile = new ProfileResults(options);
  const { value: result, record } = await withSession(options, 1, io, async (session) => {
    const progress = createProgress(io.stderr, !options.quiet);
    try {
      const load = await startProducers(options, session, {
        onStopping: (reason) => progress.onEvent({ type: 'stopping', reason }),
      });
      return await runPut(load, {
        clock: session.clock,
        intervalMs: options.intervalMs,
        onEvent: (event) => {
          if (event.type === 'started') {
            profile.started(event.schedule.startMicros);
            session.results.start(PUT_RUN, options.runId, event.schedule.startMicros);
          } else if (event.type === 'interval') session.results.append(PUT_RUN, profile.interval(event.interval));
          progress.onEvent(event);
        },
      });
    } finally {
      progress.stop();
    }
  });

  const base = buildSummary({ command: 'put', options, session: record, put: result, endedAt: new Date() });
  const stages = profile.stages(result, false);
  const summary = { ...base, ...(stages && { stages }), aws: profile.aws(result, base.put) };
  const { results } = record;
  const histograms = [
    ['put_request', result.tally.requestLatency],
    ['put_record', result.tally.recordLatency],
  ] as const satisfies ReadonlyArray<readonly [HistogramName, Histogram]>;
  // Every file is tried, and the summary printed, even when one cannot be written (a full disk): the run happened.
  const written = results.writeAll([
    [RESULT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`],
    [RESULT_FILES.latency, latencyCsv(histograms)],
    ...histograms.map(([name, histogram]): [string, string] => [hgrmFile(name), hgrm(histogram)]),
    // The same histograms whole, for kbench merge: percentiles of several runs cannot be added, histograms can.
    [
      RESULT_FILES.measuredLog,
      measuredHlog(
        `kbench put ${options.runId}: the measured phase, one histogram per tag, values in microseconds`,
        result.schedule.startMicros,
        result.schedule.measuredFromMicros,
        result.measuredUntilMicros,
        histograms,
      ),
    ],
  ]);
  const failures = results.intervalFailure === undefined ? written : [results.intervalFailure, ...written];
  // The pictures of the run, from the files just written; a failure here only warns.
  const reportProblem = failures.length > 0 ? undefined : writeFolderReport(results.dir);
  if (reportProblem !== undefined) io.stderr.write(`kbench: ${reportProblem}\n`);
  const chart = failures.length > 0 ? '' : terminalRateChart(results.dir, io.stdout);
  io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${fitWidth(formatPutTable(summary) + profileText(summary, false))}${chart}results   ${results.dir}\n`);
  if (failures.length > 0) throw new RunError(failures.join('; '));
  if (result.stopReason !== undefined) return { status: 'stopped', reason: result.stopReason };
  const empty = emptyRunReason(result.tally.counts);
  return empty === undefined ? { status: 'completed' } : { status: 'failed', reason: empty };
}
