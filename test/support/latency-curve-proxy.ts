/**
 * A Kinesis endpoint with a known put latency curve: a proxy in front of an emulator
 * that holds each PutRecord(s) answer for `msPerRequestPerS` ms per put request it
 * received in the last second, so latency rises with the request rate (at 50 requests/s
 * and 1 ms each, 50 ms). For testing --find-max's latency criterion.
 */
import http from 'node:http';
import { actionOf, forward, listenProxy, readBody, type RunningProxy } from './forward.js';

export interface LatencyCurveStats {
  puts: number;
}

export async function startLatencyCurveProxy(
  upstream: string,
  msPerRequestPerS: number,
): Promise<RunningProxy<LatencyCurveStats>> {
  const target = new URL(upstream);
  const stats: LatencyCurveStats = { puts: 0 };
  const recent: number[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const action = actionOf(req);
      if (action === 'PutRecord' || action === 'PutRecords') {
        stats.puts += 1;
        const now = Date.now();
        recent.push(now);
        while (recent.length > 0 && (recent[0] ?? now) < now - 1000) recent.shift();
        await new Promise((resolve) => setTimeout(resolve, recent.length * msPerRequestPerS));
      }
      const answer = await forward(target, req.headers, req.method ?? 'POST', req.url ?? '/', body);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch(() => {
      res.destroy();
    });
  });
  return listenProxy(server, stats);
}
