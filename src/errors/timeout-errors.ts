/**
 * The SDK handler's timeouts in kbench's words (its own messages name its internals).
 * Undefined for any other error.
 */
export function describeTimeout(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'TimeoutError') return undefined;
  if (error instanceof KbenchTimeoutError) return TIMEOUT_WORDS[error.kind](error.ms / 1000);
  const idle = /socket timed out after (\d+) ms/.exec(error.message);
  if (idle) return TIMEOUT_WORDS.idle(Number(idle[1]) / 1000);
  const whole = /exceeded the configured (\d+) ms requestTimeout/.exec(error.message);
  if (whole) return TIMEOUT_WORDS.whole(Number(whole[1]) / 1000);
  const connect = /establish a connection .* timeout of (\d+) ms/.exec(error.message);
  if (connect) return TIMEOUT_WORDS.connect(Number(connect[1]) / 1000);
  return `timed out (TimeoutError)`;
}

export type TimeoutKind = 'idle' | 'whole' | 'connect';

const TIMEOUT_WORDS: Record<TimeoutKind, (seconds: number) => string> = {
  idle: (s) => `no answer: the connection stayed silent for ${s} s (TimeoutError)`,
  whole: (s) => `no complete answer within ${s} s (TimeoutError)`,
  connect: (s) => `could not connect within ${s} s (TimeoutError)`,
};

/** A timeout of kbench's own HTTP client (the lean data plane), worded as the SDK's are. */
export class KbenchTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly kind: TimeoutKind,
    readonly ms: number,
  ) {
    super(`${kind} timeout after ${ms} ms`);
  }
}
