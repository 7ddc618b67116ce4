/** `kbench lag`: flags -> LagOptions. No work happens here. */
import { Command, Option } from 'commander';
import { UsageError } from '../errors/errors.js';
import {
  CONSUMER_KINDS,
  EFO_HTTP_VERSIONS,
  LIMITS,
  type ConsumerKind,
  type ConsumerOptions,
  type EfoHttp,
  type LagOptions,
} from '../config/options.js';
import { CONSUMER_KIND_MODULES } from '../workload/consumers/index.js';
import type { ConsumerFlag, ConsumerKindTraits } from '../workload/consumers/kind.js';
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
import {
  addStagesFlag,
  givenOnCommandLine,
  givenUnlessDefault,
  stagesOverrides,
  type GivenCheck,
  type StagesFlags,
} from './profile-flags.js';

interface ConsumerFlags {
  consumer: ConsumerKind;
  efoHttp?: EfoHttp;
  pollInterval?: number;
  consumersPerShard: number;
  drain: number;
  strict?: boolean;
}

export type LagFlags = TargetFlags & StreamFlags & ProducerFlags & RunFlags & ConsumerFlags & StagesFlags;

/** The flags only some consumer kinds take, in the order they are checked. */
const KIND_FLAGS: ReadonlyArray<readonly [ConsumerFlag, string]> = [
  ['pollInterval', '--poll-interval'],
  ['efoHttp', '--efo-http'],
];

/** As the Kinesis Client Library polls; the talk's 200 ms is the floor before throttling. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** Lag under saturation is another question: by default the producers write a modest fixed rate. */
export const LAG_DEFAULT_RATE = 100;

export function defineLagCommand(run: (options: LagOptions) => Promise<void>): Command {
  const command = new Command('lag').description(
    'producers and consumers on one stream: put-to-get lag (polling or enhanced fan-out), and whether every record ' +
      'arrives',
  );
  addTargetFlags(command);
  addStreamFlags(command);
  addProducerFlags(command, { rate: LAG_DEFAULT_RATE });
  addRunFlags(command, { durationMs: 30_000, warmupMs: 2_000 });
  command
    .addOption(
      new Option('--consumer <kind>', CONSUMER_KINDS.map((kind) => CONSUMER_KIND_MODULES[kind].help).join(' or '))
        .choices(CONSUMER_KINDS)
        .default('polling'),
    )
    .addOption(
      // No default: unset means the target's own (HTTP/2 for AWS, HTTP/1.1 for emulators).
      new Option(
        '--efo-http <version>',
        'efo: the HTTP version of SubscribeToShard (default: 2 against AWS, 1.1 elsewhere)',
      ).choices(EFO_HTTP_VERSIONS),
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
      flag(
        '--consumers-per-shard <n>',
        `consumer applications, each reading every shard (1-${LIMITS.maxPollingConsumers}; efo: ` +
          `1-${LIMITS.maxEfoConsumers})`,
        integerFlag(1, LIMITS.maxPollingConsumers),
        1,
        '1',
      ),
    )
    .addOption(
      flag(
        '--drain <time>',
        'after the producers stop, how long consumers may take to receive the rest',
        boundedDurationFlag(600_000),
        5_000,
        '5s',
      ),
    )
    .option('--strict', 'missing records fail the run (exit code 1)');
  addStagesFlag(command);
  return command.action(async (flags: LagFlags) => {
    await run(lagOptionsFromFlags(flags, givenOnCommandLine(command)));
  });
}

export function lagOptionsFromFlags(
  given: LagFlags,
  isGiven: GivenCheck = givenUnlessDefault(given, { rate: LAG_DEFAULT_RATE, duration: 30_000 }),
): LagOptions {
  const staged = stagesOverrides(given, isGiven);
  const flags: LagFlags = { ...given, ...staged };
  const target = targetOptions(flags);
  const kind: ConsumerKindTraits = CONSUMER_KIND_MODULES[flags.consumer];
  for (const [name, flag] of KIND_FLAGS) {
    if (flags[name] !== undefined && !kind.flags.includes(name)) {
      const owners = CONSUMER_KINDS.filter((other) => CONSUMER_KIND_MODULES[other].flags.includes(name));
      throw new UsageError(`${flag} only applies to --consumer ${owners.join(' or ')}`);
    }
  }
  const consumer: ConsumerOptions = {
    consumer: flags.consumer,
    ...(flags.efoHttp !== undefined && { efoHttp: flags.efoHttp }),
    pollIntervalMs: flags.pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
    consumersPerShard: flags.consumersPerShard,
    drainMs: flags.drain,
    strict: flags.strict === true,
  };
  throwFirst(kind.crossCheck(consumer, target.target));
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
