/**
 * kbench put --find-max: fixed-rate steps on one stream in one session, chosen by the
 * search (src/run/find-max.ts), then the results: every step's intervals in
 * intervals.csv, the evidence per step in find-max.csv and the table, and summary.json
 * whose `put` block is the highest step that held, with a `find_max` block.
 */
import { PUT_RUN } from '../blocks/run-layout.js';
import { runPut } from '../run/put-run.js';
import type { PutRunResult } from '../model/put-result.js';
import type { FindMaxSettings } from '../config/find-max-settings.js';
import type { FindMaxResult, StepEvidence } from '../model/find-max-result.js';
import { findMax } from '../run/find-max.js';
import type { PutOptions } from '../config/options.js';
import { buildSummary } from '../results/summary.js';
import { summarisePut } from '../blocks/put.js';
import { formatPutTable } from '../console/put-table.js';
import { measuredHlog } from '../results/hlog.js';
import { latencyCsv } from '../results/latency-csv.js';
import { RESULT_FILES } from '../results/results-folder.js';
import { findMaxLines } from '../console/find-max-text.js';
import { findMaxCsv, findMaxJson, FIND_MAX_CSV } from '../results/find-max-summary.js';
import { hgrm, hgrmFile } from '../results/hgrm.js';
import { startProducers } from './producers.js';
import { writeFolderReport } from './report-command.js';
import { ProfileResults, profileText } from './profile-results.js';
import { withSession, type CommandIo, type CommandOutcome } from './session.js';

export async function findMaxCommand(
  options: PutOptions,
  settings: FindMaxSettings,
  io: CommandIo,
): Promise<CommandOutcome> {
  const results = new Map<number, PutRunResult>();
  let stopReason: string | undefined;
  const { value: search, record } = await withSession(options, 1, io, async (session) => {
    let firstStart: number | undefined;
    return findMax(settings, async (rate, step) => {
      if (session.signal.aborted) return undefined;
      const stepOptions: PutOptions = { ...options, rate, durationMs: settings.settleMs };
      const profile = new ProfileResults(stepOptions);
      const load = await startProducers(stepOptions, session, {
        onStopping: (reason) => {
          stopReason = reason;
        },
      });
      const result = await runPut(load, {
        clock: session.clock,
        intervalMs: options.intervalMs,
        onEvent: (event) => {
          if (event.type === 'started') {
            profile.started(event.schedule.startMicros);
            // One intervals.csv for the whole search: its clock starts with the first step.
            if (firstStart === undefined) {
              firstStart = event.schedule.startMicros;
              session.results.start(PUT_RUN, options.runId, firstStart);
            }
          } else if (event.type === 'interval') session.results.append(PUT_RUN, profile.interval(event.interval));
        },
      });
      if (result.stopReason !== undefined) {
        stopReason = result.stopReason;
        return undefined;
      }
      results.set(step, result);
      const put = summarisePut(
        result,
        session.stream.shards.map((s) => s.shardId),
      );
      const measure = {
        acceptedPerS: put.records_per_s,
        throttledPct: put.throttled_pct,
        recordP99Ms: put.record_latency_ms.p99,
        requestP99Ms: put.latency_ms.p99,
        behindMaxMs: result.maxBehindMs,
        eventLoopUtilization: result.clientLoad.eventLoopUtilization,
      };
      if (!options.quiet) io.stderr.write(`${stepLine(step, rate, measure)}\n`);
      return measure;
    });
  });

  // The summary's put block is the highest step that held (or, if none did, the last step).
  const best = bestStep(search);
  const bestResult = best ? results.get(best.step) : undefined;
  if (!best || !bestResult) {
    return { status: 'stopped', reason: stopReason ?? 'the search ran no step to its end' };
  }
  const bestOptions: PutOptions = { ...options, rate: best.targetPerS, durationMs: settings.settleMs };
  const base = buildSummary({
    command: 'put',
    options: bestOptions,
    session: record,
    put: bestResult,
    endedAt: new Date(),
  });
  const summary = {
    ...base,
    interrupted: stopReason !== undefined,
    interrupt_reason: stopReason ?? null,
    aws: new ProfileResults(bestOptions).aws(bestResult, base.put),
    find_max: findMaxJson(search, settings),
  };
  const { results: folder } = record;
  folder.write(RESULT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`);
  folder.write(FIND_MAX_CSV, findMaxCsv(search.steps));
  const histograms = PUT_RUN.histograms.map((histogram) => [histogram.name, histogram.whole(bestResult)] as const);
  folder.write(RESULT_FILES.latency, latencyCsv(histograms));
  for (const [name, histogram] of histograms) folder.write(hgrmFile(name), hgrm(histogram));
  folder.write(
    RESULT_FILES.measuredLog,
    measuredHlog(
      `kbench put --find-max ${options.runId}: the measured phase of step ${best.step} (${best.targetPerS} ` +
        `records/s), one histogram per tag, values in microseconds`,
      bestResult.schedule.startMicros,
      bestResult.schedule.measuredFromMicros,
      bestResult.measuredUntilMicros,
      histograms,
    ),
  );
  // The pictures of the search (every step's intervals), from the files just written; a failure here only warns.
  const reportProblem = writeFolderReport(folder.dir);
  if (reportProblem !== undefined) io.stderr.write(`kbench: ${reportProblem}\n`);
  io.stdout.write(
    options.json
      ? `${JSON.stringify(summary, null, 2)}\n`
      : `${formatPutTable(summary)}${profileText(summary, false)}\n` +
          `${findMaxLines(summary.find_max).join('\n')}\nresults   ${folder.dir}\n`,
  );
  return stopReason === undefined ? { status: 'completed' } : { status: 'stopped', reason: stopReason };
}

function bestStep(search: FindMaxResult): StepEvidence | undefined {
  return search.steps.find((s) => s.held && s.targetPerS === search.maxPerS) ?? search.steps.at(-1);
}

function stepLine(
  step: number,
  rate: number,
  m: { acceptedPerS: number; throttledPct: number; recordP99Ms: number },
): string {
  return (
    `find-max  step ${step}: ${rate} records/s target · ${m.acceptedPerS} records/s accepted ` +
    `· ${m.throttledPct} % throttled · record p99 ${m.recordP99Ms} ms`
  );
}
