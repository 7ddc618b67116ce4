/** The summary table's lines about quotas and injected faults. Pure: returns text. */
import type { FaultsJson, LatencyJson, QuotaJson } from '../results/layer-json.js';
import type { SummaryEnvelope } from '../results/summary.js';
import { isLocalKind } from '../target/kinds/index.js';
import { formatCount } from './text-table.js';

const LIMITS_TEXT = {
  none: "none: the emulator enforces no Kinesis quotas, so these figures are the emulator's, not AWS's",
  aws: "the real service's quotas",
  unknown: 'unknown: whatever this endpoint enforces',
  'emulated-aws': "AWS's quotas, emulated by kbench's quota layer (a local run, not an AWS figure)",
  'emulated-custom': "custom quotas, emulated by kbench's quota layer (a local run, not an AWS figure)",
} as const;

export function limitsLines(target: SummaryEnvelope['target']): string[] {
  const lines = [`limits    ${LIMITS_TEXT[target.limits]}`];
  if (target.quota) lines.push(`          ${quotaText(target.quota)}`);
  if (isLocalKind(target.kind)) lines.push(`faults    ${target.faults ? faultsText(target.faults) : 'none injected'}`);
  return lines;
}

function quotaText(q: QuotaJson): string {
  const n = (x: number): string => (Number.isInteger(x) ? formatCount(x) : String(x));
  return (
    `per shard: writes ${n(q.write_records_per_s)} records/s and ${n(q.write_mib_per_s)} MiB/s, ` +
    `GetRecords ${n(q.read_calls_per_s)} calls/s and ${n(q.read_mib_per_s)} MiB/s, ` +
    `GetShardIterator ${n(q.iterator_calls_per_s)} calls/s; burst ${q.burst_s} s of quota`
  );
}

export function faultsText(f: FaultsJson): string {
  const parts: string[] = [];
  const { writes, reads } = f.latency;
  if (writes && reads && JSON.stringify(writes) === JSON.stringify(reads))
    parts.push(`latency ${latencyText(writes)} on writes and reads`);
  else {
    if (writes) parts.push(`latency ${latencyText(writes)} on writes`);
    if (reads) parts.push(`latency ${latencyText(reads)} on reads`);
  }
  const e = f.errors_pct;
  if (e) {
    parts.push(
      `errors on data calls: ${e.internal_failure_500} % InternalFailure (500), ${e.service_unavailable_503} % ` +
        `ServiceUnavailable (503), ${e.connection_reset} % connection resets`,
    );
  }
  return parts.join(' · ');
}

function latencyText(l: LatencyJson): string {
  switch (l.distribution) {
    case 'fixed':
      return `${l.ms} ms`;
    case 'uniform':
      return `${l.min_ms}-${l.max_ms} ms (uniform)`;
    case 'exponential':
      return `exponential, mean ${l.mean_ms} ms`;
  }
}
