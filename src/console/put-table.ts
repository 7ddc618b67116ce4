/** The human summary of a put run, printed on stdout at the end. Pure: returns text. */
import type { LatencyMs, SummaryJson } from '../results/summary.js';
import { clientLines, runHeaderLines } from './run-header.js';
import { formatCount, formatMs, formatRate, textTable } from './text-table.js';

export function formatPutTable(summary: SummaryJson): string {
  const { put } = summary;
  const lines = [
    ...runHeaderLines(summary),
    '',
    textTable([
      ['records', 'sent', 'accepted', 'failed', 'unfinished', 'throttled*', 'errors*', 'retried'],
      [
        '',
        formatCount(put.records.sent),
        formatCount(put.records.accepted),
        formatCount(put.records.failed),
        formatCount(put.records.unfinished),
        formatCount(put.records.throttled),
        formatCount(put.records.errors),
        formatCount(put.records.retried),
      ],
    ]),
    '          records sent in the measured phase; * rejected attempts: a record retried until accepted counts in both',
    `throughput ${formatRate(put.records_per_s)} records/s accepted · ${put.mib_per_s.toFixed(3)} MiB/s ` +
      `· ${put.throttled_pct.toFixed(2)} % of attempts throttled`,
    `          acknowledgements during the measured phase (${formatCount(put.records.accepted_in_phase)}) per ` +
      `second of it`,
    '',
    textTable([
      ['per shard', 'accepted', 'records/s', 'share %'],
      ...Object.entries(put.per_shard).map(([shard, s]) => [
        shard,
        formatCount(s.accepted),
        formatRate(s.records_per_s),
        s.share_pct.toFixed(1),
      ]),
    ]),
    '',
    textTable([
      ['latency (ms)', 'p50', 'p90', 'p99', 'p99.9', 'max', 'count'],
      latencyRow('request', put.latency_ms),
      latencyRow('record', put.record_latency_ms),
    ]),
    '          request: each answered request, from its intended send time; record: each accepted record, including ' +
      'retries',
    '',
    ...clientLines(summary),
  ];
  return lines.join('\n') + '\n';
}

function latencyRow(name: string, l: LatencyMs): string[] {
  return [
    name,
    formatMs(l.p50),
    formatMs(l.p90),
    formatMs(l.p99),
    formatMs(l.p999),
    formatMs(l.max),
    formatCount(l.count),
  ];
}
