/**
 * A put run spread over worker threads, each a producer with its own client and event
 * loop, so one saturated event loop never caps (or distorts) the load. The main thread
 * splits the rate and concurrency, starts every worker on one clock and one schedule,
 * merges their intervals and tallies exactly, and relays stops both ways.
 */
import { Worker } from 'node:worker_threads';
import { RunError } from '../errors.js';
import type { MonotonicClock } from '../measure/clock.js';
import { worstLoad } from '../measure/client-load.js';
import { mergeIntervals, mergeTallies } from '../measure/merge.js';
import { siblingModule } from '../runtime/module-path.js';
import type { ClientSettings } from '../target/client.js';
import type { PutInterval, PutRunConfig, PutRunEvent, PutRunResult, PutSchedule, StopRequest } from './put-run.js';
import type { FromPutWorker, PutResultData, PutWorkerInit, ToPutWorker } from './put-worker-protocol.js';

export interface PutWorkersDeps {
  readonly workers: number;
  readonly clock: MonotonicClock;
  readonly clientSettings: (maxSockets: number) => ClientSettings;
  readonly streamName: string;
  readonly signal: AbortSignal;
  readonly onEvent: (event: PutRunEvent) => void;
}

/** Time between "go" and the first send, so every worker has the start before it is due. */
const START_MARGIN_MICROS = 50_000;

/** Each worker's share of a run: rate and concurrency divided, schedules interleaved. */
export function splitConfig(config: PutRunConfig, workers: number): PutRunConfig[] {
  return Array.from({ length: workers }, (_, i) => {
    const concurrency = Math.floor(config.concurrency / workers) + (i < config.concurrency % workers ? 1 : 0);
    if (config.rate === 'max') return { ...config, producerId: config.producerId + i, concurrency };
    // Worker i sends every workers-th batch of one global schedule: offset by i periods.
    const globalPeriodMicros = (config.batch / config.rate) * 1_000_000;
    return {
      ...config,
      producerId: config.producerId + i,
      concurrency,
      rate: config.rate / workers,
      scheduleOffsetMicros: (config.scheduleOffsetMicros ?? 0) + i * globalPeriodMicros,
    };
  });
}

export async function runPutOnWorkers(config: PutRunConfig, deps: PutWorkersDeps): Promise<PutRunResult> {
  const { clock, onEvent } = deps;
  const shares = splitConfig(config, deps.workers);
  const entry = siblingModule(import.meta.url, 'put-worker');
  const workers = shares.map(
    (share) =>
      new Worker(entry.path, {
        execArgv: entry.execArgv,
        workerData: {
          config: share,
          client: deps.clientSettings(share.concurrency),
          streamName: deps.streamName,
          anchor: clock.anchor,
        } satisfies PutWorkerInit,
      }),
  );
  const send = (worker: Worker, message: ToPutWorker): void => worker.postMessage(message);

  const intervals = new IntervalMerger(workers.length, (interval) => onEvent({ type: 'interval', interval }));
  const results: Array<PutResultData | undefined> = workers.map(() => undefined);
  let stopped = false;
  const stopAll = (reason: string): void => {
    if (stopped) return;
    stopped = true;
    const request: StopRequest = { reason, atMicros: clock.nowMicros() };
    onEvent({ type: 'stopping', reason });
    for (const worker of workers) send(worker, { type: 'stop', request });
  };

  let failure: Error | undefined;
  const done = Promise.all(
    workers.map(
      (worker, index) =>
        new Promise<void>((resolve) => {
          worker.on('message', (message: FromPutWorker) => {
            if (message.type === 'event') {
              const { event } = message;
              if (event.type === 'interval') intervals.add(index, event.interval);
              else if (event.type === 'stopping') stopAll(event.reason);
            } else if (message.type === 'done') {
              results[index] = message.result;
              intervals.finish(index);
            }
          });
          worker.on('error', (error) => {
            failure ??= error;
            stopAll(`a producer worker failed: ${error.message}`);
          });
          worker.on('exit', () => {
            intervals.finish(index);
            resolve();
          });
        }),
    ),
  );

  try {
    await Promise.all(workers.map((worker) => waitForReady(worker)));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  const startMicros = clock.nowMicros() + START_MARGIN_MICROS;
  const schedule: PutSchedule = {
    startMicros,
    measuredFromMicros: startMicros + config.warmupMs * 1000,
    measuredUntilMicros: startMicros + (config.warmupMs + config.durationMs) * 1000,
  };
  const onExternalStop = (): void => stopAll(String(deps.signal.reason ?? 'stopped'));
  if (deps.signal.aborted) onExternalStop();
  deps.signal.addEventListener('abort', onExternalStop, { once: true });
  onEvent({ type: 'started', schedule });
  for (const worker of workers) send(worker, { type: 'start', startMicros });

  await done;
  deps.signal.removeEventListener('abort', onExternalStop);
  if (failure) throw new RunError(`a producer worker failed: ${failure.message}`);
  const finished = results.filter((r): r is PutResultData => r !== undefined);
  if (finished.length !== workers.length) throw new RunError('a producer worker exited without its results');
  return mergeResults(schedule, finished, intervals.emitted);
}

function waitForReady(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromPutWorker): void => {
      if (message.type !== 'ready') return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', (error) => reject(new RunError(`a producer worker failed to start: ${error.message}`)));
    worker.once('exit', (code) => reject(new RunError(`a producer worker exited during start-up (code ${code})`)));
  });
}

function mergeResults(schedule: PutSchedule, parts: readonly PutResultData[], intervals: number): PutRunResult {
  return {
    schedule,
    measuredUntilMicros: Math.min(...parts.map((p) => p.measuredUntilMicros)),
    endedMicros: Math.max(...parts.map((p) => p.endedMicros)),
    stopReason: parts.find((p) => p.stopReason !== undefined)?.stopReason,
    tally: mergeTallies(parts),
    intervals,
    clientLoad: worstLoad(parts.map((p) => p.clientLoad)),
    maxBehindMs: Math.max(...parts.map((p) => p.maxBehindMs)),
  };
}

/**
 * Emits interval k once every worker has sent its interval k or has finished. Workers
 * share the interval grid, so index k is the same span of time in each of them.
 */
export class IntervalMerger {
  private readonly pending = new Map<number, PutInterval[]>();
  private readonly sent: number[];
  private readonly finished: boolean[];
  private next = 0;

  constructor(
    workers: number,
    private readonly emit: (interval: PutInterval) => void,
  ) {
    this.sent = new Array<number>(workers).fill(0);
    this.finished = new Array<boolean>(workers).fill(false);
  }

  get emitted(): number {
    return this.next;
  }

  add(worker: number, interval: PutInterval): void {
    const parts = this.pending.get(interval.index) ?? [];
    parts.push(interval);
    this.pending.set(interval.index, parts);
    this.sent[worker] = interval.index + 1;
    this.flush();
  }

  finish(worker: number): void {
    this.finished[worker] = true;
    this.flush();
  }

  private flush(): void {
    for (;;) {
      const parts = this.pending.get(this.next);
      if (!parts) return;
      const complete = this.sent.every((count, w) => count > this.next || this.finished[w]);
      if (!complete) return;
      this.pending.delete(this.next);
      this.emit(mergeIntervals(parts.map((part) => ({ ...part, index: this.next }))));
      this.next += 1;
    }
  }
}
