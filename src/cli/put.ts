/** `kbench put`: flags -> PutOptions. No work happens here. */
import { Command } from 'commander';
import type { PutOptions } from '../config/options.js';
import {
  addProducerFlags,
  addRunFlags,
  addStreamFlags,
  addTargetFlags,
  checkWorkers,
  producerOptions,
  runOptions,
  streamOptions,
  targetOptions,
  type ProducerFlags,
  type RunFlags,
  type StreamFlags,
  type TargetFlags,
} from './common-flags.js';
import {
  FIND_MAX_DEFAULTS,
  addFindMaxFlags,
  addStagesFlag,
  findMaxSettings,
  givenOnCommandLine,
  givenUnlessDefault,
  stagesOverrides,
  type FindMaxFlags,
  type GivenCheck,
  type StagesFlags,
} from './profile-flags.js';

export type PutFlags = TargetFlags & StreamFlags & ProducerFlags & RunFlags & StagesFlags & FindMaxFlags;

/** The defaults --stages replaces, to tell a scenario's given value from a default. */
const PUT_DEFAULTS = { rate: 'max', duration: 30_000, ...FIND_MAX_DEFAULTS } as const;

export function definePutCommand(run: (options: PutOptions) => Promise<void>): Command {
  const command = new Command('put').description(
    'producers at a fixed or maximum rate: put throughput, put latency, throttling',
  );
  addTargetFlags(command);
  addStreamFlags(command);
  addProducerFlags(command, { rate: 'max' });
  addRunFlags(command, { durationMs: PUT_DEFAULTS.duration, warmupMs: 5_000 });
  addStagesFlag(command);
  addFindMaxFlags(command);
  return command.action(async (flags: PutFlags) => {
    await run(putOptionsFromFlags(flags, givenOnCommandLine(command)));
  });
}

export function putOptionsFromFlags(
  given: PutFlags,
  isGiven: GivenCheck = givenUnlessDefault(given, PUT_DEFAULTS),
): PutOptions {
  const findMax = findMaxSettings(given, isGiven);
  const staged = stagesOverrides(given, isGiven);
  // With --find-max each step sets its rate; the first one's stands in until then.
  const flags: PutFlags = {
    ...given,
    ...staged,
    ...(findMax && { rate: findMax.startPerS, duration: findMax.settleMs }),
  };
  const options: PutOptions = {
    ...targetOptions(flags),
    ...streamOptions(flags),
    ...producerOptions(flags),
    ...runOptions(flags, flags.concurrency),
    ...(staged.stages && { stages: staged.stages }),
    ...(findMax && { findMax }),
  };
  checkWorkers(options);
  return options;
}
