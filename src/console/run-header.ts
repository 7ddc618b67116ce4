/** The lines at the top of every command's summary table: what ran, where, how. Pure. */
import { limitsLines } from './layer-text.js';
import type { SummaryJson } from '../results/summary.js';
import { formatCount, formatRate } from './text-table.js';

export function runHeaderLines(summary: SummaryJson): string[] {
  const { options, target, stream } = summary;
  const status = summary.interrupted ? `INTERRUPTED (${summary.interrupt_reason})` : 'completed';
  const emulator = target.emulator ? `${target.emulator.name} ${target.emulator.version} ` : '';
  const batch = Number(options['batch']);
  const stages = typeof options['stages'] === 'string' ? options['stages'] : undefined;
  const rate =
    stages !== undefined
      ? `of ${stages} (stages, records/s in total; open model, up to ${formatCount(Number(options['concurrency']))} ` +
        `requests in flight)`
      : options['rate'] === 'max'
        ? `max (closed model, ${formatCount(Number(options['concurrency']))} requests in flight)`
        : `${formatRate(Number(options['rate']))} records/s (open model, up ` +
          `to ${formatCount(Number(options['concurrency']))} requests in flight)`;
  return [
    `kbench ${summary.command} · run ${summary.run_id} · ${status}`,
    `target    ${target.kind} ${emulator}at ${target.endpoint} (${target.region})`,
    ...limitsLines(target),
    `stream    ${stream.name} · ${stream.shards} shard${stream.shards === 1 ? '' : 's'} · ${streamFate(stream)}`,
    `load      rate ${rate} · batch ${batch} (${batch === 1 ? 'PutRecord' : 'PutRecords'}) ` +
      `· ${options['record_size_bytes']} B records · keys ${options['partition_keys']}`,
    `time      ${summary.phases.warmup_s} s warmup (not counted) + ${summary.phases.measured_s} s measured`,
  ];
}

function streamFate(stream: SummaryJson['stream']): string {
  if (!stream.created) return 'existing, kept';
  return stream.deleted ? 'created, deleted' : 'created, kept';
}

/** The lines at the foot of every command's summary table: was the client the bottleneck? */
export function clientLines(summary: SummaryJson): string[] {
  const { client } = summary;
  const workers = (n: number, what: string): string => `${n} ${what}worker${n === 1 ? '' : 's'}`;
  // Only kbench lag has consumer threads; older summaries lack the field.
  const threads =
    (client.consumer_workers ?? 0) > 0
      ? `${workers(client.workers, 'producer ')} + ${workers(client.consumer_workers, 'consumer ')}`
      : workers(client.workers, '');
  // Which data-path client sent the puts (--client); summaries from before it lack it.
  const kind = summary.options['client'] !== undefined ? `${String(summary.options['client'])} client · ` : '';
  return [
    `client    ${kind}${threads} · event-loop delay p99 ${client.event_loop_delay_p99_ms.toFixed(1)} ms · ` +
      `busy ${(client.event_loop_utilization * 100).toFixed(0)} % · peak RSS ${client.peak_rss_mib.toFixed(0)} MiB`,
    ...(client.client_bound
      ? [`WARNING   ${client.client_bound_advice} (${client.client_bound_reasons.join('; ')})`]
      : []),
  ];
}
