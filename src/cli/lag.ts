/** `kbench lag`: flags -> LagOptions. No work happens here. */
import { Command, Option } from 'commander';
import { UsageError } from '../errors/errors.js';
import { CONSUMER_KINDS, EFO_HTTP_VERSIONS, LIMITS, crossCheckConsumer, type ConsumerKind, type ConsumerOptions, type EfoHttp, type LagOptions } from '../config/options.js';
import {
  addProducerFlags,
  addRunFlags,
  addStreamFlags,
  addTargetFlags,
  checkWorkers,
  flag,
  producerOptions,
  runOptions,
  streamOptions,
  targetOptions,
  throwFirst,
  type ProducerFlags,
  type RunFlags,
  type StreamFlags,
  type TargetFlags,
} from './common-flags.js';
import { boundedDurationFlag, integerFlag } from './flag-parsers.js';
import { addStagesFlag, givenOnCommandLine, givenUnlessDefault, stagesOverrides, type GivenCheck, type StagesFlags } from './profile-flags.js';

interface ConsumerFlags {
  consumer: ConsumerKind;
  efoHttp?: EfoHttp;
  pollInterval?: number;
  consumersPerShard: number;
  drain: number;
  strict?: boolean;
}

export type LagFlags = TargetFlags & StreamFlags & ProducerFlags & RunFlags & ConsumerFlags & StagesFlags;

/** As the Kinesis Client Library polls; the talk's 200 ms is the floor before throttling. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** Lag under saturation is another question: by default the producers write a modest fixed rate. */
export const LAG_DEFAULT_RATE = 100;

export function defineLagCommand(run: (options: LagOptions) => Promise<void>): Command {
  const command = new Command('lag').description(
    'producers and consumers on one stream: put-to-get lag (polling or enhanced fan-out), and whether every record arrives',
  );
  addTargetFlags(command);
  addStreamFlags(command);
  addProducerFlags(command, { rate: LAG_DEFAULT_RATE });
  addRunFlags(command, { durationMs: 30_000, warmupMs: 2_000 });
  command
    .addOption(
      new Option('--consumer <kind>', 'polling (GetRecords every --poll-interval) or efo (enhanced fan-out, SubscribeToShard)')
        .choices(CONSUMER_KINDS)
        .default('polling'),
    )
    .addOption(
      // No default: unset means the target's own (HTTP/2 for AWS, HTTP/1.1 for emulators).
      new Option('--efo-http <version>', 'efo: the HTTP version of SubscribeToShard (default: 2 against AWS, 1.1 elsewhere)').choices(EFO_HTTP_VERSIONS),
    )
    .addOption(
      // No default value here (only shown): an efo run given a poll interval is refused, from
      // a flag or a scenario field alike, so "given" must be visible in the parsed values.
      new Option(
        '--poll-interval <time>',
        `polling: a GetRecords call per shard this often (0 to 60s; default: ${DEFAULT_POLL_INTERVAL_MS / 1000}s)`,
      ).argParser(boundedDurationFlag(LIMITS.maxPollIntervalMs)),
    )
    .addOption(
      flag('--consumers-per-shard <n>', `consumer applications, each reading every shard (1-${LIMITS.maxPollingConsumers}; efo: 1-${LIMITS.maxEfoConsumers})`, integerFlag(1, LIMITS.maxPollingConsumers), 1, '1'),
    )
    .addOption(flag('--drain <time>', 'after the producers stop, how long consumers may take to receive the rest', boundedDurationFlag(600_000), 5_000, '5s'))
    .option('--strict', 'missing records fail the run (exit code 1)');
  addStagesFlag(command);
  return command.action(async (flags: LagFlags) => {
    await run(lagOptionsFromFlags(flags, givenOnCommandLine(command)));
  });
}

export function lagOptionsFromFlags(given: LagFlags, isGiven: GivenCheck = givenUnlessDefault(given, { rate: LAG_DEFAULT_RATE, duration: 30_000 })): LagOptions {
  const staged = stagesOverrides(given, isGiven);
  const flags: LagFlags = { ...given, ...staged };
  const target = targetOptions(flags);
  if (flags.consumer === 'efo' && flags.pollInterval !== undefined) {
    throw new UsageError('--poll-interval only applies to --consumer polling');
  }
  if (flags.consumer !== 'efo' && flags.efoHttp !== undefined) {
    throw new UsageError('--efo-http only applies to --consumer efo');
  }
  const consumer: ConsumerOptions = {
    consumer: flags.consumer,
    ...(flags.efoHttp !== undefined && { efoHttp: flags.efoHttp }),
    pollIntervalMs: flags.pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
    consumersPerShard: flags.consumersPerShard,
    drainMs: flags.drain,
    strict: flags.strict === true,
  };
  throwFirst(crossCheckConsumer(consumer, target.target));
  const options: LagOptions = {
    ...target,
    ...streamOptions(flags),
    ...producerOptions(flags),
    ...runOptions(flags, flags.concurrency),
    ...consumer,
    ...(staged.stages && { stages: staged.stages }),
  };
  checkWorkers(options);
  return options;
}
