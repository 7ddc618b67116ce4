/**
 * kbench lag: consumers and producers on one stream in a session, then the results: files
 * in the results folder, the summary on stdout, and a loud warning on stderr for records
 * that never arrived. Enhanced fan-out consumers are registered before the run and
 * deregistered after it, whatever happened. Decides what goes to stdout; the run never prints.
 */
import { LAG_RUN } from '../blocks/run-layout.js';
import { RunError } from '../errors/errors.js';
import { runLag } from '../run/lag-run.js';
import type { LagRunResult } from '../model/lag-result.js';
import type { EfoHttp, LagOptions } from '../config/options.js';
import { createLagProgress } from '../console/lag-progress.js';
import { formatLagTable } from '../console/lag-table.js';
import { summariseLag } from '../blocks/lag.js';
import { summarisePut } from '../blocks/put.js';
import {
  buildEnvelope,
  consumerOptionsJson,
  producerOptionsJson,
  sessionOptionsJson,
  type LagSummaryJson,
} from '../results/summary.js';
import { formatCount } from '../console/text-table.js';
import { CONSUMER_KIND_MODULES, type ReadingSettings } from '../workload/consumers/index.js';
import type { ConsumerPlan } from '../workload/consumers/kind.js';
import { WorkerConsumerGroup } from '../run/worker-consumer-group.js';
import { ClientLoadMonitor } from '../measure/client-load.js';
import { startProducers } from './producers.js';
import { producerOutcome, writeRunResults } from './run-results.js';
import { withSession, type CommandIo, type CommandOutcome, type Session } from './session.js';
import { ProfileResults, profileText } from './profile-results.js';

/** After Ctrl-C, consumers get at most this long to receive what is still due. */
export const STOP_DRAIN_MS = 2_000;

interface LagSessionResult {
  readonly result: LagRunResult;
  /** efo: every registered consumer deregistered; null with polling. */
  readonly deregistered: boolean | null;
  /** efo: the HTTP version of the subscriptions; null with polling. */
  readonly efoHttp: EfoHttp | null;
}

export async function lagCommand(options: LagOptions, io: CommandIo): Promise<CommandOutcome> {
  const profile = new ProfileResults(options);
  const { value, record } = await withSession(options, 1, io, (session) => runInSession(options, io, session, profile));
  const { result, deregistered, efoHttp } = value;

  const summary: LagSummaryJson = {
    ...buildEnvelope(
      'lag',
      { ...sessionOptionsJson(options), ...producerOptionsJson(options), ...consumerOptionsJson(options) },
      options,
      record,
      result.put,
      new Date(),
      result.lag.threads.length,
    ),
    put: summarisePut(result.put, record.stream.shardIds),
    lag: summariseLag(
      result,
      options,
      record.stream.shardIds,
      deregistered,
      efoHttp,
      CONSUMER_KIND_MODULES[options.consumer].pollIntervalMs(options),
    ),
  };
  const stages = profile.stages(result.put, true);
  Object.assign(summary, { ...(stages && { stages }), aws: profile.aws(result.put, summary.put) });
  const failures = writeRunResults(
    LAG_RUN,
    {
      runId: options.runId,
      result,
      put: result.put,
      summary,
      results: record.results,
      json: options.json,
      table: () => formatLagTable(summary) + profileText(summary, true),
    },
    io,
  );

  const { records } = summary.lag;
  if (records.foreign > 0) {
    io.stderr.write(
      `kbench: ${formatCount(records.foreign)} foreign records on stream ${record.stream.name} (no kbench header, ` +
        `or another run's) were counted as foreign and left out of the lag figures\n`,
    );
  }
  if (records.missing > 0) {
    io.stderr.write(
      `kbench: WARNING: ${formatCount(records.missing)} of ${formatCount(records.expected)} deliveries are MISSING: ` +
        `records the stream accepted never reached a consumer ` +
        `(consumers drained ${summary.lag.drain_s} s after the ` +
        `producers${summary.interrupted ? ', cut short by the stop' : '; --drain to wait longer'})\n`,
    );
  }
  if (failures.length > 0) throw new RunError(failures.join('; '));
  const ended = producerOutcome(result.put);
  if (ended !== undefined) return ended;
  if (options.strict && records.missing > 0) {
    return { status: 'failed', reason: `--strict: ${formatCount(records.missing)} deliveries missing` };
  }
  return { status: 'completed' };
}

async function runInSession(
  options: LagOptions,
  io: CommandIo,
  session: Session,
  profile: ProfileResults,
): Promise<LagSessionResult> {
  // The session's client registers and deregisters efo consumers; the readers have their own on their threads.
  const { client } = session;
  const setup = CONSUMER_KIND_MODULES[options.consumer].setup(
    { client, target: session.target, streamName: session.stream.name, signal: session.signal },
    options,
  );
  const progress = createLagProgress(io.stderr, !options.quiet);
  let deregistered: boolean | null = null;
  let efoHttp: EfoHttp | null = null;
  let monitor: ClientLoadMonitor | undefined;
  let result: LagRunResult;
  try {
    const plan: ConsumerPlan<ReadingSettings> = await setup.acquire();
    const { reading } = plan;
    efoHttp = plan.efoHttp;
    monitor = new ClientLoadMonitor();
    const producerIds = { first: options.producerIdBase, count: options.workers };
    result = await runLag(
      {
        consumers: options.consumersPerShard,
        intervalMs: options.intervalMs,
        drainMs: options.drainMs,
        stopDrainMs: STOP_DRAIN_MS,
      },
      {
        clock: session.clock,
        startConsumers: (hooks) =>
          WorkerConsumerGroup.start(
            {
              runId: options.runId,
              producerIds,
              consumers: options.consumersPerShard,
              shards: session.stream.shards,
              streamName: session.stream.name,
              streamCreated: session.stream.created,
              workers: options.workers,
            },
            {
              clock: session.clock,
              clientSettings: (maxSockets) => session.target.clientSettings(maxSockets),
              reading,
              signal: session.signal,
            },
            hooks,
          ),
        startProducers: (hooks) => startProducers(options, session, hooks),
        monitor,
        signal: session.signal,
        onEvent: (event) => {
          if (event.type === 'started') {
            profile.started(event.schedule.startMicros);
            session.results.start(LAG_RUN, options.runId, event.schedule.startMicros);
          } else if (event.type === 'interval') {
            session.results.append(LAG_RUN, {
              ...event.interval,
              put: profile.interval(event.interval.put, event.interval.lag.lagHistogram),
            });
          }
          progress.onEvent(event);
        },
      },
    );
  } finally {
    monitor?.stop();
    progress.stop();
    const failures = await setup.release();
    if (failures !== undefined) {
      for (const failure of failures)
        io.stderr.write(`kbench: could not deregister consumer ${failure}; deregister it yourself\n`);
      deregistered = failures.length === 0;
    }
  }
  return { result, deregistered, efoHttp };
}
