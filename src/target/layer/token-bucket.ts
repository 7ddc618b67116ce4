/**
 * A token bucket refilled continuously (not once a second): tokens accrue at `ratePerS`
 * up to `capacity`, so the long-run rate is exact and the burst is `capacity`.
 */
export type MillisClock = () => number;

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly ratePerS: number,
    readonly capacity: number,
    private readonly nowMs: MillisClock,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs();
  }

  /** Tokens available now; negative while a debt (see `debit`) is being paid back. */
  available(): number {
    const now = this.nowMs();
    if (now > this.lastMs) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.lastMs) / 1000) * this.ratePerS);
      this.lastMs = now;
    }
    return this.tokens;
  }

  /**
   * True when `cost` may be taken now. A cost above the capacity is admitted when the
   * bucket is full: otherwise a record bigger than one second's quota could never pass.
   */
  canTake(cost: number): boolean {
    return this.available() >= Math.min(cost, this.capacity);
  }

  /**
   * Takes `cost` tokens; the bucket may go below zero (a debt paid back by the refill).
   * A negative cost gives tokens back, never above the capacity.
   */
  debit(cost: number): void {
    this.available();
    this.tokens = Math.min(this.capacity, this.tokens - cost);
  }
}
