/** The whole gate of a run or a compare: thresholds and the baseline comparison. Pure. */
import type { Comparison } from './compare.js';
import type { ThresholdResult } from './thresholds.js';

export interface GateResult {
  readonly thresholds: readonly ThresholdResult[];
  /** Undefined without a baseline. */
  readonly comparison: Comparison | undefined;
  /** Why the figures judged are not the run's whole (it was interrupted): such a gate never passes. */
  readonly incomplete?: string | undefined;
}

/** Thresholds were given, and not one could be checked (no case measured their metrics). */
function thresholdsCheckedNothing(gate: GateResult): boolean {
  return (
    gate.thresholds.length > 0 &&
    gate.thresholds.every((result) => result.status === 'n/a' || result.status === 'not run')
  );
}

/** A gate passes only when it checked something and nothing failed. */
export function gatePassed(gate: GateResult): boolean {
  if (gate.incomplete !== undefined || thresholdsCheckedNothing(gate)) return false;
  return gate.thresholds.every((result) => result.status !== 'fail') && (gate.comparison?.passed ?? true);
}

/** Whether there was anything to pass: thresholds to check or limits to hold. */
export function gateApplies(gate: GateResult): boolean {
  return gate.thresholds.length > 0 || gate.comparison?.gated === true;
}

/** What failed, one short line each, for stderr and the verdict line. */
export function gateFailures(gate: GateResult, format: (value: number, unit: string) => string): string[] {
  const failures: string[] = [];
  if (gate.incomplete !== undefined) failures.push(`${gate.incomplete}: its figures cannot pass a gate`);
  if (thresholdsCheckedNothing(gate))
    failures.push('no threshold could be checked: no completed case measures their metrics');
  for (const result of gate.thresholds) {
    if (result.status !== 'fail') continue;
    const value = result.value ? format(result.value.median, result.threshold.metric.unit) : 'no value';
    failures.push(`${result.case}: threshold "${result.threshold.text}" failed (${value})`);
  }
  const comparison = gate.comparison;
  if (comparison?.gated) {
    for (const row of comparison.rows) {
      if (row.verdict === 'regression') {
        const change =
          row.changePct === undefined ? 'from 0' : `${row.changePct > 0 ? '+' : ''}${row.changePct.toFixed(1)} %`;
        failures.push(`${row.case}: ${row.metric.name} regressed (${change})`);
      } else if (row.verdict === 'missing' && row.tolerance) {
        failures.push(`${row.case}: ${row.metric.name} is missing from the current result`);
      }
    }
    for (const label of comparison.missingCases)
      failures.push(`${label}: in the baseline, but no completed run in the current result`);
    if (comparison.compared === 0 && comparison.missingCases.length === 0) failures.push(nothingCompared(comparison));
  }
  return failures;
}

/** Why a gated comparison judged nothing: no gated metric is a number on both sides. */
export function nothingCompared(comparison: Comparison): string {
  return (
    `no metric could be compared: no gated metric is a number in both ${comparison.baseline} ` +
    `and ${comparison.current} (a summary.json without its put block, or with non-numeric figures?)`
  );
}
