/**
 * One put run: a producer side (local, or spread over worker threads) through warmup, the
 * measured phase and the drain, with a tally per interval on one interval grid. It reports
 * through `onEvent` and its result, and never prints: what to show, and where, is the
 * caller's business.
 */
import type { Clock } from '../measure/clock.js';
import type { LoadSample } from '../measure/client-load.js';
import type { PutTally } from '../measure/put-tally.js';
import { IntervalTicker, type PutSchedule } from './interval-ticker.js';
import type { ProducerSide, PutInterval } from './put-load.js';

export type { Phase, PutSchedule } from './interval-ticker.js';
export type { PutInterval, StopRequest } from './put-load.js';

export interface PutRunDeps {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly onEvent: (event: PutRunEvent) => void;
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
  /** The producing threads' event loops over the measured phase (the worst thread). */
  readonly clientLoad: LoadSample;
  /** Open model: the furthest behind schedule at any measured interval's end, ms. */
  readonly maxBehindMs: number;
}

/** Runs `load` (already started; it reports stops through its own deps) to its end. */
export async function runPut(load: ProducerSide, deps: PutRunDeps): Promise<PutRunResult> {
  const { clock, onEvent } = deps;
  onEvent({ type: 'started', schedule: load.schedule });
  const ticker = new IntervalTicker(clock, deps.intervalMs * 1000, load.schedule, async (bounds) =>
    onEvent({ type: 'interval', interval: await load.rollover(bounds) }),
  );
  ticker.start();
  await load.finish();
  const endedMicros = await ticker.finish();
  const result = await load.result();
  return {
    schedule: load.schedule,
    measuredUntilMicros: result.measuredUntilMicros,
    endedMicros,
    stopReason: load.stopReason,
    tally: result.tally,
    intervals: ticker.count,
    clientLoad: result.clientLoad,
    maxBehindMs: result.maxBehindMs,
  };
}
