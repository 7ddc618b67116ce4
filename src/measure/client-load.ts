/**
 * How busy kbench's own event loop is. When the client is saturated its latency figures
 * describe the client, not Kinesis, so every thread that generates load watches itself:
 * event-loop delay (how late a timer fires) and utilization (the share of time the loop
 * was busy rather than waiting for I/O).
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { ClientLoadSample } from '../model/client-load-sample.js';
import { roundTo as round } from '../runtime/round.js';

/** A thread that was not watched (no monitor): nothing to report. */
export const IDLE_CLIENT_LOAD: ClientLoadSample = {
  eventLoopDelayP99Ms: 0,
  eventLoopDelayMaxMs: 0,
  eventLoopUtilization: 0,
};

/** Node's histogram counts the sampling period itself in each delay; it is taken off. */
const RESOLUTION_MS = 5;

export class ClientLoadMonitor {
  private readonly interval: IntervalHistogram;
  private readonly run: IntervalHistogram;
  private intervalElu: EventLoopUtilization;
  private runElu: EventLoopUtilization | undefined;

  constructor() {
    this.interval = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.run = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.interval.enable();
    this.intervalElu = performance.eventLoopUtilization();
  }

  /** Starts the span `runSample` covers (the measured phase). */
  startRun(): void {
    this.run.reset();
    this.run.enable();
    this.runElu = performance.eventLoopUtilization();
  }

  /** The load since the last call (or since construction), and starts a new span. */
  intervalSample(): ClientLoadSample {
    const sample = toSample(this.interval, performance.eventLoopUtilization(this.intervalElu));
    this.interval.reset();
    this.intervalElu = performance.eventLoopUtilization();
    return sample;
  }

  /** The load since startRun(), or over the monitor's life if it was never called. */
  runSample(): ClientLoadSample {
    return toSample(this.run, performance.eventLoopUtilization(this.runElu));
  }

  stop(): void {
    this.interval.disable();
    this.run.disable();
  }
}

function toSample(histogram: IntervalHistogram, elu: EventLoopUtilization): ClientLoadSample {
  const ms = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const hasSamples = histogram.count > 0;
  return {
    eventLoopDelayP99Ms: hasSamples ? round(ms(histogram.percentile(99))) : 0,
    eventLoopDelayMaxMs: hasSamples ? round(ms(histogram.max)) : 0,
    eventLoopUtilization: round(elu.utilization),
  };
}

/** Thresholds above which the client, not the target, is what a run measures. */
export const CLIENT_BOUND = {
  eventLoopDelayP99Ms: 10,
  /**
   * Delay counts only from a loop at least this busy: a mostly idle loop that is late is
   * being starved by other processes (or one GC pause), not saturated by its own load.
   */
  delayNeedsUtilization: 0.5,
  eventLoopUtilization: 0.9,
  /** Fixed rate only: the schedule more than this far behind at an interval's end. */
  behindMs: 50,
} as const;

/** Why the client looks saturated, in words; empty when it does not. */
export function clientBoundReasons(clientLoad: ClientLoadSample, maxBehindMs: number): string[] {
  const reasons: string[] = [];
  if (
    clientLoad.eventLoopDelayP99Ms > CLIENT_BOUND.eventLoopDelayP99Ms &&
    clientLoad.eventLoopUtilization >= CLIENT_BOUND.delayNeedsUtilization
  ) {
    reasons.push(
      `event-loop delay p99 ${clientLoad.eventLoopDelayP99Ms.toFixed(1)} ms ` +
        `(above ${CLIENT_BOUND.eventLoopDelayP99Ms} ms)`,
    );
  }
  if (clientLoad.eventLoopUtilization > CLIENT_BOUND.eventLoopUtilization) {
    reasons.push(
      `event loop busy ${(clientLoad.eventLoopUtilization * 100).toFixed(0)} % of the time ` +
        `(above ${CLIENT_BOUND.eventLoopUtilization * 100} %)`,
    );
  }
  if (maxBehindMs > CLIENT_BOUND.behindMs) {
    reasons.push(
      `the fixed-rate schedule fell ${maxBehindMs.toFixed(0)} ms behind (above ${CLIENT_BOUND.behindMs} ms)`,
    );
  }
  return reasons;
}

/** The worst of several threads' samples: saturation in any one thread distorts its share. */
export function worstClientLoad(samples: readonly ClientLoadSample[]): ClientLoadSample {
  return {
    eventLoopDelayP99Ms: Math.max(0, ...samples.map((s) => s.eventLoopDelayP99Ms)),
    eventLoopDelayMaxMs: Math.max(0, ...samples.map((s) => s.eventLoopDelayMaxMs)),
    eventLoopUtilization: Math.max(0, ...samples.map((s) => s.eventLoopUtilization)),
  };
}
