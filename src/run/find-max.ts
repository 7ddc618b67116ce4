/**
 * Finding the highest rate a stream sustains: fixed-rate steps, multiplied by a factor
 * while every criterion holds, then bisected between the highest rate that held and the
 * lowest that broke, until they are within the precision. A step breaks when more than
 * the allowed share of attempts is throttled, when record p99 is above the bound (if
 * given), or when kbench itself could not keep the schedule (the client was the
 * bottleneck, so the step says nothing about the stream). Running a step is the caller's
 * business; this module only decides what to run next, and never prints.
 */
import { FIND_MAX_BEHIND_MS, FIND_MAX_BUSY, type FindMaxSettings } from '../config/find-max-settings.js';
import type { FindMaxCriterion, FindMaxResult, StepEvidence, StepMeasure } from '../model/find-max-result.js';

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
    const evidence: StepEvidence = {
      ...measure,
      step: steps.length + 1,
      targetPerS: rate,
      held: brokeOn.length === 0,
      brokeOn,
    };
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
