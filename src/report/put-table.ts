/** The human summary of a put run, printed on stdout at the end. Pure: returns text. */
import { limitsLines } from './layer-text.js';
import type { LatencyMs, SummaryJson } from './summary.js';
import { formatCount, formatMs, formatRate, textTable } from './text-table.js';

export function formatPutTable(summary: SummaryJson): string {
  const { put, options, target, stream } = summary;
  const status = summary.interrupted ? `INTERRUPTED (${summary.interrupt_reason})` : 'completed';
  const emulator = target.emulator ? `${target.emulator.name} ${target.emulator.version} ` : '';
  const batch = Number(options['batch']);
  const rate = options['rate'] === 'max'
    ? `max (closed model, ${formatCount(Number(options['concurrency']))} requests in flight)`
    : `${formatRate(Number(options['rate']))} records/s (open model, up to ${formatCount(Number(options['concurrency']))} requests in flight)`;
  const lines = [
    `kbench put · run ${summary.run_id} · ${status}`,
    `target    ${target.kind} ${emulator}at ${target.endpoint} (${target.region})`,
    ...limitsLines(target),
    `stream    ${stream.name} · ${stream.shards} shard${stream.shards === 1 ? '' : 's'} · ${streamFate(stream)}`,
    `load      rate ${rate} · batch ${batch} (${batch === 1 ? 'PutRecord' : 'PutRecords'}) · ${options['record_size_bytes']} B records · keys ${options['partition_keys']}`,
    `time      ${summary.phases.warmup_s} s warmup (not counted) + ${summary.phases.measured_s} s measured`,
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
    '          * rejected attempts; a record retried until accepted counts in both',
    `throughput ${formatRate(put.records_per_s)} records/s accepted · ${put.mib_per_s.toFixed(3)} MiB/s · ${put.throttled_pct.toFixed(2)} % of attempts throttled`,
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
    '          request: each answered request, from its intended send time; record: each accepted record, including retries',
    '',
    `client    ${summary.client.workers} worker${summary.client.workers === 1 ? '' : 's'} · event-loop delay p99 ${summary.client.event_loop_delay_p99_ms.toFixed(1)} ms · busy ${(summary.client.event_loop_utilization * 100).toFixed(0)} % · peak RSS ${summary.client.peak_rss_mib.toFixed(0)} MiB`,
    ...(summary.client.client_bound
      ? [`WARNING   ${summary.client.client_bound_advice} (${summary.client.client_bound_reasons.join('; ')})`]
      : []),
  ];
  return lines.join('\n') + '\n';
}

function latencyRow(name: string, l: LatencyMs): string[] {
  return [name, formatMs(l.p50), formatMs(l.p90), formatMs(l.p99), formatMs(l.p999), formatMs(l.max), formatCount(l.count)];
}

function streamFate(stream: SummaryJson['stream']): string {
  if (!stream.created) return 'existing, kept';
  return stream.deleted ? 'created, deleted' : 'created, kept';
}
