/**
 * What the rest of kbench needs to know of one kind of target (embedded, endpoint, aws):
 * the flags it takes, how it is opened, and how the results describe it. One module per
 * kind implements this; kinds/index.ts keys them by name, so no caller switches on a kind.
 */
import type { ErrorFaults, LatencyFaults } from '../../config/fault-values.js';
import type { LimitsChoice } from '../../config/quota-values.js';
import type { EmulatorName, TargetSpec } from '../../config/target-spec.js';
import type { Target } from '../target.js';

/** The target flags only some kinds take (--region is every kind's). */
export type TargetFlag =
  'endpoint' | 'profile' | 'emulator' | 'emulatorPort' | 'limits' | 'injectLatency' | 'injectErrors';

/** The target flags as parsed, whatever the kind. */
export interface TargetFlagValues {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly emulator?: EmulatorName;
  readonly emulatorPort?: number;
  readonly limits?: LimitsChoice;
  readonly injectLatency?: LatencyFaults;
  readonly injectErrors?: ErrorFaults;
}

export type TargetKind = TargetSpec['kind'];
export type SpecOf<K extends TargetKind> = Extract<TargetSpec, { readonly kind: K }>;

/** What a kind says about itself without its spec's type: enough for flags and text. */
export interface TargetKindTraits {
  readonly kind: TargetKind;
  /** How `--target` help describes it. */
  readonly help: string;
  /** The flags of TargetFlag it takes; the CLI refuses the others. */
  readonly flags: readonly TargetFlag[];
  /**
   * kbench's quota layer may stand in front of it (--limits, --inject-*): the console shows
   * a faults line for it. The real service has its own quotas and faults.
   */
  readonly local: boolean;
  /** SubscribeToShard goes over HTTP/2 unless --efo-http says otherwise (AWS serves it on HTTP/2 only). */
  subscribesOverHttp2(endpoint: string): boolean;
  /** Its spec from the flags it takes (the CLI has refused the others); may throw a UsageError. */
  specFromFlags(flags: TargetFlagValues): TargetSpec;
}

export interface TargetKindModule<K extends TargetKind> extends TargetKindTraits {
  readonly kind: K;
  specFromFlags(flags: TargetFlagValues): SpecOf<K>;
  /** `signal` (Ctrl-C, SIGTERM) ends the first call to the target, however long it waits. */
  open(spec: SpecOf<K>, signal?: AbortSignal): Promise<Target>;
  /** summary.json's options: the target as given, with nothing secret. */
  optionsJson(spec: SpecOf<K>): Record<string, unknown>;
}
