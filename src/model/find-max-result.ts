/** What a find-max search found, step by step: run/find-max.ts fills it, results and console show it. */

export type FindMaxCriterion = 'throttled' | 'p99' | 'client';

/** What one step measured, as the criteria need it. */
export interface StepMeasure {
  readonly acceptedPerS: number;
  readonly throttledPct: number;
  readonly recordP99Ms: number;
  readonly requestP99Ms: number;
  readonly behindMaxMs: number;
  readonly eventLoopUtilization: number;
}

export interface StepEvidence extends StepMeasure {
  readonly step: number;
  readonly targetPerS: number;
  readonly held: boolean;
  readonly brokeOn: readonly FindMaxCriterion[];
}

export interface FindMaxResult {
  /** The highest rate every criterion held at, records/s; null if even the first step broke. */
  readonly maxPerS: number | null;
  /** What broke at the lowest rate that broke; empty when the search hit the ceiling or the step limit. */
  readonly stoppedBy: readonly FindMaxCriterion[];
  /** The lowest rate that broke, records/s; null if none did. */
  readonly brokeAtPerS: number | null;
  readonly steps: readonly StepEvidence[];
  /** Why the search ended: bisected to the precision, reached the ceiling, the step limit, or the run was stopped. */
  readonly ended: 'precision' | 'ceiling' | 'max-steps' | 'stopped';
}
