/**
 * Load that changes over time: a list of stages, each holding a target rate or ramping it
 * linearly ("500/s:30s", "0-5000/s:2m"). The schedule stays open-model and exact: the
 * n-th record is due when the integral of the rate since the start reaches n, computed
 * from n (never accumulated), so a ramp's send times follow the ramp to the microsecond
 * and a late sender gets every overdue send with its own intended time. Workers split
 * one schedule: worker i of k takes every k-th batch of it, starting with batch i.
 */
import type { Stage } from '../config/stage-values.js';

export function totalDurationMs(stages: readonly Stage[]): number {
  return stages.reduce((sum, stage) => sum + stage.durationMs, 0);
}

export function peakRate(stages: readonly Stage[]): number {
  return Math.max(...stages.map((stage) => Math.max(stage.fromPerS, stage.toPerS)));
}

/** The target rate `offsetMs` into the stages (the last stage's end rate after them). */
export function targetRateAt(stages: readonly Stage[], offsetMs: number): number {
  let start = 0;
  for (const stage of stages) {
    if (offsetMs < start + stage.durationMs) {
      return stage.fromPerS + ((stage.toPerS - stage.fromPerS) * Math.max(0, offsetMs - start)) / stage.durationMs;
    }
    start += stage.durationMs;
  }
  return stages.at(-1)?.toPerS ?? 0;
}

/** Warmup runs at the first stage's starting rate, so the measured phase starts steady. */
export function withWarmup(stages: readonly Stage[], warmupMs: number): Stage[] {
  const first = stages[0];
  if (warmupMs <= 0 || !first) return [...stages];
  return [{ fromPerS: first.fromPerS, toPerS: first.fromPerS, durationMs: warmupMs }, ...stages];
}

/**
 * The cumulative target of a list of stages: how many records are due by a time, and
 * when the n-th record is due, both exactly (a ramp's integral is a quadratic).
 */
export class RateProfile {
  /** Records due by each stage's start; the last entry is the total. */
  private readonly recordsBefore: number[] = [0];
  private readonly microsBefore: number[] = [0];
  private cursor = 0;

  constructor(private readonly stages: readonly Stage[]) {
    for (const stage of stages) {
      this.recordsBefore.push(
        (this.recordsBefore.at(-1) ?? 0) + ((stage.fromPerS + stage.toPerS) / 2) * (stage.durationMs / 1000),
      );
      this.microsBefore.push((this.microsBefore.at(-1) ?? 0) + stage.durationMs * 1000);
    }
  }

  get totalRecords(): number {
    return this.recordsBefore.at(-1) ?? 0;
  }

  get totalMicros(): number {
    return this.microsBefore.at(-1) ?? 0;
  }

  /** Records due in [0, offsetMicros] (a real number: the integral of the rate). */
  recordsBy(offsetMicros: number): number {
    if (offsetMicros <= 0) return 0;
    for (let i = 0; i < this.stages.length; i += 1) {
      const stage = this.stages[i] as Stage;
      const start = this.microsBefore[i] as number;
      const end = this.microsBefore[i + 1] as number;
      if (offsetMicros < end) {
        const t = (offsetMicros - start) / 1e6;
        const d = stage.durationMs / 1000;
        return (
          (this.recordsBefore[i] as number) + stage.fromPerS * t + ((stage.toPerS - stage.fromPerS) * t * t) / (2 * d)
        );
      }
    }
    return this.totalRecords;
  }

  /**
   * Offset (µs from the profile's start) at which record `n` (0-based, may be fractional)
   * is due, or undefined when the profile ends first. Calls with growing n are O(1).
   */
  timeOfRecord(n: number): number | undefined {
    if (n < 0 || n >= this.totalRecords) return undefined;
    if (n < (this.recordsBefore[this.cursor] as number)) this.cursor = 0;
    while (n >= (this.recordsBefore[this.cursor + 1] as number)) this.cursor += 1;
    const stage = this.stages[this.cursor] as Stage;
    const m = n - (this.recordsBefore[this.cursor] as number);
    const d = stage.durationMs / 1000;
    const a = stage.fromPerS;
    const c = (stage.toPerS - stage.fromPerS) / (2 * d);
    // Solves c t^2 + a t = m for the first t >= 0, in the form that stays exact when c is 0
    // or negative (a ramp down) and avoids cancellation.
    const t = m === 0 ? 0 : (2 * m) / (a + Math.sqrt(a * a + 4 * c * m));
    return (this.microsBefore[this.cursor] as number) + Math.min(t * 1e6, stage.durationMs * 1000);
  }
}

/**
 * One worker's share of a staged schedule: batches `share`, share + of, share + 2 * of, ...
 * of the global schedule, batch j due when record j * batch is. Same interface as
 * FixedRateSchedule; peek() is Infinity once the profile has ended.
 */
export class StagedSchedule {
  private index = 0;
  private readonly profile: RateProfile;

  constructor(
    private readonly startMicros: number,
    stages: readonly Stage[],
    private readonly batch: number,
    private readonly share = 0,
    private readonly of = 1,
  ) {
    if (!(batch >= 1) || !(of >= 1) || share < 0 || share >= of) throw new RangeError('bad schedule share');
    this.profile = new RateProfile(stages);
  }

  private dueOf(index: number): number {
    const offset = this.profile.timeOfRecord((this.share + index * this.of) * this.batch);
    return offset === undefined ? Number.POSITIVE_INFINITY : this.startMicros + offset;
  }

  next(): number {
    const due = this.dueOf(this.index);
    this.index += 1;
    return due;
  }

  peek(): number {
    return this.dueOf(this.index);
  }

  /** How far behind schedule at `nowMicros`, µs: the age of the oldest overdue send (0 if on time). */
  behindMicrosAt(nowMicros: number): number {
    const due = this.peek();
    return Number.isFinite(due) ? Math.max(0, nowMicros - due) : 0;
  }
}

/**
 * The mean target rate between two offsets from the run's start (warmup included), in
 * records/s: what an interval of a staged run was asked to send.
 */
export function meanTargetPerS(
  stages: readonly Stage[],
  warmupMs: number,
  fromMicros: number,
  toMicros: number,
): number {
  if (toMicros <= fromMicros) return 0;
  const profile = new RateProfile(withWarmup(stages, warmupMs));
  return (profile.recordsBy(toMicros) - profile.recordsBy(fromMicros)) / ((toMicros - fromMicros) / 1e6);
}
