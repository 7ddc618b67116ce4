/**
 * Parsers for the value syntaxes flags and scenario files share ("30s", "max", "hot").
 * They throw ValueError with what is allowed; the caller adds which flag or field it was.
 */
import { ValueError } from '../errors/errors.js';

/**
 * The one number syntax of every flag and scenario field: digits, an optional fraction and
 * an optional exponent, so 1e12 and 1000000000000 are the same value wherever a number goes.
 */
const NUMBER_SYNTAX = String.raw`\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const NUMBER = new RegExp(`^${NUMBER_SYNTAX}$`);
const SIGNED_NUMBER = new RegExp(`^-?${NUMBER_SYNTAX}$`);

/** A number in kbench's one syntax, or NaN. */
export function numberFromText(text: string): number {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = new RegExp(`(${NUMBER_SYNTAX})(ms|s|m|h)`, 'y');

/**
 * The longest duration kbench takes: 24 days, inside what one Node timer can wait
 * (2^31 - 1 ms, about 24.8 days), and longer than any benchmark should run.
 */
export const MAX_DURATION_MS = 576 * 3_600_000;

/** The highest --rate: far beyond what one machine can send, low enough to be a plan. */
export const MAX_RATE = 10_000_000;

/**
 * "500ms", "30s", "2m", "1h", "1m30s" -> milliseconds. A bare number is refused: "10"
 * could mean seconds or milliseconds, and guessing wrong makes a run 1000x off.
 * (Written here rather than with `ms`, which reads a bare number as milliseconds.)
 */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  let total = 0;
  let index = 0;
  DURATION_PART.lastIndex = 0;
  while (index < trimmed.length) {
    DURATION_PART.lastIndex = index;
    const match = DURATION_PART.exec(trimmed);
    if (!match) break;
    total += Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? ''] ?? Number.NaN);
    index = DURATION_PART.lastIndex;
  }
  if (trimmed.length === 0 || index !== trimmed.length || !Number.isFinite(total)) {
    throw new ValueError(`"${text}" is not a duration (use e.g. 500ms, 30s, 2m, 1m30s)`);
  }
  if (total > MAX_DURATION_MS)
    throw new ValueError(`"${text}" is too long (at most ${formatDurationMs(MAX_DURATION_MS)})`);
  return total;
}

/** A duration that may be 0, with "below 0" said as such rather than "not a duration". */
export function parseNonNegativeDurationMs(text: string, maxMs: number): number {
  if (/^\s*-/.test(text))
    throw new ValueError(`"${text}" is below 0 (use 0 to ${formatDurationMs(maxMs)}, e.g. 200ms or 1s)`);
  const ms = parseDurationMs(text);
  if (ms > maxMs) throw new ValueError(`"${text}" is too long (at most ${formatDurationMs(maxMs)})`);
  return ms;
}

export function formatDurationMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export function parseInteger(text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = SIGNED_NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValueError(`"${text}" is not an integer from ${min} to ${max}`);
  }
  return value;
}

export function parsePositiveNumber(text: string): number {
  const value = numberFromText(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValueError(`"${text}" is not a number above 0`);
  }
  return value;
}

/** Target records/s in total, or "max" for the closed model. */
export type Rate = number | 'max';

export function parseRate(text: string): Rate {
  if (text.trim().toLowerCase() === 'max') return 'max';
  let rate: number;
  try {
    rate = parsePositiveNumber(text);
  } catch {
    throw new ValueError(`"${text}" is not a rate (records/s above 0, or "max")`);
  }
  if (rate > MAX_RATE) {
    throw new ValueError(
      `"${text}" is above the highest rate, ${MAX_RATE.toLocaleString('en-US')} records/s (use "max" to send as ` +
        `fast as the target answers)`,
    );
  }
  return rate;
}

/** How partition keys are chosen; this is what decides how evenly shards are loaded. */
export type KeySpec =
  { readonly kind: 'random' } | { readonly kind: 'fixed'; readonly count: number } | { readonly kind: 'hot' };

export function parseKeySpec(text: string): KeySpec {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'random') return { kind: 'random' };
  if (trimmed === 'hot') return { kind: 'hot' };
  if (NUMBER.test(trimmed)) {
    const count = Number(trimmed);
    if (count >= 1 && Number.isSafeInteger(count)) return { kind: 'fixed', count };
  }
  throw new ValueError(`"${text}" is not a key distribution (use random, hot, or a number of distinct keys >= 1)`);
}

export function formatKeySpec(spec: KeySpec): string {
  return spec.kind === 'fixed' ? String(spec.count) : spec.kind;
}

/**
 * Longest key a generator can return, for request-size checks. Kept with the key syntax
 * (option checks need it); workload/partition-keys.ts makes keys within it.
 */
export function maxKeyLength(spec: KeySpec): number {
  switch (spec.kind) {
    case 'hot':
      return 3;
    case 'fixed':
      return `key-${spec.count - 1}`.length;
    case 'random':
      return 13;
  }
}
