/** When kbench retries a rejected record, and how long it waits first. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 never retries. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 5000 };

/**
 * Exponential backoff with full jitter (the AWS Architecture Blog's recommendation): the
 * n-th retry (from 1) waits a uniform random time up to min(max, base * 2^(n-1)).
 */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return random() * ceiling;
}
