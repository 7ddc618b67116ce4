/**
 * What the local kinds (embedded, endpoint) share: kbench's quota layer in front of them
 * (--limits, --inject-*), the region and credentials a local endpoint is called with.
 */
import { formatErrorFaults, formatLatencyFaults, hasFaults, type FaultSpec } from '../../config/fault-values.js';
import { formatLimits } from '../../config/quota-values.js';
import type { StaticCredentials } from '../client.js';
import type { LayerPlan } from '../layer-plan.js';
import type { LocalEmulation } from '../../config/target-spec.js';
import type { TargetInfo } from '../target.js';
import type { TargetFlag, TargetFlagValues } from './kind.js';

export const LOCAL_REGION = 'us-east-1';
/** Local endpoints accept any credentials; these keep the SDK from searching for real ones. */
export const DUMMY_CREDENTIALS: StaticCredentials = { accessKeyId: 'kbench', secretAccessKey: 'kbench' };

/** The flags of kbench's quota layer. */
export const EMULATION_FLAGS: readonly TargetFlag[] = ['limits', 'injectLatency', 'injectErrors'];

export function emulationFromFlags(flags: TargetFlagValues): LocalEmulation {
  const faults: FaultSpec = {
    ...(flags.injectLatency !== undefined && { latency: flags.injectLatency }),
    ...(flags.injectErrors !== undefined && { errors: flags.injectErrors }),
  };
  return {
    ...(flags.limits !== undefined && { limits: flags.limits }),
    ...(hasFaults(faults) && { faults }),
  };
}

/** The flags as given; null when left to the default (target.limits says what applied). */
export function emulationOptionsJson(emulation: LocalEmulation): Record<string, unknown> {
  return {
    limits: emulation.limits ? formatLimits(emulation.limits) : null,
    inject_latency: emulation.faults?.latency ? formatLatencyFaults(emulation.faults.latency) : null,
    inject_errors: emulation.faults?.errors ? formatErrorFaults(emulation.faults.errors) : null,
  };
}

export function layerInfo(plan: LayerPlan): Pick<TargetInfo, 'limits' | 'quota' | 'faults'> {
  return {
    limits: plan.label,
    ...(plan.quota !== null && { quota: plan.quota }),
    ...(hasFaults(plan.faults) && { faults: plan.faults }),
  };
}
