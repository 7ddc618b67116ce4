/**
 * Child-process entry that runs the quota layer in front of an endpoint over HTTP (the
 * embedded emulator has the layer in its own process: kinesalite-server.ts), so its work (parsing, forwarding) never
 * shares kbench's event loop, where it would distort the latencies kbench measures. Like
 * the emulator's entry: a "ready" message with the port, "stats" on request, and it exits
 * when the parent's IPC channel closes, so it never outlives kbench.
 */
import { startQuotaLayer, type LayerConfig } from './quota-layer.js';
import { HttpUpstream } from './upstream.js';

const config = JSON.parse(process.argv[2] ?? '{}') as LayerConfig & { readonly upstream: string };

const send = (message: Record<string, unknown>): void => {
  if (process.connected) process.send?.(message);
};

// Ctrl-C reaches the whole process group; the parent stops us once it has cleaned up.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));

startQuotaLayer(config, new HttpUpstream(config.upstream)).then(
  (layer) => {
    process.on('message', (message: unknown) => {
      if (message === 'stop') void layer.close().then(() => process.exit(0));
      else if (message === 'stats') send({ type: 'stats', stats: layer.stats() });
    });
    send({ type: 'ready', port: layer.port });
  },
  (error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
