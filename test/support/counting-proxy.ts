/**
 * A pass-through HTTP proxy in front of a real emulator that notes every put the server
 * really received (when, and how many records), optionally after holding each put for a
 * while: a slow target, so a fixed-rate producer falls behind its schedule. What kbench
 * says it sent can then be checked against what actually went over the wire.
 */
import http from 'node:http';
import { actionOf, forward, listenProxy, readBody, type RunningProxy } from './forward.js';

export interface ReceivedPut {
  /** Date.now() when the request arrived. */
  readonly at: number;
  readonly records: number;
}

export interface CountingStats {
  readonly puts: ReceivedPut[];
  /** Set it to true and the proxy reads every request and answers none: the endpoint goes silent. */
  silent: boolean;
}

export function receivedRecords(stats: CountingStats): number {
  return stats.puts.reduce((sum, put) => sum + put.records, 0);
}

export async function startCountingProxy(
  upstream: string,
  options: { readonly putDelayMs?: number } = {},
): Promise<RunningProxy<CountingStats>> {
  const upstreamUrl = new URL(upstream);
  const stats: CountingStats = { puts: [], silent: false };
  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (stats.silent) return;
      const action = actionOf(req);
      if (action === 'PutRecord' || action === 'PutRecords') {
        const records =
          action === 'PutRecord' ? 1 : (JSON.parse(body.toString()) as { Records: unknown[] }).Records.length;
        stats.puts.push({ at: Date.now(), records });
        if (options.putDelayMs) await new Promise((resolve) => setTimeout(resolve, options.putDelayMs));
      }
      const answer = await forward(upstreamUrl, req.headers, req.method ?? 'POST', req.url ?? '/', body);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch {
      res.destroy();
    }
  });
  return listenProxy(server, stats);
}
