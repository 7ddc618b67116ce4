/**
 * The embedded target's lifecycle: an emulator (kinesalite, or kinesis-mock for enhanced
 * fan-out) in a child process on 127.0.0.1, with the quota layer in front of it when
 * quotas or faults are emulated, started on demand and stopped at the end of the run, on
 * Ctrl-C, on errors and on kbench's own death.
 */
import { createRequire } from 'node:module';
import type { FaultSpec } from '../config/fault-values.js';
import type { ShardQuota } from '../config/quota-values.js';
import type { EmulatorName } from '../config/target-spec.js';
import { startChildServer } from './child-server.js';
import type { LayerStats } from './layer/quota-layer.js';
import { startQuotaLayerProcess } from './quota-layer-process.js';

export interface EmbeddedEmulator {
  readonly name: EmulatorName;
  readonly version: string;
  /** Where clients go: the quota layer when there is one, else the emulator itself. */
  readonly endpoint: string;
  readonly port: number;
  /** The emulator itself, behind the layer: no quotas, no faults (for reading back in tests). */
  readonly emulatorEndpoint: string;
  readonly pid: number;
  readonly shardLimit: number;
  /** RegisterStreamConsumer and SubscribeToShard: kinesis-mock has them, kinesalite not. */
  readonly enhancedFanOut: boolean;
  /** Aborted (with the reason as a string) if the emulator (or its layer) dies on its own mid-run. */
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
  /** Puts the quota layer in front of the emulator. */
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
  return packageVersion('kinesalite');
}

function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** How each emulator is started: its child entry, and its package for the version. */
const CHILDREN: Readonly<Record<EmulatorName, { entry: string; packageName: string; enhancedFanOut: boolean }>> = {
  kinesalite: { entry: 'kinesalite-server', packageName: 'kinesalite', enhancedFanOut: false },
  // The npm package kinesis-local is kinesis-mock compiled to JavaScript.
  'kinesis-mock': { entry: 'kinesis-mock-server', packageName: 'kinesis-local', enhancedFanOut: true },
};

export function startKinesalite(options: EmbeddedOptions = {}): Promise<EmbeddedEmulator> {
  return startEmulator('kinesalite', options);
}

export async function startEmulator(name: EmulatorName, options: EmbeddedOptions = {}): Promise<EmbeddedEmulator> {
  const shardLimit = options.shardLimit ?? EMBEDDED_SHARD_LIMIT;
  const spec = CHILDREN[name];
  // kinesalite is Node.js: the layer runs in its process and calls its request handler.
  // kinesis-mock is not: the layer runs in a process of its own in front of it.
  const layerInside = name === 'kinesalite' ? options.layer : undefined;
  const child = await startChildServer({
    entry: spec.entry,
    fromUrl: import.meta.url,
    config: {
      port: layerInside === undefined && options.layer !== undefined ? 0 : (options.port ?? 0),
      shardLimit,
      streamDelayMs: options.streamDelayMs ?? 50,
      ...(layerInside !== undefined && { layer: layerInside }),
    },
    name: `the embedded emulator (${name})`,
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
    // kinesis-mock exits on SIGINT by itself: in a process group of its own, a Ctrl-C in
    // the terminal does not reach it, and kbench stops it after cleaning up.
    detached: name === 'kinesis-mock',
  });
  const emulatorPort = typeof child.ready['emulatorPort'] === 'number' ? child.ready['emulatorPort'] : child.port;
  const base = {
    name,
    version: packageVersion(spec.packageName),
    emulatorEndpoint: `http://127.0.0.1:${emulatorPort}`,
    pid: child.pid,
    shardLimit,
    enhancedFanOut: spec.enhancedFanOut,
  };
  if (options.layer === undefined || layerInside !== undefined) {
    return {
      ...base,
      endpoint: `http://127.0.0.1:${child.port}`,
      port: child.port,
      lost: child.lost,
      layerStats: async () =>
        layerInside === undefined ? NO_LAYER_STATS : ((await child.ask('stats', 'stats'))['stats'] as LayerStats),
      stop: () => child.stop(),
    };
  }
  const layer = await startQuotaLayerProcess({
    upstream: base.emulatorEndpoint,
    ...options.layer,
    ...(options.port !== undefined && { port: options.port }),
  }).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });
  const port = Number(new URL(layer.endpoint).port);
  return {
    ...base,
    endpoint: layer.endpoint,
    port,
    lost: AbortSignal.any([child.lost, layer.lost]),
    layerStats: () => layer.stats(),
    stop: async () => {
      await layer.stop();
      await child.stop();
    },
  };
}
