/**
 * A pass-through HTTP proxy in front of kinesis-mock that ends every SubscribeToShard
 * answer after `cutAfterMs`, cleanly, between two event-stream messages: what the service
 * does when a subscription reaches its 5-minute limit, without waiting 5 minutes. Every
 * other request, and the subscription's events until the cut, pass through unchanged.
 */
import http from 'node:http';
import { actionOf, forward, listenProxy, readBody, sendJson } from './forward.js';

export interface SubscriptionCuttingProxy {
  readonly endpoint: string;
  readonly stats: { subscriptions: number; cut: number };
  close(): Promise<void>;
}

export async function startSubscriptionCuttingProxy(
  upstream: string,
  cutAfterMs: number,
): Promise<SubscriptionCuttingProxy> {
  const upstreamUrl = new URL(upstream);
  const stats = { subscriptions: 0, cut: 0 };
  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (actionOf(req) !== 'SubscribeToShard') {
        const answer = await forward(upstreamUrl, req.headers, req.method ?? 'POST', req.url ?? '/', body);
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      }
      stats.subscriptions += 1;
      relaySubscription(upstreamUrl, req, body, res, cutAfterMs, () => (stats.cut += 1));
    } catch (error) {
      sendJson(res, 500, { __type: 'InternalFailure', message: String(error) });
    }
  });
  return listenProxy(server, stats);
}

/** Streams the subscription's events through, and ends the answer at the first message boundary after the cut time. */
function relaySubscription(
  upstream: URL,
  req: http.IncomingMessage,
  body: Buffer,
  res: http.ServerResponse,
  cutAfterMs: number,
  onCut: () => void,
): void {
  const started = Date.now();
  const request = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: 'POST',
      path: req.url ?? '/',
      headers: { ...req.headers, 'content-length': String(body.length) },
    },
    (response) => {
      const headers = { ...response.headers };
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      res.writeHead(response.statusCode ?? 500, headers);
      if (response.statusCode !== 200) {
        response.pipe(res);
        return;
      }
      // An event-stream message starts with its total length (4 bytes, big-endian).
      let pending = Buffer.alloc(0);
      let ended = false;
      response.on('data', (chunk: Buffer) => {
        if (ended) return;
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
          const length = pending.readUInt32BE(0);
          res.write(pending.subarray(0, length));
          pending = pending.subarray(length);
          if (Date.now() - started >= cutAfterMs) {
            ended = true;
            onCut();
            res.end();
            request.destroy();
            return;
          }
        }
      });
      response.on('end', () => {
        if (!ended) res.end();
      });
      response.on('error', () => res.destroy());
    },
  );
  request.on('error', () => res.destroy());
  res.on('close', () => request.destroy());
  request.end(body);
}
