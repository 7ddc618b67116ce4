/**
 * summary.json's description of what kbench's quota layer did to a local target: the
 * quotas it enforced (`target.quota`) and the faults it injected (`target.faults`), with
 * units in the names. Pure.
 */
import type { ErrorFaults, FaultSpec, LatencyDistribution } from '../config/fault-values.js';
import { BURST_SECONDS, type ShardQuota } from '../config/quota-values.js';

export interface QuotaJson {
  readonly per: 'shard';
  readonly write_records_per_s: number;
  readonly write_mib_per_s: number;
  readonly read_calls_per_s: number;
  readonly read_mib_per_s: number;
  readonly iterator_calls_per_s: number;
  readonly burst_s: number;
}

export type LatencyJson =
  | { readonly distribution: 'fixed'; readonly ms: number }
  | { readonly distribution: 'uniform'; readonly min_ms: number; readonly max_ms: number }
  | { readonly distribution: 'exponential'; readonly mean_ms: number };

export interface FaultsJson {
  readonly latency: { readonly writes: LatencyJson | null; readonly reads: LatencyJson | null };
  readonly errors_pct: {
    readonly internal_failure_500: number;
    readonly service_unavailable_503: number;
    readonly connection_reset: number;
  } | null;
}

export function quotaJson(quota: ShardQuota | undefined): QuotaJson | null {
  if (quota === undefined) return null;
  return {
    per: 'shard',
    write_records_per_s: quota.writeRecordsPerS,
    write_mib_per_s: quota.writeMibPerS,
    read_calls_per_s: quota.readCallsPerS,
    read_mib_per_s: quota.readMibPerS,
    iterator_calls_per_s: quota.iteratorCallsPerS,
    burst_s: BURST_SECONDS,
  };
}

export function faultsJson(faults: FaultSpec | undefined): FaultsJson | null {
  if (faults === undefined || (faults.latency === undefined && faults.errors === undefined)) return null;
  return {
    latency: { writes: latencyJson(faults.latency?.writes), reads: latencyJson(faults.latency?.reads) },
    errors_pct: errorsJson(faults.errors),
  };
}

function latencyJson(d: LatencyDistribution | undefined): LatencyJson | null {
  if (d === undefined) return null;
  switch (d.kind) {
    case 'fixed':
      return { distribution: 'fixed', ms: d.ms };
    case 'uniform':
      return { distribution: 'uniform', min_ms: d.minMs, max_ms: d.maxMs };
    case 'exponential':
      return { distribution: 'exponential', mean_ms: d.meanMs };
  }
}

function errorsJson(e: ErrorFaults | undefined): FaultsJson['errors_pct'] {
  if (e === undefined) return null;
  const pct = (n: number): number => Math.round(n * 1e4) / 1e4;
  return {
    internal_failure_500: pct(e.internalFailurePct),
    service_unavailable_503: pct(e.serviceUnavailablePct),
    connection_reset: pct(e.connectionResetPct),
  };
}
