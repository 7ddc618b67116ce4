/**
 * One put run: producers against one stream through warmup, the measured phase and the
 * drain, with a tally per interval. It reports through `onEvent` and its result, and
 * never prints: what to show, and where, is the caller's business.
 */
import { setMaxListeners } from 'node:events';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Clock } from '../measure/clock.js';
import type { ClientLoadMonitor, LoadSample } from '../measure/client-load.js';
import { encodeHistogram, summarizeMs, type LatencySummary } from '../measure/histogram.js';
import { PutRecorder } from '../measure/put-recorder.js';
import type { PutCounts, PutTally } from '../measure/put-tally.js';
import type { KeySpec, Rate } from '../scenario/values.js';
import { createKeyGenerator } from '../workload/partition-keys.js';
import { startProducer } from '../workload/producer.js';
import { PutSender } from '../workload/put-sender.js';
import { RecordFactory } from '../workload/record-factory.js';
import { runTag } from '../workload/record-header.js';
import type { RetryPolicy } from '../workload/retry-policy.js';

export interface PutRunConfig {
  readonly runId: string;
  readonly producerId: number;
  readonly rate: Rate;
  readonly batch: number;
  readonly concurrency: number;
  readonly recordSize: number;
  readonly keys: KeySpec;
  readonly retry: RetryPolicy;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly intervalMs: number;
  /** At the normal end, how long to wait for answers still outstanding. */
  readonly drainTimeoutMs: number;
  /** After a stop (Ctrl-C, a fault), how long to wait for answers still outstanding. */
  readonly stopGraceMs: number;
  /** Open model: this producer's first batch is due this long after the start (see ProducerPlan). */
  readonly scheduleOffsetMicros?: number;
}

export interface PutRunDeps {
  readonly clock: Clock;
  readonly client: KinesisClient;
  readonly streamName: string;
  /** Aborting it stops the run early; its reason (a string, or a StopRequest) says why. */
  readonly signal: AbortSignal;
  readonly onEvent: (event: PutRunEvent) => void;
  /** When the run starts (workers share one start); default now. */
  readonly startMicros?: number;
  /** Watches this thread's event loop; its samples go into intervals and the result. */
  readonly monitor?: ClientLoadMonitor;
}

/** A stop decided elsewhere (another thread): the measured phase is cut at `atMicros`. */
export interface StopRequest {
  readonly reason: string;
  readonly atMicros: number;
}

export type Phase = 'warmup' | 'measure' | 'drain';

export interface PutSchedule {
  readonly startMicros: number;
  readonly measuredFromMicros: number;
  readonly measuredUntilMicros: number;
}

export interface PutInterval {
  readonly index: number;
  readonly phase: Phase;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly counts: Readonly<PutCounts>;
  readonly requestLatency: LatencySummary;
  readonly recordLatency: LatencySummary;
  /** Encoded HDR histograms (µs), for interval logs and merging. */
  readonly requestHistogram: string;
  readonly recordHistogram: string;
  /** Open model: how far behind its schedule the producer was at the interval's end, ms. */
  readonly behindMs: number;
  /** This thread's event loop during the interval (several threads: the worst of them). */
  readonly clientLoad: LoadSample;
}

export type PutRunEvent =
  | { readonly type: 'started'; readonly schedule: PutSchedule }
  | { readonly type: 'interval'; readonly interval: PutInterval }
  | { readonly type: 'stopping'; readonly reason: string };

export interface PutRunResult {
  readonly schedule: PutSchedule;
  /** Where the measured phase really ended: earlier than planned if the run was stopped. */
  readonly measuredUntilMicros: number;
  readonly endedMicros: number;
  /** Why the run stopped early; undefined when it ran its course. */
  readonly stopReason: string | undefined;
  /** The measured phase (records due from warmup end to the end of the measured phase). */
  readonly tally: PutTally;
  readonly intervals: number;
  /** The event loop over the measured phase (several threads: the worst of them). */
  readonly clientLoad: LoadSample;
  /** Open model: the furthest behind schedule at any measured interval's end, ms. */
  readonly maxBehindMs: number;
}

const IDLE_LOAD: LoadSample = { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0 };

export async function runPut(config: PutRunConfig, deps: PutRunDeps): Promise<PutRunResult> {
  const { clock, onEvent, monitor } = deps;
  const startMicros = deps.startMicros ?? clock.nowMicros();
  const schedule: PutSchedule = {
    startMicros,
    measuredFromMicros: startMicros + config.warmupMs * 1000,
    measuredUntilMicros: startMicros + (config.warmupMs + config.durationMs) * 1000,
  };
  const recorder = new PutRecorder(schedule.measuredFromMicros, schedule.measuredUntilMicros);

  const stopper = new AbortController();
  const halter = new AbortController();
  // Every waiting lane and retry listens on these; hundreds is normal.
  setMaxListeners(0, stopper.signal, halter.signal);
  // Abandoning requests in flight = closing the client's connections (see PutSender).
  halter.signal.addEventListener('abort', () => deps.client.destroy(), { once: true });
  let stopReason: string | undefined;
  const stop = (reason: string, atMicros = clock.nowMicros()): void => {
    if (stopper.signal.aborted) return;
    stopReason = reason;
    recorder.cutMeasuredPhase(atMicros);
    onEvent({ type: 'stopping', reason });
    stopper.abort(reason);
  };
  const onExternalStop = (): void => {
    const request = deps.signal.reason as StopRequest | string | undefined;
    if (typeof request === 'object' && request !== null) stop(request.reason, request.atMicros);
    else stop(String(request ?? 'stopped'));
  };
  if (deps.signal.aborted) onExternalStop();
  deps.signal.addEventListener('abort', onExternalStop, { once: true });

  const factory = new RecordFactory(runTag(config.runId), config.producerId, config.recordSize, createKeyGenerator(config.keys), clock);
  const sender = new PutSender({
    client: deps.client,
    streamName: deps.streamName,
    clock,
    recorder,
    retry: config.retry,
    stop: stopper.signal,
    halt: halter.signal,
    onFatal: stop,
  });

  onEvent({ type: 'started', schedule });
  const producer = startProducer(
    {
      rate: config.rate,
      batch: config.batch,
      concurrency: config.concurrency,
      startMicros,
      offsetMicros: config.scheduleOffsetMicros ?? 0,
      endMicros: schedule.measuredUntilMicros,
    },
    {
      clock,
      stop: stopper.signal,
      sendBatch: (size, intendedMicros) => sender.send(factory.batch(size), intendedMicros),
    },
  );

  const intervals = new IntervalClock(config.intervalMs * 1000, schedule);
  let index = 0;
  let intervalStart = startMicros;
  let maxBehindMs = 0;
  // Boundaries follow the nominal grid (timer lateness never accumulates); rows carry the
  // actual times, so their rates divide by the time that really passed.
  let nominalStart = startMicros;
  const emitInterval = (endMicros: number): void => {
    const phase = intervals.phaseAt(nominalStart);
    const behindMs = producer.behindMicros(endMicros) / 1000;
    if (phase === 'measure') maxBehindMs = Math.max(maxBehindMs, behindMs);
    const load = monitor?.intervalSample() ?? IDLE_LOAD;
    const interval = recorder.rollover((tally) => snapshot(tally, index, phase, intervalStart, endMicros, behindMs, load));
    onEvent({ type: 'interval', interval });
    index += 1;
    intervalStart = endMicros;
  };

  let producing = true;
  const finished = producer.done.finally(() => {
    producing = false;
  });
  const tickerStop = new AbortController();
  const ticker = (async () => {
    while (producing) {
      const boundary = intervals.nextBoundary(nominalStart);
      await clock.sleepUntil(boundary, tickerStop.signal);
      if (!producing) return;
      if (boundary === schedule.measuredFromMicros) monitor?.startRun();
      emitInterval(clock.nowMicros());
      nominalStart = boundary;
    }
  })();
  if (config.warmupMs === 0) monitor?.startRun();

  // Scheduling ends by itself at the end of the measured phase, or at a stop.
  await Promise.race([finished, clock.sleepUntil(schedule.measuredUntilMicros, stopper.signal)]);
  const clientLoad = monitor?.runSample() ?? IDLE_LOAD;
  // Answers still outstanding get the drain time, or only the grace time once stopped.
  await waitForDrain(finished, config, stopper.signal);
  halter.abort('abandoned');
  await finished;
  tickerStop.abort();
  await ticker;
  deps.signal.removeEventListener('abort', onExternalStop);
  const endedMicros = clock.nowMicros();
  emitInterval(endedMicros);

  return {
    schedule,
    measuredUntilMicros: recorder.measuredUntil,
    endedMicros,
    stopReason,
    tally: recorder.run,
    intervals: index,
    clientLoad,
    maxBehindMs,
  };
}

/** Resolves when `finished` does, after drainTimeoutMs, or stopGraceMs after a stop. */
async function waitForDrain(finished: Promise<void>, config: PutRunConfig, stopped: AbortSignal): Promise<void> {
  const limit = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const startGrace = (): void => {
    graceTimer = setTimeout(() => limit.abort(), config.stopGraceMs);
  };
  if (stopped.aborted) startGrace();
  else stopped.addEventListener('abort', startGrace, { once: true });
  const drainTimer = setTimeout(() => limit.abort(), config.drainTimeoutMs);
  await Promise.race([finished, new Promise<void>((resolve) => limit.signal.addEventListener('abort', () => resolve()))]);
  clearTimeout(drainTimer);
  clearTimeout(graceTimer);
  stopped.removeEventListener('abort', startGrace);
}

function snapshot(
  tally: PutTally,
  index: number,
  phase: Phase,
  startMicros: number,
  endMicros: number,
  behindMs: number,
  clientLoad: LoadSample,
): PutInterval {
  return {
    index,
    phase,
    startMicros,
    endMicros,
    counts: { ...tally.counts },
    requestLatency: summarizeMs(tally.requestLatency),
    recordLatency: summarizeMs(tally.recordLatency),
    requestHistogram: encodeHistogram(tally.requestLatency),
    recordHistogram: encodeHistogram(tally.recordLatency),
    behindMs: Math.round(behindMs * 1000) / 1000,
    clientLoad,
  };
}

/** Interval boundaries every `periodMicros`, cut at the phase changes so no row mixes phases. */
class IntervalClock {
  constructor(
    private readonly periodMicros: number,
    private readonly schedule: PutSchedule,
  ) {}

  nextBoundary(fromMicros: number): number {
    let boundary = fromMicros + this.periodMicros;
    const { measuredFromMicros, measuredUntilMicros } = this.schedule;
    if (fromMicros < measuredFromMicros && boundary > measuredFromMicros) boundary = measuredFromMicros;
    if (fromMicros < measuredUntilMicros && boundary > measuredUntilMicros) boundary = measuredUntilMicros;
    return boundary;
  }

  phaseAt(micros: number): Phase {
    if (micros < this.schedule.measuredFromMicros) return 'warmup';
    if (micros < this.schedule.measuredUntilMicros) return 'measure';
    return 'drain';
  }
}
