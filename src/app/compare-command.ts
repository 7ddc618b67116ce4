/**
 * kbench compare: two results read back, compared metric by metric, printed, and judged
 * against the regression limits.
 */
import { compareResults } from '../gate/compare.js';
import type { RegressionLimits } from '../gate/tolerance.js';
import { UsageError } from '../errors/errors.js';
import { gateFailures, gatePassed, nothingCompared, type GateResult } from '../gate/verdict.js';
import { formatComparison, formatValue, formatVerdictLine } from '../console/gate-text.js';
import { gateMarkdown } from '../console/markdown.js';
import { readResultSet } from '../results/results-reader.js';
import { gateJson } from '../results/run-manifest.js';
import { writeGateMarkdown } from './gate-output.js';
import type { CommandIo, CommandOutcome } from './session.js';
import { fitWidth } from '../console/fit-width.js';

export interface CompareOptions {
  readonly baseline: string;
  readonly current: string;
  readonly limits: RegressionLimits;
  readonly markdown: string | undefined;
  readonly stepSummary: string | undefined;
  readonly json: boolean;
}

export async function compareCommand(
  options: CompareOptions,
  io: Pick<CommandIo, 'stdout' | 'stderr'>,
): Promise<CommandOutcome> {
  const baseline = readResultSet(options.baseline, 'baseline');
  const current = readResultSet(options.current, 'current');
  const comparison = compareResults(baseline, current, options.limits);
  // A baseline (or current) without the gated figures is a wrong input, not a pass.
  if (comparison.gated && comparison.compared === 0 && comparison.missingCases.length === 0)
    throw new UsageError(nothingCompared(comparison));
  const gate: GateResult = { thresholds: [], comparison };
  if (options.json) io.stdout.write(`${JSON.stringify(gateJson(gate).comparison, null, 2)}\n`);
  else io.stdout.write(fitWidth(`kbench compare\n${formatComparison(comparison)}\n${formatVerdictLine(gate)}`));
  writeGateMarkdown(
    gateMarkdown({ title: `kbench compare ${options.baseline} -> ${options.current}`, gate }),
    { file: options.markdown, stepSummary: options.stepSummary },
    io,
  );
  if (!gatePassed(gate)) return { status: 'gate-failed', reason: gateFailures(gate, formatValue).join('; ') };
  return { status: 'completed' };
}
