/**
 * Where the AWS SDK's own log lines go. Its handler prints warnings straight to the
 * console by default ("[WARN] a request has exceeded the configured ... requestTimeout",
 * "socket usage at capacity"): raw lines in the middle of kbench's output, about things
 * kbench already reports in its own words. They are dropped, and shown only for
 * debugging (KBENCH_DEBUG=1), one line each, marked as the SDK's.
 */

/** The SDK's Logger shape (from @smithy/types, not a dependency of kbench's own). */
export interface SdkLogger {
  trace(...content: unknown[]): void;
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

const ignore = (): void => undefined;

function debugLine(...content: unknown[]): void {
  const text = content
    .map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part)))
    .join(' ');
  process.stderr.write(`kbench: sdk: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
}

export function sdkLogger(debug = Boolean(process.env['KBENCH_DEBUG'])): SdkLogger {
  const line = debug ? debugLine : ignore;
  // info: the client logs every call, input and output, there: far too much even to debug.
  return { trace: ignore, debug: ignore, info: ignore, warn: line, error: line };
}
