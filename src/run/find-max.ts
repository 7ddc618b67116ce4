/**
 * Finding the highest rate a stream sustains: fixed-rate steps, multiplied by a factor
 * while every criterion holds, then bisected between the highest rate that held and the
 * lowest that broke, until they are within the precision. A step breaks when more than
 * the allowed share of attempts is throttled, when record p99 is above the bound (if
 * given), or when kbench itself could not keep the schedule (the client was the
 * bottleneck, so the step says nothing about the stream). Running a step is the caller's
 * business; this module only decides what to run next, and never prints.
 */

export type FindMaxCriterion = 'throttled' | 'p99' | 'client';

export interface FindMaxSettings {
  /** The first step's rate, records/s. */
  readonly startPerS: number;
  /** Each step up multiplies the rate by this (above 1). */
  readonly stepFactor: number;
  /** Stop bisecting when (lowest broken - highest held) / lowest broken is at most this (0-1). */
  readonly precision: number;
  /** A step breaks above this share of attempts throttled, in %. */
  readonly maxThrottledPct: number;
  /** A step breaks when record p99 is above this, ms; undefined: no latency bound. */
  readonly maxP99Ms: number | undefined;
  /** Measured time of each step, ms (each also runs the warmup first). */
  readonly settleMs: number;
  /** The search gives up after this many steps. */
  readonly maxSteps: number;
  /** No step goes above this rate, records/s. */
  readonly ceilingPerS: number;
}

/** A step is client-bound when its schedule fell this far behind (a stall of the producers, not the stream). */
export const FIND_MAX_BEHIND_MS = 1_000;
/** ... or a producer's event loop was busier than this share of the time. */
export const FIND_MAX_BUSY = 0.9;

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

export function brokenCriteria(measure: StepMeasure, settings: FindMaxSettings): FindMaxCriterion[] {
  const broken: FindMaxCriterion[] = [];
  if (measure.throttledPct > settings.maxThrottledPct) broken.push('throttled');
  if (settings.maxP99Ms !== undefined && measure.recordP99Ms > settings.maxP99Ms) broken.push('p99');
  // Falling behind is the client's doing only when the stream kept up: throttled retries,
  // or slow answers, hold the --concurrency slots and delay the schedule too.
  const behind = measure.behindMaxMs > FIND_MAX_BEHIND_MS && broken.length === 0;
  if (behind || measure.eventLoopUtilization > FIND_MAX_BUSY) broken.push('client');
  return broken;
}

/** Rates are whole records/s above 10, so steps read cleanly and repeat exactly. */
function tidy(rate: number): number {
  return rate >= 10 ? Math.round(rate) : Math.round(rate * 100) / 100;
}

/**
 * Runs the search: `runStep(rate)` holds one step and returns what it measured, or
 * undefined when the run was stopped (Ctrl-C, a fault).
 */
export async function findMax(
  settings: FindMaxSettings,
  runStep: (targetPerS: number, step: number) => Promise<StepMeasure | undefined>,
): Promise<FindMaxResult> {
  const steps: StepEvidence[] = [];
  let broke: StepEvidence | undefined;
  // The highest rate that held below the lowest that broke (a noisy step may hold above it).
  const highestHeld = (): number | null => {
    const rates = steps.filter((s) => s.held && (!broke || s.targetPerS < broke.targetPerS)).map((s) => s.targetPerS);
    return rates.length > 0 ? Math.max(...rates) : null;
  };
  let rate = tidy(Math.min(settings.startPerS, settings.ceilingPerS));
  let ended: FindMaxResult['ended'] = 'precision';

  for (;;) {
    if (steps.length >= settings.maxSteps) {
      ended = 'max-steps';
      break;
    }
    const measure = await runStep(rate, steps.length + 1);
    if (!measure) {
      ended = 'stopped';
      break;
    }
    const brokeOn = brokenCriteria(measure, settings);
    const evidence: StepEvidence = { ...measure, step: steps.length + 1, targetPerS: rate, held: brokeOn.length === 0, brokeOn };
    steps.push(evidence);
    if (!evidence.held && (!broke || rate < broke.targetPerS)) broke = evidence;

    let next: number;
    if (!broke) {
      if (rate >= settings.ceilingPerS) {
        ended = 'ceiling';
        break;
      }
      next = tidy(Math.min(rate * settings.stepFactor, settings.ceilingPerS));
    } else {
      const low = highestHeld() ?? 0;
      const high = broke.targetPerS;
      if ((high - low) / high <= settings.precision) break;
      next = tidy((low + high) / 2);
      if (next <= low || next >= high) break;
    }
    rate = next;
  }
  return {
    maxPerS: highestHeld(),
    stoppedBy: broke?.brokeOn ?? [],
    brokeAtPerS: broke?.targetPerS ?? null,
    steps,
    ended,
  };
}
