/**
 * .hgrm files: a whole-run histogram as HdrHistogram's `outputPercentileDistribution`
 * prints it (Value, Percentile, TotalCount, 1/(1-Percentile), then the Mean/Max/Buckets
 * footer), the text wrk2 prints and the HdrHistogram plotter (plotFiles.html) reads.
 * Values in milliseconds, as the plotter's axis assumes. Pure: returns text.
 */
import type { Histogram } from '../measure/histogram.js';
import type { HistogramName } from '../blocks/run-layout.js';

/** Five percentile ticks per half distance to 100 %: HdrHistogram's default. */
const TICKS_PER_HALF_DISTANCE = 5;
/** kbench's histograms hold microseconds; .hgrm files show milliseconds. */
const MICROS_PER_MS = 1000;

export function hgrm(histogram: Histogram): string {
  // An empty histogram prints only a footer of NaNs; say it had no samples instead.
  if (histogram.totalCount === 0) return '#[no samples]\n';
  return histogram.outputPercentileDistribution(TICKS_PER_HALF_DISTANCE, MICROS_PER_MS);
}

/** The .hgrm file of a whole-run histogram: put_request -> put_request.hgrm. */
export function hgrmFile(name: HistogramName): string {
  return `${name}.hgrm`;
}
