/**
 * Load that changes over time (`--stages`, put and lag): the flag and how it replaces
 * --rate and --duration. A flag given on the command line or a field in a scenario file
 * alike: combining it with --rate or --duration is refused, since either would be
 * silently ignored.
 */
import { Option, type Command } from 'commander';
import { UsageError, ValueError } from '../errors/errors.js';
import type { FindMaxSettings } from '../config/find-max-settings.js';
import { parsePositiveNumber } from '../config/values.js';
import { MAX_STAGE_RATE, parseStages, type Stage } from '../config/stage-values.js';
import { peakRate, totalDurationMs } from '../workload/rate-profile.js';
import { flag } from './common-flags.js';
import { adapt, durationFlag } from './flag-parsers.js';

export interface StagesFlags {
  stages?: readonly Stage[];
}

/** Whether a flag (by commander key) was given, rather than left to its default. */
export type GivenCheck = (key: string) => boolean;

export function addStagesFlag(command: Command): Command {
  return command.addOption(
    new Option(
      '--stages <list>',
      'load that changes over time, replacing --rate and --duration: steps and linear ramps of records/s in total, ' +
        'e.g. 500/s:30s,3000/s:10s,500/s:60s or 0-5000/s:2m',
    ).argParser(adapt(parseStages)),
  );
}

/** `given` from commander: a flag counts as given when it came from the command line. */
export function givenOnCommandLine(command: Command): GivenCheck {
  return (key) => {
    const source = command.getOptionValueSource(key);
    return source !== undefined && source !== 'default';
  };
}

/** `given` without commander (scenario cases): a value other than the command's default. */
export function givenUnlessDefault(flags: object, defaults: Readonly<Record<string, unknown>>): GivenCheck {
  return (key) => {
    const value = (flags as Record<string, unknown>)[key];
    return value !== undefined && value !== defaults[key];
  };
}

/**
 * With --stages: the measured phase is the stages' total, the rate their peak (the open
 * model; --rate max would mean no schedule at all), and --rate/--duration are refused.
 */
export function stagesOverrides(
  flags: StagesFlags,
  given: GivenCheck,
): { stages?: readonly Stage[]; rate?: number; duration?: number } {
  const { stages } = flags;
  if (stages === undefined) return {};
  for (const [key, name] of [
    ['rate', '--rate'],
    ['duration', '--duration'],
  ] as const) {
    if (given(key))
      throw new UsageError(`--stages cannot be combined with ${name}: the stages set the rate and the measured time`);
  }
  return { stages, rate: peakRate(stages), duration: totalDurationMs(stages) };
}

export interface FindMaxFlags {
  findMax?: boolean;
  findMaxStart: number;
  findMaxStep: number;
  findMaxSettle: number;
  findMaxPrecision: number;
  maxThrottled: number;
  maxP99?: number;
}

export const FIND_MAX_DEFAULTS = {
  findMaxStart: 500,
  findMaxStep: 2,
  findMaxSettle: 10_000,
  findMaxPrecision: 5,
  maxThrottled: 1,
} as const;

/** "5%" or "5" -> 5; from `min` (exclusive when 0) to `max`. */
function percentFlag(min: number, max: number): (text: string) => number {
  return adapt((text) => {
    const trimmed = text.trim().replace(/%$/, '');
    const value = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isFinite(value) || value < min || value > max || (min === 0 && value === 0)) {
      throw new ValueError(
        `"${text}" is not a percentage ${min === 0 ? 'above 0' : `from ${min}`} up to ${max} (e.g. 5%)`,
      );
    }
    return value;
  });
}

const factorFlag = adapt((text: string) => {
  const value = parsePositiveNumber(text.trim().replace(/x$/, ''));
  if (value <= 1 || value > 100) throw new ValueError(`"${text}" is not a factor above 1 and at most 100 (e.g. 2)`);
  return value;
});

const startRateFlag = adapt((text: string) => {
  const value = parsePositiveNumber(text.trim().replace(/\/s$/, ''));
  if (value > MAX_STAGE_RATE) throw new ValueError(`"${text}" is above ${MAX_STAGE_RATE} records/s`);
  return value;
});

export function addFindMaxFlags(command: Command): Command {
  return command
    .option(
      '--find-max',
      'search for the highest rate the stream sustains: fixed-rate steps up, then bisection, until a criterion ' +
        'breaks (replaces --rate and --duration)',
    )
    .addOption(
      flag(
        '--find-max-start <records/s>',
        'find-max: the first step rate',
        startRateFlag,
        FIND_MAX_DEFAULTS.findMaxStart,
        '500',
      ),
    )
    .addOption(
      flag(
        '--find-max-step <factor>',
        'find-max: each step up multiplies the rate by this',
        factorFlag,
        FIND_MAX_DEFAULTS.findMaxStep,
        '2',
      ),
    )
    .addOption(
      flag(
        '--find-max-settle <time>',
        'find-max: measured time of each step (after --warmup)',
        durationFlag(1),
        FIND_MAX_DEFAULTS.findMaxSettle,
        '10s',
      ),
    )
    .addOption(
      flag(
        '--find-max-precision <percent>',
        'find-max: stop bisecting when the highest rate that held is within this of the lowest that broke',
        percentFlag(0, 100),
        FIND_MAX_DEFAULTS.findMaxPrecision,
        '5%',
      ),
    )
    .addOption(
      flag(
        '--max-throttled <percent>',
        'find-max: a step breaks above this share of attempts throttled',
        percentFlag(0, 100),
        FIND_MAX_DEFAULTS.maxThrottled,
        '1%',
      ),
    )
    .option(
      '--max-p99 <time>',
      'find-max: a step breaks when record latency p99 is above this (default: no latency bound)',
      durationFlag(1),
    );
}

/**
 * The search settings, or undefined without --find-max; --find-max-* alone, or with --rate/--duration/--stages, is
 * refused.
 */
export function findMaxSettings(flags: FindMaxFlags & StagesFlags, given: GivenCheck): FindMaxSettings | undefined {
  const tuning = [
    ['findMaxStart', '--find-max-start'],
    ['findMaxStep', '--find-max-step'],
    ['findMaxSettle', '--find-max-settle'],
    ['findMaxPrecision', '--find-max-precision'],
    ['maxThrottled', '--max-throttled'],
    ['maxP99', '--max-p99'],
  ] as const;
  if (flags.findMax !== true) {
    const stray = tuning.find(([key]) => given(key));
    if (stray) throw new UsageError(`${stray[1]} only applies with --find-max`);
    return undefined;
  }
  for (const [key, name] of [
    ['rate', '--rate'],
    ['duration', '--duration'],
    ['stages', '--stages'],
  ] as const) {
    if (given(key) || (key === 'stages' && flags.stages !== undefined)) {
      throw new UsageError(
        `--find-max cannot be combined with ${name}: the search sets the rate of each step and its time ` +
          `(--find-max-settle)`,
      );
    }
  }
  return {
    startPerS: flags.findMaxStart,
    stepFactor: flags.findMaxStep,
    precision: flags.findMaxPrecision / 100,
    maxThrottledPct: flags.maxThrottled,
    maxP99Ms: flags.maxP99,
    settleMs: flags.findMaxSettle,
    maxSteps: FIND_MAX_STEPS,
    ceilingPerS: MAX_STAGE_RATE,
  };
}

/** A search that has not converged after this many steps is reported as it stands. */
export const FIND_MAX_STEPS = 30;
