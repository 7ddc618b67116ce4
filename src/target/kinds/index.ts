/**
 * The target kinds by name. Adding a kind: a module beside these implementing
 * TargetKindModule, its spec in TargetSpec (target.ts), and a line here; a flag of its own
 * also goes into TargetFlag (kind.ts) and the CLI (addTargetFlags, KIND_FLAGS).
 */
import { isAwsHost, type Target } from '../target.js';
import { awsTarget } from './aws.js';
import { embeddedTarget } from './embedded.js';
import { endpointTarget } from './endpoint.js';
import type { SpecOf, TargetKind, TargetKindModule, TargetKindTraits } from './kind.js';

/** In the order `--target` lists them. */
export const TARGET_KINDS: { readonly [K in TargetKind]: TargetKindModule<K> } = {
  embedded: embeddedTarget,
  aws: awsTarget,
  endpoint: endpointTarget,
};

export const TARGET_KIND_NAMES = Object.keys(TARGET_KINDS) as TargetKind[];

/** `signal` (Ctrl-C, SIGTERM) ends the first call to the target, however long it waits. */
export function openTarget<K extends TargetKind>(spec: SpecOf<K>, signal?: AbortSignal): Promise<Target> {
  const kind: TargetKindModule<K> = TARGET_KINDS[spec.kind];
  return kind.open(spec, signal);
}

export function targetOptionsJson<K extends TargetKind>(spec: SpecOf<K>): Record<string, unknown> {
  const kind: TargetKindModule<K> = TARGET_KINDS[spec.kind];
  return kind.optionsJson(spec);
}

/**
 * kbench's quota layer may stand in front of targets of this kind (as summary.json names
 * it); a kind this version does not know is taken for a local one.
 */
export function isLocalKind(kind: string): boolean {
  return traitsOf(kind)?.local !== false;
}

/**
 * Whether a target (as summary.json names it) took subscriptions over HTTP/2 by default;
 * an unknown kind does when its endpoint is AWS's.
 */
export function subscribesOverHttp2(kind: string, endpoint: string): boolean {
  return traitsOf(kind)?.subscribesOverHttp2(endpoint) ?? isAwsHost(new URL(endpoint));
}

function traitsOf(kind: string): TargetKindTraits | undefined {
  return (TARGET_KINDS as Partial<Record<string, TargetKindTraits>>)[kind];
}
