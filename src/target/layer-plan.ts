/**
 * Turns what the user asked for (--limits, --inject-*) into what the quota layer must do
 * for a local target, and how the results name the quotas the figures were measured
 * under: never "aws", so that no local figure passes for a real AWS one.
 */
import { hasFaults, type FaultSpec } from '../config/fault-values.js';
import { AWS_SHARD_QUOTA, type LimitsChoice, type ShardQuota } from '../config/quota-values.js';

/** Which service quotas the figures were measured under (summary.json `target.limits`). */
export type LimitsLabel = 'aws' | 'none' | 'unknown' | 'emulated-aws' | 'emulated-custom';

export interface LayerPlan {
  /** Per-shard quotas the layer enforces; null enforces none. */
  readonly quota: ShardQuota | null;
  readonly faults: FaultSpec;
  /** False when there is nothing to enforce or inject: clients talk to the target directly. */
  readonly needed: boolean;
  readonly label: LimitsLabel;
}

/**
 * `withoutLayer` names what the target enforces by itself: "none" for kinesalite,
 * "unknown" for another endpoint (LocalStack may or may not throttle).
 */
export function planLayer(
  limits: LimitsChoice,
  faults: FaultSpec | undefined,
  withoutLayer: 'none' | 'unknown',
): LayerPlan {
  const quota = limits.kind === 'aws' ? AWS_SHARD_QUOTA : limits.kind === 'custom' ? limits.quota : null;
  const spec = faults ?? {};
  return {
    quota,
    faults: spec,
    needed: quota !== null || hasFaults(spec),
    label: limits.kind === 'aws' ? 'emulated-aws' : limits.kind === 'custom' ? 'emulated-custom' : withoutLayer,
  };
}
