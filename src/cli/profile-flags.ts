/**
 * Load that changes over time (`--stages`, put and lag): the flag and how it replaces
 * --rate and --duration. A flag given on the command line or a field in a scenario file
 * alike: combining it with --rate or --duration is refused, since either would be
 * silently ignored.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseStages, peakRate, totalDurationMs, type Stage } from '../workload/rate-profile.js';
import { adapt } from './flag-parsers.js';

export interface StagesFlags {
  stages?: readonly Stage[];
}

/** Whether a flag (by commander key) was given, rather than left to its default. */
export type GivenCheck = (key: string) => boolean;

export function addStagesFlag(command: Command): Command {
  return command.addOption(
    new Option(
      '--stages <list>',
      'load that changes over time, replacing --rate and --duration: steps and linear ramps of records/s in total, e.g. 500/s:30s,3000/s:10s,500/s:60s or 0-5000/s:2m',
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
export function stagesOverrides(flags: StagesFlags, given: GivenCheck): { stages?: readonly Stage[]; rate?: number; duration?: number } {
  const { stages } = flags;
  if (stages === undefined) return {};
  for (const [key, name] of [
    ['rate', '--rate'],
    ['duration', '--duration'],
  ] as const) {
    if (given(key)) throw new UsageError(`--stages cannot be combined with ${name}: the stages set the rate and the measured time`);
  }
  return { stages, rate: peakRate(stages), duration: totalDurationMs(stages) };
}
