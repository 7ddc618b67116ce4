/**
 * The producer side of a run, for every command that writes (put, lag): the schedule of
 * warmup and measured phase, the records, the sender with its retries, the load model,
 * and the ending (stop, drain, abandon). It tallies into a PutRecorder and never prints.
 */
import { setMaxListeners } from 'node:events';
import type { ClientKind } from '../config/client-kind.js';
import type { DataPlane } from '../client/data-plane.js';
import type { Clock } from '../measure/clock.js';
import { IDLE_CLIENT_LOAD, type ClientLoadMonitor } from '../measure/client-load.js';
import type { ClientLoadSample } from '../model/client-load-sample.js';
import type { PutInterval } from '../model/put-result.js';
import type { IntervalBounds, PutSchedule } from '../model/schedule.js';
import { encodeHistogram, summarizeMs } from '../measure/histogram.js';
import { PutRecorder } from '../measure/put-recorder.js';
import type { PutTally } from '../measure/put-tally.js';
import type { KeySpec, Rate } from '../config/values.js';
import { createKeyGenerator } from '../workload/partition-keys.js';
import { startProducer, type ProducerProgress } from '../workload/producer.js';
import { PutSender, type PutEntry } from '../workload/put-sender.js';
import { RecordFactory } from '../workload/record-factory.js';
import { readHeader, runTag } from '../workload/record-header.js';
import type { RetryPolicy } from '../config/retry-policy.js';
import type { Stage } from '../config/stage-values.js';
import { withWarmup } from '../workload/rate-profile.js';

export interface PutLoadConfig {
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
  /** At the normal end, how long to wait for answers still outstanding. */
  readonly drainTimeoutMs: number;
  /** After a stop (Ctrl-C, a fault), how long to wait for answers still outstanding. */
  readonly stopGraceMs: number;
  /**
   * Open model: this producer's first batch is due this long after the start, so that
   * workers sharing one rate interleave into one even schedule (see ProducerPlan).
   */
  readonly scheduleOffsetMicros?: number;
  /** The data-path client each producer builds (default lean). */
  readonly client?: ClientKind;
  /** Load that changes over the measured phase (replaces `rate`); warmup runs at its first rate. */
  readonly stages?: readonly Stage[];
  /** With stages: this producer takes batch `index` of the one schedule and every `of`-th after it. */
  readonly stageShare?: { readonly index: number; readonly of: number };
}

/**
 * What the producer side tells the command or run that started it, the same in this thread
 * (PutLoad) and over worker threads (WorkerPutLoad).
 */
export interface ProducerHooks {
  /** The load stops early, with the reason. */
  readonly onStopping: (reason: string) => void;
  /** A record the stream accepted, as it is acknowledged (kbench lag checks it arrives). */
  readonly onAccepted?: (producerId: number, sequence: number) => void;
  /**
   * The schedule is fixed and no producer has started (workers only: a PutLoad starts at
   * once): kbench lag's consumers learn the measured phase before a record of it can exist.
   */
  readonly beforeStart?: (schedule: PutSchedule) => Promise<void>;
}

export interface PutLoadDeps extends Omit<ProducerHooks, 'beforeStart'> {
  readonly clock: Clock;
  /** The producers' own client: ending the load closes its connections. */
  readonly client: DataPlane;
  readonly streamName: string;
  /** Aborting it stops the load early; its reason (a string, or a StopRequest) says why. */
  readonly signal: AbortSignal;
  /** When the load starts (workers share one start); default now. */
  readonly startMicros?: number;
  /** Watches this thread's event loop: sampled per interval and over the measured phase. */
  readonly monitor?: ClientLoadMonitor;
}

/** A stop decided elsewhere (another thread): the measured phase is cut at `atMicros`. */
export interface StopRequest {
  readonly reason: string;
  readonly atMicros: number;
}

/** What the producers did over the measured phase, once they have finished. */
export interface ProducerResult {
  readonly measuredUntilMicros: number;
  readonly tally: PutTally;
  /** The producing threads' event loops over the measured phase (the worst thread). */
  readonly clientLoad: ClientLoadSample;
  /** Open model: the furthest behind schedule at any measured interval's end, ms. */
  readonly maxBehindMs: number;
}

/**
 * The producer side of a run as commands see it: local (PutLoad, this thread) or spread
 * over worker threads (WorkerPutLoad). Rollover and finish may answer later.
 */
export interface ProducerSide {
  readonly schedule: PutSchedule;
  /** Aborted when the load stops early. */
  readonly stopped: AbortSignal;
  /** Why the load stopped early; undefined while it runs its course. */
  readonly stopReason: string | undefined;
  /** Where the measured phase ends: the plan, or the instant of a stop. */
  readonly measuredUntilMicros: number;
  stop(reason: string): void;
  /** Resolves when scheduling has ended and every answer is in or abandoned. */
  finish(): Promise<void>;
  /** The interval that just ended; starts the next one. */
  rollover(bounds: IntervalBounds): PutInterval | Promise<PutInterval>;
  /** After finish() and the last rollover. */
  result(): Promise<ProducerResult>;
}

export class PutLoad implements ProducerSide {
  readonly schedule: PutSchedule;
  readonly recorder: PutRecorder;
  private readonly stopper = new AbortController();
  private readonly halter = new AbortController();
  private reason: string | undefined;
  private readonly producer: ProducerProgress;
  private readonly finished: Promise<void>;
  private readonly onExternalStop: () => void;
  private maxBehindMs = 0;
  private runLoad: ClientLoadSample | undefined;

  /** Starts producing now. */
  constructor(
    private readonly config: PutLoadConfig,
    private readonly deps: PutLoadDeps,
  ) {
    const { clock } = deps;
    const startMicros = deps.startMicros ?? clock.nowMicros();
    this.schedule = {
      startMicros,
      measuredFromMicros: startMicros + config.warmupMs * 1000,
      measuredUntilMicros: startMicros + (config.warmupMs + config.durationMs) * 1000,
    };
    this.recorder = new PutRecorder(this.schedule.measuredFromMicros, this.schedule.measuredUntilMicros);
    // Every waiting lane and retry listens on these; hundreds is normal.
    setMaxListeners(0, this.stopper.signal, this.halter.signal);
    // Abandoning requests in flight = closing the client's connections (see PutSender).
    this.halter.signal.addEventListener('abort', () => deps.client.destroy(), { once: true });
    this.onExternalStop = () => {
      const request = deps.signal.reason as StopRequest | string | undefined;
      if (typeof request === 'object' && request !== null) this.stop(request.reason, request.atMicros);
      else this.stop(String(request ?? 'stopped'));
    };
    if (deps.signal.aborted) this.onExternalStop();
    deps.signal.addEventListener('abort', this.onExternalStop, { once: true });

    const factory = new RecordFactory(
      runTag(config.runId),
      config.producerId,
      config.recordSize,
      createKeyGenerator(config.keys),
      clock,
    );
    const sender = new PutSender({
      client: deps.client,
      streamName: deps.streamName,
      clock,
      recorder: this.recorder,
      retry: config.retry,
      stop: this.stopper.signal,
      halt: this.halter.signal,
      onFatal: (reason) => this.stop(reason),
      ...(deps.onAccepted !== undefined && { onAccepted: acceptedIds(deps.onAccepted) }),
    });
    this.producer = startProducer(
      {
        rate: config.rate,
        batch: config.batch,
        concurrency: config.concurrency,
        startMicros,
        offsetMicros: config.scheduleOffsetMicros ?? 0,
        endMicros: this.schedule.measuredUntilMicros,
        ...(config.stages && {
          stages: {
            stages: withWarmup(config.stages, config.warmupMs),
            share: config.stageShare ?? { index: 0, of: 1 },
          },
        }),
      },
      {
        clock,
        stop: this.stopper.signal,
        sendBatch: (size, intendedMicros) => sender.send(factory.batch(size), intendedMicros),
      },
    );
    this.finished = this.producer.done;
    const { monitor } = deps;
    if (monitor)
      void clock.sleepUntil(this.schedule.measuredFromMicros, this.stopper.signal).then(() => monitor.startRun());
  }

  /** Why the load stopped early; undefined while it runs its course. */
  get stopReason(): string | undefined {
    return this.reason;
  }

  get measuredUntilMicros(): number {
    return this.recorder.measuredUntil;
  }

  /** Aborted when the load stops early. */
  get stopped(): AbortSignal {
    return this.stopper.signal;
  }

  /** Stops scheduling (the first reason wins) and cuts the measured phase at `atMicros`. */
  stop(reason: string, atMicros = this.deps.clock.nowMicros()): void {
    if (this.stopper.signal.aborted) return;
    this.reason = reason;
    this.recorder.cutMeasuredPhase(atMicros);
    this.deps.onStopping(reason);
    this.stopper.abort(reason);
  }

  /**
   * Resolves when scheduling has ended (the end of the measured phase, or a stop) and every
   * answer is in, or abandoned after the drain timeout (the stop grace after a stop).
   */
  async finish(): Promise<void> {
    const { clock } = this.deps;
    // Scheduling ends by itself at the end of the measured phase, or at a stop.
    await Promise.race([this.finished, clock.sleepUntil(this.schedule.measuredUntilMicros, this.stopper.signal)]);
    this.runLoad = this.deps.monitor?.runSample() ?? IDLE_CLIENT_LOAD;
    await this.waitForDrain();
    this.halter.abort('abandoned');
    await this.finished;
    this.deps.signal.removeEventListener('abort', this.onExternalStop);
  }

  /** Outstanding answers get the drain time, or only the stop grace once stopped (also mid-drain). */
  private async waitForDrain(): Promise<void> {
    const limit = new AbortController();
    let graceTimer: NodeJS.Timeout | undefined;
    const startGrace = (): void => {
      graceTimer = setTimeout(() => limit.abort(), this.config.stopGraceMs);
    };
    const stopped = this.stopper.signal;
    if (stopped.aborted) startGrace();
    else stopped.addEventListener('abort', startGrace, { once: true });
    const drainTimer = setTimeout(() => limit.abort(), this.config.drainTimeoutMs);
    await Promise.race([
      this.finished,
      new Promise<void>((resolve) => limit.signal.addEventListener('abort', () => resolve())),
    ]);
    clearTimeout(drainTimer);
    clearTimeout(graceTimer);
    stopped.removeEventListener('abort', startGrace);
  }

  rollover(bounds: IntervalBounds): PutInterval {
    const behindMs = this.producer.behindMicros(bounds.endMicros) / 1000;
    if (bounds.phase === 'measure') this.maxBehindMs = Math.max(this.maxBehindMs, behindMs);
    const load = this.deps.monitor?.intervalSample() ?? IDLE_CLIENT_LOAD;
    return this.recorder.rollover((tally) => snapshot(tally, bounds, behindMs, load));
  }

  async result(): Promise<ProducerResult> {
    return {
      measuredUntilMicros: this.recorder.measuredUntil,
      tally: this.recorder.run,
      clientLoad: this.runLoad ?? IDLE_CLIENT_LOAD,
      maxBehindMs: this.maxBehindMs,
    };
  }
}

/** Accepted entries -> the ids in their record headers. */
function acceptedIds(
  onAccepted: (producerId: number, sequence: number) => void,
): (entries: readonly PutEntry[]) => void {
  return (entries) => {
    for (const entry of entries) {
      const header = readHeader(entry.Data);
      if (header) onAccepted(header.producerId, header.sequence);
    }
  };
}

function snapshot(
  tally: PutTally,
  bounds: IntervalBounds,
  behindMs: number,
  clientLoad: ClientLoadSample,
): PutInterval {
  return {
    ...bounds,
    counts: { ...tally.counts },
    requestLatency: summarizeMs(tally.requestLatency),
    recordLatency: summarizeMs(tally.recordLatency),
    requestHistogram: encodeHistogram(tally.requestLatency),
    recordHistogram: encodeHistogram(tally.recordLatency),
    perShard: [...tally.perShard],
    behindMs: Math.round(behindMs * 1000) / 1000,
    clientLoad,
  };
}
