/**
 * The interval grid of a run: a boundary every `--interval`, cut at the phase changes so
 * no row mixes phases. Every command that reports per interval (put, lag) ticks on it, so
 * their rows and histograms line up.
 */
import type { Clock } from '../measure/clock.js';
import type { IntervalBounds, Phase, PutSchedule } from '../model/schedule.js';

/** Interval boundaries every `periodMicros`, cut at the phase changes so no row mixes phases. */
export class IntervalClock {
  constructor(
    private readonly periodMicros: number,
    private readonly schedule: PutSchedule,
  ) {}

  nextBoundary(fromMicros: number): number {
    let boundary = fromMicros + this.periodMicros;
    const { measuredFromMicros, measuredUntilMicros } = this.schedule;
    if (fromMicros < measuredFromMicros && boundary > measuredFromMicros) boundary = measuredFromMicros;
    if (fromMicros < measuredUntilMicros && boundary > measuredUntilMicros) boundary = measuredUntilMicros;
    return boundary;
  }

  phaseAt(micros: number): Phase {
    if (micros < this.schedule.measuredFromMicros) return 'warmup';
    if (micros < this.schedule.measuredUntilMicros) return 'measure';
    return 'drain';
  }
}

/**
 * Calls `onInterval` at every boundary until stopped, then once more for the last, usually
 * shorter, interval. Boundaries follow the nominal grid (timer lateness never accumulates);
 * the bounds carry the actual times, so rates divide by the time that really passed.
 */
export class IntervalTicker {
  private index = 0;
  private intervalStart: number;
  private nominalStart: number;
  private readonly grid: IntervalClock;
  private readonly halt = new AbortController();
  private running: Promise<void> | undefined;
  /** Interval handlers may answer later (worker threads): they still run one after another. */
  private delivered: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    periodMicros: number,
    schedule: PutSchedule,
    private readonly onInterval: (bounds: IntervalBounds) => void | Promise<void>,
  ) {
    this.grid = new IntervalClock(periodMicros, schedule);
    this.intervalStart = schedule.startMicros;
    this.nominalStart = schedule.startMicros;
  }

  /** Intervals emitted so far. */
  get count(): number {
    return this.index;
  }

  start(): void {
    this.running ??= (async () => {
      while (!this.halt.signal.aborted) {
        const boundary = this.grid.nextBoundary(this.nominalStart);
        await this.clock.sleepUntil(boundary, this.halt.signal);
        if (this.halt.signal.aborted) return;
        this.emit(this.clock.nowMicros());
        this.nominalStart = boundary;
      }
    })();
  }

  /** Stops ticking and emits the last interval, ending now; resolves once all are handled. */
  async finish(): Promise<number> {
    this.halt.abort();
    await this.running;
    const endMicros = this.clock.nowMicros();
    this.emit(endMicros);
    await this.delivered;
    return endMicros;
  }

  private emit(endMicros: number): void {
    const bounds: IntervalBounds = {
      index: this.index,
      phase: this.grid.phaseAt(this.nominalStart),
      startMicros: this.intervalStart,
      endMicros,
    };
    this.delivered = this.delivered.then(() => this.onInterval(bounds));
    // A handler that fails (a worker thread gone) is reported by finish(); until then its
    // rejection must not count as unhandled, which would end the process mid-run.
    this.delivered.catch(() => undefined);
    this.index += 1;
    this.intervalStart = endMicros;
  }
}
