/**
 * The producer side spread over worker threads, each a PutLoad with its own client and
 * event loop, so one saturated event loop never caps (or distorts) the load. The main
 * thread splits the rate and concurrency, starts every worker on one clock and one
 * schedule, asks them all for each interval at the same boundary, merges their tallies
 * exactly (encoded histograms added), and relays stops both ways.
 */
import { Worker } from 'node:worker_threads';
import { RunError } from '../errors.js';
import type { MonotonicClock } from '../measure/clock.js';
import { worstLoad } from '../measure/client-load.js';
import { mergeIntervals, mergeTallies } from '../measure/merge.js';
import { siblingModule } from '../runtime/module-path.js';
import type { ClientSettings } from '../target/client.js';
import type { IntervalBounds, PutSchedule } from './interval-ticker.js';
import type { ProducerResult, ProducerSide, PutInterval, PutLoadConfig } from './put-load.js';
import type { FromPutWorker, ProducerResultData, PutWorkerInit, ToPutWorker } from './put-worker-protocol.js';

export interface WorkerPutLoadDeps {
  readonly workers: number;
  readonly clock: MonotonicClock;
  readonly clientSettings: (maxSockets: number) => ClientSettings;
  readonly streamName: string;
  /** Aborting it stops the load early; its reason (a string) says why. */
  readonly signal: AbortSignal;
  readonly onStopping: (reason: string) => void;
  /** Accepted records, by producer id and sequence (kbench lag's ledger). */
  readonly onAccepted?: (producerId: number, sequence: number) => void;
}

/** Time between "go" and the first send, so every worker has the start before it is due. */
const START_MARGIN_MICROS = 50_000;

/** Each worker's share of a load: rate and concurrency divided, schedules interleaved. */
export function splitConfig(config: PutLoadConfig, workers: number): PutLoadConfig[] {
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

/** Collects one answer of a given kind from every worker. */
class Gather<T> {
  private readonly answers: Array<T | undefined>;
  private waiting = 0;
  private resolve: ((answers: T[]) => void) | undefined;

  constructor(private readonly size: number) {
    this.answers = new Array<T | undefined>(size);
  }

  start(): Promise<T[]> {
    this.answers.fill(undefined);
    this.waiting = this.size;
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  put(index: number, answer: T): void {
    if (this.answers[index] !== undefined || !this.resolve) return;
    this.answers[index] = answer;
    this.waiting -= 1;
    if (this.waiting === 0) {
      const resolve = this.resolve;
      this.resolve = undefined;
      resolve(this.answers as T[]);
    }
  }

  /** A worker that is gone answers nothing: give up on everything pending. */
  fail(): void {
    this.resolve = undefined;
  }
}

export class WorkerPutLoad implements ProducerSide {
  readonly schedule: PutSchedule;
  private readonly workers: Worker[];
  private readonly stopper = new AbortController();
  private reason: string | undefined;
  private cutAt: number | undefined;
  private failure: Error | undefined;
  private readonly intervals: Gather<PutInterval>;
  private readonly finishes: Gather<true>;
  private readonly results: Gather<ProducerResultData>;
  private readonly exited: Promise<void>;
  private readonly onExternalStop: () => void;

  private constructor(
    private readonly deps: WorkerPutLoadDeps,
    workers: Worker[],
    startMicros: number,
    config: PutLoadConfig,
  ) {
    this.workers = workers;
    this.schedule = {
      startMicros,
      measuredFromMicros: startMicros + config.warmupMs * 1000,
      measuredUntilMicros: startMicros + (config.warmupMs + config.durationMs) * 1000,
    };
    this.intervals = new Gather(workers.length);
    this.finishes = new Gather(workers.length);
    this.results = new Gather(workers.length);
    this.exited = Promise.all(
      workers.map((worker, index) => {
        worker.on('message', (message: FromPutWorker) => this.receive(index, message));
        worker.on('error', (error) => {
          this.failure ??= error;
          this.stop(`a producer worker failed: ${error.message}`);
        });
        return new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      }),
    ).then(() => undefined);
    this.onExternalStop = () => this.stop(String(deps.signal.reason ?? 'stopped'));
    if (deps.signal.aborted) this.onExternalStop();
    deps.signal.addEventListener('abort', this.onExternalStop, { once: true });
  }

  /** Starts the workers, waits until each is ready, and sets them all going on one schedule. */
  static async start(config: PutLoadConfig, deps: WorkerPutLoadDeps): Promise<WorkerPutLoad> {
    const entry = siblingModule(import.meta.url, 'put-worker');
    const workers = splitConfig(config, deps.workers).map(
      (share) =>
        new Worker(entry.path, {
          execArgv: entry.execArgv,
          workerData: {
            config: share,
            client: deps.clientSettings(share.concurrency),
            streamName: deps.streamName,
            anchor: deps.clock.anchor,
            reportAccepted: deps.onAccepted !== undefined,
          } satisfies PutWorkerInit,
        }),
    );
    try {
      await Promise.all(workers.map(waitForReady));
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    const startMicros = deps.clock.nowMicros() + START_MARGIN_MICROS;
    const load = new WorkerPutLoad(deps, workers, startMicros, config);
    load.broadcast({ type: 'start', startMicros });
    return load;
  }

  get stopped(): AbortSignal {
    return this.stopper.signal;
  }

  get stopReason(): string | undefined {
    return this.reason;
  }

  get measuredUntilMicros(): number {
    return this.cutAt ?? this.schedule.measuredUntilMicros;
  }

  /** Stops every worker, cutting their measured phases at one instant. */
  stop(reason: string): void {
    if (this.stopper.signal.aborted) return;
    this.reason = reason;
    const atMicros = this.deps.clock.nowMicros();
    if (atMicros < this.schedule.measuredUntilMicros) this.cutAt = Math.max(atMicros, this.schedule.measuredFromMicros);
    this.broadcast({ type: 'stop', request: { reason, atMicros } });
    this.deps.onStopping(reason);
    this.stopper.abort(reason);
  }

  async finish(): Promise<void> {
    await this.ask(this.finishes, { type: 'finish' });
    this.deps.signal.removeEventListener('abort', this.onExternalStop);
  }

  async rollover(bounds: IntervalBounds): Promise<PutInterval> {
    const parts = await this.ask(this.intervals, { type: 'rollover', bounds });
    return mergeIntervals(parts);
  }

  async result(): Promise<ProducerResult> {
    const parts = await this.ask(this.results, { type: 'result' });
    await this.exited;
    return {
      measuredUntilMicros: Math.min(...parts.map((p) => p.measuredUntilMicros)),
      tally: mergeTallies(parts),
      clientLoad: worstLoad(parts.map((p) => p.clientLoad)),
      maxBehindMs: Math.max(...parts.map((p) => p.maxBehindMs)),
    };
  }

  private receive(index: number, message: FromPutWorker): void {
    switch (message.type) {
      case 'stopping':
        this.stop(message.reason);
        break;
      case 'interval':
        this.intervals.put(index, message.interval);
        break;
      case 'accepted':
        for (let i = 0; i + 1 < message.ids.length; i += 2) this.deps.onAccepted?.(message.ids[i] as number, message.ids[i + 1] as number);
        break;
      case 'finished':
        this.finishes.put(index, true);
        break;
      case 'result':
        this.results.put(index, message.result);
        break;
      case 'ready':
        break;
    }
  }

  /** Sends a request to every worker and waits for all their answers (or a failure). */
  private ask<T>(gather: Gather<T>, message: ToPutWorker): Promise<T[]> {
    const answers = gather.start();
    this.broadcast(message);
    return new Promise((resolve, reject) => {
      void answers.then(resolve);
      // Workers exit after their last answer; an exit before it means one failed.
      void this.exited.then(() => {
        gather.fail();
        reject(new RunError(this.failure ? `a producer worker failed: ${this.failure.message}` : 'a producer worker exited early'));
      });
    });
  }

  private broadcast(message: ToPutWorker): void {
    for (const worker of this.workers) worker.postMessage(message);
  }
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
