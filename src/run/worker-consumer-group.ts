/**
 * kbench lag's consumers spread over worker threads, each a ConsumerLoad with its own
 * client(s), event loop and LagRecorder on the main thread's clock anchor. The main thread
 * divides the readers (consumer application x open shard) between the workers, waits
 * until every reader holds its position, tells them all the measured phase, asks them all
 * for each interval at the same boundary and merges their tallies exactly (encoded
 * histograms added), hands every delivery they report to the completeness ledger, decides
 * which worker reads a child shard two parents share, and relays stops both ways.
 */
import { RunError } from '../errors/errors.js';
import type { MonotonicClock } from '../measure/clock.js';
import { worstClientLoad } from '../measure/client-load.js';
import { sumLagTallies } from '../measure/thread-totals.js';
import type { ClientSettings } from '../target/client.js';
import type { ShardInfo } from '../target/stream.js';
import type { ReaderAssignment } from '../workload/consumer-group.js';
import type { ReadingSettings } from '../workload/consumers/index.js';
import type { ProducerIds } from '../workload/record-intake.js';
import type {
  ConsumerIntervalData,
  ConsumerResultData,
  ConsumerWorkerInit,
  FromConsumerWorker,
  ToConsumerWorker,
} from './consumer-worker-protocol.js';
import type { PutSchedule } from '../model/schedule.js';
import type { ConsumerHooks, ConsumerInterval, ConsumerResult, ConsumerSide } from './lag-run.js';
import { Gather, WorkerPool } from './worker-pool.js';

export interface WorkerConsumerGroupConfig {
  readonly runId: string;
  readonly producerIds: ProducerIds;
  /** Consumer applications, each reading every shard. */
  readonly consumers: number;
  /** The stream's shards at the start: the open ones are read. */
  readonly shards: readonly ShardInfo[];
  readonly streamName: string;
  readonly streamCreated: boolean;
  /** At most this many consumer workers (never more than there are readers). */
  readonly workers: number;
}

export interface WorkerConsumerGroupDeps {
  readonly clock: MonotonicClock;
  /** A worker's client for GetShardIterator, GetRecords and ListShards. */
  readonly clientSettings: (maxSockets: number) => ClientSettings;
  /** How a worker's readers read (polling, or efo with its own subscription client). */
  readonly reading: (maxSockets: number) => ReadingSettings;
  /** Aborting it while the readers take their positions ends the start. */
  readonly signal: AbortSignal;
}

/** How many consumer workers read `readers` readers given `--workers`: never an idle one. */
export function consumerWorkerCount(workers: number, readers: number): number {
  return Math.max(1, Math.min(workers, readers));
}

/**
 * The readers of `consumers` applications on the open shards, divided into `workers`
 * balanced, contiguous shares in shard order, so that a shard's consumers share a
 * worker where the numbers allow.
 */
export function assignReaders(
  consumers: number,
  shards: ReadonlyArray<Pick<ShardInfo, 'shardId' | 'open'>>,
  workers: number,
): ReaderAssignment[][] {
  const readers = shards
    .filter((shard) => shard.open)
    .flatMap((shard) => Array.from({ length: consumers }, (_, consumer) => ({ consumer, shardId: shard.shardId })));
  const count = consumerWorkerCount(workers, readers.length);
  return Array.from({ length: count }, (_, i) =>
    readers.slice(Math.floor((i * readers.length) / count), Math.floor(((i + 1) * readers.length) / count)),
  );
}

export class WorkerConsumerGroup implements ConsumerSide {
  readonly finished: Promise<void>;
  private running = 0;
  private fatal: string | undefined;
  /** Which shards each consumer's readers have taken, across all workers. */
  private readonly taken: Set<string>[];
  private readonly positions: Gather<number>;
  private readonly measuring: Gather<true>;
  private readonly intervals: Gather<ConsumerIntervalData>;
  private readonly results: Gather<ConsumerResultData>;
  private readonly markFinished: Array<() => void> = [];

  private constructor(
    private readonly pool: WorkerPool<ToConsumerWorker, FromConsumerWorker>,
    shares: readonly ReaderAssignment[][],
    consumers: number,
    private readonly hooks: ConsumerHooks,
  ) {
    this.taken = Array.from({ length: consumers }, () => new Set<string>());
    for (const { consumer, shardId } of shares.flat()) this.taken[consumer]?.add(shardId);
    this.positions = new Gather(pool.size);
    this.measuring = new Gather(pool.size);
    this.intervals = new Gather(pool.size);
    this.results = new Gather(pool.size);
    // A worker is done reading when it says so, or when it is gone.
    const finishedEach = pool.exits.map(
      (exit, index) =>
        new Promise<void>((resolve) => {
          this.markFinished[index] = resolve;
          void exit.then(() => resolve());
        }),
    );
    this.finished = Promise.all(finishedEach).then(() => undefined);
    pool.listen({
      onMessage: (index, message) => this.receive(index, message),
      onError: (error) => this.fail(pool.failedBecause(error)),
    });
  }

  /**
   * Starts the workers and resolves once every reader holds its position (a LATEST
   * iterator, or an open subscription), so that no record of the run is written before.
   * A fatal fault or a stop meanwhile ends them all and throws.
   */
  static async start(
    config: WorkerConsumerGroupConfig,
    deps: WorkerConsumerGroupDeps,
    hooks: ConsumerHooks,
  ): Promise<WorkerConsumerGroup> {
    const shares = assignReaders(config.consumers, config.shards, config.workers);
    const positionedFromMs = deps.clock.nowMicros() / 1000;
    const pool = await WorkerPool.start<ToConsumerWorker, FromConsumerWorker>(
      'consumer',
      import.meta.url,
      'consumer-worker',
      shares.map((readers): ConsumerWorkerInit => {
        // One request (or subscription) in flight per reader; resharding adds children while parents end.
        const sockets = 2 * readers.length + 4;
        return {
          anchor: deps.clock.anchor,
          runId: config.runId,
          producerIds: config.producerIds,
          consumers: config.consumers,
          readers,
          streamName: config.streamName,
          streamCreated: config.streamCreated,
          positionedFromMs,
          client: deps.clientSettings(sockets),
          reading: deps.reading(sockets),
        };
      }),
    );
    const group = new WorkerConsumerGroup(pool, shares, config.consumers, hooks);
    try {
      await group.position(deps.signal);
    } catch (error) {
      await group.close();
      throw error;
    }
    return group;
  }

  private async position(signal: AbortSignal): Promise<void> {
    const abort = (): void => this.stop(String(signal.reason ?? 'stopped'));
    signal.addEventListener('abort', abort, { once: true });
    try {
      const counts = await this.pool.ask(this.positions, { type: 'position' });
      this.running = counts.reduce((sum, n) => sum + n, 0);
    } finally {
      signal.removeEventListener('abort', abort);
    }
    if (this.fatal !== undefined || signal.aborted) {
      this.stop('stopped');
      await this.finished;
      throw new RunError(this.fatal ?? `stopped while the consumers took their positions: ${String(signal.reason)}`);
    }
  }

  /** Readers running once positioned, over all workers. */
  get readers(): number {
    return this.running;
  }

  /** Tells every worker the measured phase, and resolves once each has it. */
  async measure(schedule: PutSchedule): Promise<void> {
    await this.pool.ask(this.measuring, { type: 'measure', schedule });
  }

  cut(atMicros: number): void {
    this.pool.broadcast({ type: 'cut', atMicros });
  }

  async rollover(): Promise<ConsumerInterval> {
    const parts = await this.pool.ask(this.intervals, { type: 'rollover' });
    return {
      tally: sumLagTallies(parts.map((p) => p.tally)),
      clientLoad: worstClientLoad(parts.map((p) => p.clientLoad)),
    };
  }

  /** Ends every reader of every worker. */
  stop(reason: string): void {
    this.pool.broadcast({ type: 'stop', reason });
  }

  /** After `finished`: the measured phase of every worker, merged. */
  async result(): Promise<ConsumerResult> {
    const parts = await this.pool.ask(this.results, { type: 'result' });
    await this.pool.exited;
    return {
      tally: sumLagTallies(parts.map((p) => p.tally)),
      foreign: parts.reduce((sum, p) => sum + p.foreign, 0),
      otherProcesses: parts.reduce((sum, p) => sum + p.otherProcesses, 0),
      clientLoad: worstClientLoad(parts.map((p) => p.clientLoad)),
      threads: parts.flatMap((p) => p.threads),
    };
  }

  /** Ends every worker still running: after a failure, nothing more is asked of them. */
  async close(): Promise<void> {
    await this.pool.terminate();
  }

  /** A fault that ends the run: every worker stops reading, and the run hears why. */
  private fail(reason: string): void {
    if (this.fatal !== undefined) return;
    this.fatal = reason;
    this.stop(reason);
    this.hooks.onFatal(reason);
  }

  private receive(index: number, message: FromConsumerWorker): void {
    switch (message.type) {
      case 'received': {
        const { ids } = message;
        for (let i = 0; i + 2 < ids.length; i += 3)
          this.hooks.onDelivered(ids[i] as number, ids[i + 1] as number, ids[i + 2] as number);
        break;
      }
      case 'fatal':
        this.fail(message.reason);
        break;
      case 'claim': {
        const taken = this.taken[message.consumer];
        const granted = taken !== undefined && !taken.has(message.shardId);
        taken?.add(message.shardId);
        this.pool.post(index, { type: 'claimed', id: message.id, granted });
        break;
      }
      case 'positioned':
        this.positions.put(index, message.readers);
        break;
      case 'measuring':
        this.measuring.put(index, true);
        break;
      case 'interval':
        this.intervals.put(index, message.interval);
        break;
      case 'finished':
        this.markFinished[index]?.();
        break;
      case 'result':
        this.results.put(index, message.result);
        break;
    }
  }
}
