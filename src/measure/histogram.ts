/**
 * The one place that decides how latency histograms are built, so every histogram in a
 * run (and in runs merged later) has the same range and precision and can be added.
 * Values are microseconds.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../model/latency.js';

export type { Histogram };

/** One hour in µs: a stalled open-model run must still land inside the range. */
export const HIGHEST_TRACKABLE_MICROS = 3_600_000_000;

export function createLatencyHistogram(): Histogram {
  return build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_MICROS,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false,
  });
}

/**
 * Records a value that can truly be 0 (MillisBehindLatest when caught up, a difference
 * between two clocks clamped at 0), which recordMicros would raise to 1 µs.
 */
export function recordMicrosFromZero(histogram: Histogram, micros: number): void {
  histogram.recordValue(
    micros < 0 ? 0 : micros > HIGHEST_TRACKABLE_MICROS ? HIGHEST_TRACKABLE_MICROS : Math.round(micros),
  );
}

/** Records `count` samples of `micros`, clamped into the histogram's range. */
export function recordMicros(histogram: Histogram, micros: number, count = 1): void {
  const value = micros < 1 ? 1 : micros > HIGHEST_TRACKABLE_MICROS ? HIGHEST_TRACKABLE_MICROS : Math.round(micros);
  if (count === 1) histogram.recordValue(value);
  else histogram.recordValueWithCount(value, count);
}

export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(base64: string): Histogram {
  const decoded = decodeFromCompressedBase64(base64, 32, false);
  // Re-home into a histogram of the standard shape so it can be added to others.
  const standard = createLatencyHistogram();
  standard.add(decoded);
  return standard;
}

export const SUMMARY_PERCENTILES = [
  ['p50', 50],
  ['p90', 90],
  ['p99', 99],
  ['p999', 99.9],
] as const;

const toMs = (micros: number): number => Math.round(micros) / 1000;

export function summarizeMs(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) {
    return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  }
  // A percentile reads as the top of its HDR bucket, which can lie above the exact max;
  // clamped, so no summary ever shows p99.9 above max.
  const max = histogram.maxValue;
  const at = (percentile: number): number => toMs(Math.min(histogram.getValueAtPercentile(percentile), max));
  return {
    count: histogram.totalCount,
    // minNonZeroValue skips recorded zeros (see recordMicrosFromZero).
    min: toMs(histogram.getValueAtPercentile(0) === 0 ? 0 : histogram.minNonZeroValue),
    mean: toMs(histogram.mean),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: toMs(max),
  };
}
