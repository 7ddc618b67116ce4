/**
 * Starts the quota layer (layer/quota-layer.ts) in a child process of its own in front of
 * an emulator or endpoint, and stops it with the run.
 */
import type { FaultSpec } from '../config/fault-values.js';
import type { ShardQuota } from '../config/quota-values.js';
import { startChildServer } from './child-server.js';
import type { LayerConfig, LayerStats } from './layer/quota-layer.js';

export interface QuotaLayerProcess {
  readonly endpoint: string;
  readonly pid: number;
  /** Aborted if the layer dies on its own mid-run. */
  readonly lost: AbortSignal;
  /** What the layer has throttled and injected so far. */
  stats(): Promise<LayerStats>;
  stop(): Promise<void>;
}

export interface QuotaLayerOptions {
  readonly upstream: string;
  readonly quota: ShardQuota | null;
  readonly faults: FaultSpec;
  readonly port?: number;
}

export async function startQuotaLayerProcess(options: QuotaLayerOptions): Promise<QuotaLayerProcess> {
  const config: LayerConfig & { upstream: string } = {
    upstream: options.upstream,
    quota: options.quota,
    faults: options.faults,
    port: options.port ?? 0,
  };
  const child = await startChildServer({
    entry: 'layer/layer-server',
    fromUrl: import.meta.url,
    config,
    name: "kbench's quota layer",
    startTimeoutMs: 15_000,
  });
  return {
    endpoint: `http://127.0.0.1:${child.port}`,
    pid: child.pid,
    lost: child.lost,
    stats: async () => (await child.ask('stats', 'stats'))['stats'] as LayerStats,
    stop: () => child.stop(),
  };
}
