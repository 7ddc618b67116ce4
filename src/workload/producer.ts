/**
 * The producer's two load models.
 * - Open (a fixed rate): batches are due on a fixed schedule whatever the answers do;
 *   each carries its intended time, so waiting (for a slot, for a late timer) is counted
 *   in latency. At most `concurrency` batches are in flight; past that the schedule
 *   waits and falls behind, and the latency shows it.
 * - Closed (rate "max"): `concurrency` lanes, each sending its next batch as soon as the
 *   last one is done; the intended time is the actual send time.
 */
import type { Clock } from '../measure/clock.js';
import type { Rate } from '../config/values.js';
import { FixedRateSchedule } from './fixed-rate.js';
import type { Stage } from '../config/stage-values.js';
import { StagedSchedule } from './rate-profile.js';

/**
 * How late after the end a slot due before it may still go out: a timer that fires late,
 * not a producer behind its schedule (kbench calls a schedule 50 ms behind client-bound).
 */
export const LATE_TIMER_MARGIN_MICROS = 50_000;

export interface ProducerPlan {
  readonly rate: Rate;
  readonly batch: number;
  readonly concurrency: number;
  readonly startMicros: number;
  /**
   * Open model: the first batch is due this long after the start. Workers sharing one rate
   * are offset by a fraction of the period each, so together they send evenly.
   */
  readonly offsetMicros?: number;
  /**
   * No batch is due at or after this time, and none is sent after it (but for a late timer's margin), however overdue.
   */
  readonly endMicros: number;
  /**
   * Open model with a rate that changes (warmup included, from startMicros): replaces
   * `rate`. This producer takes batch `share.index` and every `share.of`-th after it.
   */
  readonly stages?: {
    readonly stages: readonly Stage[];
    readonly share: { readonly index: number; readonly of: number };
  };
}

export interface ProducerDeps {
  readonly clock: Clock;
  /** Sends one batch of `size` new records due at `intendedMicros`. */
  readonly sendBatch: (size: number, intendedMicros: number) => Promise<void>;
  /** Stops scheduling new batches; batches in flight finish on their own. */
  readonly stop: AbortSignal;
}

export interface ProducerProgress {
  /** Open model only: how far behind its schedule the producer is now, µs (0 if on time). */
  behindMicros(nowMicros: number): number;
  /** Resolves when scheduling has ended and every batch sent has finished. */
  readonly done: Promise<void>;
}

export function startProducer(plan: ProducerPlan, deps: ProducerDeps): ProducerProgress {
  if (plan.rate === 'max') {
    return { behindMicros: () => 0, done: runClosed(plan, deps) };
  }
  if (plan.stages) {
    const { stages, share } = plan.stages;
    const staged = new StagedSchedule(plan.startMicros, stages, plan.batch, share.index, share.of);
    return {
      behindMicros: (now) => (staged.peek() < plan.endMicros && !deps.stop.aborted ? staged.behindMicrosAt(now) : 0),
      done: runOpen(plan, deps, staged),
    };
  }
  const periodMicros = (plan.batch / plan.rate) * 1_000_000;
  const schedule = new FixedRateSchedule(plan.startMicros + (plan.offsetMicros ?? 0), periodMicros);
  return {
    // After a stop nothing more is due. After the plan's end the slots left unsent stay
    // visible as the backlog at the end: they were due, and never went out.
    behindMicros: (now) =>
      schedule.peek() < plan.endMicros && !deps.stop.aborted
        ? schedule.behindAt(Math.min(now, plan.endMicros)) * periodMicros
        : 0,
    done: runOpen(plan, deps, schedule),
  };
}

async function runClosed(plan: ProducerPlan, deps: ProducerDeps): Promise<void> {
  const { clock, stop, sendBatch } = deps;
  const lane = async (): Promise<void> => {
    await clock.sleepUntil(plan.startMicros, stop);
    while (!stop.aborted) {
      const now = clock.nowMicros();
      if (now >= plan.endMicros) return;
      await sendBatch(plan.batch, now);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
}

/** What the open model needs of a schedule: the next intended time, and taking it. */
interface OpenSchedule {
  peek(): number;
  next(): number;
}

async function runOpen(plan: ProducerPlan, deps: ProducerDeps, schedule: OpenSchedule): Promise<void> {
  const { clock, stop, sendBatch } = deps;
  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  const running = new Set<Promise<void>>();

  while (!stop.aborted) {
    const due = schedule.peek();
    if (due >= plan.endMicros) break;
    if (due > clock.nowMicros()) await clock.sleepUntil(due, stop);
    if (stop.aborted) break;
    while (inFlight >= plan.concurrency && !stop.aborted) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          stop.removeEventListener('abort', wake);
          resolve();
        };
        slotFreed = wake;
        stop.addEventListener('abort', wake, { once: true });
      });
    }
    if (stop.aborted) break;
    // Past the end of the measured phase nothing new goes out, not even slots that fell due
    // before it: the drain only waits for answers (and retries) of records already sent.
    // The slots left over show as schedule_behind_ms; sending them late would stretch the
    // run without limit (1e12 records/s) and load the target after the measurement. A
    // timer that fires a little late for the last slots is not a backlog: it gets a margin.
    if (clock.nowMicros() >= plan.endMicros + LATE_TIMER_MARGIN_MICROS) break;
    schedule.next();
    inFlight += 1;
    const sending: Promise<void> = sendBatch(plan.batch, due).finally(() => {
      inFlight -= 1;
      running.delete(sending);
      const wake = slotFreed;
      slotFreed = undefined;
      wake?.();
    });
    running.add(sending);
  }
  await Promise.all(running);
}
