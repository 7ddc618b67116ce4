/**
 * Kinesis client construction. Every client kbench makes goes through here, because two
 * SDK defaults would make its numbers wrong: the HTTP/2 handler (fails against kinesalite
 * and opens a connection per request) and hidden retries (a retried request would be
 * timed as one slow request and its throttling never counted).
 */
import http from 'node:http';
import https from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';

// The SDK warns on Node 20 that versions published after January 2027 will need Node 22.
// kbench pins its SDK in package-lock.json, so on stderr (kept for progress and real
// problems) that warning is noise. A user who sets the variable keeps their choice.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface ClientSettings {
  /** Omitted for AWS: the SDK derives the regional endpoint. */
  readonly endpoint?: string;
  /** Omitted to let the SDK resolve it (environment, shared config) as the AWS CLI does. */
  readonly region?: string;
  readonly profile?: string;
  /** Omitted to use the standard AWS credential chain. */
  readonly credentials?: StaticCredentials;
  /** Sockets per client; kbench sets it to the number of requests it keeps in flight. */
  readonly maxSockets: number;
  readonly connectTimeoutMs?: number;
  /** Socket inactivity limit for one request. */
  readonly requestTimeoutMs?: number;
  /**
   * HTTP/2, for SubscribeToShard against AWS only: enhanced fan-out pushes its events over
   * HTTP/2 there, while the emulators serve it over HTTP/1.1 (kinesis-mock fails on h2).
   */
  readonly http2?: boolean;
}

export function createKinesisClient(settings: ClientSettings): KinesisClient {
  const agentOptions = { keepAlive: true, maxSockets: settings.maxSockets };
  return new KinesisClient({
    ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }),
    ...(settings.region !== undefined && { region: settings.region }),
    ...(settings.profile !== undefined && { profile: settings.profile }),
    ...(settings.credentials !== undefined && { credentials: settings.credentials }),
    maxAttempts: 1,
    requestHandler: settings.http2
      ? new NodeHttp2Handler({
          requestTimeout: settings.requestTimeoutMs ?? 30_000,
          sessionTimeout: settings.requestTimeoutMs ?? 30_000,
        })
      : new NodeHttpHandler({
          httpAgent: new http.Agent(agentOptions),
          httpsAgent: new https.Agent(agentOptions),
          connectionTimeout: settings.connectTimeoutMs ?? 5000,
          requestTimeout: settings.requestTimeoutMs ?? 30_000,
          // Without it the SDK only logs a warning and keeps waiting: a request to a server
          // that never answers would stay in flight for ever (the lean client fails it too).
          throwOnRequestTimeout: true,
        }),
  });
}
