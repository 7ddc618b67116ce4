/**
 * The data-path client kinds (`--client`) by name. Adding a kind: its name in ClientKind
 * (data-plane.ts), a DataPlane beside these, and a line here.
 */
import type { ClientSettings } from '../target/client.js';
import type { ClientKind } from '../config/client-kind.js';
import type { DataPlane } from './data-plane.js';
import { LeanDataPlane } from './lean-data-plane.js';
import { SdkDataPlane } from './sdk-data-plane.js';

export interface ClientKindModule {
  /** How `--client` help describes it. */
  readonly help: string;
  create(settings: ClientSettings): DataPlane;
}

export const CLIENT_KIND_MODULES: { readonly [K in ClientKind]: ClientKindModule } = {
  lean: { help: 'lean (plain signed HTTP, low CPU)', create: (settings) => new LeanDataPlane(settings) },
  sdk: {
    help: 'sdk (the AWS SDK, as an SDK-based application sees it)',
    create: (settings) => new SdkDataPlane(settings),
  },
};

export function createDataPlane(kind: ClientKind, settings: ClientSettings): DataPlane {
  return CLIENT_KIND_MODULES[kind].create(settings);
}
