/**
 * One lag run: consumers take their positions on every shard first, then producers write
 * through warmup and the measured phase while the consumers read; after the producers
 * finish, the consumers drain until every accepted record has arrived or the drain time
 * is up. Both sides run on worker threads; this thread keeps the completeness ledger
 * whole (both sides report to it), pairs the producers' and the consumers' tallies of each
 * interval, and watches its own event loop. It reports through `onEvent` and its result,
 * and never prints.
 */
import type { Clock } from '../measure/clock.js';
import { IDLE_CLIENT_LOAD, worstClientLoad, type ClientLoadMonitor } from '../measure/client-load.js';
import { DeliveryLedger } from '../measure/delivery-ledger.js';
import { encodeHistogram, summarizeMs } from '../measure/histogram.js';
import type { LagTally } from '../measure/lag-tally.js';
import type { ClientLoadSample } from '../model/client-load-sample.js';
import type { ConsumerThreadFigures, LagInterval, LagRunEvent, LagRunResult } from '../model/lag-result.js';
import type { IntervalBounds, PutSchedule } from '../model/schedule.js';
import { IntervalTicker } from './interval-ticker.js';
import type { ProducerHooks, ProducerSide } from './put-load.js';

export interface LagRunConfig {
  /** Consumer applications, each reading every shard. */
  readonly consumers: number;
  readonly intervalMs: number;
  /** After the producers finish, how long the consumers may take to receive the rest. */
  readonly drainMs: number;
  /** The same after a stop (Ctrl-C): at most this long. */
  readonly stopDrainMs: number;
}

/** What the consumer side tells the run, the same in this thread and over worker threads. */
export interface ConsumerHooks {
  /** A delivery of one of this process's records to a consumer, duplicates included. */
  readonly onDelivered: (consumer: number, producerId: number, sequence: number) => void;
  /** A consumer cannot go on (no stream, no permission, a worker failed): the run ends. */
  readonly onFatal: (reason: string) => void;
}

/** One interval of the consumers (all threads merged). */
export interface ConsumerInterval {
  readonly tally: LagTally;
  /** The consuming threads' event loops in the interval (the worst thread). */
  readonly clientLoad: ClientLoadSample;
}

export interface ConsumerResult {
  /** The measured phase, all threads merged. */
  readonly tally: LagTally;
  /** Records on the stream that were not this run's, all phases. */
  readonly foreign: number;
  /** This run's records written by other processes (other producer ids), all phases. */
  readonly otherProcesses: number;
  /** The consuming threads' event loops over the measured phase (the worst thread). */
  readonly clientLoad: ClientLoadSample;
  readonly threads: readonly ConsumerThreadFigures[];
}

/**
 * The consumer side of a lag run as the run sees it, already positioned (every reader
 * holds its position): in this thread (ConsumerLoad) or spread over worker threads
 * (WorkerConsumerGroup). Rollover may answer later.
 */
export interface ConsumerSide {
  /** Readers running once positioned. */
  readonly readers: number;
  /** Resolves when every reader has ended (stopped, or a fatal fault). */
  readonly finished: Promise<void>;
  /** The producers' schedule; resolves once every consumer counts by it. */
  measure(schedule: PutSchedule): Promise<void>;
  /** The producers stopped early: the measured phase ends at `atMicros`. */
  cut(atMicros: number): void;
  /** The interval that just ended; starts the next one. */
  rollover(): ConsumerInterval | Promise<ConsumerInterval>;
  /** Ends every reader. */
  stop(reason: string): void;
  /** After `finished` and the last rollover. */
  result(): Promise<ConsumerResult>;
  /** Ends everything at once, for a run that failed. */
  close(): Promise<void>;
}

export interface LagRunDeps {
  readonly clock: Clock;
  /** Starts the consumers and resolves once every reader holds its position (throws if stopped meanwhile). */
  readonly startConsumers: (hooks: ConsumerHooks) => Promise<ConsumerSide>;
  /** Starts the producers, once the consumers are in place. */
  readonly startProducers: (hooks: ProducerHooks) => Promise<ProducerSide>;
  /** Watches this thread's event loop, where the ledger is kept and the results merged and written. */
  readonly monitor?: ClientLoadMonitor;
  /** Aborting it stops the run early; its reason (a string) says why. */
  readonly signal: AbortSignal;
  readonly onEvent: (event: LagRunEvent) => void;
}

export async function runLag(config: LagRunConfig, deps: LagRunDeps): Promise<LagRunResult> {
  const ledger = new DeliveryLedger(config.consumers);
  let load: ProducerSide | undefined;
  let fatal: string | undefined;
  // Consumers first, so that none of the run's records is written before they are in place.
  const consumers = await deps.startConsumers({
    onDelivered: (consumer, producerId, sequence) => {
      ledger.delivered(consumer, producerId, sequence);
    },
    // A consumer that cannot go on (no stream, no permission) ends the run: lag figures
    // with a consumer missing would mislead. The consumer side has stopped its readers.
    onFatal: (reason) => {
      fatal ??= reason;
      load?.stop(reason);
    },
  });
  try {
    deps.onEvent({ type: 'positioned', readers: consumers.readers });
    load = await deps.startProducers({
      onStopping: (reason) => deps.onEvent({ type: 'stopping', reason }),
      onAccepted: (producerId, sequence) => ledger.accepted(producerId, sequence),
      beforeStart: (schedule) => consumers.measure(schedule),
    });
    if (fatal !== undefined) load.stop(fatal);
    return await measure(config, deps, ledger, consumers, load, () => fatal);
  } catch (error) {
    await consumers.close();
    throw error;
  }
}

/** The run from the producers' start: intervals, the drain, and both sides' results. */
async function measure(
  config: LagRunConfig,
  deps: LagRunDeps,
  ledger: DeliveryLedger,
  consumers: ConsumerSide,
  load: ProducerSide,
  fatal: () => string | undefined,
): Promise<LagRunResult> {
  const { clock, onEvent, monitor } = deps;
  const { schedule } = load;
  const cut = (): void => consumers.cut(load.measuredUntilMicros);
  if (load.stopped.aborted) cut();
  load.stopped.addEventListener('abort', cut, { once: true });
  // This thread adds up the threads' tallies, keeps the ledger and writes results: its client load counts too.
  let mainClientLoad: ClientLoadSample = IDLE_CLIENT_LOAD;
  if (monitor) {
    void clock.sleepUntil(schedule.measuredFromMicros, load.stopped).then(() => monitor.startRun());
    void clock.sleepUntil(schedule.measuredUntilMicros, load.stopped).then(() => {
      mainClientLoad = monitor.runSample();
    });
  }
  onEvent({ type: 'started', schedule });

  const ticker = new IntervalTicker(clock, config.intervalMs * 1000, schedule, async (bounds) => {
    // Both sides' threads are asked at once, so their intervals end at the same boundary.
    const here = monitor?.intervalSample() ?? IDLE_CLIENT_LOAD;
    const [consumed, put] = await Promise.all([consumers.rollover(), load.rollover(bounds)]);
    // Every delivery a consumer thread counted in the interval reached the ledger before its answer.
    const lag = lagSnapshot(consumed.tally, bounds, ledger.pending);
    onEvent({
      type: 'interval',
      interval: { put: { ...put, clientLoad: worstClientLoad([put.clientLoad, consumed.clientLoad, here]) }, lag },
    });
  });
  ticker.start();
  await load.finish();

  // The producers are done: give the consumers the drain time to receive what is due.
  let stopReason = load.stopReason;
  const drainMs = stopReason === undefined ? config.drainMs : Math.min(config.drainMs, config.stopDrainMs);
  const drainStart = clock.nowMicros();
  if (fatal() === undefined && drainMs > 0) {
    onEvent({ type: 'draining', awaiting: ledger.pending });
    // A stop during the drain cuts it short; a stop that already happened gave it its length.
    const ends = [AbortSignal.timeout(drainMs), ...(deps.signal.aborted ? [] : [deps.signal])];
    await Promise.race([ledger.caughtUp(AbortSignal.any(ends)), consumers.finished]);
    if (stopReason === undefined && deps.signal.aborted) {
      stopReason = String(deps.signal.reason ?? 'stopped');
      onEvent({ type: 'stopping', reason: stopReason });
    }
  }
  const drainedMs = (clock.nowMicros() - drainStart) / 1000;
  consumers.stop('finished');
  await consumers.finished;
  const endedMicros = await ticker.finish();
  const produced = await load.result();
  const consumed = await consumers.result();

  return {
    put: {
      schedule,
      measuredUntilMicros: produced.measuredUntilMicros,
      endedMicros,
      stopReason: stopReason ?? fatal(),
      tally: produced.tally,
      intervals: ticker.count,
      clientLoad: worstClientLoad([produced.clientLoad, consumed.clientLoad, mainClientLoad]),
      maxBehindMs: produced.maxBehindMs,
    },
    lag: {
      tally: consumed.tally,
      completeness: ledger.result(),
      foreign: consumed.foreign,
      otherProcesses: consumed.otherProcesses,
      drainedMs,
      threads: consumed.threads,
    },
  };
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
