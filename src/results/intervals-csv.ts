/**
 * intervals.csv: one row per interval, written as the run goes. The header and every row
 * come from one column list, the run layout's (the interval's time frame, then each
 * block's columns), so they cannot drift apart. Units are in the column names. Pure:
 * returns text.
 */
import { stringify } from 'csv-stringify/sync';
import { LAG_BLOCK } from '../blocks/lag.js';
import { LAG_RUN, PUT_RUN, type RunLayout } from '../blocks/run-layout.js';
import type { LagRunInterval } from '../model/lag-result.js';
import type { PutInterval } from '../model/put-result.js';

/** A put run's columns. */
export const INTERVAL_COLUMNS = PUT_RUN.columns;

/** The consumers' columns of a lag run, after the put columns. */
export const LAG_COLUMNS = LAG_BLOCK.columns;

export function intervalsHeader<Row, Result>(layout: RunLayout<Row, Result>): string {
  return stringify([layout.columns.map((column) => column.name)]);
}

export function intervalsRow<Row, Result>(layout: RunLayout<Row, Result>, value: Row, runStartMicros: number): string {
  return stringify([layout.columns.map((column) => column.value(value, runStartMicros))]);
}

export function intervalsCsvHeader(): string {
  return intervalsHeader(PUT_RUN);
}

export function intervalsCsvRow(interval: PutInterval, runStartMicros: number): string {
  return intervalsRow(PUT_RUN, interval, runStartMicros);
}

export function lagIntervalsCsvHeader(): string {
  return intervalsHeader(LAG_RUN);
}

export function lagIntervalsCsvRow(interval: LagRunInterval, runStartMicros: number): string {
  return intervalsRow(LAG_RUN, interval, runStartMicros);
}
