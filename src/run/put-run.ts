/**
 * One put run: a producer side (local, or spread over worker threads) through warmup, the
 * measured phase and the drain, with a tally per interval on one interval grid. It reports
 * through `onEvent` and its result, and never prints: what to show, and where, is the
 * caller's business.
 */
import type { Clock } from '../measure/clock.js';
import type { PutRunEvent, PutRunResult } from '../model/put-result.js';
import { IntervalTicker } from './interval-ticker.js';
import type { ProducerSide } from './put-load.js';

export interface PutRunDeps {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly onEvent: (event: PutRunEvent) => void;
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
