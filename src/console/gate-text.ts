/**
 * The gate in words and tables, for the terminal: threshold results, the comparison with
 * its change in % and verdicts, and one verdict line. Pure: returns text.
 */
import type { Comparison, CompareRow, Verdict } from '../gate/compare.js';
import type { Spread } from '../gate/repetitions.js';
import type { ThresholdResult } from '../gate/thresholds.js';
import { formatTolerance } from '../gate/tolerance.js';
import { gateApplies, gateFailures, gatePassed, type GateResult } from '../gate/verdict.js';
import { textTable } from './text-table.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fixed = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const DIGITS: Readonly<Record<string, number>> = { ms: 3, 'records/s': 1, 'MiB/s': 4, '%': 2 };

/** A metric value with as many decimals as its unit deserves, and the unit. */
export function formatValue(value: number, unit: string): string {
  const digits = DIGITS[unit];
  const number = digits === undefined ? integer.format(value) : fixed(digits).format(value);
  return unit === '%' ? `${number} %` : `${number} ${unit}`;
}

export function formatSpread(spread: Spread | undefined, unit: string): string {
  if (!spread) return '-';
  if (spread.n < 2) return formatValue(spread.median, unit);
  return (
    `${formatValue(spread.median, unit)} ` +
    `(${formatValue(spread.min, unit).replace(` ${unit}`, '')}-` +
    `${formatValue(spread.max, unit).replace(` ${unit}`, '')}, ` +
    `n=${spread.n})`
  );
}

export function formatChange(row: CompareRow): string {
  if (row.current === undefined) return '-';
  if (row.changePct === undefined) return row.current.median === row.baseline.median ? '0.0 %' : 'from 0';
  return `${row.changePct > 0 ? '+' : ''}${row.changePct.toFixed(1)} %`;
}

export function verdictText(row: CompareRow): string {
  const limit = row.tolerance ? formatTolerance(row.tolerance, row.metric.unit) : undefined;
  const words: Record<Verdict, string> = {
    better: 'better',
    same: 'same',
    worse: limit ? `worse, within ${limit}` : 'worse',
    regression: `REGRESSION (limit ${limit ?? '-'})`,
    info: '(info)',
    missing: row.tolerance ? 'MISSING' : 'missing',
  };
  return words[row.verdict];
}

const THRESHOLD_WORDS: Readonly<Record<ThresholdResult['status'], string>> = {
  pass: 'pass',
  fail: 'FAIL',
  'n/a': 'n/a',
  'not run': 'not run',
};

export function formatThresholds(results: readonly ThresholdResult[]): string {
  return textTable([
    ['thresholds', 'case', 'value (median; min-max, n)', 'result'],
    ...results.map((r) => [
      r.threshold.text,
      r.case,
      formatSpread(r.value, r.threshold.metric.unit),
      THRESHOLD_WORDS[r.status],
    ]),
  ]);
}

export function formatComparison(comparison: Comparison): string {
  const lines = [`baseline  ${comparison.baseline}`, `current   ${comparison.current}`, ''];
  if (comparison.rows.length > 0) {
    lines.push(
      textTable([
        ['case', 'metric', 'baseline', 'current', 'change', 'verdict'],
        ...comparison.rows.map((row) => [
          row.case,
          row.metric.name,
          formatSpread(row.baseline, row.metric.unit),
          formatSpread(row.current, row.metric.unit),
          formatChange(row),
          verdictText(row),
        ]),
      ]),
    );
  }
  for (const label of comparison.missingCases)
    lines.push(`MISSING   ${label}: in the baseline, no completed run in the current result`);
  for (const label of comparison.newCases) lines.push(`new       ${label}: not in the baseline, not compared`);
  for (const note of comparison.notes) lines.push(`note      ${note}`);
  if (!comparison.gated) lines.push('          no --max-regression given: compared, not gated');
  return `${lines.join('\n')}\n`;
}

/** "PASS" or "FAIL: ..." with what failed; or that there was nothing to gate. */
export function formatVerdictLine(gate: GateResult): string {
  if (!gateApplies(gate)) return 'verdict   no thresholds and no regression limits: nothing to gate\n';
  if (gatePassed(gate)) return `verdict   PASS (${describeGate(gate)})\n`;
  const failures = gateFailures(gate, formatValue);
  return (
    `verdict   FAIL: ${failures.length} check${failures.length === 1 ? '' : 's'} ` +
    `failed\n${failures.map((f) => `          ${f}`).join('\n')}\n`
  );
}

function describeGate(gate: GateResult): string {
  const parts: string[] = [];
  const checked = gate.thresholds.filter((r) => r.status === 'pass').length;
  if (gate.thresholds.length > 0) parts.push(`${checked} threshold check${checked === 1 ? '' : 's'} passed`);
  if (gate.comparison?.gated) {
    const compared = gate.comparison.rows.filter((r) => r.tolerance).length;
    parts.push(`${compared} metric${compared === 1 ? '' : 's'} within their regression limits`);
  }
  return parts.join(', ');
}
