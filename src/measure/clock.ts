/**
 * Time for measuring. All figures are microseconds since the Unix epoch, read from the
 * monotonic clock and anchored to the wall clock once, so timestamps never jump when NTP
 * steps the wall clock, and record headers still carry wall-clock time another process
 * (the lag consumer, a merge across hosts) can compare.
 */
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Microseconds since the epoch; never goes backwards. */
  nowMicros(): number;
  /** Resolves at or soon after `micros`, or early when `signal` aborts. */
  sleepUntil(micros: number, signal?: AbortSignal): Promise<void>;
}

/** One wall-clock reading paired with one monotonic reading: share it so threads agree. */
export interface ClockAnchor {
  readonly epochMicros: number;
  readonly monotonicNs: bigint;
}

export function createAnchor(): ClockAnchor {
  return { epochMicros: Date.now() * 1000, monotonicNs: process.hrtime.bigint() };
}

export class MonotonicClock implements Clock {
  /** Added to performance.now() (in µs) to get epoch µs; fixed for the clock's life. */
  private readonly offsetMicros: number;

  constructor(readonly anchor: ClockAnchor = createAnchor()) {
    // performance.now() and hrtime read the same monotonic source; performance.now() is
    // a plain number (no BigInt allocation), so it is the one read on the hot path.
    // Both are read twice around the other, and midpoints taken, so two clocks built on
    // one anchor (two threads) agree to about a microsecond.
    const before = performance.now();
    const monotonic = process.hrtime.bigint();
    const after = performance.now();
    const perfMicros = ((before + after) / 2) * 1000;
    const sinceAnchorMicros = Number(monotonic - anchor.monotonicNs) / 1000;
    this.offsetMicros = anchor.epochMicros + sinceAnchorMicros - perfMicros;
  }

  nowMicros(): number {
    return this.offsetMicros + performance.now() * 1000;
  }

  async sleepUntil(micros: number, signal?: AbortSignal): Promise<void> {
    // Node's timers run on libuv's cached loop time and can fire up to ~1 ms before the
    // monotonic clock reaches the target; a send due at T must never go out before T.
    for (
      let remaining = micros - this.nowMicros();
      remaining > 0 && !signal?.aborted;
      remaining = micros - this.nowMicros()
    ) {
      await sleepMs(remaining / 1000, signal);
    }
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** setTimeout as a promise that an AbortSignal ends early (resolving, not rejecting). */
export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // Node truncates fractional delays; rounding up keeps "at or after" true. One timer
    // waits at most 2^31 - 1 ms (Node warns and fires at once beyond): sleepUntil loops.
    const timer = setTimeout(done, Math.min(Math.ceil(ms), MAX_TIMER_MS));
    signal?.addEventListener('abort', done, { once: true });
  });
}
