/**
 * The quota layer: an HTTP server on 127.0.0.1 in front of a Kinesis emulator that makes
 * it behave like the real service. Data calls (PutRecord, PutRecords, GetRecords,
 * GetShardIterator) get the injected faults first, then are metered against per-shard
 * quotas; everything else (CreateStream, ListShards, ...) passes through untouched.
 * The SDK speaks JSON 1.1 and names the call in X-Amz-Target.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { hasFaults, type FaultSpec } from '../../config/fault-values.js';
import type { ShardQuota } from '../../config/quota-values.js';
import { INTERNAL_FAILURE, SERVICE_UNAVAILABLE, type AwsErrorAnswer } from './aws-errors.js';
import { FaultInjector, type CallSide } from './fault-injector.js';
import { MeteredCalls, parseJson, type CallAnswer, type CallIo, type MeterStats } from './metered-calls.js';
import { endToEndHeaders, type Upstream } from './upstream.js';

export interface LayerConfig {
  /** Per-shard quotas; null meters nothing. */
  readonly quota: ShardQuota | null;
  readonly faults: FaultSpec;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface LayerStats extends MeterStats {
  readonly injected: { internalFailure: number; serviceUnavailable: number; connectionReset: number };
}

export interface QuotaLayer {
  readonly port: number;
  stats(): LayerStats;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/x-amz-json-1.1';
const SERVICE_PREFIX = 'Kinesis_20131202.';
const SIDES: Readonly<Record<string, CallSide>> = {
  PutRecord: 'writes',
  PutRecords: 'writes',
  GetRecords: 'reads',
  GetShardIterator: 'reads',
};
/** Calls after which a stream's shards (or the stream itself) may be different. */
const SHARD_CHANGING = new Set(['CreateStream', 'DeleteStream', 'SplitShard', 'MergeShards', 'UpdateShardCount']);

export async function startQuotaLayer(config: LayerConfig, upstream: Upstream): Promise<QuotaLayer> {
  const faults = new FaultInjector(config.faults);
  const metered = config.quota === null ? undefined : new MeteredCalls(config.quota, () => performance.now());
  const injected = { internalFailure: 0, serviceUnavailable: 0, connectionReset: 0 };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(SERVICE_PREFIX) ? target.slice(SERVICE_PREFIX.length) : '';
    const path = req.url ?? '/';
    const side = SIDES[action];
    if (side !== undefined) {
      const delayMs = faults.delayMs(side);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      // Injected faults happen before the emulator sees the call, so nothing is stored.
      switch (faults.error()) {
        case 'internal-failure':
          injected.internalFailure += 1;
          return sendError(res, INTERNAL_FAILURE);
        case 'service-unavailable':
          injected.serviceUnavailable += 1;
          return sendError(res, SERVICE_UNAVAILABLE);
        case 'connection-reset':
          injected.connectionReset += 1;
          req.socket.destroy();
          return;
        case undefined:
          break;
      }
    }
    // CBOR or anything else the layer cannot read is passed on as it is (kbench's SDK
    // client always sends JSON).
    const isJson = String(req.headers['content-type'] ?? '').startsWith(JSON_TYPE);
    if (metered === undefined || !isJson || (side === undefined && !SHARD_CHANGING.has(action))) {
      return relay(res, await upstream.send(path, req.headers, body));
    }
    const input = parseJson<Record<string, unknown>>(body);
    if (input === undefined || typeof input !== 'object' || input === null) {
      return relay(res, await upstream.send(path, req.headers, body));
    }
    const io: CallIo = {
      forward: (replacement) => upstream.send(path, req.headers, replacement ?? body),
      call: (name, callInput) =>
        upstream.send(
          path,
          { ...req.headers, 'x-amz-target': `${SERVICE_PREFIX}${name}` },
          Buffer.from(JSON.stringify(callInput)),
        ),
    };
    let answer: CallAnswer;
    switch (action) {
      case 'PutRecord':
        answer = await metered.putRecord(io, input);
        break;
      case 'PutRecords':
        answer = await metered.putRecords(io, input);
        break;
      case 'GetShardIterator':
        answer = await metered.getShardIterator(io, input);
        break;
      case 'GetRecords':
        answer = await metered.getRecords(io, input);
        break;
      default:
        answer = { kind: 'relay', answer: await io.forward() };
        metered.shardsChanged(input);
    }
    if (answer.kind === 'relay') return relay(res, answer.answer);
    sendJson(res, answer.status, answer.payload, answer.headersFrom?.headers);
  };

  const injecting = hasFaults(config.faults);
  /** True when the layer has nothing to do with this call: no quota and no fault applies. */
  const untouched = (action: string): boolean =>
    SIDES[action] === undefined
      ? metered === undefined || !SHARD_CHANGING.has(action)
      : metered === undefined && !injecting;

  const server = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (upstream.serveDirectly && untouched(target.slice(SERVICE_PREFIX.length))) {
      upstream.serveDirectly(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        // The emulator went away or answered nonsense: the service failing, as the SDK sees it.
        if (!res.headersSent) {
          sendError(res, {
            status: 500,
            body: { __type: 'InternalFailure', message: `kbench quota layer: ${String(error)}` },
          });
        } else {
          res.destroy();
        }
      });
    });
  });
  // The SDK keeps connections open between calls; closing idle ones sooner than it
  // expects makes the next call on them fail with a reset that no fault injected.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    stats: () => ({
      ...(metered?.stats ?? { throttledWriteRecords: 0, throttledReadCalls: 0, throttledIteratorCalls: 0 }),
      injected: { ...injected },
    }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          upstream.close();
          resolve();
        });
      }),
  };
}

function relay(
  res: http.ServerResponse,
  answer: { status: number; headers: http.IncomingHttpHeaders; body: Buffer },
): void {
  res.writeHead(answer.status, { ...endToEndHeaders(answer.headers), 'content-length': answer.body.length });
  res.end(answer.body);
}

function sendError(res: http.ServerResponse, error: AwsErrorAnswer): void {
  sendJson(res, error.status, error.body);
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  payload: unknown,
  headersFrom?: http.IncomingHttpHeaders,
): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    ...(headersFrom ? endToEndHeaders(headersFrom) : { 'x-amzn-requestid': randomUUID() }),
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
