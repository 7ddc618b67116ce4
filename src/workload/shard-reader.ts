/**
 * What a reader of one shard (polling or enhanced fan-out) is given and gives back. Both
 * kinds hand their records to the same intake, count their reads in the same recorder, and
 * report the end of a closed shard so that its children are read next.
 */
import type { Clock } from '../measure/clock.js';
import type { LagRecorder } from '../measure/lag-recorder.js';
import type { RecordIntake } from './record-intake.js';
import { backoffMs } from '../config/retry-policy.js';

/** Where a reader starts, or restarts, in a shard. */
export type StartingPoint =
  | { readonly type: 'LATEST' }
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date };

export interface ShardReaderContext {
  readonly clock: Clock;
  readonly recorder: LagRecorder;
  readonly intake: RecordIntake;
  /** Which consumer (application) this reader belongs to, from 0. */
  readonly consumer: number;
  readonly shardId: string;
  readonly start: StartingPoint;
  /**
   * Where to restart a reader that started at LATEST and has read nothing yet (its iterator
   * expired, its subscription ended): a point no later than where LATEST was.
   */
  readonly restartPoint: () => StartingPoint;
  /** Ends the reader (in-flight calls are aborted). */
  readonly stop: AbortSignal;
  /** A fault that makes going on pointless (no stream, no permission). */
  readonly onFatal: (reason: string) => void;
  /** The shard is closed and read to its end; `children` when the answer named them. */
  readonly onShardEnded: (children: readonly string[] | undefined) => void;
}

export interface ShardReader {
  /** Resolves once the reader holds its starting position (or has ended). */
  readonly positioned: Promise<void>;
  /** Resolves when the reader has ended: stopped, shard finished, or a fatal fault. */
  readonly done: Promise<void>;
}

/** After a failed read: full-jitter exponential backoff, never less than `floorMs`. */
export function readBackoffMs(attempt: number, floorMs: number, random: () => number = Math.random): number {
  return Math.max(floorMs, backoffMs(READ_BACKOFF, attempt, random));
}

const READ_BACKOFF = { maxRetries: Number.POSITIVE_INFINITY, baseDelayMs: 200, maxDelayMs: 5000 };

/** Where to pick up after the last record read, or where a reader with nothing read restarts. */
export function resumePoint(lastSequence: string | undefined, ctx: ShardReaderContext): StartingPoint {
  if (lastSequence !== undefined) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequence };
  return ctx.start.type === 'LATEST' ? ctx.restartPoint() : ctx.start;
}

/**
 * A ShardReader around a reader's run: `positioned` resolves when the run says so, or when
 * it ends without getting there (a fault, a stop), so nobody waits on it for ever.
 */
export function startReader(run: (onPositioned: () => void) => Promise<void>): ShardReader {
  const positioned = deferred();
  const done = run(positioned.resolve).finally(positioned.resolve);
  return { positioned: positioned.promise, done };
}

/** A promise with its resolve function, for "positioned" signals. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
