/**
 * The error answers the layer sends, shaped as the real service sends them (JSON 1.1,
 * `__type` plus `message`), so the SDK turns them into the same named errors it raises
 * against AWS. Kinesis ARNs and messages carry an account id; local emulators use zeros.
 */
export const LOCAL_ACCOUNT = '000000000000';

export interface AwsErrorAnswer {
  readonly status: number;
  readonly body: { readonly __type: string; readonly message: string };
}

export const THROTTLED_CODE = 'ProvisionedThroughputExceededException';

/** PutRecord, PutRecords entries and GetShardIterator word it this way. */
export function writeThrottledMessage(stream: string, shardId: string): string {
  return `Rate exceeded for shard ${shardId} in stream ${stream} under account ${LOCAL_ACCOUNT}.`;
}

/** GetRecords words it this way in current answers. */
export function readThrottledMessage(stream: string, shardId: string): string {
  return `Rate exceeded for Shard - ${LOCAL_ACCOUNT}/${stream}/${shardId}`;
}

export function throttled(message: string): AwsErrorAnswer {
  return { status: 400, body: { __type: THROTTLED_CODE, message } };
}

/** The AWS common errors for a failed and for an overloaded service. */
export const INTERNAL_FAILURE: AwsErrorAnswer = {
  status: 500,
  body: { __type: 'InternalFailure', message: 'We encountered an internal error. Please try again.' },
};

export const SERVICE_UNAVAILABLE: AwsErrorAnswer = {
  status: 503,
  body: { __type: 'ServiceUnavailable', message: 'The service is unavailable. Please try again.' },
};
