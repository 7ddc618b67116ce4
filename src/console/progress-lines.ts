/**
 * Progress for logs: when stderr is not a terminal (CI, `2>progress.txt`, a container's
 * log), a plain line every 10 s of run time and at every phase change, instead of a bar
 * that redraws. Fed by the same run events as the bars; the figures of a line cover the
 * time since the previous line (a true p99 of those intervals: their histograms added),
 * errors are counted from the start.
 */
import { decodeHistogram, summarizeMs, type Histogram } from '../measure/histogram.js';
import type { LagRunEvent } from '../model/lag-result.js';
import type { PutRunEvent } from '../model/put-result.js';
import type { Phase, PutSchedule } from '../model/schedule.js';
import { formatCount, formatRate } from './text-table.js';

/** How often a line is written while a phase goes on, in ms of run time. */
export const PROGRESS_LINE_PERIOD_MS = 10_000;

/** Shorter windows get no line of their own. */
const MIN_WINDOW_MICROS = 100_000;

/** What one line says about the time since the previous line. */
export interface WindowFigures {
  readonly phase: Phase;
  /** From the start of the run (warmup included) to the end of the window, s. */
  readonly elapsedS: number;
  /** Length of the window, s. */
  readonly windowS: number;
  /** Put: records accepted; lag: records sent in. */
  readonly records: number;
  /** Lag only: first deliveries received. */
  readonly received?: number;
  /** Put: request latency; lag: put-to-get lag. Undefined when nothing was measured. */
  readonly p99Ms: number | undefined;
  /** Put records throttled (a lag run's read throttling is in intervals.csv). */
  readonly throttled: number;
  /** Put errors plus read errors since the start. */
  readonly errorsSoFar: number;
  /** Lag only: deliveries still awaited at the window's end. */
  readonly awaiting?: number;
}

/** One plain line: every figure with its unit, no colours, no carriage returns. */
export function formatProgressLine(figures: WindowFigures): string {
  const window = figures.windowS > 0 ? figures.windowS : 1;
  const rate = (n: number): string => `${formatRate(n / window)} records/s`;
  const p99 = figures.p99Ms === undefined ? '-' : `${figures.p99Ms.toFixed(1)} ms`;
  const parts =
    figures.received === undefined
      ? [
          `${rate(figures.records)} accepted`,
          `request p99 ${p99}`,
          `throttled ${formatCount(figures.throttled)} records`,
        ]
      : [
          `in ${rate(figures.records)}`,
          `out ${rate(figures.received)}`,
          `lag p99 ${p99}`,
          `throttled ${formatCount(figures.throttled)} records`,
        ];
  const awaiting = figures.awaiting === undefined ? '' : ` | awaiting ${formatCount(figures.awaiting)} deliveries`;
  return (
    `kbench: ${Math.round(figures.elapsedS)} s ${figures.phase} | last ${formatRate(figures.windowS)} ` +
    `s: ${parts.join(', ')}` +
    `${awaiting} | errors so far ${formatCount(figures.errorsSoFar)}`
  );
}

export function formatStartLine(schedule: PutSchedule): string {
  const warmupS = (schedule.measuredFromMicros - schedule.startMicros) / 1e6;
  const measureS = (schedule.measuredUntilMicros - schedule.measuredFromMicros) / 1e6;
  return (
    `kbench: started: warmup ${formatRate(warmupS)} s, then measure ${formatRate(measureS)} s; a line ` +
    `every ${PROGRESS_LINE_PERIOD_MS / 1000} s`
  );
}

/** One interval, as the lines need it (put and lag intervals both reduce to this). */
export interface IntervalSample {
  readonly phase: Phase;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly records: number;
  readonly received?: number;
  readonly throttled: number;
  readonly errors: number;
  /** Encoded HDR histogram (µs) of the latency whose p99 the line shows. */
  readonly histogram: string;
  readonly awaiting?: number;
}

/**
 * Decides when a line is due and sums the intervals since the last one. `write` gets
 * whole lines without the newline.
 */
export class ProgressLines {
  private schedule: PutSchedule | undefined;
  private lastLineMicros = 0;
  private window: IntervalSample[] = [];
  private errorsSoFar = 0;

  constructor(
    private readonly write: (line: string) => void,
    private readonly periodMs = PROGRESS_LINE_PERIOD_MS,
  ) {}

  started(schedule: PutSchedule): void {
    this.schedule = schedule;
    this.lastLineMicros = schedule.startMicros;
    this.write(formatStartLine(schedule));
  }

  interval(sample: IntervalSample): void {
    if (!this.schedule) return;
    const [first] = this.window;
    // A phase change closes the window: one line for the phase that ended.
    if (first && first.phase !== sample.phase) this.flush();
    this.window.push(sample);
    this.errorsSoFar += sample.errors;
    // Intervals end on timer ticks, a little early or late: half an interval of slack keeps
    // the lines on the 10 s grid instead of slipping a whole interval each time.
    const slack = (sample.endMicros - sample.startMicros) / 2;
    if (sample.endMicros - this.lastLineMicros + slack >= this.periodMs * 1000) this.flush();
  }

  /** A line that is not a window: "stopping: ...", "draining: ...". */
  note(text: string): void {
    this.write(`kbench: ${text}`);
  }

  /** Writes what is left of the window (at the end of the run). */
  flush(): void {
    const { schedule, window } = this;
    const first = window[0];
    const last = window[window.length - 1];
    if (!schedule || !first || !last) return;
    // A sliver (the few ms a put run drains after its measured phase) says nothing useful.
    if (last.endMicros - first.startMicros < MIN_WINDOW_MICROS) {
      this.window = [];
      return;
    }
    let histogram: Histogram | undefined;
    for (const sample of window) {
      const decoded = decodeHistogram(sample.histogram);
      if (histogram) histogram.add(decoded);
      else histogram = decoded;
    }
    const sum = (pick: (sample: IntervalSample) => number | undefined): number =>
      window.reduce((total, sample) => total + (pick(sample) ?? 0), 0);
    const lag = first.received !== undefined;
    this.write(
      formatProgressLine({
        phase: first.phase,
        elapsedS: (last.endMicros - schedule.startMicros) / 1e6,
        windowS: (last.endMicros - first.startMicros) / 1e6,
        records: sum((sample) => sample.records),
        ...(lag && { received: sum((sample) => sample.received) }),
        p99Ms: histogram && histogram.totalCount > 0 ? summarizeMs(histogram).p99 : undefined,
        throttled: sum((sample) => sample.throttled),
        errorsSoFar: this.errorsSoFar,
        ...(last.awaiting !== undefined && { awaiting: last.awaiting }),
      }),
    );
    this.lastLineMicros = last.endMicros;
    this.window = [];
  }
}

export interface LineProgressView<E> {
  onEvent(event: E): void;
  stop(): void;
}

export function createPutProgressLines(
  stream: NodeJS.WritableStream,
  periodMs?: number,
): LineProgressView<PutRunEvent> {
  const lines = new ProgressLines((line) => stream.write(`${line}\n`), periodMs);
  return {
    onEvent(event) {
      if (event.type === 'started') lines.started(event.schedule);
      else if (event.type === 'interval') {
        const { interval } = event;
        lines.interval({
          phase: interval.phase,
          startMicros: interval.startMicros,
          endMicros: interval.endMicros,
          records: interval.counts.accepted,
          throttled: interval.counts.throttled,
          errors: interval.counts.errors,
          histogram: interval.requestHistogram,
        });
      } else if (event.type === 'stopping') lines.note(`stopping: ${event.reason}`);
    },
    stop: () => lines.flush(),
  };
}

export function createLagProgressLines(
  stream: NodeJS.WritableStream,
  periodMs?: number,
): LineProgressView<LagRunEvent> {
  const lines = new ProgressLines((line) => stream.write(`${line}\n`), periodMs);
  return {
    onEvent(event) {
      if (event.type === 'started') lines.started(event.schedule);
      else if (event.type === 'interval') {
        const { put, lag } = event.interval;
        lines.interval({
          phase: put.phase,
          startMicros: put.startMicros,
          endMicros: put.endMicros,
          records: put.counts.accepted,
          received: lag.counts.received,
          throttled: put.counts.throttled,
          errors: put.counts.errors + lag.counts.readErrors,
          histogram: lag.lagHistogram,
          awaiting: lag.awaiting,
        });
      } else if (event.type === 'draining') {
        lines.flush();
        lines.note(`draining: ${formatCount(event.awaiting)} deliveries awaited`);
      } else if (event.type === 'stopping') lines.note(`stopping: ${event.reason}`);
    },
    stop: () => lines.flush(),
  };
}
