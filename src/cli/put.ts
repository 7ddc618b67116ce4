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

export type PutFlags = TargetFlags & StreamFlags & ProducerFlags & RunFlags;

export function definePutCommand(run: (options: PutOptions) => Promise<void>): Command {
  const command = new Command('put').description('producers at a fixed or maximum rate: put throughput, put latency, throttling');
  addTargetFlags(command);
  addStreamFlags(command);
  addProducerFlags(command, { rate: 'max' });
  addRunFlags(command, { durationMs: 30_000, warmupMs: 5_000 });
  return command.action(async (flags: PutFlags) => {
    await run(putOptionsFromFlags(flags));
  });
}

export function putOptionsFromFlags(flags: PutFlags): PutOptions {
  const options: PutOptions = {
    ...targetOptions(flags),
    ...streamOptions(flags),
    ...producerOptions(flags),
    ...runOptions(flags, flags.concurrency),
  };
  checkWorkers(options);
  return options;
}
