/**
 * The SDK handler's timeouts in kbench's words (its own messages name its internals).
 * Undefined for any other error.
 */
export function describeTimeout(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'TimeoutError') return undefined;
  const idle = /socket timed out after (\d+) ms/.exec(error.message);
  if (idle) return `no answer: the connection stayed silent for ${Number(idle[1]) / 1000} s (TimeoutError)`;
  const whole = /exceeded the configured (\d+) ms requestTimeout/.exec(error.message);
  if (whole) return `no complete answer within ${Number(whole[1]) / 1000} s (TimeoutError)`;
  const connect = /establish a connection .* timeout of (\d+) ms/.exec(error.message);
  if (connect) return `could not connect within ${Number(connect[1]) / 1000} s (TimeoutError)`;
  return `timed out (TimeoutError)`;
}
