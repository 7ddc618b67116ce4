/**
 * The target a run is told to use (--target and its flags, or a scenario's), as plain
 * values. target/target.ts opens it; options and summaries only describe it.
 */
import type { FaultSpec } from './fault-values.js';
import type { LimitsChoice } from './quota-values.js';

/** The emulators kbench can embed. */
export const EMULATORS = ['kinesalite', 'kinesis-mock'] as const;
export type EmulatorName = (typeof EMULATORS)[number];

/**
 * What a local target emulates through kbench's quota layer. Unset limits mean the
 * target's default: AWS's quotas for the embedded emulator, none for an endpoint.
 */
export interface LocalEmulation {
  readonly limits?: LimitsChoice;
  readonly faults?: FaultSpec;
}

export type TargetSpec =
  | ({ readonly kind: 'embedded'; readonly emulator?: EmulatorName; readonly emulatorPort?: number } & LocalEmulation)
  | { readonly kind: 'aws'; readonly region?: string; readonly profile?: string }
  | ({ readonly kind: 'endpoint'; readonly url: string; readonly region?: string } & LocalEmulation);
