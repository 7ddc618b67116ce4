/**
 * The live progress bar of a lag run on stderr, fed by run events: records in and out
 * per second, lag percentiles in the last interval, deliveries still awaited. On a terminal
 * only; elsewhere (CI logs, files) plain lines (progress-lines.ts). Never on stdout.
 */
import cliProgress from 'cli-progress';
import type { LagRunEvent } from '../model/lag-result.js';
import type { PutSchedule } from '../model/schedule.js';
import { createLagProgressLines } from './progress-lines.js';
import { formatCount, formatRate } from './text-table.js';

export interface LagProgressView {
  onEvent(event: LagRunEvent): void;
  stop(): void;
}

const PHASE_LABEL = { warmup: 'warmup ', measure: 'measure', drain: 'drain  ' } as const;

export function createLagProgress(stream: NodeJS.WriteStream, enabled: boolean): LagProgressView {
  if (!enabled) return { onEvent: () => undefined, stop: () => undefined };
  // Not a terminal (a CI log, a file): plain lines, no bar redrawn with carriage returns.
  if (!stream.isTTY) return createLagProgressLines(stream);
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        '{phase} {bar} {value}/{total} s | in {in}/s out {out}/s | lag p50 {p50} p99 {p99} ms | awaiting {awaiting}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 1,
    },
    cliProgress.Presets.shades_classic,
  );
  let schedule: PutSchedule | undefined;
  return {
    onEvent(event) {
      if (event.type === 'started') {
        schedule = event.schedule;
        const total = Math.round((schedule.measuredUntilMicros - schedule.startMicros) / 1e6);
        bar.start(total, 0, { phase: PHASE_LABEL.warmup, in: '-', out: '-', p50: '-', p99: '-', awaiting: 0 });
      } else if (event.type === 'interval' && schedule) {
        const { put, lag } = event.interval;
        const seconds = (put.endMicros - put.startMicros) / 1e6;
        bar.update(Math.min(bar.getTotal(), Math.round((put.endMicros - schedule.startMicros) / 1e6)), {
          phase: PHASE_LABEL[put.phase],
          in: seconds > 0 ? formatRate(put.counts.accepted / seconds) : '-',
          out: seconds > 0 ? formatRate(lag.counts.received / seconds) : '-',
          p50: lag.lag.count > 0 ? lag.lag.p50.toFixed(1) : '-',
          p99: lag.lag.count > 0 ? lag.lag.p99.toFixed(1) : '-',
          awaiting: formatCount(lag.awaiting),
        });
      } else if (event.type === 'draining') {
        bar.update({ phase: 'drain  ', awaiting: formatCount(event.awaiting) });
      } else if (event.type === 'stopping') {
        bar.update({ phase: 'stopping' });
      }
    },
    stop() {
      bar.stop();
    },
  };
}
