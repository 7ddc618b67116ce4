/**
 * The cases of a `kbench run` side by side, for the terminal: each headline figure a
 * case measured (with --repeat, the median; the spread is in the thresholds and compare
 * tables and in cases.csv). Pure: returns text.
 */
import { HEADLINE_METRICS } from '../gate/metrics.js';
import { spreadOf } from '../gate/repetitions.js';
import type { CaseRow } from '../results/cases-csv.js';
import { formatValue } from './gate-text.js';
import { textTable } from './text-table.js';

export function formatCasesTable(cases: ReadonlyArray<CaseRow & { readonly label: string }>, repeat: number): string {
  const metrics = HEADLINE_METRICS.filter((metric) =>
    cases.some((c) => c.summaries.some((s) => metric.read(s) !== undefined)),
  );
  const clientBound = (c: CaseRow): boolean =>
    c.summaries.some((s) => (s as { client?: { client_bound?: unknown } }).client?.client_bound === true);
  const table = textTable([
    ['case', 'status', ...metrics.map((m) => m.column ?? m.name)],
    ...cases.map((c) => [
      `${c.id}${clientBound(c) ? ' *' : ''}`,
      c.status,
      ...metrics.map((m) => {
        const spread = spreadOf(
          c.summaries.map((s) => m.read(s)).filter((v): v is number => v !== undefined),
          m.better,
        );
        return spread ? formatValue(spread.median, m.unit).replace(` ${m.unit}`, '') : '-';
      }),
    ]),
  ]);
  const notes = [
    ...(repeat > 1 ? [`          figures: the median of ${repeat} repetitions; min and max are in cases.csv`] : []),
    ...(cases.some(clientBound)
      ? ['          * client-bound in at least one repetition: those figures measure kbench, not the stream']
      : []),
  ];
  return `${table}\n${notes.map((n) => `${n}\n`).join('')}`;
}
