/**
 * shard-intervals.csv: accepted records per shard per interval (by acknowledgement time,
 * like intervals.csv's records_accepted), one row per shard that accepted records in the
 * interval; for the report's per-shard chart and for spotting a hot shard over time.
 * Pure: returns text.
 */
import { stringify } from 'csv-stringify/sync';
import type { PutInterval } from '../model/put-result.js';
import { roundTo as round } from '../runtime/round.js';

export const SHARD_INTERVAL_COLUMNS = [
  'interval',
  'phase',
  'start_s',
  'duration_s',
  'shard',
  'records_accepted',
  'accepted_records_per_s',
] as const;

export function shardIntervalsCsvHeader(): string {
  return stringify([[...SHARD_INTERVAL_COLUMNS]]);
}

export function shardIntervalsCsvRows(interval: PutInterval, runStartMicros: number): string {
  const seconds = (interval.endMicros - interval.startMicros) / 1e6;
  const rows = [...interval.perShard]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([shard, accepted]) => [
      interval.index,
      interval.phase,
      round((interval.startMicros - runStartMicros) / 1e6, 3),
      round(seconds, 3),
      shard,
      accepted,
      seconds > 0 ? round(accepted / seconds, 3) : 0,
    ]);
  return rows.length === 0 ? '' : stringify(rows);
}
