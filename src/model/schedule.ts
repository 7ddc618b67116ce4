/**
 * When a run's phases fall (warmup, measured phase, drain) and where an interval lies:
 * run/interval-ticker.ts ticks on it; results and console label rows with it.
 */

export type Phase = 'warmup' | 'measure' | 'drain';

export interface PutSchedule {
  readonly startMicros: number;
  readonly measuredFromMicros: number;
  readonly measuredUntilMicros: number;
}

/** Where one interval lies, and which phase it belongs to. */
export interface IntervalBounds {
  readonly index: number;
  readonly phase: Phase;
  readonly startMicros: number;
  readonly endMicros: number;
}
