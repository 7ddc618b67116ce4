/**
 * What the main thread and a producer worker thread say to each other. Everything here is
 * plain data (structured-cloneable): histograms travel encoded, never as objects.
 */
import type { ClockAnchor } from '../measure/clock.js';
import type { ClientLoadSample } from '../model/client-load-sample.js';
import type { IntervalBounds } from '../model/schedule.js';
import type { PutCounts, PutInterval } from '../model/put-result.js';
import type { ClientSettings } from '../target/client.js';
import type { PutLoadConfig, StopRequest } from './put-load.js';

export interface PutWorkerInit {
  readonly config: PutLoadConfig;
  readonly client: ClientSettings;
  readonly streamName: string;
  /** The main thread's clock anchor: every thread stamps records on one time line. */
  readonly anchor: ClockAnchor;
  /** Send the ids of accepted records back (kbench lag accounts for every one). */
  readonly reportAccepted: boolean;
}

export type ToPutWorker =
  | { readonly type: 'start'; readonly startMicros: number }
  | { readonly type: 'stop'; readonly request: StopRequest }
  | { readonly type: 'rollover'; readonly bounds: IntervalBounds }
  | { readonly type: 'finish' }
  | { readonly type: 'result' };

export type FromPutWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'stopping'; readonly reason: string }
  | { readonly type: 'interval'; readonly interval: PutInterval }
  /** Accepted records as [producer id, sequence] pairs, flattened. */
  | { readonly type: 'accepted'; readonly ids: readonly number[] }
  | { readonly type: 'finished' }
  | { readonly type: 'result'; readonly result: ProducerResultData };

/** A ProducerResult as plain data. */
export interface ProducerResultData {
  readonly measuredUntilMicros: number;
  readonly counts: PutCounts;
  readonly requestHistogram: string;
  readonly recordHistogram: string;
  readonly perShard: ReadonlyArray<readonly [string, number]>;
  readonly perShardInPhase: ReadonlyArray<readonly [string, number]>;
  readonly clientLoad: ClientLoadSample;
  readonly maxBehindMs: number;
}
