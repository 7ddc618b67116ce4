/**
 * intervals.csv: one row per interval, written as the run goes. The header and every row
 * come from one column list, so they cannot drift apart. Units are in the column names.
 * Pure: returns text.
 */
import { stringify } from 'csv-stringify/sync';
import type { PutInterval } from '../run/put-run.js';

interface Column {
  readonly name: string;
  readonly value: (row: PutInterval, runStartMicros: number) => string | number;
}

const seconds = (row: PutInterval): number => (row.endMicros - row.startMicros) / 1e6;
const perSecond = (count: number, row: PutInterval): number => {
  const s = seconds(row);
  return s > 0 ? round(count / s, 3) : 0;
};
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export const INTERVAL_COLUMNS: readonly Column[] = [
  { name: 'interval', value: (r) => r.index },
  { name: 'phase', value: (r) => r.phase },
  { name: 'start_utc', value: (r) => new Date(r.startMicros / 1000).toISOString() },
  { name: 'start_s', value: (r, t0) => round((r.startMicros - t0) / 1e6, 3) },
  { name: 'duration_s', value: (r) => round(seconds(r), 3) },
  { name: 'records_sent', value: (r) => r.counts.sent },
  { name: 'records_accepted', value: (r) => r.counts.accepted },
  { name: 'accepted_records_per_s', value: (r) => perSecond(r.counts.accepted, r) },
  { name: 'accepted_mib_per_s', value: (r) => (seconds(r) > 0 ? round(r.counts.acceptedBytes / 1048576 / seconds(r), 4) : 0) },
  { name: 'throttled_records_per_s', value: (r) => perSecond(r.counts.throttled, r) },
  { name: 'error_records_per_s', value: (r) => perSecond(r.counts.errors, r) },
  { name: 'records_retried', value: (r) => r.counts.retried },
  { name: 'records_failed', value: (r) => r.counts.failed },
  { name: 'requests', value: (r) => r.counts.requests },
  { name: 'latency_p50_ms', value: (r) => r.requestLatency.p50 },
  { name: 'latency_p90_ms', value: (r) => r.requestLatency.p90 },
  { name: 'latency_p99_ms', value: (r) => r.requestLatency.p99 },
  { name: 'latency_max_ms', value: (r) => r.requestLatency.max },
  { name: 'record_latency_p99_ms', value: (r) => r.recordLatency.p99 },
  { name: 'schedule_behind_ms', value: (r) => r.behindMs },
  { name: 'event_loop_delay_p99_ms', value: (r) => r.clientLoad.eventLoopDelayP99Ms },
  { name: 'event_loop_utilization', value: (r) => r.clientLoad.eventLoopUtilization },
];

export function intervalsCsvHeader(): string {
  return stringify([INTERVAL_COLUMNS.map((column) => column.name)]);
}

export function intervalsCsvRow(row: PutInterval, runStartMicros: number): string {
  return stringify([INTERVAL_COLUMNS.map((column) => column.value(row, runStartMicros))]);
}
