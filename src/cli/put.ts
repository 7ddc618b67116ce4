/** `kbench put`: flags -> PutOptions. No work happens here. */
import { Command } from 'commander';
import type { PutOptions } from '../scenario/options.js';
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
import { addStagesFlag, givenOnCommandLine, givenUnlessDefault, stagesOverrides, type GivenCheck, type StagesFlags } from './profile-flags.js';

export type PutFlags = TargetFlags & StreamFlags & ProducerFlags & RunFlags & StagesFlags;

/** The defaults --stages replaces, to tell a scenario's given value from a default. */
const PUT_DEFAULTS = { rate: 'max', duration: 30_000 } as const;

export function definePutCommand(run: (options: PutOptions) => Promise<void>): Command {
  const command = new Command('put').description('producers at a fixed or maximum rate: put throughput, put latency, throttling');
  addTargetFlags(command);
  addStreamFlags(command);
  addProducerFlags(command, { rate: 'max' });
  addRunFlags(command, { durationMs: PUT_DEFAULTS.duration, warmupMs: 5_000 });
  addStagesFlag(command);
  return command.action(async (flags: PutFlags) => {
    await run(putOptionsFromFlags(flags, givenOnCommandLine(command)));
  });
}

export function putOptionsFromFlags(given: PutFlags, isGiven: GivenCheck = givenUnlessDefault(given, PUT_DEFAULTS)): PutOptions {
  const staged = stagesOverrides(given, isGiven);
  const flags: PutFlags = { ...given, ...staged };
  const options: PutOptions = {
    ...targetOptions(flags),
    ...streamOptions(flags),
    ...producerOptions(flags),
    ...runOptions(flags, flags.concurrency),
    ...(staged.stages && { stages: staged.stages }),
  };
  checkWorkers(options);
  return options;
}
