/** A clock tests move by hand, so schedules can be checked to the microsecond. */
import type { Clock } from '../../src/measure/clock.js';

interface Sleeper {
  readonly at: number;
  readonly resolve: () => void;
}

export class FakeClock implements Clock {
  private sleepers: Sleeper[] = [];

  constructor(private now = 0) {}

  nowMicros(): number {
    return this.now;
  }

  sleepUntil(micros: number, signal?: AbortSignal): Promise<void> {
    if (micros <= this.now || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = { at: micros, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      });
    });
  }

  /** Moves time forward to `micros`, waking sleepers in time order and letting them run. */
  async advanceTo(micros: number): Promise<void> {
    await settle();
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > micros) break;
      this.sleepers.shift();
      this.now = Math.max(this.now, next.at);
      next.resolve();
      await settle();
    }
    this.now = Math.max(this.now, micros);
    await settle();
  }
}

/** Lets every pending promise callback run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
