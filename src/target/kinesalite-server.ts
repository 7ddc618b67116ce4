/**
 * Child-process entry that runs kinesalite, and the quota layer in front of it when the
 * run emulates service quotas or faults. It lives in its own process so the emulator's
 * CPU work never shares kbench's event loop (it would distort the latencies kbench
 * measures). The layer shares the emulator's process and calls its request handler
 * directly: no second process competing for the CPU, no second HTTP round trip.
 * The parent talks to it over the IPC channel; when that channel closes (the parent
 * exited, crashed or was killed) the emulator exits too, so it never outlives kbench.
 */
import type http from 'node:http';
import { createRequire } from 'node:module';
import type { FaultSpec } from '../config/fault-values.js';
import type { ShardQuota } from '../config/quota-values.js';
import { InProcessUpstream, type RequestHandler } from './layer/in-process-upstream.js';
import { startQuotaLayer, type QuotaLayer } from './layer/quota-layer.js';

interface ServerConfig {
  readonly port: number;
  readonly shardLimit: number;
  readonly streamDelayMs: number;
  /** When set, `port` is the layer's, and kinesalite itself listens on a free port. */
  readonly layer?: { readonly quota: ShardQuota | null; readonly faults: FaultSpec };
}

interface Kinesalite extends http.Server {
  close(callback?: (error?: Error) => void): this;
}

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Kinesalite;
const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;

const send = (message: Record<string, unknown>): void => {
  if (process.connected) process.send?.(message);
};
const fail = (error: Error): never => {
  send({ type: 'error', message: error.message });
  process.exit(1);
};

const server = kinesalite({
  createStreamMs: config.streamDelayMs,
  deleteStreamMs: config.streamDelayMs,
  updateStreamMs: config.streamDelayMs,
  shardLimit: config.shardLimit,
});
let layer: QuotaLayer | undefined;

// Ctrl-C in a terminal signals the whole process group; the parent decides when to stop
// us, after it has drained in-flight requests and deleted its stream.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  if (message === 'stop') void (layer?.close() ?? Promise.resolve()).then(() => server.close(() => process.exit(0)));
  else if (message === 'stats' && layer) send({ type: 'stats', stats: layer.stats() });
});

server.on('error', fail);
const kinesalitePort = config.layer ? 0 : config.port;
server.listen(kinesalitePort, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : kinesalitePort;
  if (!config.layer) {
    send({ type: 'ready', port });
    return;
  }
  const handler = server.listeners('request')[0] as RequestHandler;
  startQuotaLayer(
    { quota: config.layer.quota, faults: config.layer.faults, port: config.port },
    new InProcessUpstream(handler),
  ).then((started) => {
    layer = started;
    send({ type: 'ready', port: started.port, emulatorPort: port });
  }, fail);
});
