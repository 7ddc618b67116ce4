/** The lines a staged run and every put run add to the summary table: stages, spike, AWS units. Pure. */
import type { AwsJson } from '../results/aws-units.js';
import type { StagesJson } from '../results/stage-summary.js';
import { formatCount, formatMs, formatRate, textTable } from './text-table.js';

export function stagesLines(block: StagesJson, withLag: boolean): string[] {
  const header = [
    'stage',
    'time (s)',
    'target rec/s',
    'accepted rec/s',
    'throttled %',
    'record p50 ms',
    'record p99 ms',
  ];
  if (withLag) header.push('lag p50 ms', 'lag p99 ms');
  const rows = block.stages.map((s) => {
    const target =
      s.target_from_records_per_s === s.target_to_records_per_s
        ? formatRate(s.target_from_records_per_s)
        : `${formatRate(s.target_from_records_per_s)}-${formatRate(s.target_to_records_per_s)}`;
    const row = [
      String(s.stage),
      `${s.from_s}-${s.to_s}`,
      target,
      formatRate(s.records_per_s),
      s.throttled_pct.toFixed(2),
      formatMs(s.record_latency_ms.p50),
      formatMs(s.record_latency_ms.p99),
    ];
    if (withLag && s.lag_ms) row.push(formatMs(s.lag_ms.p50), formatMs(s.lag_ms.p99));
    return row;
  });
  const lines = ['', textTable([header, ...rows])];
  const { spike } = block;
  if (spike) {
    const after = (s: number | null): string =>
      s === null ? 'not by the end of the run' : s === 0 ? 'at once' : `${s} s after it ended`;
    const throttling =
      spike.throttling_stopped_after_s === 0
        ? 'no throttling after it'
        : `throttling stopped ${after(spike.throttling_stopped_after_s)}`;
    lines.push(
      `spike     stage ${spike.stage}: ${throttling}; record p99 back ` +
        `under ${formatMs(spike.recovered_p99_bound_ms)} ms (2x the stage before) ` +
        `${after(spike.p99_recovered_after_s)}`,
    );
  }
  return lines;
}

export function awsLines(aws: AwsJson): string[] {
  return [
    `aws       ${aws.put_payload_units_per_record} PUT payload ` +
      `unit${aws.put_payload_units_per_record === 1 ? '' : 's'} per record (25 KB ` +
      `= ${formatCount(aws.put_payload_unit_bytes)} B chunks) · ${formatCount(aws.put_payload_units)} units ` +
      `accepted · ${formatRate(aws.put_payload_units_per_s)} units/s ` +
      `· ${formatCount(aws.put_payload_units_per_hour)} units/hour`,
    `          offered ${formatRate(aws.offered_records_per_s)} records/s, ${aws.offered_mib_per_s.toFixed(3)} ` +
      `MiB/s: ${aws.shards_needed} provisioned shard${aws.shards_needed === 1 ? '' : 's'} (1,000 records/s and 1 ` +
      `MiB/s each); ${aws.verdict}`,
  ];
}
