/**
 * kbench put: one producer run in a session, then its results: files in the results
 * folder and the summary on stdout. Decides what goes to stdout; the run never prints.
 */
import { runPutOnWorkers } from '../run/put-workers.js';
import type { PutOptions } from '../scenario/options.js';
import { createProgress } from '../report/progress.js';
import { buildSummary } from '../report/summary.js';
import { formatPutTable } from '../report/put-table.js';
import { latencyCsv } from '../report/latency-csv.js';
import { RESULT_FILES } from '../report/results-folder.js';
import { withSession, type CommandIo, type CommandOutcome } from './session.js';

/** At the end of the measured phase, answers still outstanding get this long. */
export const DRAIN_TIMEOUT_MS = 30_000;
/** After Ctrl-C or a fault, answers still outstanding get this long. */
export const STOP_GRACE_MS = 2_000;

export async function putCommand(options: PutOptions, io: CommandIo): Promise<CommandOutcome> {
  const { value: result, record } = await withSession(options, options.concurrency, io, async (session) => {
    const progress = createProgress(io.stderr, !options.quiet);
    try {
      return await runPutOnWorkers(
        {
          runId: options.runId,
          producerId: 0,
          rate: options.rate,
          batch: options.batch,
          concurrency: options.concurrency,
          recordSize: options.recordSize,
          keys: options.keys,
          retry: options.retry,
          warmupMs: options.warmupMs,
          durationMs: options.durationMs,
          intervalMs: options.intervalMs,
          drainTimeoutMs: DRAIN_TIMEOUT_MS,
          stopGraceMs: STOP_GRACE_MS,
        },
        {
          workers: options.workers,
          clock: session.clock,
          clientSettings: (maxSockets) => session.target.clientSettings(maxSockets),
          streamName: session.stream.name,
          signal: session.signal,
          onEvent: (event) => {
            if (event.type === 'started') session.results.startPut(options.runId, event.schedule.startMicros);
            else if (event.type === 'interval') session.results.appendInterval(event.interval);
            progress.onEvent(event);
          },
        },
      );
    } finally {
      progress.stop();
    }
  });

  const summary = buildSummary({ command: 'put', options, session: record, put: result, endedAt: new Date() });
  const { results } = record;
  results.write(RESULT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`);
  results.write(
    RESULT_FILES.latency,
    latencyCsv([
      ['put_request', result.tally.requestLatency],
      ['put_record', result.tally.recordLatency],
    ]),
  );
  io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatPutTable(summary)}results   ${results.dir}\n`);
  return result.stopReason === undefined ? { status: 'completed' } : { status: 'stopped', reason: result.stopReason };
}
