/**
 * HdrHistogram interval logs (format 1.3), readable by HdrHistogram's HistogramLogProcessor
 * and HistogramLogAnalyzer. Values are microseconds; the Interval_Max column is in
 * milliseconds (the usual 1000 ratio). Pure: returns text.
 */
import { encodeHistogram, type Histogram } from '../measure/histogram.js';

export function hlogHeader(startMicros: number, description: string, notes: readonly string[] = []): string {
  const startSeconds = startMicros / 1e6;
  return [
    `#[${description}]`,
    ...notes.map((note) => `#[${note}]`),
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

/** The header comment naming the untagged line's histogram (parseHlog reads it back). */
const UNTAGGED_NOTE = 'Untagged histogram: ';

/**
 * The measured phase's whole-run histograms in one log: what `kbench merge` adds up
 * across processes, since percentiles cannot be. The first histogram's line is untagged
 * and a header comment names it; the others are tagged with their names
 * (`Tag=put_record,...`, as HdrHistogram's tagged logs do). HdrHistogram's Java
 * HistogramLogProcessor reads only untagged lines unless given `-tag` (and fails on a log
 * with none), so this way it reads the file with no options.
 */
export function measuredHlog(
  description: string,
  logStartMicros: number,
  fromMicros: number,
  untilMicros: number,
  histograms: ReadonlyArray<readonly [tag: string, histogram: Histogram]>,
): string {
  const untagged = histograms[0]?.[0];
  const notes = untagged === undefined ? [] : [`${UNTAGGED_NOTE}${untagged}; the others are tagged with their names`];
  return (
    hlogHeader(logStartMicros, description, notes) +
    histograms
      .map(([tag, histogram], index) => {
        const line = hlogLine(encodeHistogram(histogram), fromMicros, untilMicros, histogram.maxValue, logStartMicros);
        return index === 0 ? line : `Tag=${tag},${line}`;
      })
      .join('')
  );
}

export interface HlogEntry {
  /** The line's tag; an untagged line gets the name its log's header comment gives it, if any. */
  readonly tag: string | undefined;
  /** Absolute, microseconds since the epoch (from the log's StartTime). */
  readonly startMicros: number;
  readonly endMicros: number;
  readonly encoded: string;
}

const START_TIME = /^#\[StartTime: ([\d.]+) /;

/** Reads an interval log kbench wrote (tags allowed). Throws a RangeError saying which line is bad. */
export function parseHlog(text: string): HlogEntry[] {
  let startSeconds = 0;
  let untaggedName: string | undefined;
  const entries: HlogEntry[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '' || line.startsWith('"')) continue;
    if (line.startsWith('#')) {
      const match = START_TIME.exec(line);
      if (match) startSeconds = Number(match[1]);
      if (line.startsWith(`#[${UNTAGGED_NOTE}`))
        untaggedName = /^[^;\]]*/.exec(line.slice(UNTAGGED_NOTE.length + 2))?.[0];
      continue;
    }
    let rest = line;
    let tag = untaggedName;
    if (rest.startsWith('Tag=')) {
      const comma = rest.indexOf(',');
      tag = rest.slice(4, comma);
      rest = rest.slice(comma + 1);
    }
    const [start, length, , encoded] = rest.split(',');
    if (
      start === undefined ||
      length === undefined ||
      !encoded ||
      !Number.isFinite(Number(start)) ||
      !Number.isFinite(Number(length))
    ) {
      throw new RangeError(`line ${index + 1} is not an interval histogram`);
    }
    const startMicros = Math.round((startSeconds + Number(start)) * 1e6);
    entries.push({ tag, startMicros, endMicros: startMicros + Math.round(Number(length) * 1e6), encoded });
  }
  return entries;
}
