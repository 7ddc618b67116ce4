/**
 * How a failed read (GetShardIterator, GetRecords, SubscribeToShard) is treated. Throttling
 * and expired iterators are the two the service answers in normal operation, and each has
 * its own remedy; the rest are sorted as for puts.
 */
import { classifyRequestError } from './put-errors.js';

export type ReadErrorKind = 'throttled' | 'expired' | 'retryable' | 'fatal' | 'aborted';

/**
 * SubscribeToShard answers these when called again too soon (at most once per second per
 * consumer and shard) or while the previous subscription still holds the shard: wait, retry.
 */
const RESUBSCRIBE_LATER = new Set(['LimitExceededException', 'ResourceInUseException']);

export function classifyReadError(error: unknown): ReadErrorKind {
  const name = (error as { name?: string }).name ?? '';
  if (name === 'ExpiredIteratorException') return 'expired';
  if (RESUBSCRIBE_LATER.has(name)) return 'retryable';
  return classifyRequestError(error);
}

/** "Name: first line of the message", for the one-line reasons a run stops with. */
export function describeReadError(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string };
  const label = e.code ?? e.name ?? 'Error';
  const message = (e.message ?? String(error)).split('\n')[0] ?? '';
  return message.includes(label) ? message : `${label}: ${message}`;
}
