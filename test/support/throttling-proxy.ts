/**
 * A pass-through HTTP proxy in front of a real emulator that answers the first attempt of
 * every other record with Kinesis's real throttling shapes: HTTP 400
 * ProvisionedThroughputExceededException for PutRecord, and per-record ErrorCode inside a
 * 200 PutRecords answer (the rest of the batch is forwarded and stored). The emulators
 * never throttle, so this is how tests drive kbench's retry path through the real SDK.
 */
import http from 'node:http';
import { actionOf, forward as forwardTo, listenProxy, readBody, sendJson } from './forward.js';

const THROTTLED = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream kbench under account 000000000000.',
};

export interface ThrottlingProxy {
  readonly endpoint: string;
  readonly stats: { throttledRecords: number };
  close(): Promise<void>;
}

export async function startThrottlingProxy(upstream: string): Promise<ThrottlingProxy> {
  const upstreamUrl = new URL(upstream);
  const seen = new Set<string>();
  let counter = 0;
  const stats = { throttledRecords: 0 };
  const forward = (headers: http.IncomingHttpHeaders, method: string, url: string, body: Buffer) =>
    forwardTo(upstreamUrl, headers, method, url, body);
  /** True when this record's first attempt should be throttled. */
  const throttleFirstAttempt = (data: string): boolean => {
    if (seen.has(data)) return false;
    seen.add(data);
    return counter++ % 2 === 0;
  };

  const server = http.createServer(async (req, res) => {
    const send = (status: number, payload: unknown): void => sendJson(res, status, payload);
    try {
      const body = await readBody(req);
      const action = actionOf(req);
      if (action === 'PutRecord') {
        const input = JSON.parse(body.toString()) as { Data: string };
        if (throttleFirstAttempt(input.Data)) {
          stats.throttledRecords += 1;
          send(400, { __type: 'ProvisionedThroughputExceededException', message: THROTTLED.ErrorMessage });
          return;
        }
      }
      if (action === 'PutRecords') {
        const input = JSON.parse(body.toString()) as { StreamName: string; Records: Array<{ Data: string }> };
        const throttled = input.Records.map((r) => throttleFirstAttempt(r.Data));
        const passed = input.Records.filter((_, i) => !throttled[i]);
        let upstreamResults: unknown[] = [];
        if (passed.length > 0) {
          const answer = await forward(
            req.headers,
            'POST',
            req.url ?? '/',
            Buffer.from(JSON.stringify({ ...input, Records: passed })),
          );
          if (answer.status !== 200) {
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body);
            return;
          }
          upstreamResults = (JSON.parse(answer.body.toString()) as { Records: unknown[] }).Records;
        }
        let next = 0;
        const results = throttled.map((t) => (t ? THROTTLED : upstreamResults[next++]));
        const failed = throttled.filter(Boolean).length;
        stats.throttledRecords += failed;
        send(200, { FailedRecordCount: failed, Records: results });
        return;
      }
      const answer = await forward(req.headers, req.method ?? 'POST', req.url ?? '/', body);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (error) {
      send(500, { __type: 'InternalFailure', message: String(error) });
    }
  });
  return listenProxy(server, stats);
}
