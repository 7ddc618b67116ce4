/**
 * Both clients take every kind of answer the same way: a server answers each error kind
 * (whole-request and per-record throttling, missing stream, no permission, KMS, validation,
 * 5xx with and without a JSON body, a cut connection), and the put sender, through the
 * lean client and through the SDK, ends with the same counts and the same one-line fatal
 * reason.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientKind } from '../../src/config/client-kind.js';
import { createDataPlane } from '../../src/client/create-data-plane.js';
import { MonotonicClock } from '../../src/measure/clock.js';
import { PutRecorder } from '../../src/measure/put-recorder.js';
import type { PutCounts } from '../../src/model/put-result.js';
import { PutSender, type PutEntry } from '../../src/workload/put-sender.js';
import { errorAnswer, startAnsweringServer, type Answer, type AnsweringServer } from '../support/answering-server.js';

let server: AnsweringServer;
before(async () => {
  server = await startAnsweringServer(() => ({ status: 200, body: '{}' }));
});
after(async () => {
  await server.close();
});

interface Outcome {
  readonly counts: PutCounts;
  readonly fatal: string[];
  readonly requests: number;
}

const ok = (shard: number, seq: number): Record<string, string> => ({
  ShardId: `shardId-00000000000${shard}`,
  SequenceNumber: String(seq),
});

async function runSender(kind: ClientKind, answer: (index: number) => Answer, batch: number): Promise<Outcome> {
  let index = 0;
  server.answer = () => answer(index++);
  const before = server.received.length;
  const clock = new MonotonicClock();
  const start = clock.nowMicros();
  const recorder = new PutRecorder(start, start + 60_000_000);
  const fatal: string[] = [];
  const client = createDataPlane(kind, {
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 1,
    requestTimeoutMs: 300,
  });
  const stop = new AbortController();
  const sender = new PutSender({
    client,
    streamName: 's',
    clock,
    recorder,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    stop: stop.signal,
    halt: new AbortController().signal,
    onFatal: (reason) => fatal.push(reason),
    random: () => 0.5,
  });
  const entries: PutEntry[] = Array.from({ length: batch }, (_, i) => ({
    Data: new Uint8Array([i]),
    PartitionKey: `k${i}`,
  }));
  try {
    await sender.send(entries, clock.nowMicros());
  } finally {
    client.destroy();
  }
  return { counts: { ...recorder.run.counts }, fatal, requests: server.received.length - before };
}

const cases: Array<{ name: string; batch: number; answer: (index: number) => Answer; fatal: boolean }> = [
  { name: 'accepted', batch: 1, answer: () => ({ status: 200, body: JSON.stringify(ok(1, 7)) }), fatal: false },
  {
    name: 'throttled, then accepted',
    batch: 1,
    answer: (i) =>
      i === 0
        ? errorAnswer(400, 'ProvisionedThroughputExceededException', 'Rate exceeded for shard shardId-000000000000')
        : { status: 200, body: JSON.stringify(ok(0, 1)) },
    fatal: false,
  },
  {
    name: 'throttled to the end',
    batch: 1,
    answer: () => errorAnswer(400, 'ProvisionedThroughputExceededException', 'Rate exceeded'),
    fatal: false,
  },
  {
    name: 'ResourceNotFound',
    batch: 1,
    answer: () => errorAnswer(400, 'ResourceNotFoundException', 'Stream s under account 000000000000 not found.'),
    fatal: true,
  },
  {
    name: 'AccessDenied (namespaced type)',
    batch: 1,
    answer: () =>
      errorAnswer(
        400,
        'com.amazonaws.kinesis#AccessDeniedException',
        'User is not authorized to perform: kinesis:PutRecord',
      ),
    fatal: true,
  },
  {
    name: 'KMSDisabled',
    batch: 1,
    answer: () => errorAnswer(400, 'KMSDisabledException', 'The KMS key is disabled'),
    fatal: true,
  },
  {
    name: 'validation',
    batch: 1,
    answer: () => errorAnswer(400, 'ValidationException', '1 validation error detected'),
    fatal: true,
  },
  {
    name: 'error without a message',
    batch: 1,
    answer: () => errorAnswer(400, 'InvalidArgumentException'),
    fatal: true,
  },
  {
    name: 'InternalFailure 500',
    batch: 1,
    answer: () => errorAnswer(500, 'InternalFailure', 'internal'),
    fatal: false,
  },
  {
    name: '503 with an HTML body',
    batch: 1,
    answer: () => ({ status: 503, body: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } }),
    fatal: false,
  },
  {
    name: '403 with an HTML body',
    batch: 1,
    answer: () => ({ status: 403, body: '<html>Forbidden</html>', headers: { 'content-type': 'text/html' } }),
    fatal: true,
  },
  {
    name: '413 with an error type header only',
    batch: 1,
    answer: () => ({
      status: 413,
      body: '',
      headers: { 'x-amzn-errortype': 'RequestEntityTooLargeException:http://internal.amazon.com/' },
    }),
    fatal: true,
  },
  {
    name: 'no answer (request timeout), then accepted',
    batch: 1,
    answer: (i) => (i === 0 ? { hang: true } : { status: 200, body: JSON.stringify(ok(0, 3)) }),
    fatal: false,
  },
  {
    name: 'connection reset',
    batch: 1,
    answer: (i) => (i === 0 ? { reset: true } : { status: 200, body: JSON.stringify(ok(0, 2)) }),
    fatal: false,
  },
  {
    name: 'PutRecords: per-record throttling and errors, then accepted',
    batch: 3,
    answer: (i) =>
      i === 0
        ? {
            status: 200,
            body: JSON.stringify({
              FailedRecordCount: 2,
              Records: [
                ok(0, 1),
                { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' },
                { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' },
              ],
            }),
          }
        : { status: 200, body: JSON.stringify({ FailedRecordCount: 0, Records: [ok(1, 2), ok(2, 3)] }) },
    fatal: false,
  },
  {
    name: 'PutRecords: a per-record KMS error is fatal',
    batch: 2,
    answer: () => ({
      status: 200,
      body: JSON.stringify({
        FailedRecordCount: 1,
        Records: [ok(0, 1), { ErrorCode: 'KMSAccessDeniedException', ErrorMessage: 'denied' }],
      }),
    }),
    fatal: true,
  },
  {
    name: 'PutRecords: whole request throttled',
    batch: 2,
    answer: () => errorAnswer(400, 'ProvisionedThroughputExceededException', 'Rate exceeded'),
    fatal: false,
  },
];

for (const c of cases) {
  test(`${c.name}: lean and sdk give the same counts and reasons`, async () => {
    const sdk = await runSender('sdk', c.answer, c.batch);
    const lean = await runSender('lean', c.answer, c.batch);
    assert.deepEqual(lean, sdk);
    assert.equal(sdk.fatal.length > 0, c.fatal, `fatal: ${sdk.fatal.join(' | ')}`);
    assert.equal(sdk.counts.sent, c.batch);
  });
}
