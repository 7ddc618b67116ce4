/**
 * The find-max options (--find-max and its flags): how the search steps, and when a step
 * counts as broken. run/find-max.ts runs the search; summary.json and the console show these bounds.
 */

export interface FindMaxSettings {
  /** The first step's rate, records/s. */
  readonly startPerS: number;
  /** Each step up multiplies the rate by this (above 1). */
  readonly stepFactor: number;
  /** Stop bisecting when (lowest broken - highest held) / lowest broken is at most this (0-1). */
  readonly precision: number;
  /** A step breaks above this share of attempts throttled, in %. */
  readonly maxThrottledPct: number;
  /** A step breaks when record p99 is above this, ms; undefined: no latency bound. */
  readonly maxP99Ms: number | undefined;
  /** Measured time of each step, ms (each also runs the warmup first). */
  readonly settleMs: number;
  /** The search gives up after this many steps. */
  readonly maxSteps: number;
  /** No step goes above this rate, records/s. */
  readonly ceilingPerS: number;
}

/** A step is client-bound when its schedule fell this far behind (a stall of the producers, not the stream). */
export const FIND_MAX_BEHIND_MS = 1_000;
/** ... or a producer's event loop was busier than this share of the time. */
export const FIND_MAX_BUSY = 0.9;
