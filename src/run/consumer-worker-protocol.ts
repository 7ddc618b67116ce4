/**
 * What the main thread and a consumer worker thread (kbench lag) say to each other. Plain
 * data only (structured-cloneable): histograms travel encoded, never as objects.
 */
import type { ClockAnchor } from '../measure/clock.js';
import type { PutSchedule } from '../model/schedule.js';
import type { LagTallyData } from '../measure/thread-totals.js';
import type { ClientSettings } from '../target/client.js';
import type { ReadingSettings } from '../workload/consumers/index.js';
import type { ConsumerLoadConfig } from './consumer-load.js';
import type { ConsumerInterval, ConsumerResult } from './lag-run.js';

/** A worker's share of the consumers (its readers) and what it needs to run them on its own. */
export interface ConsumerWorkerInit extends ConsumerLoadConfig {
  /** The main thread's clock anchor: receive times on the producers' time line. */
  readonly anchor: ClockAnchor;
  /** For GetShardIterator, GetRecords and finding child shards. */
  readonly client: ClientSettings;
  readonly reading: ReadingSettings;
}

export type ToConsumerWorker =
  | { readonly type: 'position' }
  /** The producers' schedule: what counts as the measured phase. */
  | { readonly type: 'measure'; readonly schedule: PutSchedule }
  /** The producers stopped early: the measured phase ends here. */
  | { readonly type: 'cut'; readonly atMicros: number }
  /** The interval ends now: answer with its tally, and start the next. */
  | { readonly type: 'rollover' }
  /** End every reader (the drain is over, or the run stops). */
  | { readonly type: 'stop'; readonly reason: string }
  | { readonly type: 'result' }
  | { readonly type: 'claimed'; readonly id: number; readonly granted: boolean };

export type FromConsumerWorker =
  | { readonly type: 'ready' }
  /** Every reader holds its position (or has ended); `readers` are running. */
  | { readonly type: 'positioned'; readonly readers: number }
  | { readonly type: 'measuring' }
  /** A fault that makes going on pointless (no stream, no permission). */
  | { readonly type: 'fatal'; readonly reason: string }
  /** Deliveries as [consumer, producer id, sequence] triples, flattened, duplicates included. */
  | { readonly type: 'received'; readonly ids: readonly number[] }
  /** May this worker read a child shard for a consumer (see ConsumerGroup)? */
  | { readonly type: 'claim'; readonly id: number; readonly consumer: number; readonly shardId: string }
  | { readonly type: 'interval'; readonly interval: ConsumerIntervalData }
  /** Every reader has ended. */
  | { readonly type: 'finished' }
  | { readonly type: 'result'; readonly result: ConsumerResultData };

/** A ConsumerInterval as plain data. */
export type ConsumerIntervalData = Omit<ConsumerInterval, 'tally'> & { readonly tally: LagTallyData };

/** A ConsumerResult as plain data. */
export type ConsumerResultData = Omit<ConsumerResult, 'tally'> & { readonly tally: LagTallyData };
