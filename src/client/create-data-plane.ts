/** The data-path client a producer uses, by kind (`--client`). */
import type { ClientSettings } from '../target/client.js';
import type { ClientKind } from '../config/client-kind.js';
import type { DataPlane } from './data-plane.js';
import { LeanDataPlane } from './lean-data-plane.js';
import { SdkDataPlane } from './sdk-data-plane.js';

export function createDataPlane(kind: ClientKind, settings: ClientSettings): DataPlane {
  return kind === 'lean' ? new LeanDataPlane(settings) : new SdkDataPlane(settings);
}
