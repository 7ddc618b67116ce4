/**
 * The two kinds of failure a user can cause or meet. Everything else is a bug.
 * Messages are one line and name the flag, field or cause, because they are shown as-is.
 */

/** A flag or scenario value is wrong; the run never started (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A value (of a flag or a scenario field) is not allowed; says what is. The caller adds which
 * flag or field it was, and turns it into a UsageError.
 */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}

/** The environment failed the run: endpoint down, stream missing, folder not writable (exit code 1). */
export class RunError extends Error {
  override readonly name = 'RunError';
}

/** Exit codes are a public interface: CI scripts tell "slower" from "broken" by them. */
export const ExitCode = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  /** The run went fine and its figures failed a threshold or a regression limit. */
  gateFailed: 99,
  interrupted: 130,
} as const;

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
