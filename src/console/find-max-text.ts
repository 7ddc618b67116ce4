/** The find-max search for people: the step table and the verdict lines, from summary.json's block. */
import { formatDurationMs } from '../config/values.js';
import type { FindMaxCriterion } from '../model/find-max-result.js';
import type { FindMaxJson } from '../results/find-max-summary.js';
import { formatRate, textTable } from './text-table.js';

const CRITERION_TEXT: Readonly<Record<FindMaxCriterion, string>> = {
  throttled: 'throttling above the allowed share of attempts',
  p99: 'record latency p99 above the bound',
  client: 'the client (kbench could not keep the schedule)',
};

export function findMaxLines(block: FindMaxJson): string[] {
  const verdict =
    block.max_records_per_s === null
      ? 'no step met the criteria'
      : `highest sustainable rate ${formatRate(block.max_records_per_s)} records/s`;
  const why =
    block.broke_at_records_per_s === null
      ? block.ended === 'stopped'
        ? 'the run was stopped before anything broke'
        : `nothing broke (${block.ended})`
      : `stopped by ${block.stopped_by.map((c) => CRITERION_TEXT[c]).join(', ')} ` +
        `at ${formatRate(block.broke_at_records_per_s)} records/s`;
  const p99 = block.criteria.max_record_latency_p99_ms;
  return [
    textTable([
      [
        'find-max step',
        'target rec/s',
        'accepted rec/s',
        'throttled %',
        'record p99 ms',
        'behind ms',
        'held',
        'broke on',
      ],
      ...block.steps.map((s) => [
        String(s.step),
        formatRate(s.target_records_per_s),
        formatRate(s.accepted_records_per_s),
        s.throttled_pct.toFixed(2),
        s.record_latency_p99_ms.toFixed(3),
        s.schedule_behind_max_ms.toFixed(0),
        s.held ? 'yes' : 'no',
        s.broke_on.join(' '),
      ]),
    ]),
    `find-max  ${verdict}; ${why}`,
    `          criteria: throttled at most ${block.criteria.max_throttled_pct} % of ` +
      `attempts${p99 === null ? '' : `, record p99 at most ${p99} ms`}, schedule behind at ` +
      `most ${formatDurationMs(block.criteria.client_schedule_behind_max_ms)}; steps of ${block.settle_s} s ` +
      `measured, precision ${block.precision_pct} %`,
  ];
}
