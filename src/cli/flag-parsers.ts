/**
 * Adapters from the shared value parsers to commander: a bad value becomes commander's
 * one-line "option '--x <v>' argument 'y' is invalid. <what is allowed>" (exit code 2).
 */
import { InvalidArgumentError } from 'commander';
import { parseErrorFaults, parseLatencyFaults } from '../config/fault-values.js';
import { parseLimits } from '../config/quota-values.js';
import { ValueError } from '../errors/errors.js';
import {
  parseDurationMs,
  parseInteger,
  parseKeySpec,
  parseNonNegativeDurationMs,
  parseRate,
} from '../config/values.js';

export function adapt<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      if (error instanceof ValueError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** A flag that may be given several times: each value checked as it is read, all kept in order. */
export function repeatableFlag(
  check: (text: string) => unknown,
): (text: string, previous: string[] | undefined) => string[] {
  const parse = adapt(check);
  return (text, previous) => {
    parse(text);
    return [...(previous ?? []), text];
  };
}

export const integerFlag = (min: number, max: number): ((text: string) => number) =>
  adapt((text) => parseInteger(text, min, max));

/** A duration of at least `minMs` (0 allowed when minMs is 0). */
export const durationFlag = (minMs: number): ((text: string) => number) =>
  adapt((text) => {
    const ms = parseDurationMs(text);
    if (ms < minMs || (minMs > 0 && ms === 0)) {
      throw new ValueError(`"${text}" is too short (at least ${minMs} ms)`);
    }
    return ms;
  });

/** A duration from 0 to `maxMs`, where a negative one is refused as "below 0". */
export const boundedDurationFlag = (maxMs: number): ((text: string) => number) =>
  adapt((text) => parseNonNegativeDurationMs(text, maxMs));

export const rateFlag = adapt(parseRate);
export const keysFlag = adapt(parseKeySpec);
export const limitsFlag = adapt(parseLimits);
export const latencyFaultsFlag = adapt(parseLatencyFaults);
export const errorFaultsFlag = adapt(parseErrorFaults);
