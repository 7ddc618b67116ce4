/**
 * An HTTP/2 front (h2c: HTTP/2 without TLS, prior knowledge) in front of kinesis-mock's
 * HTTP/1.1 port, so that kbench's enhanced fan-out consumer runs over the same HTTP/2
 * handler it uses against AWS, where SubscribeToShard is HTTP/2 only. kinesis-mock itself
 * fails on HTTP/2. kbench's other calls (HTTP/1.1) share the port: a connection that
 * opens with the HTTP/2 preface goes to the HTTP/2 server, any other to a plain HTTP/1.1
 * relay. Every request is forwarded as is; a SubscribeToShard answer over HTTP/2 streams
 * through one event-stream message at a time, so that the front can cut a subscription:
 * cleanly between two messages (what the service does at the 5-minute limit), or with an
 * RST_STREAM (a subscription that breaks).
 */
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';

export type CutMode = 'end' | 'reset';

export interface H2cFrontOptions {
  /** Cut every subscription this long after it started. */
  readonly cutAfterMs?: number;
  readonly cutMode?: CutMode;
}

export interface H2cFront {
  readonly endpoint: string;
  readonly stats: {
    /** HTTP/2 sessions (connections) opened to the front. */
    sessions: number;
    /** HTTP/2 requests of any action, SubscribeToShard included. */
    requests: number;
    /** SubscribeToShard answered over HTTP/2. */
    subscriptions: number;
    /** Requests that came over HTTP/1.1, and the SubscribeToShard ones among them. */
    http1Requests: number;
    http1Subscriptions: number;
    cut: number;
    /** Actions seen, each once. */
    actions: Set<string>;
  };
  /** Cuts every open subscription now; returns how many. */
  cutAll(mode: CutMode): number;
  close(): Promise<void>;
}

/** How every HTTP/2 connection starts (RFC 9113, 3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** HTTP/1.1 connection headers have no place in an HTTP/2 answer. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

export async function startH2cFront(upstream: string, options: H2cFrontOptions = {}): Promise<H2cFront> {
  const upstreamUrl = new URL(upstream);
  const stats: H2cFront['stats'] = {
    sessions: 0,
    requests: 0,
    subscriptions: 0,
    http1Requests: 0,
    http1Subscriptions: 0,
    cut: 0,
    actions: new Set(),
  };
  const open = new Set<(mode: CutMode) => void>();
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    stats.sessions += 1;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    stats.requests += 1;
    const action = String(headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    stats.actions.add(action);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', () => undefined);
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const forwarded: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(headers)) {
        if (!name.startsWith(':') && value !== undefined) forwarded[name] = value;
      }
      forwarded['host'] = upstreamUrl.host;
      forwarded['content-length'] = String(body.length);
      const request = http.request(
        {
          host: upstreamUrl.hostname,
          port: upstreamUrl.port,
          method: String(headers[':method'] ?? 'POST'),
          path: String(headers[':path'] ?? '/'),
          headers: forwarded,
        },
        (response) => {
          if (stream.destroyed) {
            request.destroy();
            return;
          }
          const answerHeaders: http2.OutgoingHttpHeaders = { ':status': response.statusCode ?? 502 };
          for (const [name, value] of Object.entries(response.headers)) {
            if (!HOP_BY_HOP.has(name) && value !== undefined) answerHeaders[name] = value;
          }
          stream.respond(answerHeaders);
          if (action !== 'SubscribeToShard' || response.statusCode !== 200) {
            response.pipe(stream);
            return;
          }
          stats.subscriptions += 1;
          relayEvents(response, stream, request, open, options, () => (stats.cut += 1));
        },
      );
      request.on('error', () => {
        if (!stream.destroyed) stream.destroy(new Error('upstream failed'));
      });
      stream.on('close', () => request.destroy());
      request.end(body);
    });
  });
  const http1 = http.createServer((req, res) => {
    stats.http1Requests += 1;
    if (String(req.headers['x-amz-target'] ?? '').endsWith('.SubscribeToShard')) stats.http1Subscriptions += 1;
    const request = http.request(
      {
        host: upstreamUrl.hostname,
        port: upstreamUrl.port,
        method: req.method ?? 'POST',
        path: req.url ?? '/',
        headers: req.headers,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    request.on('error', () => res.destroy());
    res.on('close', () => request.destroy());
    req.pipe(request);
  });
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('readable', () => {
      const head: Buffer | null = socket.read(Math.min(PREFACE.length, socket.readableLength)) ?? socket.read();
      if (head === null) return;
      socket.unshift(head);
      (PREFACE.subarray(0, head.length).equals(head) ? server : http1).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    cutAll: (mode) => {
      const count = open.size;
      for (const cut of [...open]) cut(mode);
      return count;
    },
    close: () =>
      new Promise((resolve) => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        listener.close(() => resolve());
      }),
  };
}

/** Passes event-stream messages through whole, until the answer ends or is cut. */
function relayEvents(
  response: http.IncomingMessage,
  stream: http2.ServerHttp2Stream,
  request: http.ClientRequest,
  open: Set<(mode: CutMode) => void>,
  options: H2cFrontOptions,
  onCut: () => void,
): void {
  let pending = Buffer.alloc(0);
  let ended = false;
  const cut = (mode: CutMode): void => {
    if (ended) return;
    ended = true;
    open.delete(cut);
    onCut();
    request.destroy();
    if (stream.destroyed) return;
    if (mode === 'end') stream.end();
    // Not stream.close(code): on an answer still being written it ends the stream cleanly
    // first. Destroying it with an error sends RST_STREAM INTERNAL_ERROR at once.
    else stream.destroy(new Error('subscription cut'));
  };
  open.add(cut);
  // A timed cut waits for the next message boundary, so a clean end never splits a message.
  let pendingCut = false;
  const timer =
    options.cutAfterMs !== undefined ? setTimeout(() => (pendingCut = true), options.cutAfterMs) : undefined;
  response.on('data', (chunk: Buffer) => {
    if (ended) return;
    pending = Buffer.concat([pending, chunk]);
    // An event-stream message starts with its total length (4 bytes, big-endian).
    while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      stream.write(pending.subarray(0, length));
      pending = pending.subarray(length);
      if (pendingCut) {
        cut(options.cutMode ?? 'end');
        return;
      }
    }
  });
  const finish = (): void => {
    clearTimeout(timer);
    open.delete(cut);
    if (!ended && !stream.destroyed) stream.end();
    ended = true;
  };
  response.on('end', finish);
  response.on('error', () => {
    clearTimeout(timer);
    open.delete(cut);
    if (!stream.destroyed) stream.destroy(new Error('upstream failed'));
  });
  stream.on('close', () => {
    clearTimeout(timer);
    open.delete(cut);
  });
}
