/**
 * A TCP server on 127.0.0.1 that accepts every connection and never says a word: the
 * endpoint that hangs a client without timeouts of its own.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SilentEndpoint {
  readonly endpoint: string;
  /** Connections accepted so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

export async function startSilentEndpoint(): Promise<SilentEndpoint> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // Reads whatever comes and answers nothing.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
