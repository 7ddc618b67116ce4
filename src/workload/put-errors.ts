/**
 * How a failed put attempt is treated. Throttling is the service saying "over quota" and
 * is counted apart from everything else; some errors are worth retrying, some mean the
 * run cannot go on (no stream, no permission), and an abort is kbench stopping itself.
 */

export type PutErrorKind = 'throttled' | 'retryable' | 'fatal' | 'aborted';

const THROTTLING = new Set(['ProvisionedThroughputExceededException']);
const RETRYABLE = new Set([
  'InternalFailure',
  'InternalFailureException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const FATAL = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSNotFoundException',
  'KMSInvalidStateException',
]);

/** Error codes inside a 200 PutRecords answer. */
export function classifyRecordErrorCode(code: string): PutErrorKind {
  if (THROTTLING.has(code)) return 'throttled';
  if (FATAL.has(code)) return 'fatal';
  return 'retryable';
}

/** A rejected or failed request. */
export function classifyRequestError(error: unknown): PutErrorKind {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  if (name === 'AbortError') return 'aborted';
  if (THROTTLING.has(name)) return 'throttled';
  if (FATAL.has(name)) return 'fatal';
  if (RETRYABLE.has(name) || NETWORK_CODES.has(e.code ?? '')) return 'retryable';
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined || status >= 500) return 'retryable';
  // Anything else the service refused (validation, size): it would refuse again.
  return 'fatal';
}

/** True for the errors that mean nothing answers at the endpoint any more. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // A TimeoutError: the connection stayed silent, or the answer never completed (client.ts).
  return (
    code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || (error as Error).name === 'TimeoutError'
  );
}
