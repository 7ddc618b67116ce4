/**
 * What the main thread and a producer worker thread say to each other. Everything here is
 * plain data (structured-cloneable): histograms travel encoded, never as objects.
 */
import type { ClockAnchor } from '../measure/clock.js';
import type { LoadSample } from '../measure/client-load.js';
import type { PutCounts } from '../measure/put-tally.js';
import type { ClientSettings } from '../target/client.js';
import type { PutRunConfig, PutRunEvent, PutSchedule, StopRequest } from './put-run.js';

export interface PutWorkerInit {
  readonly config: PutRunConfig;
  readonly client: ClientSettings;
  readonly streamName: string;
  /** The main thread's clock anchor: every thread stamps records on one time line. */
  readonly anchor: ClockAnchor;
}

export type ToPutWorker =
  | { readonly type: 'start'; readonly startMicros: number }
  | { readonly type: 'stop'; readonly request: StopRequest };

export type FromPutWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'event'; readonly event: PutRunEvent }
  | { readonly type: 'done'; readonly result: PutResultData };

/** A PutRunResult as plain data. */
export interface PutResultData {
  readonly schedule: PutSchedule;
  readonly measuredUntilMicros: number;
  readonly endedMicros: number;
  readonly stopReason: string | undefined;
  readonly counts: PutCounts;
  readonly requestHistogram: string;
  readonly recordHistogram: string;
  readonly perShard: ReadonlyArray<readonly [string, number]>;
  readonly intervals: number;
  readonly clientLoad: LoadSample;
  readonly maxBehindMs: number;
}
