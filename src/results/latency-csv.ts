/**
 * latency.csv: the percentile distribution of each whole-run histogram, one row per
 * (histogram, percentile), ready for a spreadsheet's line chart. Pure.
 */
import { stringify } from 'csv-stringify/sync';
import type { Histogram } from '../measure/histogram.js';

export const DISTRIBUTION_PERCENTILES = [
  0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100,
] as const;

export function latencyCsv(histograms: ReadonlyArray<readonly [name: string, histogram: Histogram]>): string {
  const rows: (string | number)[][] = [['histogram', 'percentile', 'latency_ms', 'count']];
  for (const [name, histogram] of histograms) {
    for (const percentile of DISTRIBUTION_PERCENTILES) {
      // Nothing measured: an empty cell, not a 0 ms a spreadsheet would chart as instant.
      if (histogram.totalCount === 0) {
        rows.push([name, percentile, '', 0]);
        continue;
      }
      const micros =
        percentile === 0
          ? histogram.minNonZeroValue
          : percentile === 100
            ? histogram.maxValue
            : Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue);
      rows.push([name, percentile, micros / 1000, histogram.totalCount]);
    }
  }
  return stringify(rows);
}
