/**
 * The emulator's own request handler as the layer's upstream, when both run in one
 * process (the embedded target): a call the layer passes on costs a function call
 * instead of a second HTTP round trip, so the layer takes next to nothing from the
 * emulator's throughput.
 */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import type { Upstream, UpstreamAnswer } from './upstream.js';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class InProcessUpstream implements Upstream {
  constructor(private readonly handler: RequestHandler) {}

  readonly serveDirectly = (req: http.IncomingMessage, res: http.ServerResponse): void => this.handler(req, res);

  /**
   * Replays a call into the handler with a request and a response that live in memory.
   * They carry what kinesalite's handler uses (headers, method, url, the body as data
   * events; setHeader, statusCode, end); the `as unknown as` casts say exactly that.
   */
  send(path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<UpstreamAnswer> {
    return new Promise((resolve) => {
      const req = Object.assign(new EventEmitter(), { headers, method: 'POST', url: path });
      const answerHeaders: http.IncomingHttpHeaders = {};
      const res = {
        statusCode: 200,
        setHeader(name: string, value: string | number) {
          answerHeaders[name.toLowerCase()] = String(value);
        },
        end(data?: Buffer | string | null) {
          const bytes = data == null ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
          resolve({ status: res.statusCode, headers: answerHeaders, body: bytes });
        },
      };
      this.handler(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse);
      process.nextTick(() => {
        if (body.length > 0) req.emit('data', body);
        req.emit('end');
      });
    });
  }

  close(): void {}
}
