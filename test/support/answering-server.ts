/**
 * A local HTTP server that answers every request with what the test says (status,
 * headers, body, or a cut connection) and records what it was sent: the "target" for
 * tests of what a client sends and how it takes each kind of answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export type Answer =
  | { readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
  | { readonly reset: true }
  /** No answer at all: the client's timeout has to end the request. */
  | { readonly hang: true };

export interface AnsweringServer {
  readonly endpoint: string;
  readonly received: ReceivedRequest[];
  answer: (request: ReceivedRequest) => Answer;
  close(): Promise<void>;
}

export async function startAnsweringServer(answer: (request: ReceivedRequest) => Answer): Promise<AnsweringServer> {
  const received: ReceivedRequest[] = [];
  const state = { answer };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const reply = state.answer(request);
      if ('reset' in reply) {
        req.socket.destroy();
        return;
      }
      if ('hang' in reply) return;
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    get answer() {
      return state.answer;
    },
    set answer(next) {
      state.answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON 1.1 error answer as Kinesis sends it. */
export function errorAnswer(status: number, type: string, message?: string): Answer {
  return { status, body: JSON.stringify({ __type: type, ...(message !== undefined && { message }) }) };
}
