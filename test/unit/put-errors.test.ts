import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyRecordErrorCode, classifyRequestError } from '../../src/workload/put-errors.js';
import { backoffMs } from '../../src/config/retry-policy.js';

const sdkError = (name: string, status?: number, code?: string): unknown =>
  Object.assign(new Error(name), {
    name,
    ...(code && { code }),
    ...(status !== undefined && { $metadata: { httpStatusCode: status } }),
  });

test('throttling is told apart from other errors', () => {
  assert.equal(classifyRequestError(sdkError('ProvisionedThroughputExceededException', 400)), 'throttled');
  assert.equal(classifyRecordErrorCode('ProvisionedThroughputExceededException'), 'throttled');
  assert.equal(classifyRecordErrorCode('InternalFailure'), 'retryable');
});

test('server faults and network errors are retried; a missing stream or permission stops the run', () => {
  assert.equal(classifyRequestError(sdkError('InternalFailure', 500)), 'retryable');
  assert.equal(classifyRequestError(sdkError('ServiceUnavailable', 503)), 'retryable');
  assert.equal(classifyRequestError(sdkError('Error', undefined, 'ECONNRESET')), 'retryable');
  assert.equal(classifyRequestError(sdkError('ResourceNotFoundException', 400)), 'fatal');
  assert.equal(classifyRequestError(sdkError('AccessDeniedException', 400)), 'fatal');
  assert.equal(classifyRequestError(sdkError('ValidationException', 400)), 'fatal');
  assert.equal(classifyRequestError(sdkError('AbortError')), 'aborted');
});

test('backoff grows exponentially with full jitter and a cap', () => {
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(
    backoffMs(policy, 1, () => 1),
    100,
  );
  assert.equal(
    backoffMs(policy, 3, () => 1),
    400,
  );
  assert.equal(
    backoffMs(policy, 10, () => 1),
    1000,
  );
  assert.equal(
    backoffMs(policy, 3, () => 0.5),
    200,
  );
});
