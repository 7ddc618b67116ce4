/**
 * One figure from several repetitions of a case: the median, so a single slow run does
 * not decide a gate, and the spread, so the reader sees how noisy the figure is.
 *
 * The median is always one of the measured values: with an even number of repetitions
 * it is the worse of the two middle values, not their mean (kbench never averages
 * percentiles, and a gate should not be flattered). Use an odd --repeat.
 */
import type { Better } from '../blocks/block.js';

export interface Spread {
  /** The value the gate uses. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many repetitions had the value. */
  readonly n: number;
}

export function spreadOf(values: readonly number[], better: Better): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const lowerMiddle = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  const upperMiddle = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const median = better === 'higher' ? lowerMiddle : better === 'lower' ? upperMiddle : lowerMiddle;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN, n: sorted.length };
}
