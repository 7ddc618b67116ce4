/** Reading a lag run's results folder back, for the lag tests. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export type Row = Record<string, string>;

export function intervalRows(out: string): Row[] {
  const file = path.join(out, 'intervals.csv');
  return existsSync(file) ? (parse(readFileSync(file), { columns: true }) as Row[]) : [];
}

/** The sum of one intervals.csv column over all rows (all phases). */
export function columnSum(rows: readonly Row[], column: string): number {
  return rows.reduce((sum, row) => sum + Number(row[column]), 0);
}

/** Every accepted record reached every consumer exactly once. */
export function assertExactlyOnce(lag: Record<string, any>, consumers = 1): void {
  const { records } = lag;
  assert.ok(records.produced > 0, 'the run produced records');
  assert.equal(records.expected, records.produced * consumers);
  assert.equal(records.received, records.expected, 'every expected delivery arrived');
  assert.equal(records.missing, 0);
  assert.equal(records.duplicates, 0);
  assert.equal(records.unacknowledged, 0);
  assert.equal(lag.complete, true);
}

/** Numbers of lines holding a histogram in an .hlog file. */
export function hlogLines(out: string, file: string): number {
  return readFileSync(path.join(out, file), 'utf8')
    .split('\n')
    .filter((line) => /^\d/.test(line)).length;
}
