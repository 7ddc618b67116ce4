/** Draws the injected faults for one data call: how long to hold it, and whether to fail it. */
import type { ErrorFaults, FaultSpec, LatencyDistribution } from '../../config/fault-values.js';

export type InjectedError = 'internal-failure' | 'service-unavailable' | 'connection-reset';
export type CallSide = 'writes' | 'reads';

export class FaultInjector {
  constructor(
    private readonly spec: FaultSpec,
    private readonly random: () => number = Math.random,
  ) {}

  /** Milliseconds to hold a call before serving it; 0 without injected latency. */
  delayMs(side: CallSide): number {
    const distribution = this.spec.latency?.[side];
    return distribution ? sample(distribution, this.random) : 0;
  }

  /** The error to answer a call with instead of serving it, if any. */
  error(): InjectedError | undefined {
    const errors: ErrorFaults | undefined = this.spec.errors;
    if (errors === undefined) return undefined;
    let draw = this.random() * 100;
    if ((draw -= errors.internalFailurePct) < 0) return 'internal-failure';
    if ((draw -= errors.serviceUnavailablePct) < 0) return 'service-unavailable';
    if ((draw -= errors.connectionResetPct) < 0) return 'connection-reset';
    return undefined;
  }
}

function sample(d: LatencyDistribution, random: () => number): number {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'uniform':
      return d.minMs + random() * (d.maxMs - d.minMs);
    case 'exponential':
      return -d.meanMs * Math.log(1 - random());
  }
}
