/**
 * Where the layer sends the calls it lets through: an emulator in the same process
 * (in-process-upstream.ts) or any endpoint over HTTP (HttpUpstream, here).
 */
import http from 'node:http';
import https from 'node:https';

export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Headers that belong to one connection, not to the request, and lengths that change. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'proxy-connection',
  'upgrade',
]);

export function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const result: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) result[name] = value;
  }
  return result;
}

export interface Upstream {
  /** Sends one call and collects the whole answer. */
  send(path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<UpstreamAnswer>;
  /** Hands a call the layer does not need to look at straight to the emulator, if it can. */
  readonly serveDirectly?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  close(): void;
}

/** A keep-alive connection pool to an endpoint. */
export class HttpUpstream implements Upstream {
  private readonly url: URL;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;

  constructor(url: string) {
    this.url = new URL(url);
    this.transport = this.url.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 256 });
  }

  /**
   * Streams a call the layer does not look at both ways as it comes, so answers that
   * never end (SubscribeToShard's event stream) pass through too.
   */
  readonly serveDirectly = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const length = req.headers['content-length'];
    const request = this.transport.request(
      {
        protocol: this.url.protocol,
        hostname: this.url.hostname,
        port: this.url.port,
        method: req.method ?? 'POST',
        path: req.url ?? '/',
        agent: this.agent,
        headers: {
          ...endToEndHeaders(req.headers),
          host: this.url.host,
          ...(length !== undefined && { 'content-length': length }),
        },
      },
      (response) => {
        const answerLength = response.headers['content-length'];
        res.writeHead(response.statusCode ?? 502, {
          ...endToEndHeaders(response.headers),
          ...(answerLength !== undefined && { 'content-length': answerLength }),
        });
        response.pipe(res);
        response.on('error', () => res.destroy());
      },
    );
    request.on('error', () => res.destroy());
    // The caller went away mid-answer (a subscription given up): end the upstream call too.
    res.on('close', () => {
      if (!res.writableFinished) request.destroy();
    });
    req.pipe(request);
  };

  send(path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path,
          agent: this.agent,
          headers: { ...endToEndHeaders(headers), host: this.url.host, 'content-length': body.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
