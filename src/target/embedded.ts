/**
 * The embedded target's lifecycle: kinesalite in a child process on 127.0.0.1 (with the
 * quota layer in front of it when quotas or faults are emulated), started on demand and
 * stopped at the end of the run, on Ctrl-C, on errors and on kbench's own death.
 */
import { createRequire } from 'node:module';
import type { FaultSpec } from '../scenario/fault-values.js';
import type { ShardQuota } from '../scenario/quota-values.js';
import { startChildServer } from './child-server.js';
import type { LayerStats } from './layer/quota-layer.js';

export interface EmbeddedEmulator {
  readonly name: 'kinesalite';
  readonly version: string;
  /** Where clients go: the quota layer when there is one, else kinesalite itself. */
  readonly endpoint: string;
  readonly port: number;
  /** kinesalite itself, behind the layer: no quotas, no faults (for reading back in tests). */
  readonly emulatorEndpoint: string;
  readonly pid: number;
  readonly shardLimit: number;
  /** Aborted (with the reason as a string) if the emulator dies on its own mid-run. */
  readonly lost: AbortSignal;
  /** What the quota layer has throttled and injected so far (zeros without a layer). */
  layerStats(): Promise<LayerStats>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly shardLimit?: number;
  readonly startTimeoutMs?: number;
  /** How long creating or deleting a stream takes (kinesalite simulates it); default 50 ms. */
  readonly streamDelayMs?: number;
  /** Puts the quota layer in front of the emulator, in its process. */
  readonly layer?: { readonly quota: ShardQuota | null; readonly faults: FaultSpec };
}

/** kinesalite's own default is 10; kbench users size 1-3 shards but matrices go higher. */
export const EMBEDDED_SHARD_LIMIT = 100;

const NO_LAYER_STATS: LayerStats = {
  throttledWriteRecords: 0,
  throttledReadCalls: 0,
  throttledIteratorCalls: 0,
  injected: { internalFailure: 0, serviceUnavailable: 0, connectionReset: 0 },
};

export function kinesaliteVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('kinesalite/package.json') as { version: string }).version;
}

export async function startKinesalite(options: EmbeddedOptions = {}): Promise<EmbeddedEmulator> {
  const shardLimit = options.shardLimit ?? EMBEDDED_SHARD_LIMIT;
  const child = await startChildServer({
    entry: 'kinesalite-server',
    fromUrl: import.meta.url,
    config: {
      port: options.port ?? 0,
      shardLimit,
      streamDelayMs: options.streamDelayMs ?? 50,
      ...(options.layer !== undefined && { layer: options.layer }),
    },
    name: 'the embedded emulator (kinesalite)',
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
  });
  const emulatorPort = typeof child.ready['emulatorPort'] === 'number' ? child.ready['emulatorPort'] : child.port;
  return {
    name: 'kinesalite',
    version: kinesaliteVersion(),
    endpoint: `http://127.0.0.1:${child.port}`,
    port: child.port,
    emulatorEndpoint: `http://127.0.0.1:${emulatorPort}`,
    pid: child.pid,
    shardLimit,
    lost: child.lost,
    layerStats: async () =>
      options.layer === undefined ? NO_LAYER_STATS : ((await child.ask('stats', 'stats'))['stats'] as LayerStats),
    stop: () => child.stop(),
  };
}
