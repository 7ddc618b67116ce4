/**
 * One put run: producers against one stream through warmup, the measured phase and the
 * drain, with a tally per interval. It reports through `onEvent` and its result, and
 * never prints: what to show, and where, is the caller's business.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Clock } from '../measure/clock.js';
import type { PutTally } from '../measure/put-tally.js';
import { IntervalTicker, type PutSchedule } from './interval-ticker.js';
import { PutLoad, type PutInterval, type PutLoadConfig } from './put-load.js';

export type { Phase, PutSchedule } from './interval-ticker.js';
export type { PutInterval } from './put-load.js';

export interface PutRunConfig extends PutLoadConfig {
  readonly intervalMs: number;
}

export interface PutRunDeps {
  readonly clock: Clock;
  readonly client: KinesisClient;
  readonly streamName: string;
  /** Aborting it stops the run early; its reason (a string) says why. */
  readonly signal: AbortSignal;
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
}

export async function runPut(config: PutRunConfig, deps: PutRunDeps): Promise<PutRunResult> {
  const { clock, onEvent } = deps;
  const load = new PutLoad(config, {
    clock,
    client: deps.client,
    streamName: deps.streamName,
    signal: deps.signal,
    onStopping: (reason) => onEvent({ type: 'stopping', reason }),
  });
  onEvent({ type: 'started', schedule: load.schedule });
  const ticker = new IntervalTicker(clock, config.intervalMs * 1000, load.schedule, (bounds) =>
    onEvent({ type: 'interval', interval: load.rollover(bounds) }),
  );
  ticker.start();
  await load.finish();
  const endedMicros = await ticker.finish();
  return {
    schedule: load.schedule,
    measuredUntilMicros: load.recorder.measuredUntil,
    endedMicros,
    stopReason: load.stopReason,
    tally: load.recorder.run,
    intervals: ticker.count,
  };
}
