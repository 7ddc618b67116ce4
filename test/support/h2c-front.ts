/**
 * An HTTP/2 front (h2c: HTTP/2 without TLS, prior knowledge) in front of kinesis-mock's
 * HTTP/1.1 port, so that kbench's enhanced fan-out consumer runs over the same HTTP/2
 * handler it uses against AWS, where SubscribeToShard is HTTP/2 only. kinesis-mock itself
 * fails on HTTP/2. Every request is forwarded as is; a SubscribeToShard answer streams
 * through one event-stream message at a time, so that the front can cut a subscription:
 * cleanly between two messages (what the service does at the 5-minute limit), or with an
 * RST_STREAM (a subscription that breaks).
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

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
    /** Requests of any action, SubscribeToShard included. */
    requests: number;
    subscriptions: number;
    cut: number;
    /** Actions seen, each once. */
    actions: Set<string>;
  };
  /** Cuts every open subscription now; returns how many. */
  cutAll(mode: CutMode): number;
  close(): Promise<void>;
}

/** HTTP/1.1 connection headers have no place in an HTTP/2 answer. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export async function startH2cFront(upstream: string, options: H2cFrontOptions = {}): Promise<H2cFront> {
  const upstreamUrl = new URL(upstream);
  const stats: H2cFront['stats'] = { sessions: 0, requests: 0, subscriptions: 0, cut: 0, actions: new Set() };
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
        { host: upstreamUrl.hostname, port: upstreamUrl.port, method: String(headers[':method'] ?? 'POST'), path: String(headers[':path'] ?? '/'), headers: forwarded },
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
        if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      });
      stream.on('close', () => request.destroy());
      request.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
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
        server.close(() => resolve());
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
    else stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  };
  open.add(cut);
  // A timed cut waits for the next message boundary, so a clean end never splits a message.
  let pendingCut = false;
  const timer = options.cutAfterMs !== undefined ? setTimeout(() => (pendingCut = true), options.cutAfterMs) : undefined;
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
    if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  });
  stream.on('close', () => {
    clearTimeout(timer);
    open.delete(cut);
  });
}
