/**
 * One thread's share of a lag run's consumers (a consumer worker runs one): its readers
 * (a ConsumerGroup, resharding included), its own LagRecorder and event-loop monitor. It
 * times what its readers receive on the clock it is given, tells first deliveries from
 * duplicates for its own readers, and reports every delivery out (to the run's
 * completeness ledger, which stays whole on the main thread). It is a ConsumerSide like
 * the worker threads' WorkerConsumerGroup, once positioned. It never prints.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { sleepMs, type Clock } from '../measure/clock.js';
import { IDLE_CLIENT_LOAD, type ClientLoadMonitor } from '../measure/client-load.js';
import type { ClientLoadSample } from '../model/client-load-sample.js';
import type { PutSchedule } from '../model/schedule.js';
import { DeliveryLedger } from '../measure/delivery-ledger.js';
import { LagRecorder } from '../measure/lag-recorder.js';
import { LagTally } from '../measure/lag-tally.js';
import { listShards } from '../target/stream.js';
import { ConsumerGroup, type ReaderAssignment } from '../workload/consumer-group.js';
import { runTag } from '../workload/record-header.js';
import { RecordIntake, type DeliveryCheck, type ProducerIds } from '../workload/record-intake.js';
import {
  readBackoffMs,
  type ShardReader,
  type ShardReaderContext,
  type StartingPoint,
} from '../workload/shard-reader.js';
import type { ConsumerHooks, ConsumerInterval, ConsumerResult, ConsumerSide } from './lag-run.js';

export interface ConsumerLoadConfig {
  readonly runId: string;
  readonly producerIds: ProducerIds;
  /** Consumer applications in the run. */
  readonly consumers: number;
  /** This thread's readers, started at LATEST. */
  readonly readers: readonly ReaderAssignment[];
  readonly streamName: string;
  /** kbench created the stream for this run: it holds nothing older than the run. */
  readonly streamCreated: boolean;
  /** When the readers took their positions (epoch ms). */
  readonly positionedFromMs: number;
}

export interface ConsumerLoadDeps {
  readonly clock: Clock;
  /** For finding child shards after resharding. */
  readonly client: KinesisClient;
  /** Starts one reader of one shard: polling or enhanced fan-out. */
  readonly startReader: (ctx: ShardReaderContext) => ShardReader;
  /** See ConsumerGroupDeps.claim. */
  readonly claim: (consumer: number, shardId: string) => Promise<boolean>;
  /** Watches this thread's event loop, where the receive times are taken. */
  readonly monitor?: ClientLoadMonitor;
}

/** How far before its LATEST position a reader that read nothing restarts on an existing stream. */
const RESTART_MARGIN_MS = 30_000;

export class ConsumerLoad implements ConsumerSide {
  private readonly recorder = new LagRecorder();
  private readonly intake: RecordIntake;
  private readonly group: ConsumerGroup;
  private readonly stopper = new AbortController();
  /** Aborted when the producers stop early: the measured phase ends. */
  private readonly cutter = new AbortController();
  private runLoad: ClientLoadSample | undefined;

  constructor(
    private readonly config: ConsumerLoadConfig,
    private readonly deps: ConsumerLoadDeps,
    hooks: ConsumerHooks,
  ) {
    // Each record lives in one shard, and each (consumer, shard) is read by one thread
    // (children go with their parent, or to the thread that claims them), so a thread's
    // own record of its deliveries tells a first delivery from a repeat. The whole ledger
    // on the main thread gets every delivery, and decides completeness. One case slips
    // through: a producer retry that stores a record twice across a merge (once in a
    // parent, once in the child another thread claimed) is timed by both threads; the
    // ledger still counts the second a duplicate.
    const seen = new DeliveryLedger(config.consumers);
    const check: DeliveryCheck = {
      delivered: (consumer, producerId, sequence) => {
        hooks.onDelivered(consumer, producerId, sequence);
        return seen.delivered(consumer, producerId, sequence);
      },
    };
    this.intake = new RecordIntake(runTag(config.runId).toString('hex'), config.producerIds, check, this.recorder);
    const stop = this.stopper.signal;
    // A shard read from LATEST that must restart with nothing read goes back to a point
    // surely before LATEST was: the start of a stream made for this run, or a margin back.
    const restartPoint = (): StartingPoint =>
      config.streamCreated
        ? { type: 'TRIM_HORIZON' }
        : { type: 'AT_TIMESTAMP', timestamp: new Date(config.positionedFromMs - RESTART_MARGIN_MS) };
    this.group = new ConsumerGroup({
      consumers: config.consumers,
      readers: config.readers,
      stop,
      startReader: deps.startReader,
      readerContext: {
        clock: deps.clock,
        recorder: this.recorder,
        intake: this.intake,
        restartPoint,
        stop,
        onFatal: (reason) => {
          // A consumer that cannot go on ends the run: lag figures with a consumer missing would mislead.
          if (!stop.aborted) hooks.onFatal(reason);
          this.stop(reason);
        },
      },
      findChildren: (shardId) => this.findChildren(shardId),
      claim: deps.claim,
    });
  }

  /** Resolves when every reader holds its position (or has ended). */
  async position(): Promise<void> {
    await this.group.position();
  }

  /** Readers running once positioned. */
  get readers(): number {
    return this.group.running;
  }

  /** Resolves when every reader has ended. */
  get finished(): Promise<void> {
    return this.group.finished;
  }

  /** The producers' schedule, once known: deliveries of records sent in its measured phase count. */
  async measure(schedule: PutSchedule): Promise<void> {
    this.recorder.measure(schedule.measuredFromMicros, schedule.measuredUntilMicros);
    const { monitor, clock } = this.deps;
    if (!monitor) return;
    const cut = this.cutter.signal;
    void (async () => {
      await clock.sleepUntil(schedule.measuredFromMicros, cut);
      monitor.startRun();
      await clock.sleepUntil(schedule.measuredUntilMicros, cut);
      this.runLoad = monitor.runSample();
    })();
  }

  /** The producers stopped early: the measured phase ends at `atMicros`. */
  cut(atMicros: number): void {
    this.recorder.cutMeasuredPhase(atMicros);
    this.cutter.abort();
  }

  /** The interval that just ended (at the boundary the main thread asked about); starts the next. */
  rollover(): ConsumerInterval {
    // The recorder reuses its interval tally: the answer gets a copy.
    const tally = this.recorder.rollover((interval) => {
      const copy = new LagTally();
      copy.add(interval);
      return copy;
    });
    return { tally, clientLoad: this.deps.monitor?.intervalSample() ?? IDLE_CLIENT_LOAD };
  }

  /** Ends every reader (in-flight calls are aborted). */
  stop(reason: string): void {
    this.stopper.abort(reason);
  }

  /** After the readers have finished. */
  async result(): Promise<ConsumerResult> {
    const clientLoad = this.runLoad ?? IDLE_CLIENT_LOAD;
    return {
      tally: this.recorder.run,
      foreign: this.intake.foreignTotal,
      otherProcesses: this.intake.otherProcessesTotal,
      clientLoad,
      threads: [{ shards: this.group.shards, readers: this.group.readersStarted, clientLoad }],
    };
  }

  /** Ends every reader and waits for them. */
  async close(): Promise<void> {
    this.stop('closed');
    await this.finished;
  }

  /** The children of a closed shard, from ListShards (kinesalite's answers do not name them). */
  private async findChildren(shardId: string): Promise<readonly string[]> {
    const stop = this.stopper.signal;
    for (let attempt = 1; !stop.aborted; attempt++) {
      try {
        const shards = await listShards(this.deps.client, this.config.streamName, stop);
        return shards.filter((shard) => shard.parentShardIds.includes(shardId)).map((shard) => shard.shardId);
      } catch {
        await sleepMs(readBackoffMs(attempt, 0), stop);
      }
    }
    return [];
  }
}
