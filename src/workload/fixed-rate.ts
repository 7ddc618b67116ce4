/**
 * The open-model schedule: send k is due at start + k * period, whatever the answers did.
 * Times are computed from k (not accumulated) so they never drift, and a late sender gets
 * every overdue slot at once with its own intended time: a stall shows up in latency
 * (measured from the intended time) instead of silently lowering the load, as in wrk2 and
 * OpenMessaging Benchmark.
 */
export class FixedRateSchedule {
  private index = 0;

  constructor(
    private readonly startMicros: number,
    private readonly periodMicros: number,
  ) {
    if (!(periodMicros > 0)) throw new RangeError('period must be above 0');
  }

  /** Intended time of the next send; advances the schedule. */
  next(): number {
    const due = this.startMicros + this.index * this.periodMicros;
    this.index += 1;
    return due;
  }

  /** Intended time of the next send, without advancing. */
  peek(): number {
    return this.startMicros + this.index * this.periodMicros;
  }

  /**
   * How far the sender lags at `nowMicros`: sends overdue beyond the one being taken now
   * (a timer firing a little late is not lagging).
   */
  behindAt(nowMicros: number): number {
    const dueBeforeNow = Math.floor((nowMicros - this.startMicros) / this.periodMicros);
    return Math.max(0, dueBeforeNow - this.index);
  }
}
