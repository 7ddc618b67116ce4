/**
 * The lean client signs exactly as the SDK does: for the same request, credentials and
 * clock, the bytes on the wire (body, signed headers, Authorization) are equal. Both
 * clients send to one recording server; the SDK's own bookkeeping headers (invocation id,
 * attempt count, x-amz-user-agent), which the lean client does not send, are taken out
 * before the SDK signs, so the two requests are the same request.
 */
import assert from 'node:assert/strict';
import { after, before, mock, test } from 'node:test';
import {
  PutRecordCommand,
  PutRecordsCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-kinesis';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { LeanDataPlane } from '../../src/client/lean-data-plane.js';
import { createKinesisClient, type StaticCredentials } from '../../src/target/client.js';
import { startAnsweringServer, type AnsweringServer, type ReceivedRequest } from '../support/answering-server.js';

const SDK_ONLY_HEADERS = ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent'];
/** Transport headers each side sets its own way; neither is signed. */
const UNSIGNED = new Set(['user-agent', 'connection']);

let server: AnsweringServer;
before(async () => {
  server = await startAnsweringServer((request) => ({
    status: 200,
    body: request.headers['x-amz-target']?.toString().endsWith('PutRecords')
      ? '{"FailedRecordCount":0,"Records":[{"ShardId":"shardId-000000000000","SequenceNumber":"1"},{"ShardId":"shardId-000000000000","SequenceNumber":"2"}]}'
      : '{"ShardId":"shardId-000000000000","SequenceNumber":"1"}',
  }));
  mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 0, 15, 12, 34, 56) });
});
after(async () => {
  mock.timers.reset();
  await server.close();
});

function comparable(request: ReceivedRequest): Record<string, unknown> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !UNSIGNED.has(name)));
  return { headers, body: request.body };
}

const records = [
  { Data: new Uint8Array([0, 1, 2, 250, 255]), PartitionKey: 'key "one" é' },
  { Data: new TextEncoder().encode('second record'), PartitionKey: 'k2', ExplicitHashKey: '12345' },
];

async function sendBoth(
  credentials: StaticCredentials,
  operation: 'one' | 'many',
): Promise<[ReceivedRequest, ReceivedRequest]> {
  const settings = { endpoint: server.endpoint, region: 'eu-west-1', credentials, maxSockets: 2 };
  const sdk = createKinesisClient(settings);
  const dropSdkOnlyHeaders: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => (args) => {
    const headers = (args.request as { headers: Record<string, string> }).headers;
    for (const name of SDK_ONLY_HEADERS) delete headers[name];
    return next(args);
  };
  sdk.middlewareStack.addRelativeTo(dropSdkOnlyHeaders, {
    relation: 'before',
    toMiddleware: 'httpSigningMiddleware',
    name: 'dropSdkOnlyHeaders',
  });
  const lean = new LeanDataPlane(settings);
  try {
    server.received.length = 0;
    if (operation === 'one') {
      await sdk.send(new PutRecordCommand({ StreamName: 'my-stream', ...(records[0] as (typeof records)[0]) }));
      await lean.putRecord('my-stream', records[0] as (typeof records)[0]);
    } else {
      await sdk.send(new PutRecordsCommand({ StreamName: 'my-stream', Records: records }));
      await lean.putRecords('my-stream', records);
    }
    assert.equal(server.received.length, 2);
    return [server.received[0] as ReceivedRequest, server.received[1] as ReceivedRequest];
  } finally {
    sdk.destroy();
    lean.destroy();
  }
}

for (const operation of ['one', 'many'] as const) {
  for (const withToken of [false, true]) {
    test(`${operation === 'one' ? 'PutRecord' : 'PutRecords'}${withToken ? ' with a session token' : ''}: the lean request equals the SDK's, Authorization included`, async () => {
      const credentials = {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        ...(withToken && { sessionToken: 'session/token+value=' }),
      };
      const [fromSdk, fromLean] = await sendBoth(credentials, operation);
      assert.match(
        String(fromSdk.headers['authorization']),
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260115\/eu-west-1\/kinesis\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;/,
      );
      assert.equal(fromSdk.headers['x-amz-security-token'], withToken ? 'session/token+value=' : undefined);
      assert.deepEqual(comparable(fromLean), comparable(fromSdk));
    });
  }
}

test('the signature covers the request: another partition key signs differently', async () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  const lean = new LeanDataPlane({ endpoint: server.endpoint, region: 'eu-west-1', credentials, maxSockets: 1 });
  try {
    server.received.length = 0;
    await lean.putRecord('my-stream', { Data: new Uint8Array([1]), PartitionKey: 'a' });
    await lean.putRecord('my-stream', { Data: new Uint8Array([1]), PartitionKey: 'b' });
    const [a, b] = server.received.map((r) => r.headers['authorization']);
    assert.notEqual(a, b);
  } finally {
    lean.destroy();
  }
});
