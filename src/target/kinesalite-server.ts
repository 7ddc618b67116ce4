/**
 * Child-process entry that runs kinesalite. It lives in its own process so the emulator's
 * CPU work never shares kbench's event loop (it would distort the latencies kbench measures).
 * The parent talks to it over the IPC channel; when that channel closes (the parent exited,
 * crashed or was killed) the emulator exits too, so it never outlives kbench.
 */
import { createRequire } from 'node:module';

interface ServerConfig {
  readonly port: number;
  readonly shardLimit: number;
  readonly streamDelayMs: number;
}

interface Kinesalite {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  address(): { port: number } | string | null;
  close(callback: () => void): void;
}

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Kinesalite;
const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;

const send = (message: Record<string, unknown>): void => {
  if (process.connected) process.send?.(message);
};

// Ctrl-C in a terminal signals the whole process group; the parent decides when to stop
// us, after it has drained in-flight requests and deleted its stream.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  if (message === 'stop') server.close(() => process.exit(0));
});

const server = kinesalite({
  createStreamMs: config.streamDelayMs,
  deleteStreamMs: config.streamDelayMs,
  updateStreamMs: config.streamDelayMs,
  shardLimit: config.shardLimit,
});
server.on('error', (error) => {
  send({ type: 'error', message: error.message });
  process.exit(1);
});
server.listen(config.port, '127.0.0.1', (error) => {
  if (error) {
    send({ type: 'error', message: error.message });
    process.exit(1);
  }
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : config.port });
});
