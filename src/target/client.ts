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
import { sdkLogger } from './sdk-logger.js';

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
  /** Longest a request may take in all, answer included; 0 for none. */
  readonly requestTimeoutMs?: number;
  /** Longest a request's connection may stay silent (no byte either way); 0 for none. */
  readonly idleTimeoutMs?: number;
  /**
   * HTTP/2, for SubscribeToShard against AWS only: enhanced fan-out pushes its events over
   * HTTP/2 there, while the emulators serve it over HTTP/1.1 (kinesis-mock fails on h2).
   */
  readonly http2?: boolean;
}

/**
 * How long kbench waits for the target. A Kinesis call answers in milliseconds; an endpoint
 * that accepts the connection and then says nothing must end the call (and the run) with a
 * reason instead of hanging it. The README ("Interrupting a run, and failures") states these.
 */
export const TIMEOUTS = {
  connectMs: 5_000,
  /** No byte for this long on a request's connection: the request fails (TimeoutError). */
  idleMs: 10_000,
  /** A request that has not ended this long after it started fails, however it trickles. */
  requestMs: 60_000,
} as const;

/**
 * SubscribeToShard (enhanced fan-out) holds its request open for up to 5 minutes by
 * design, and an idle shard may send nothing for a while: no idle limit, and a request
 * limit beyond the 5 minutes.
 */
export const SUBSCRIPTION_TIMEOUTS = {
  requestTimeoutMs: 6 * 60_000,
  idleTimeoutMs: 0,
} as const satisfies Partial<ClientSettings>;

export function createKinesisClient(settings: ClientSettings): KinesisClient {
  const agentOptions = { keepAlive: true, maxSockets: settings.maxSockets };
  const logger = sdkLogger();
  return new KinesisClient({
    logger,
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
          connectionTimeout: settings.connectTimeoutMs ?? TIMEOUTS.connectMs,
          requestTimeout: settings.requestTimeoutMs ?? TIMEOUTS.requestMs,
          // Without it the SDK only logs a warning when requestTimeout passes, and waits on.
          throwOnRequestTimeout: true,
          socketTimeout: settings.idleTimeoutMs ?? TIMEOUTS.idleMs,
          logger,
        }),
  });
}
