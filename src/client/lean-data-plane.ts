/**
 * The lean data path (`--client lean`, the default): PutRecord and PutRecords as plain
 * HTTP requests in the Kinesis JSON 1.1 protocol on a keep-alive connection pool, signed
 * by the SDK's own SigV4 signer. The SDK's generic pipeline (middleware, endpoint rules
 * per request, schema serde) costs several times the CPU of the request itself, which on
 * a small machine made kbench measure itself instead of the stream.
 *
 * Fairness with the SDK path: the same endpoint and credentials (resolved by an SDK client
 * built from the same settings), the same maxSockets, no retries, the same timeouts.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { KbenchTimeoutError } from '../errors/timeout-errors.js';
import { TIMEOUTS, createKinesisClient, type ClientSettings } from '../target/client.js';
import { CredentialsCache, type CredentialsProvider } from './credentials-cache.js';
import type { DataPlane, DataPlaneEntry, PutRecordResult, PutRecordsResult } from './data-plane.js';
import {
  CONTENT_TYPE,
  TARGET_PREFIX,
  parsePutRecord,
  parsePutRecords,
  putRecordBody,
  putRecordsBody,
  serviceError,
} from './kinesis-json.js';
import { resolveDataEndpoint, type ResolvedEndpoint } from './sdk-endpoint.js';

/** What requests need once the endpoint is known. */
interface Route {
  readonly endpoint: ResolvedEndpoint;
  readonly transport: typeof http | typeof https;
  readonly agent: http.Agent;
  readonly hostHeader: string;
  readonly port: number | undefined;
  readonly signer: SignatureV4;
}

export class LeanDataPlane implements DataPlane {
  readonly kind = 'lean' as const;
  /** Resolves endpoint and credentials only; it sends nothing. */
  private readonly sdk: KinesisClient;
  private readonly ready: Promise<Route>;
  private route: Route | undefined;
  private destroyed = false;

  constructor(private readonly settings: ClientSettings) {
    this.sdk = createKinesisClient({ ...settings, maxSockets: 1 });
    this.ready = this.resolve();
    // A failure surfaces on the first request; keep it from being an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  putRecord(streamName: string, entry: DataPlaneEntry): Promise<PutRecordResult> {
    return this.call('PutRecord', putRecordBody(streamName, entry)).then(parsePutRecord);
  }

  putRecords(streamName: string, entries: readonly DataPlaneEntry[]): Promise<PutRecordsResult> {
    return this.call('PutRecords', putRecordsBody(streamName, entries)).then(parsePutRecords);
  }

  destroy(): void {
    this.destroyed = true;
    this.route?.agent.destroy();
    this.sdk.destroy();
  }

  private async resolve(): Promise<Route> {
    const endpoint = await resolveDataEndpoint(this.sdk);
    const secure = endpoint.url.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: this.settings.maxSockets };
    const provider = this.sdk.config.credentials as unknown as CredentialsProvider;
    const credentials = new CredentialsCache(provider);
    const route: Route = {
      endpoint,
      transport: secure ? https : http,
      agent: secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions),
      hostHeader: endpoint.url.host,
      port: endpoint.url.port === '' ? undefined : Number(endpoint.url.port),
      signer: new SignatureV4({
        credentials: () => credentials.get(),
        region: endpoint.signingRegion,
        service: endpoint.signingName,
        sha256: Sha256,
        uriEscapePath: true,
      }),
    };
    if (this.destroyed) route.agent.destroy();
    this.route = route;
    return route;
  }

  private async sign(route: Route, operation: string, payload: Buffer): Promise<Record<string, string>> {
    const url = route.endpoint.url;
    const signed = await route.signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(route.port !== undefined && { port: route.port }),
        path: url.pathname,
        query: {},
        headers: {
          'content-type': CONTENT_TYPE,
          'x-amz-target': TARGET_PREFIX + operation,
          'content-length': String(payload.length),
          host: route.hostHeader,
          // The SDK sends and signs it; computed here with node's hash, the signer reuses it.
          'x-amz-content-sha256': createHash('sha256').update(payload).digest('hex'),
        },
        body: payload,
      },
      { signingDate: new Date() },
    );
    return signed.headers;
  }

  private async call(operation: string, body: string): Promise<string> {
    const route = this.route ?? (await this.ready);
    const payload = Buffer.from(body);
    const headers = await this.sign(route, operation, payload);
    return new Promise<string>((resolve, reject) => {
      const url = route.endpoint.url;
      const request = route.transport.request({
        agent: route.agent,
        protocol: url.protocol,
        hostname: url.hostname,
        port: route.port,
        path: url.pathname,
        method: 'POST',
        headers,
      });
      const connectTimeoutMs = this.settings.connectTimeoutMs ?? TIMEOUTS.connectMs;
      const requestTimeoutMs = this.settings.requestTimeoutMs ?? TIMEOUTS.requestMs;
      const idleTimeoutMs = this.settings.idleTimeoutMs ?? TIMEOUTS.idleMs;
      // The SDK handler's timeouts (see target/client.ts): connecting, the whole request and
      // answer, and a silent connection, each failing as "TimeoutError"; 0 means none.
      const deadline =
        requestTimeoutMs > 0
          ? setTimeout(() => request.destroy(new KbenchTimeoutError('whole', requestTimeoutMs)), requestTimeoutMs)
          : undefined;
      const settle = (): void => clearTimeout(deadline);
      if (idleTimeoutMs > 0)
        request.setTimeout(idleTimeoutMs, () => request.destroy(new KbenchTimeoutError('idle', idleTimeoutMs)));
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => request.destroy(new KbenchTimeoutError('connect', connectTimeoutMs)),
          connectTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      request.on('error', (error) => {
        settle();
        reject(error);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => {
          settle();
          reject(error);
        });
        response.on('end', () => {
          settle();
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve(text);
            return;
          }
          const type = response.headers['x-amzn-errortype'];
          const requestId = response.headers['x-amzn-requestid'];
          reject(
            serviceError(
              status,
              text,
              typeof type === 'string' ? type : undefined,
              typeof requestId === 'string' ? requestId : undefined,
            ),
          );
        });
      });
      request.end(payload);
    });
  }
}
