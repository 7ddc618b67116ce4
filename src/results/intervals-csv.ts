/**
 * intervals.csv: one row per interval, written as the run goes. The header and every row
 * come from one column list, so they cannot drift apart. Units are in the column names.
 * A lag run's rows are the put columns followed by the consumers' columns for the same
 * interval. Pure: returns text.
 */
import { stringify } from 'csv-stringify/sync';
import type { LatencySummary } from '../model/latency.js';
import type { LagInterval, LagRunInterval } from '../model/lag-result.js';
import type { PutInterval } from '../model/put-result.js';
import { roundTo as round } from '../runtime/round.js';

interface Column<Row> {
  readonly name: string;
  readonly value: (row: Row, runStartMicros: number) => string | number;
}

interface Timed {
  readonly startMicros: number;
  readonly endMicros: number;
}

/**
 * A latency figure, or an empty cell when the interval measured none: a 0 there would be
 * averaged in by a spreadsheet as if answers had been instant.
 */
const ms = (summary: LatencySummary, value: number): number | '' => (summary.count > 0 ? value : '');

const seconds = (row: Timed): number => (row.endMicros - row.startMicros) / 1e6;
const perSecond = (count: number, row: Timed): number => {
  const s = seconds(row);
  return s > 0 ? round(count / s, 3) : 0;
};

export const INTERVAL_COLUMNS: readonly Column<PutInterval>[] = [
  { name: 'interval', value: (r) => r.index },
  { name: 'phase', value: (r) => r.phase },
  { name: 'start_utc', value: (r) => new Date(r.startMicros / 1000).toISOString() },
  { name: 'start_s', value: (r, t0) => round((r.startMicros - t0) / 1e6, 3) },
  { name: 'duration_s', value: (r) => round(seconds(r), 3) },
  { name: 'target_records_per_s', value: (r) => (r.targetRecordsPerS === undefined ? '' : round(r.targetRecordsPerS, 3)) },
  { name: 'records_sent', value: (r) => r.counts.sent },
  { name: 'records_accepted', value: (r) => r.counts.accepted },
  { name: 'accepted_records_per_s', value: (r) => perSecond(r.counts.accepted, r) },
  { name: 'accepted_mib_per_s', value: (r) => (seconds(r) > 0 ? round(r.counts.acceptedBytes / 1048576 / seconds(r), 4) : 0) },
  { name: 'throttled_records_per_s', value: (r) => perSecond(r.counts.throttled, r) },
  { name: 'error_records_per_s', value: (r) => perSecond(r.counts.errors, r) },
  { name: 'records_retried', value: (r) => r.counts.retried },
  { name: 'records_failed', value: (r) => r.counts.failed },
  { name: 'requests', value: (r) => r.counts.requests },
  { name: 'latency_p50_ms', value: (r) => ms(r.requestLatency, r.requestLatency.p50) },
  { name: 'latency_p90_ms', value: (r) => ms(r.requestLatency, r.requestLatency.p90) },
  { name: 'latency_p99_ms', value: (r) => ms(r.requestLatency, r.requestLatency.p99) },
  { name: 'latency_max_ms', value: (r) => ms(r.requestLatency, r.requestLatency.max) },
  { name: 'record_latency_p99_ms', value: (r) => ms(r.recordLatency, r.recordLatency.p99) },
  { name: 'schedule_behind_ms', value: (r) => r.behindMs },
  { name: 'event_loop_delay_p99_ms', value: (r) => r.clientLoad.eventLoopDelayP99Ms },
  { name: 'event_loop_utilization', value: (r) => r.clientLoad.eventLoopUtilization },
];

/** The consumers' columns of a lag run, after the put columns. */
export const LAG_COLUMNS: readonly Column<LagInterval>[] = [
  { name: 'records_received', value: (r) => r.counts.received },
  { name: 'received_records_per_s', value: (r) => perSecond(r.counts.received, r) },
  { name: 'records_duplicate', value: (r) => r.counts.duplicates },
  { name: 'records_foreign', value: (r) => r.counts.foreign },
  { name: 'records_other_processes', value: (r) => r.counts.otherProcesses },
  { name: 'reads', value: (r) => r.counts.reads },
  { name: 'reads_per_s', value: (r) => perSecond(r.counts.reads, r) },
  { name: 'reads_throttled', value: (r) => r.counts.readsThrottled },
  { name: 'read_errors', value: (r) => r.counts.readErrors },
  { name: 'iterators_renewed', value: (r) => r.counts.iteratorsRenewed },
  { name: 'resubscriptions', value: (r) => r.counts.resubscriptions },
  { name: 'lag_p50_ms', value: (r) => ms(r.lag, r.lag.p50) },
  { name: 'lag_p90_ms', value: (r) => ms(r.lag, r.lag.p90) },
  { name: 'lag_p99_ms', value: (r) => ms(r.lag, r.lag.p99) },
  { name: 'lag_max_ms', value: (r) => ms(r.lag, r.lag.max) },
  { name: 'put_to_arrival_p50_ms', value: (r) => ms(r.putToArrival, r.putToArrival.p50) },
  { name: 'arrival_to_receive_p50_ms', value: (r) => ms(r.arrivalToReceive, r.arrivalToReceive.p50) },
  { name: 'millis_behind_latest_max_ms', value: (r) => ms(r.behindLatest, r.behindLatest.max) },
  { name: 'records_awaiting', value: (r) => r.awaiting },
];

export const LAG_INTERVAL_COLUMNS: readonly Column<LagRunInterval>[] = [
  ...INTERVAL_COLUMNS.map((column) => ({ name: column.name, value: (r: LagRunInterval, t0: number) => column.value(r.put, t0) })),
  ...LAG_COLUMNS.map((column) => ({ name: column.name, value: (r: LagRunInterval, t0: number) => column.value(r.lag, t0) })),
];

function header<Row>(columns: readonly Column<Row>[]): string {
  return stringify([columns.map((column) => column.name)]);
}

function row<Row>(columns: readonly Column<Row>[], value: Row, runStartMicros: number): string {
  return stringify([columns.map((column) => column.value(value, runStartMicros))]);
}

export function intervalsCsvHeader(): string {
  return header(INTERVAL_COLUMNS);
}

export function intervalsCsvRow(interval: PutInterval, runStartMicros: number): string {
  return row(INTERVAL_COLUMNS, interval, runStartMicros);
}

export function lagIntervalsCsvHeader(): string {
  return header(LAG_INTERVAL_COLUMNS);
}

export function lagIntervalsCsvRow(interval: LagRunInterval, runStartMicros: number): string {
  return row(LAG_INTERVAL_COLUMNS, interval, runStartMicros);
}
