/** Latency figures as results report them; measure/histogram.ts computes them from histograms. */

/** Latency percentiles in milliseconds (with microsecond precision). */
export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}
