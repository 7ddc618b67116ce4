/**
 * The producer side of a run, for every command that writes (put, lag): the schedule of
 * warmup and measured phase, the records, the sender with its retries, the load model,
 * and the ending (stop, drain, abandon). It tallies into a PutRecorder and never prints.
 */
import { setMaxListeners } from 'node:events';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Clock } from '../measure/clock.js';
import { encodeHistogram, summarizeMs, type LatencySummary } from '../measure/histogram.js';
import { PutRecorder } from '../measure/put-recorder.js';
import type { PutCounts, PutTally } from '../measure/put-tally.js';
import type { KeySpec, Rate } from '../scenario/values.js';
import { createKeyGenerator } from '../workload/partition-keys.js';
import { startProducer, type ProducerProgress } from '../workload/producer.js';
import { PutSender, type PutEntry } from '../workload/put-sender.js';
import { RecordFactory } from '../workload/record-factory.js';
import { runTag } from '../workload/record-header.js';
import type { RetryPolicy } from '../workload/retry-policy.js';
import type { IntervalBounds, Phase, PutSchedule } from './interval-ticker.js';

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
}

export interface PutLoadDeps {
  readonly clock: Clock;
  /** The producers' own client: ending the load closes its connections. */
  readonly client: KinesisClient;
  readonly streamName: string;
  /** Aborting it stops the load early; its reason (a string) says why. */
  readonly signal: AbortSignal;
  /** Told when the load stops early, with the reason. */
  readonly onStopping: (reason: string) => void;
  /** Records the stream accepted, as they are acknowledged (kbench lag checks they arrive). */
  readonly onAccepted?: (entries: readonly PutEntry[]) => void;
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
  /** Open model: batches due but not yet sent at the interval's end (the client lagging). */
  readonly behindBatches: number;
}

export class PutLoad {
  readonly schedule: PutSchedule;
  readonly recorder: PutRecorder;
  private readonly stopper = new AbortController();
  private readonly halter = new AbortController();
  private reason: string | undefined;
  private readonly producer: ProducerProgress;
  private readonly finished: Promise<void>;
  private readonly onExternalStop: () => void;

  /** Starts producing now. */
  constructor(
    private readonly config: PutLoadConfig,
    private readonly deps: PutLoadDeps,
  ) {
    const { clock } = deps;
    const startMicros = clock.nowMicros();
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
    this.onExternalStop = () => this.stop(String(deps.signal.reason ?? 'stopped'));
    if (deps.signal.aborted) this.onExternalStop();
    deps.signal.addEventListener('abort', this.onExternalStop, { once: true });

    const factory = new RecordFactory(runTag(config.runId), config.producerId, config.recordSize, createKeyGenerator(config.keys), clock);
    const sender = new PutSender({
      client: deps.client,
      streamName: deps.streamName,
      clock,
      recorder: this.recorder,
      retry: config.retry,
      stop: this.stopper.signal,
      halt: this.halter.signal,
      onFatal: (reason) => this.stop(reason),
      ...(deps.onAccepted !== undefined && { onAccepted: deps.onAccepted }),
    });
    this.producer = startProducer(
      {
        rate: config.rate,
        batch: config.batch,
        concurrency: config.concurrency,
        startMicros,
        endMicros: this.schedule.measuredUntilMicros,
      },
      {
        clock,
        stop: this.stopper.signal,
        sendBatch: (size, intendedMicros) => sender.send(factory.batch(size), intendedMicros),
      },
    );
    this.finished = this.producer.done;
  }

  /** Why the load stopped early; undefined while it runs its course. */
  get stopReason(): string | undefined {
    return this.reason;
  }

  /** Aborted when the load stops early. */
  get stopped(): AbortSignal {
    return this.stopper.signal;
  }

  /** Stops scheduling (the first reason wins) and cuts the measured phase here. */
  stop(reason: string): void {
    if (this.stopper.signal.aborted) return;
    this.reason = reason;
    this.recorder.cutMeasuredPhase(this.deps.clock.nowMicros());
    this.deps.onStopping(reason);
    this.stopper.abort(reason);
  }

  /**
   * Resolves when scheduling has ended (the end of the measured phase, or a stop) and every
   * answer is in, or abandoned after the drain timeout (the stop grace after a stop).
   */
  async finish(): Promise<void> {
    const { clock } = this.deps;
    await Promise.race([
      this.finished,
      // Scheduling ends by itself at the end of the measured phase, or at a stop.
      new Promise<void>((resolve) => {
        const atEnd = (): void => resolve();
        this.stopper.signal.addEventListener('abort', atEnd, { once: true });
        void clock.sleepUntil(this.schedule.measuredUntilMicros, this.stopper.signal).then(atEnd);
      }),
    ]);
    // Give outstanding answers a bounded time, then abandon them.
    const limitMs = this.stopper.signal.aborted ? this.config.stopGraceMs : this.config.drainTimeoutMs;
    const waitLimit = new AbortController();
    const timer = setTimeout(() => waitLimit.abort(), limitMs);
    await Promise.race([this.finished, new Promise((resolve) => waitLimit.signal.addEventListener('abort', resolve))]);
    clearTimeout(timer);
    this.halter.abort('abandoned');
    await this.finished;
    this.deps.signal.removeEventListener('abort', this.onExternalStop);
  }

  /** The interval that just ended; starts the next one. */
  rollover(bounds: IntervalBounds): PutInterval {
    const behindBatches = this.producer.behind(bounds.endMicros);
    return this.recorder.rollover((tally) => snapshot(tally, bounds, behindBatches));
  }
}

function snapshot(tally: PutTally, bounds: IntervalBounds, behindBatches: number): PutInterval {
  return {
    ...bounds,
    counts: { ...tally.counts },
    requestLatency: summarizeMs(tally.requestLatency),
    recordLatency: summarizeMs(tally.recordLatency),
    requestHistogram: encodeHistogram(tally.requestLatency),
    recordHistogram: encodeHistogram(tally.recordLatency),
    behindBatches,
  };
}
