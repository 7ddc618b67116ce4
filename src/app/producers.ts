/**
 * The producers of a command (put, lag), started from its options on worker threads, so
 * the main thread's own work (results, progress, lag's ledger) never shares their event
 * loops.
 */
import type { ProducerOptions, RunOptions } from '../config/options.js';
import type { ProducerHooks } from '../run/put-load.js';
import { WorkerPutLoad } from '../run/worker-put-load.js';
import type { Session } from './session.js';

/** At the end of the measured phase, answers still outstanding get this long. */
export const DRAIN_TIMEOUT_MS = 30_000;
/** After Ctrl-C or a fault, answers still outstanding get this long. */
export const STOP_GRACE_MS = 2_000;

export function startProducers(
  options: ProducerOptions & RunOptions,
  session: Session,
  hooks: ProducerHooks,
): Promise<WorkerPutLoad> {
  return WorkerPutLoad.start(
    {
      runId: options.runId,
      producerId: options.producerIdBase,
      rate: options.rate,
      batch: options.batch,
      concurrency: options.concurrency,
      recordSize: options.recordSize,
      keys: options.keys,
      retry: options.retry,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
      stopGraceMs: STOP_GRACE_MS,
      client: options.client,
      ...(options.stages && { stages: options.stages }),
    },
    {
      workers: options.workers,
      clock: session.clock,
      clientSettings: (maxSockets) => session.target.clientSettings(maxSockets),
      streamName: session.stream.name,
      signal: session.signal,
      ...hooks,
    },
  );
}
