/**
 * The live progress bar on stderr, fed by run events. On a terminal only; elsewhere (CI logs,
 * files) plain lines (progress-lines.ts). Never on stdout.
 */
import cliProgress from 'cli-progress';
import type { PutRunEvent } from '../model/put-result.js';
import type { PutSchedule } from '../model/schedule.js';
import { createPutProgressLines } from './progress-lines.js';
import { formatCount, formatRate } from './text-table.js';

export interface ProgressView {
  onEvent(event: PutRunEvent): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): ProgressView {
  if (!enabled) return { onEvent: () => undefined, stop: () => undefined };
  // Not a terminal (a CI log, a file): plain lines, no bar redrawn with carriage returns.
  if (!stream.isTTY) return createPutProgressLines(stream);
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        '{phase} {bar} {value}/{total} s | {rate} records/s | p99 {p99} ms | throttled {throttled}/s | errors {errors}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 1,
    },
    cliProgress.Presets.shades_classic,
  );
  let schedule: PutSchedule | undefined;
  let errors = 0;
  return {
    onEvent(event) {
      if (event.type === 'started') {
        schedule = event.schedule;
        const total = Math.round((schedule.measuredUntilMicros - schedule.startMicros) / 1e6);
        bar.start(total, 0, { phase: 'warmup ', rate: '-', p99: '-', throttled: '-', errors: 0 });
      } else if (event.type === 'interval' && schedule) {
        const { interval } = event;
        const seconds = (interval.endMicros - interval.startMicros) / 1e6;
        errors += interval.counts.errors;
        bar.update(Math.min(bar.getTotal(), Math.round((interval.endMicros - schedule.startMicros) / 1e6)), {
          phase: interval.phase === 'warmup' ? 'warmup ' : interval.phase === 'measure' ? 'measure' : 'drain  ',
          rate: seconds > 0 ? formatRate(interval.counts.accepted / seconds) : '-',
          p99: interval.requestLatency.p99.toFixed(1),
          throttled: seconds > 0 ? formatRate(interval.counts.throttled / seconds) : '-',
          errors: formatCount(errors),
        });
      } else if (event.type === 'stopping') {
        bar.update({ phase: 'stopping' });
      }
    },
    stop() {
      bar.stop();
    },
  };
}
