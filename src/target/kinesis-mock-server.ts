/**
 * Child-process entry that runs kinesis-mock (the kinesis-local package). Requiring that
 * package starts the server as a side effect and takes over process.exit and the signal
 * handlers, so it only ever runs here, in a process of its own. As with kinesalite, the
 * parent talks over IPC and the emulator exits when that channel closes. The parent starts
 * this process in its own process group, so a Ctrl-C in the terminal reaches kbench only:
 * kbench stops the emulator after it has deregistered its consumers and deleted its stream.
 */
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';

interface ServerConfig {
  readonly port: number;
  readonly shardLimit: number;
  readonly streamDelayMs: number;
}

const require = createRequire(import.meta.url);
const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
// Kept before kinesis-local replaces process.exit with its own graceful (slow) shutdown.
const hardExit = process.exit.bind(process);

const send = (message: Record<string, unknown>): void => {
  if (process.connected) process.send?.(message);
};
process.on('disconnect', () => hardExit(0));
process.on('message', (message: unknown) => {
  if (message === 'stop') hardExit(0);
});

/** kinesis-local never says which port it bound, so it is given free ones. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Any HTTP answer (an error for an empty request is one) means the server is up. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams' },
        timeout: 1000,
      },
      (response) => {
        response.resume();
        resolve(true);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
    request.end('{}');
  });
}

async function main(): Promise<void> {
  const plainPort = config.port > 0 ? config.port : await freePort();
  const tlsPort = await freePort();
  const delay = `${config.streamDelayMs}ms`;
  Object.assign(process.env, {
    KINESIS_MOCK_PLAIN_PORT: String(plainPort),
    KINESIS_MOCK_TLS_PORT: String(tlsPort),
    KINESIS_MOCK_CERT_PATH: require.resolve('kinesis-local/server.json'),
    SHARD_LIMIT: String(config.shardLimit),
    CREATE_STREAM_DURATION: delay,
    DELETE_STREAM_DURATION: delay,
    REGISTER_STREAM_CONSUMER_DURATION: delay,
    DEREGISTER_STREAM_CONSUMER_DURATION: delay,
    MERGE_SHARDS_DURATION: delay,
    SPLIT_SHARD_DURATION: delay,
    UPDATE_SHARD_COUNT_DURATION: delay,
    LOG_LEVEL: 'ERROR',
  });
  require('kinesis-local/main.js');
  for (;;) {
    if (await answers(plainPort)) {
      send({ type: 'ready', port: plainPort });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  hardExit(1);
});
