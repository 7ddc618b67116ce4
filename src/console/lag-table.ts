/**
 * The human summary of a lag run, printed on stdout at the end, or of several lag
 * processes of one run merged (`processes` above 1), whose completeness is each
 * process's own records against its own consumers. Pure: returns text.
 */
import { subscribesOverHttp2 } from '../target/kinds/index.js';
import { CONSUMER_KIND_MODULES } from '../workload/consumers/index.js';
import type { ConsumerKindTraits } from '../workload/consumers/kind.js';
import { clientLines, runHeaderLines } from './run-header.js';
import type { ReadFigures } from '../blocks/lag.js';
import type { LagSummaryJson, LatencyMs } from '../results/summary.js';
import { formatCount, formatMs, formatRate, textTable } from './text-table.js';

export interface LagTableOptions {
  /** Processes merged into this summary (kbench merge); 1 for a single run. */
  readonly processes?: number;
}

export function formatLagTable(summary: LagSummaryJson, options: LagTableOptions = {}): string {
  const { put, lag } = summary;
  const merged = (options.processes ?? 1) > 1;
  const kind = consumerKind(lag.consumer);
  const readWord = kind.readWord;
  const lines = [
    ...runHeaderLines(summary),
    `consumer  ${consumerLine(summary)}`,
    '',
    `put       ${formatCount(put.records.accepted)} records accepted in the measured phase ` +
      `(${formatRate(put.records_per_s)} records/s) · ` +
      `request latency p50 ${formatMs(put.latency_ms.p50)} ms, p99 ${formatMs(put.latency_ms.p99)} ms · ` +
      `${formatCount(put.records.throttled)} throttled · ${formatCount(put.records.failed)} failed`,
    '',
    textTable([
      ['lag (ms)', 'p50', 'p90', 'p99', 'p99.9', 'max', 'count'],
      latencyRow('put -> get (lag)', lag.latency_ms),
      latencyRow('put -> arrival *', lag.put_to_arrival_ms),
      latencyRow('arrival -> get *', lag.arrival_to_receive_ms),
      latencyRow('MillisBehindLatest **', lag.millis_behind_latest_ms),
    ]),
    '          lag: consumer receive time minus the send time in the record header, one record per consumer, ' +
      "kbench's clock only",
    "          * compares the server's clock (ApproximateArrivalTimestamp, 1 ms resolution) with kbench's: off by " +
      'any difference between them' +
      clockNote(lag.clock_disagreements),
    `          ** as the service reports it, per answer (${readWord}); no clock comparison`,
    '',
    textTable([
      [
        'records',
        'produced',
        'expected',
        'received',
        'duplicates',
        'missing',
        'unacknowledged',
        'foreign',
        'other processes',
      ],
      [
        '',
        formatCount(lag.records.produced),
        formatCount(lag.records.expected),
        formatCount(lag.records.received),
        formatCount(lag.records.duplicates),
        formatCount(lag.records.missing),
        formatCount(lag.records.unacknowledged),
        formatCount(lag.records.foreign),
        formatCount(lag.records.other_processes),
      ],
    ]),
    merged
      ? `          all phases, ${options.processes} processes added: each accounts for its own producers' records, ` +
        `expected = its produced x its consumers; other processes: records of the others it read`
      : '          all phases; expected = produced (accepted by the stream) x consumers; duplicates are extra ' +
        "deliveries; other processes: this run's records from other producer ids",
    completenessLine(summary, merged),
    '',
    textTable([
      ['reads', kind.readColumn, 'per s', 'records/read', 'throttled', 'errors', 'renewed', 'resubscribed'],
      ...Object.entries(lag.per_shard).map(([shard, figures]) => readRow(shard, figures)),
      readRow('all shards', lag.reads),
    ]),
    `          ${readWord} answered in the measured phase; throttled: ProvisionedThroughputExceededException; ` +
      `renewed: expired iterators`,
    '',
    ...clientLines(summary),
  ];
  return lines.join('\n') + '\n';
}

function consumerLine(summary: LagSummaryJson): string {
  const { lag } = summary;
  return consumerKind(lag.consumer).describe({
    consumers: `${lag.consumers} consumer${lag.consumers === 1 ? '' : 's'} reading every shard`,
    drained: `drained ${lag.drain_s} s after the producers`,
    pollIntervalMs: lag.poll_interval_ms,
    // Older results do not say; they used HTTP/2 against AWS only.
    efoHttp: () => lag.efo_http ?? (subscribesOverHttp2(summary.target.kind, summary.target.endpoint) ? '2' : '1.1'),
    deregistered: lag.consumers_deregistered,
  });
}

/** Results name their consumer kind; one this version does not know reads like efo, as before. */
function consumerKind(name: string): ConsumerKindTraits {
  const kinds: Partial<Record<string, ConsumerKindTraits>> = CONSUMER_KIND_MODULES;
  return kinds[name] ?? CONSUMER_KIND_MODULES.efo;
}

function completenessLine(summary: LagSummaryJson, merged: boolean): string {
  const { records } = summary.lag;
  const whose = merged ? ' of the process that wrote it' : '';
  if (records.missing > 0) {
    return (
      `WARNING   ${formatCount(records.missing)} of ${formatCount(records.expected)} deliveries MISSING after ` +
      `the drain: records the stream accepted never reached a consumer${whose}`
    );
  }
  return (
    `complete  every accepted record reached every ` +
    `consumer${whose}${records.duplicates > 0 ? ` (${formatCount(records.duplicates)} more than once)` : ''}`
  );
}

function clockNote(disagreements: LagSummaryJson['lag']['clock_disagreements']): string {
  const { arrival_before_send: before, arrival_after_receive: after } = disagreements;
  if (before === 0 && after === 0) return '';
  return (
    `; ${formatCount(before)} arrivals before their send time and ${formatCount(after)} after their receive ` +
    `time were counted as 0`
  );
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

function readRow(name: string, f: ReadFigures): string[] {
  return [
    name,
    formatCount(f.reads),
    formatRate(f.reads_per_s),
    f.records_per_read.toFixed(2),
    formatCount(f.throttled),
    formatCount(f.errors),
    formatCount(f.iterators_renewed),
    formatCount(f.resubscriptions),
  ];
}
