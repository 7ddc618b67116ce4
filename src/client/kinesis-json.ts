/**
 * The Kinesis JSON 1.1 protocol for PutRecord and PutRecords, by hand: request bodies
 * (members in the order the SDK writes them, so both clients send the same bytes),
 * answers, and errors shaped like the SDK's so one classifier serves both clients.
 */
import type { DataPlaneEntry, PutRecordResult, PutRecordsResult, PutRecordsResultEntry } from './data-plane.js';

export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'Kinesis_20131202.';

export function putRecordBody(streamName: string, entry: DataPlaneEntry): string {
  let body =
    `{"Data":"${Buffer.from(entry.Data.buffer, entry.Data.byteOffset, entry.Data.byteLength).toString('base64')}",` +
    `"StreamName":${JSON.stringify(streamName)},"PartitionKey":${JSON.stringify(entry.PartitionKey)}`;
  if (entry.ExplicitHashKey !== undefined) body += `,"ExplicitHashKey":${JSON.stringify(entry.ExplicitHashKey)}`;
  return body + '}';
}

export function putRecordsBody(streamName: string, entries: readonly DataPlaneEntry[]): string {
  const parts: string[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.Data.buffer, entry.Data.byteOffset, entry.Data.byteLength).toString('base64');
    const hashKey =
      entry.ExplicitHashKey !== undefined ? `,"ExplicitHashKey":${JSON.stringify(entry.ExplicitHashKey)}` : '';
    parts.push(`{"Data":"${data}"${hashKey},"PartitionKey":${JSON.stringify(entry.PartitionKey)}}`);
  }
  return `{"Records":[${parts.join(',')}],"StreamName":${JSON.stringify(streamName)}}`;
}

export function parsePutRecord(body: string): PutRecordResult {
  const answer = parseObject(body);
  return {
    ...(typeof answer['ShardId'] === 'string' && { ShardId: answer['ShardId'] }),
    ...(typeof answer['SequenceNumber'] === 'string' && { SequenceNumber: answer['SequenceNumber'] }),
  };
}

export function parsePutRecords(body: string): PutRecordsResult {
  const answer = parseObject(body);
  const records: PutRecordsResultEntry[] = [];
  for (const raw of Array.isArray(answer['Records']) ? (answer['Records'] as unknown[]) : []) {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    records.push({
      ...(typeof r['ShardId'] === 'string' && { ShardId: r['ShardId'] }),
      ...(typeof r['SequenceNumber'] === 'string' && { SequenceNumber: r['SequenceNumber'] }),
      ...(typeof r['ErrorCode'] === 'string' && { ErrorCode: r['ErrorCode'] }),
      ...(typeof r['ErrorMessage'] === 'string' && { ErrorMessage: r['ErrorMessage'] }),
    });
  }
  return {
    ...(typeof answer['FailedRecordCount'] === 'number' && { FailedRecordCount: answer['FailedRecordCount'] }),
    Records: records,
  };
}

/** An error answer as the SDK would raise it: `name` is the service's error code. */
export interface ServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number; readonly requestId?: string };
}

/**
 * The SDK's rules: the code comes from the x-amzn-errortype header or the body's __type
 * (or code), without any namespace ("…#Code") or suffix ("Code:http://…").
 */
export function serviceError(
  status: number,
  body: string,
  errorTypeHeader: string | undefined,
  requestId: string | undefined,
): ServiceError {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = parseObject(body);
  } catch (error) {
    // Not JSON (a proxy's HTML page): the SDK raises its parser's error with the status
    // attached, and so does this client, so both say the same thing about it.
    if (errorTypeHeader === undefined) {
      const parseError = error as Error & { $metadata?: object };
      parseError.$metadata = { httpStatusCode: status, ...(requestId !== undefined && { requestId }) };
      return parseError as ServiceError;
    }
  }
  const rawCode =
    errorTypeHeader ?? stringField(parsed, '__type') ?? stringField(parsed, 'code') ?? stringField(parsed, 'Code');
  const code = rawCode !== undefined ? sanitizeErrorCode(rawCode) : 'UnknownError';
  const message = stringField(parsed, 'message') ?? stringField(parsed, 'Message') ?? 'UnknownError';
  const error = new Error(message) as Error & { $fault: string; $metadata: object };
  error.name = code;
  error.$fault = status >= 500 ? 'server' : 'client';
  error.$metadata = { httpStatusCode: status, ...(requestId !== undefined && { requestId }) };
  return error as ServiceError;
}

export function sanitizeErrorCode(raw: string): string {
  let code = raw;
  const colon = code.indexOf(':');
  if (colon >= 0) code = code.slice(0, colon);
  const hash = code.lastIndexOf('#');
  if (hash >= 0) code = code.slice(hash + 1);
  return code;
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

function parseObject(body: string): Record<string, unknown> {
  const value: unknown = body === '' ? {} : JSON.parse(body);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SyntaxError('answer is not a JSON object');
  return value as Record<string, unknown>;
}
