/**
 * A pass-through HTTP proxy in front of a real emulator that answers chosen GetRecords
 * calls the way Kinesis does when a consumer reads too often or too late: HTTP 400
 * ProvisionedThroughputExceededException, or HTTP 400 ExpiredIteratorException (the
 * emulators only expire an iterator after 5 real minutes and never throttle), or as it
 * does when a consumer lacks permission (HTTP 400 AccessDeniedException). It can also
 * lose records, to prove that missing records are reported. Everything else is forwarded.
 */
import http from 'node:http';
import { actionOf, forward, listenProxy, readBody, sendJson } from './forward.js';

/** What to do with the n-th GetRecords call (from 1). */
export type ReadFault = 'throttle' | 'expire' | 'deny' | 'forward';

export interface ReadFaultOptions {
  readonly fault: (call: number) => ReadFault;
  /** Drop this many records from the first answers that carry records (they are lost). */
  readonly dropRecords?: number;
}

export interface ReadFaultProxy {
  readonly endpoint: string;
  /** recordsRead: records in the GetRecords answers forwarded so far. */
  readonly stats: {
    getRecords: number;
    throttled: number;
    expired: number;
    denied: number;
    dropped: number;
    recordsRead: number;
  };
  close(): Promise<void>;
}

export async function startReadFaultProxy(upstream: string, options: ReadFaultOptions): Promise<ReadFaultProxy> {
  const upstreamUrl = new URL(upstream);
  const stats = { getRecords: 0, throttled: 0, expired: 0, denied: 0, dropped: 0, recordsRead: 0 };
  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (actionOf(req) === 'GetRecords') {
        stats.getRecords += 1;
        const fault = options.fault(stats.getRecords);
        if (fault === 'throttle') {
          stats.throttled += 1;
          sendJson(res, 400, {
            __type: 'ProvisionedThroughputExceededException',
            message: 'Rate exceeded for Shard - shardId-000000000000 in stream kbench under account 000000000000.',
          });
          return;
        }
        if (fault === 'expire') {
          stats.expired += 1;
          sendJson(res, 400, {
            __type: 'ExpiredIteratorException',
            message:
              'Iterator expired. The iterator was created at time Thu Nov 28 05:00:00 UTC 2026 while right now it is ' +
              'Thu Nov 28 05:05:01 UTC 2026 which is further in the future than the tolerated delay of 300000 milliseconds.',
          });
          return;
        }
        if (fault === 'deny') {
          stats.denied += 1;
          sendJson(res, 400, {
            __type: 'AccessDeniedException',
            message: 'User: arn:aws:iam::000000000000:user/kbench is not authorized to perform: kinesis:GetRecords',
          });
          return;
        }
        if ((options.dropRecords ?? 0) > stats.dropped) {
          const answer = await forward(upstreamUrl, req.headers, 'POST', req.url ?? '/', body);
          const parsed = JSON.parse(answer.body.toString()) as { Records?: unknown[] };
          const drop = Math.min((options.dropRecords ?? 0) - stats.dropped, parsed.Records?.length ?? 0);
          stats.dropped += drop;
          stats.recordsRead += (parsed.Records?.length ?? 0) - drop;
          sendJson(res, answer.status, { ...parsed, Records: (parsed.Records ?? []).slice(drop) });
          return;
        }
      }
      const answer = await forward(upstreamUrl, req.headers, req.method ?? 'POST', req.url ?? '/', body);
      if (actionOf(req) === 'GetRecords' && answer.status === 200) {
        stats.recordsRead += (JSON.parse(answer.body.toString()) as { Records?: unknown[] }).Records?.length ?? 0;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (error) {
      sendJson(res, 500, { __type: 'InternalFailure', message: String(error) });
    }
  });
  return listenProxy(server, stats);
}
