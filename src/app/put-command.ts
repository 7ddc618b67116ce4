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
import { startProducers } from './producers.js';
import { producerOutcome, writeRunResults } from './run-results.js';
import { withSession, type CommandIo, type CommandOutcome } from './session.js';
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
  const failures = writeRunResults(
    PUT_RUN,
    {
      runId: options.runId,
      result,
      put: result,
      summary,
      results: record.results,
      json: options.json,
      table: () => formatPutTable(summary) + profileText(summary, false),
    },
    io,
  );
  if (failures.length > 0) throw new RunError(failures.join('; '));
  return producerOutcome(result) ?? { status: 'completed' };
}
