/**
 * A compact terminal chart of accepted records/s over the run (asciichart), for the end
 * of a put or lag run when stdout is a terminal. Pure: interval rows in, text out.
 */
import asciichart from 'asciichart';

export interface RateRow {
  readonly start_s: number;
  readonly duration_s: number;
  readonly accepted_records_per_s: number;
}

/** Columns at most: longer runs are averaged into this many buckets. */
const MAX_COLUMNS = 60;
const HEIGHT = 6;

export function rateChart(rows: readonly RateRow[]): string {
  if (rows.length < 2) return '';
  const perColumn = Math.ceil(rows.length / MAX_COLUMNS);
  const values: number[] = [];
  for (let i = 0; i < rows.length; i += perColumn) {
    const bucket = rows.slice(i, i + perColumn);
    // Weighted by duration: the last (drain) interval is short.
    const seconds = bucket.reduce((sum, row) => sum + row.duration_s, 0);
    const records = bucket.reduce((sum, row) => sum + row.accepted_records_per_s * row.duration_s, 0);
    values.push(seconds > 0 ? records / seconds : 0);
  }
  const max = Math.max(...values);
  const plot = asciichart.plot(values, {
    height: HEIGHT,
    min: 0,
    max: max > 0 ? max : 1,
    // Small rates keep a decimal, so the axis labels stay distinct.
    format: (value) =>
      value
        .toLocaleString('en-US', {
          maximumFractionDigits: max >= 100 ? 0 : 1,
          minimumFractionDigits: max >= 100 ? 0 : 1,
        })
        .padStart(8),
  });
  const seconds = rows.reduce((sum, row) => sum + row.duration_s, 0);
  const column = perColumn === 1 ? 'one column per interval' : `one column per ${perColumn} intervals`;
  return `\nrecords/s accepted over ${seconds.toFixed(0)} s (warmup and drain included; ${column})\n${plot}\n`;
}
