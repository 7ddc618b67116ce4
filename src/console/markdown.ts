/**
 * The verdict as Markdown, for `--markdown FILE` and GitHub's job summary
 * ($GITHUB_STEP_SUMMARY): the cases with their headline figures, the thresholds, the
 * comparison with the baseline. Pure: returns text.
 */
import { HEADLINE_METRICS } from '../gate/metrics.js';
import { spreadOf } from '../gate/repetitions.js';
import { gateApplies, gateFailures, gatePassed, type GateResult } from '../gate/verdict.js';
import type { CaseRow } from '../results/cases-csv.js';
import { formatChange, formatSpread, formatValue, verdictText } from './gate-text.js';

export interface MarkdownInput {
  /** "kbench run scenarios/ci-smoke.yaml · run 2026..." */
  readonly title: string;
  readonly cases?: ReadonlyArray<CaseRow & { readonly label: string }>;
  readonly gate: GateResult;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const table = (header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] => [
  row(header),
  row(header.map(() => '---')),
  ...rows.map(row),
];

export function gateMarkdown(input: MarkdownInput): string {
  const { gate } = input;
  const verdict = !gateApplies(gate) ? 'no gate' : gatePassed(gate) ? 'PASS' : 'FAIL';
  const lines = [`## ${cell(input.title)}: ${verdict}`, ''];
  if (gateApplies(gate) && !gatePassed(gate)) {
    for (const failure of gateFailures(gate, formatValue)) lines.push(`- ${failure}`);
    lines.push('');
  }
  if (input.cases && input.cases.length > 0) {
    const metrics = HEADLINE_METRICS.filter((metric) =>
      input.cases?.some((c) => c.summaries.some((s) => metric.read(s) !== undefined)),
    );
    lines.push(
      ...table(
        ['case', 'status', ...metrics.map((m) => `${m.name} (${m.unit})`)],
        input.cases.map((c) => [
          c.label,
          c.status,
          ...metrics.map((m) => {
            const spread = spreadOf(
              c.summaries.map((s) => m.read(s)).filter((v): v is number => v !== undefined),
              m.better,
            );
            return spread ? formatSpread(spread, m.unit) : '';
          }),
        ]),
      ),
      '',
    );
  }
  if (gate.thresholds.length > 0) {
    lines.push(
      '### Thresholds',
      '',
      ...table(
        ['threshold', 'case', 'value', 'result'],
        gate.thresholds.map((r) => [
          `\`${r.threshold.text}\``,
          r.case,
          formatSpread(r.value, r.threshold.metric.unit),
          r.status === 'fail' ? '**FAIL**' : r.status,
        ]),
      ),
      '',
    );
  }
  const comparison = gate.comparison;
  if (comparison) {
    lines.push(`### Compared with the baseline \`${cell(comparison.baseline)}\``, '');
    if (comparison.rows.length > 0) {
      lines.push(
        ...table(
          ['case', 'metric', 'baseline', 'current', 'change', 'verdict'],
          comparison.rows.map((r) => [
            r.case,
            r.metric.name,
            formatSpread(r.baseline, r.metric.unit),
            formatSpread(r.current, r.metric.unit),
            formatChange(r),
            r.verdict === 'regression' ? `**${verdictText(r)}**` : verdictText(r),
          ]),
        ),
        '',
      );
    }
    for (const label of comparison.missingCases)
      lines.push(`- **missing**: ${label} (in the baseline, no completed run now)`);
    for (const label of comparison.newCases) lines.push(`- new: ${label} (not in the baseline)`);
    for (const note of comparison.notes) lines.push(`- note: ${note}`);
    if (!comparison.gated) lines.push('- no `--max-regression` given: compared, not gated');
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
