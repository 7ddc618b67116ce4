/**
 * One lag run: consumers take their positions on every shard first, then producers write
 * through warmup and the measured phase while the consumers read; after the producers
 * finish, the consumers drain until every accepted record has arrived or the drain time
 * is up. Each interval reports the producers' and the consumers' tallies side by side.
 * It reports through `onEvent` and its result, and never prints.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { RunError } from '../errors.js';
import { sleepMs, type Clock } from '../measure/clock.js';
import { worstLoad, type ClientLoadMonitor, type LoadSample } from '../measure/client-load.js';
import { DeliveryLedger, type Completeness } from '../measure/delivery-ledger.js';
import { encodeHistogram, summarizeMs, type LatencySummary } from '../measure/histogram.js';
import { LagRecorder } from '../measure/lag-recorder.js';
import type { LagCounts, LagTally } from '../measure/lag-tally.js';
import { listShards, type ShardInfo } from '../target/stream.js';
import { ConsumerGroup } from '../workload/consumer-group.js';
import { runTag } from '../workload/record-header.js';
import { RecordIntake, type ProducerIds } from '../workload/record-intake.js';
import { readBackoffMs, type ShardReader, type ShardReaderContext, type StartingPoint } from '../workload/shard-reader.js';
import { IntervalTicker, type IntervalBounds, type PutSchedule } from './interval-ticker.js';
import { IDLE_LOAD, type ProducerSide, type PutInterval } from './put-load.js';
import type { PutRunResult } from './put-run.js';

export interface LagRunConfig {
  readonly runId: string;
  /** The ids this process's producers stamp: the records it accounts for. */
  readonly producerIds: ProducerIds;
  readonly intervalMs: number;
  /** Consumer applications, each reading every shard. */
  readonly consumers: number;
  /** After the producers finish, how long the consumers may take to receive the rest. */
  readonly drainMs: number;
  /** The same after a stop (Ctrl-C): at most this long. */
  readonly stopDrainMs: number;
}

/** What a lag run needs to hear from its producers. */
export interface ProducerHooks {
  readonly onStopping: (reason: string) => void;
  readonly onAccepted: (producerId: number, sequence: number) => void;
}

export interface LagRunDeps {
  readonly clock: Clock;
  /** Starts the producers (on worker threads, or here), once the consumers are in place. */
  readonly startProducers: (hooks: ProducerHooks) => Promise<ProducerSide>;
  /** Watches this thread's event loop, where the consumers take their receive times. */
  readonly monitor?: ClientLoadMonitor;
  /** For consumer bookkeeping (finding child shards after resharding). */
  readonly consumerClient: KinesisClient;
  readonly streamName: string;
  /** The stream's shards at the start. */
  readonly shards: readonly ShardInfo[];
  /** kbench created the stream for this run: it holds nothing older than the run. */
  readonly streamCreated: boolean;
  /** Starts one reader of one shard: polling or enhanced fan-out. */
  readonly startReader: (ctx: ShardReaderContext) => ShardReader;
  /** Aborting it stops the run early; its reason (a string) says why. */
  readonly signal: AbortSignal;
  readonly onEvent: (event: LagRunEvent) => void;
}

export interface LagInterval {
  readonly index: number;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly counts: Readonly<LagCounts>;
  readonly lag: LatencySummary;
  readonly putToArrival: LatencySummary;
  readonly arrivalToReceive: LatencySummary;
  readonly behindLatest: LatencySummary;
  /** Encoded HDR histograms (µs), for interval logs and merging. */
  readonly lagHistogram: string;
  readonly putToArrivalHistogram: string;
  readonly arrivalToReceiveHistogram: string;
  readonly behindLatestHistogram: string;
  /** Deliveries due at the interval's end: accepted records some consumer has not received yet. */
  readonly awaiting: number;
}

/** One interval of a lag run: the producers' row and the consumers' row for the same time. */
export interface LagRunInterval {
  readonly put: PutInterval;
  readonly lag: LagInterval;
}

export type LagRunEvent =
  | { readonly type: 'positioned'; readonly readers: number }
  | { readonly type: 'started'; readonly schedule: PutSchedule }
  | { readonly type: 'interval'; readonly interval: LagRunInterval }
  | { readonly type: 'draining'; readonly awaiting: number }
  | { readonly type: 'stopping'; readonly reason: string };

export interface LagRunResult {
  /** The producers, as a put run reports them; stopReason also covers a stop during the drain. */
  readonly put: PutRunResult;
  readonly lag: {
    /** The measured phase: records sent in it, reads made in it. */
    readonly tally: LagTally;
    /** Every record of the run, all phases. */
    readonly completeness: Completeness;
    /** Records on the stream that were not this run's, all phases. */
    readonly foreign: number;
    /** This run's records written by other processes (other producer ids), all phases. */
    readonly otherProcesses: number;
    /** How long the consumers drained after the producers finished, in ms. */
    readonly drainedMs: number;
  };
}

/** How far before its LATEST position a reader that read nothing restarts on an existing stream. */
const RESTART_MARGIN_MS = 30_000;

export async function runLag(config: LagRunConfig, deps: LagRunDeps): Promise<LagRunResult> {
  const { clock, onEvent } = deps;
  const recorder = new LagRecorder();
  const ledger = new DeliveryLedger(config.consumers);
  const intake = new RecordIntake(runTag(config.runId).toString('hex'), config.producerIds, ledger, recorder);
  const consumerStop = new AbortController();
  let load: ProducerSide | undefined;
  let fatal: string | undefined;
  // A consumer that cannot go on (no stream, no permission) ends the run: lag figures
  // with a consumer missing would mislead.
  const onFatal = (reason: string): void => {
    fatal ??= reason;
    load?.stop(reason);
    consumerStop.abort(reason);
  };

  const positionedFromMs = clock.nowMicros() / 1000;
  // A shard read from LATEST that must restart with nothing read goes back to a point
  // surely before LATEST was: the start of a stream made for this run, or a margin back.
  const restartPoint = (): StartingPoint =>
    deps.streamCreated ? { type: 'TRIM_HORIZON' } : { type: 'AT_TIMESTAMP', timestamp: new Date(positionedFromMs - RESTART_MARGIN_MS) };
  const group = new ConsumerGroup({
    consumers: config.consumers,
    shards: deps.shards,
    stop: consumerStop.signal,
    startReader: deps.startReader,
    readerContext: { clock, recorder, intake, restartPoint, stop: consumerStop.signal, onFatal },
    findChildren: (shardId) => findChildren(deps, shardId, consumerStop.signal),
  });

  // Consumers first, so that none of the run's records is written before they are in place.
  const abortPositioning = (): void => consumerStop.abort(deps.signal.reason);
  deps.signal.addEventListener('abort', abortPositioning, { once: true });
  await group.position();
  deps.signal.removeEventListener('abort', abortPositioning);
  if (consumerStop.signal.aborted || deps.signal.aborted) {
    consumerStop.abort();
    await group.finished;
    throw new RunError(fatal ?? `stopped while the consumers took their positions: ${String(deps.signal.reason)}`);
  }
  onEvent({ type: 'positioned', readers: group.running });

  const activeLoad = await deps.startProducers({
    onStopping: (reason) => onEvent({ type: 'stopping', reason }),
    onAccepted: (producerId, sequence) => ledger.accepted(producerId, sequence),
  });
  load = activeLoad;
  if (fatal !== undefined) activeLoad.stop(fatal);
  const { schedule } = activeLoad;
  recorder.measure(schedule.measuredFromMicros, schedule.measuredUntilMicros);
  const cut = (): void => recorder.cutMeasuredPhase(activeLoad.measuredUntilMicros);
  if (activeLoad.stopped.aborted) cut();
  activeLoad.stopped.addEventListener('abort', cut, { once: true });
  const { monitor } = deps;
  let consumerLoad: LoadSample = IDLE_LOAD;
  if (monitor) {
    void clock.sleepUntil(schedule.measuredFromMicros, activeLoad.stopped).then(() => monitor.startRun());
    void clock.sleepUntil(schedule.measuredUntilMicros, activeLoad.stopped).then(() => {
      consumerLoad = monitor.runSample();
    });
  }
  onEvent({ type: 'started', schedule });

  const ticker = new IntervalTicker(clock, config.intervalMs * 1000, schedule, async (bounds) => {
    // The consumers' side ends here and now; the producers answer from their threads.
    const lag = recorder.rollover((tally) => lagSnapshot(tally, bounds, ledger.pending));
    const mainLoad = monitor?.intervalSample() ?? IDLE_LOAD;
    const put = await activeLoad.rollover(bounds);
    onEvent({ type: 'interval', interval: { put: { ...put, clientLoad: worstLoad([put.clientLoad, mainLoad]) }, lag } });
  });
  ticker.start();
  await activeLoad.finish();

  // The producers are done: give the consumers the drain time to receive what is due.
  let stopReason = activeLoad.stopReason;
  const drainMs = stopReason === undefined ? config.drainMs : Math.min(config.drainMs, config.stopDrainMs);
  const drainStart = clock.nowMicros();
  if (fatal === undefined && drainMs > 0 && !consumerStop.signal.aborted) {
    onEvent({ type: 'draining', awaiting: ledger.pending });
    // A stop during the drain cuts it short; a stop that already happened gave it its length.
    const ends = [AbortSignal.timeout(drainMs), consumerStop.signal, ...(deps.signal.aborted ? [] : [deps.signal])];
    await Promise.race([ledger.caughtUp(AbortSignal.any(ends)), group.finished]);
    if (stopReason === undefined && deps.signal.aborted) {
      stopReason = String(deps.signal.reason ?? 'stopped');
      onEvent({ type: 'stopping', reason: stopReason });
    }
  }
  const drainedMs = (clock.nowMicros() - drainStart) / 1000;
  consumerStop.abort('finished');
  await group.finished;
  const endedMicros = await ticker.finish();
  const produced = await activeLoad.result();

  return {
    put: {
      schedule,
      measuredUntilMicros: produced.measuredUntilMicros,
      endedMicros,
      stopReason: stopReason ?? fatal,
      tally: produced.tally,
      intervals: ticker.count,
      clientLoad: worstLoad([produced.clientLoad, consumerLoad]),
      maxBehindMs: produced.maxBehindMs,
    },
    lag: { tally: recorder.run, completeness: ledger.result(), foreign: intake.foreignTotal, otherProcesses: intake.otherProcessesTotal, drainedMs },
  };
}

/** The children of a closed shard, from ListShards (kinesalite's answers do not name them). */
async function findChildren(deps: LagRunDeps, shardId: string, stop: AbortSignal): Promise<readonly string[]> {
  for (let attempt = 1; !stop.aborted; attempt++) {
    try {
      const shards = await listShards(deps.consumerClient, deps.streamName, stop);
      return shards.filter((shard) => shard.parentShardIds.includes(shardId)).map((shard) => shard.shardId);
    } catch {
      await sleepMs(readBackoffMs(attempt, 0), stop);
    }
  }
  return [];
}

function lagSnapshot(tally: LagTally, bounds: IntervalBounds, awaiting: number): LagInterval {
  return {
    index: bounds.index,
    startMicros: bounds.startMicros,
    endMicros: bounds.endMicros,
    counts: { ...tally.counts },
    lag: summarizeMs(tally.lag),
    putToArrival: summarizeMs(tally.putToArrival),
    arrivalToReceive: summarizeMs(tally.arrivalToReceive),
    behindLatest: summarizeMs(tally.behindLatest),
    lagHistogram: encodeHistogram(tally.lag),
    putToArrivalHistogram: encodeHistogram(tally.putToArrival),
    arrivalToReceiveHistogram: encodeHistogram(tally.arrivalToReceive),
    behindLatestHistogram: encodeHistogram(tally.behindLatest),
    awaiting,
  };
}
