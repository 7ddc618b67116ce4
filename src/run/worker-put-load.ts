/**
 * The producer side spread over worker threads, each a PutLoad with its own client and
 * event loop, so one saturated event loop never caps (or distorts) the load. The main
 * thread splits the rate and concurrency, starts every worker on one clock and one
 * schedule, asks them all for each interval at the same boundary, merges their tallies
 * exactly (encoded histograms added), and relays stops both ways.
 */
import type { MonotonicClock } from '../measure/clock.js';
import { worstClientLoad } from '../measure/client-load.js';
import { sumIntervals, sumTallies } from '../measure/thread-totals.js';
import type { ClientSettings } from '../target/client.js';
import type { IntervalBounds, PutSchedule } from '../model/schedule.js';
import type { ProducerHooks, ProducerResult, ProducerSide, PutLoadConfig } from './put-load.js';
import type { PutInterval } from '../model/put-result.js';
import type { FromPutWorker, ProducerResultData, PutWorkerInit, ToPutWorker } from './put-worker-protocol.js';
import { Gather, WorkerPool } from './worker-pool.js';

export interface WorkerPutLoadDeps extends ProducerHooks {
  readonly workers: number;
  readonly clock: MonotonicClock;
  readonly clientSettings: (maxSockets: number) => ClientSettings;
  readonly streamName: string;
  /** Aborting it stops the load early; its reason (a string) says why. */
  readonly signal: AbortSignal;
}

/** Time between "go" and the first send, so every worker has the start before it is due. */
const START_MARGIN_MICROS = 50_000;

/** Each worker's share of a load: rate and concurrency divided, schedules interleaved. */
export function splitConfig(config: PutLoadConfig, workers: number): PutLoadConfig[] {
  return Array.from({ length: workers }, (_, i) => {
    const concurrency = Math.floor(config.concurrency / workers) + (i < config.concurrency % workers ? 1 : 0);
    if (config.rate === 'max') return { ...config, producerId: config.producerId + i, concurrency };
    // Stages: worker i takes every workers-th batch of one staged schedule.
    if (config.stages)
      return { ...config, producerId: config.producerId + i, concurrency, stageShare: { index: i, of: workers } };
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

export class WorkerPutLoad implements ProducerSide {
  readonly schedule: PutSchedule;
  private readonly stopper = new AbortController();
  private reason: string | undefined;
  private cutAt: number | undefined;
  private readonly intervals: Gather<PutInterval>;
  private readonly finishes: Gather<true>;
  private readonly results: Gather<ProducerResultData>;
  private readonly onExternalStop: () => void;

  private constructor(
    private readonly deps: WorkerPutLoadDeps,
    private readonly pool: WorkerPool<ToPutWorker, FromPutWorker>,
    startMicros: number,
    config: PutLoadConfig,
  ) {
    this.schedule = {
      startMicros,
      measuredFromMicros: startMicros + config.warmupMs * 1000,
      measuredUntilMicros: startMicros + (config.warmupMs + config.durationMs) * 1000,
    };
    this.intervals = new Gather(pool.size);
    this.finishes = new Gather(pool.size);
    this.results = new Gather(pool.size);
    pool.listen({
      onMessage: (index, message) => this.receive(index, message),
      onError: (error) => this.stop(pool.failedBecause(error)),
    });
    this.onExternalStop = () => this.stop(String(deps.signal.reason ?? 'stopped'));
    if (deps.signal.aborted) this.onExternalStop();
    deps.signal.addEventListener('abort', this.onExternalStop, { once: true });
  }

  /** Starts the workers, waits until each is ready, and sets them all going on one schedule. */
  static async start(config: PutLoadConfig, deps: WorkerPutLoadDeps): Promise<WorkerPutLoad> {
    const pool = await WorkerPool.start<ToPutWorker, FromPutWorker>(
      'producer',
      import.meta.url,
      'put-worker',
      splitConfig(config, deps.workers).map((share): PutWorkerInit => ({
        config: share,
        client: deps.clientSettings(share.concurrency),
        streamName: deps.streamName,
        anchor: deps.clock.anchor,
        reportAccepted: deps.onAccepted !== undefined,
      })),
    );
    const startMicros = deps.clock.nowMicros() + START_MARGIN_MICROS;
    const load = new WorkerPutLoad(deps, pool, startMicros, config);
    try {
      await deps.beforeStart?.(load.schedule);
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    pool.broadcast({ type: 'start', startMicros });
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
    this.pool.broadcast({ type: 'stop', request: { reason, atMicros } });
    this.deps.onStopping(reason);
    this.stopper.abort(reason);
  }

  async finish(): Promise<void> {
    await this.pool.ask(this.finishes, { type: 'finish' });
    this.deps.signal.removeEventListener('abort', this.onExternalStop);
  }

  async rollover(bounds: IntervalBounds): Promise<PutInterval> {
    const parts = await this.pool.ask(this.intervals, { type: 'rollover', bounds });
    return sumIntervals(parts);
  }

  async result(): Promise<ProducerResult> {
    const parts = await this.pool.ask(this.results, { type: 'result' });
    await this.pool.exited;
    return {
      measuredUntilMicros: Math.min(...parts.map((p) => p.measuredUntilMicros)),
      tally: sumTallies(parts),
      clientLoad: worstClientLoad(parts.map((p) => p.clientLoad)),
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
        for (let i = 0; i + 1 < message.ids.length; i += 2)
          this.deps.onAccepted?.(message.ids[i] as number, message.ids[i + 1] as number);
        break;
      case 'finished':
        this.finishes.put(index, true);
        break;
      case 'result':
        this.results.put(index, message.result);
        break;
    }
  }
}
