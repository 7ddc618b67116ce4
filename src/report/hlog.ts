/**
 * HdrHistogram interval logs (format 1.3), readable by HdrHistogram's HistogramLogProcessor
 * and HistogramLogAnalyzer. Values are microseconds; the Interval_Max column is in
 * milliseconds (the usual 1000 ratio). Pure: returns text.
 */

export function hlogHeader(startMicros: number, description: string): string {
  const startSeconds = startMicros / 1e6;
  return [
    `#[${description}]`,
    '#[Histogram log format version 1.3]',
    `#[StartTime: ${startSeconds.toFixed(3)} (seconds since epoch), ${new Date(startMicros / 1000).toUTCString()}]`,
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
    '',
  ].join('\n');
}

export function hlogLine(
  encodedHistogram: string,
  startMicros: number,
  endMicros: number,
  maxMicros: number,
  logStartMicros: number,
): string {
  const start = (startMicros - logStartMicros) / 1e6;
  const length = (endMicros - startMicros) / 1e6;
  return `${start.toFixed(3)},${length.toFixed(3)},${(maxMicros / 1000).toFixed(3)},${encodedHistogram}\n`;
}
