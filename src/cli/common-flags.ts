/**
 * Flag groups that several commands share (put, lag, ...): where the load goes, which
 * stream, how producers behave, how long and where results go. Each group adds its flags
 * to a command and turns the parsed values into the matching typed options.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../errors/errors.js';
import {
  LIMITS,
  RUN_ID_PATTERN,
  crossCheckProducer,
  crossCheckStream,
  crossCheckWorkers,
  defaultWorkers,
  newRunId,
  type OptionProblem,
  type ProducerOptions,
  type RunOptions,
  type StreamOptions,
  type TargetOptions,
} from '../config/options.js';
import type { KeySpec, Rate } from '../config/values.js';
import { CLIENT_KIND_MODULES } from '../client/create-data-plane.js';
import { CLIENT_KINDS, DEFAULT_CLIENT, type ClientKind } from '../config/client-kind.js';
import { EMULATORS } from '../config/target-spec.js';
import { TARGET_KINDS, TARGET_KIND_NAMES } from '../target/kinds/index.js';
import type { TargetFlag, TargetFlagValues, TargetKind, TargetKindTraits } from '../target/kinds/kind.js';
import { DEFAULT_RETRY } from '../config/retry-policy.js';
import {
  durationFlag,
  errorFaultsFlag,
  integerFlag,
  keysFlag,
  latencyFaultsFlag,
  limitsFlag,
  rateFlag,
} from './flag-parsers.js';

/** An option whose default is shown as the user would type it ("30s", not 30000). */
export function flag<T>(
  flags: string,
  description: string,
  parse: (text: string) => T,
  value: T,
  shown: string,
): Option {
  return new Option(flags, description).argParser(parse).default(value, shown);
}

export interface TargetFlags extends TargetFlagValues {
  target?: TargetKind;
}

/** Quotas and faults are kbench's own layer in front of a local target; AWS has real ones. */
const LOCAL_ONLY = 'only applies to local targets (embedded, or --endpoint): AWS enforces its own quotas and faults';

/** The flags only some target kinds take, in the order they are checked, and what is said when a kind does not. */
const KIND_FLAGS: ReadonlyArray<readonly [TargetFlag, (kind: TargetKind) => string]> = [
  ['endpoint', (kind) => `--endpoint cannot be used with --target ${kind}`],
  ['emulatorPort', () => '--emulator-port only applies to --target embedded'],
  ['emulator', () => '--emulator only applies to --target embedded'],
  ['profile', () => '--profile only applies to --target aws'],
  ['limits', () => `--limits ${LOCAL_ONLY}`],
  ['injectLatency', () => `--inject-latency ${LOCAL_ONLY}`],
  ['injectErrors', () => `--inject-errors ${LOCAL_ONLY}`],
];

export function addTargetFlags(command: Command): Command {
  const kinds = TARGET_KIND_NAMES.map((kind) => TARGET_KINDS[kind].help);
  return command
    .addOption(
      new Option(
        '--target <kind>',
        `where to send load: ${kinds.slice(0, -1).join(', ')}, or ${kinds.at(-1) ?? ''}`,
      ).choices(TARGET_KIND_NAMES),
    )
    .option('--endpoint <url>', 'a Kinesis-compatible endpoint (LocalStack, kinesis-local, your own kinesalite)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or your AWS profile; us-east-1 for local endpoints)')
    .option('--profile <name>', 'AWS profile for --target aws (default: AWS_PROFILE, else the default profile)')
    .addOption(
      new Option(
        '--emulator <name>',
        'emulator of the embedded target: kinesalite, or kinesis-mock (slower, has enhanced fan-out) (default: ' +
          'kinesalite)',
      ).choices(EMULATORS),
    )
    .option('--emulator-port <port>', 'port for the embedded emulator (default: a free port)', integerFlag(1, 65535))
    .option(
      '--limits <aws|none|numbers>',
      'per-shard quotas a local target enforces: aws, none, or numbers like write-records=500,read-calls=2 ' +
        '(default: aws for embedded, none for --endpoint)',
      limitsFlag,
    )
    .option(
      '--inject-latency <latency>',
      'latency added to data calls on a local target: 20ms, 10ms-50ms, exp:20ms, or writes=...,reads=...',
      latencyFaultsFlag,
    )
    .option(
      '--inject-errors <rates>',
      'share of data calls failed on a local target: 2%, or 500=1%,503=0.5%,reset=0.5%',
      errorFaultsFlag,
    );
}

export function targetOptions(flags: TargetFlags): TargetOptions {
  const kind = flags.target ?? (flags.endpoint !== undefined ? 'endpoint' : 'embedded');
  const module: TargetKindTraits = TARGET_KINDS[kind];
  for (const [name, refusal] of KIND_FLAGS) {
    if (flags[name] !== undefined && !module.flags.includes(name)) throw new UsageError(refusal(kind));
  }
  return { target: module.specFromFlags(flags) };
}

export interface StreamFlags {
  shards: number;
  stream?: string;
  keepStream?: boolean;
}

export function addStreamFlags(command: Command): Command {
  return command
    .addOption(flag('--shards <n>', 'shards of the stream kbench creates', integerFlag(1, 100_000), 1, '1'))
    .option('--stream <name>', 'use this existing stream (never deleted) instead of creating one')
    .option('--keep-stream', 'do not delete the stream kbench created');
}

export function streamOptions(flags: StreamFlags): StreamOptions {
  const options: StreamOptions = { stream: flags.stream, shards: flags.shards, keepStream: flags.keepStream === true };
  throwFirst(crossCheckStream(options));
  return options;
}

export interface ProducerFlags {
  rate: Rate;
  concurrency: number;
  recordSize: number;
  batch: number;
  partitionKeys: KeySpec;
  retries: number;
  retryBackoff: number;
  retryBackoffMax: number;
  producerIdBase: number;
  client: ClientKind;
}

export function addProducerFlags(command: Command, defaults: { readonly rate: Rate }): Command {
  return command
    .addOption(
      flag(
        '--rate <records/s|max>',
        'records/s in total (open model), or max (closed model)',
        rateFlag,
        defaults.rate,
        String(defaults.rate),
      ),
    )
    .addOption(
      flag(
        '--concurrency <n>',
        'requests in flight at most (with --rate max: exactly)',
        integerFlag(1, LIMITS.maxConcurrency),
        100,
        '100',
      ),
    )
    .addOption(
      flag(
        '--record-size <bytes>',
        `bytes of data per record, kbench's ${LIMITS.minRecordBytes}-byte header included ` +
          `(${LIMITS.minRecordBytes}-${LIMITS.maxRecordBytes})`,
        integerFlag(LIMITS.minRecordBytes, LIMITS.maxRecordBytes),
        100,
        '100',
      ),
    )
    .addOption(
      flag(
        '--batch <n>',
        'records per request: 1 uses PutRecord, 2-500 use PutRecords',
        integerFlag(1, LIMITS.maxBatch),
        1,
        '1',
      ),
    )
    .addOption(
      flag(
        '--partition-keys <random|n|hot>',
        'a new random key per record, n distinct keys, or one hot key',
        keysFlag,
        { kind: 'random' } as KeySpec,
        'random',
      ),
    )
    .addOption(
      flag(
        '--retries <n>',
        'retries of a throttled or failed record before it counts as failed',
        integerFlag(0, 100),
        DEFAULT_RETRY.maxRetries,
        String(DEFAULT_RETRY.maxRetries),
      ),
    )
    .addOption(
      flag(
        '--retry-backoff <time>',
        'first retry waits up to this long (doubling each retry, full jitter)',
        durationFlag(1),
        DEFAULT_RETRY.baseDelayMs,
        `${DEFAULT_RETRY.baseDelayMs}ms`,
      ),
    )
    .addOption(
      flag(
        '--retry-backoff-max <time>',
        'longest wait before a retry',
        durationFlag(1),
        DEFAULT_RETRY.maxDelayMs,
        `${DEFAULT_RETRY.maxDelayMs / 1000}s`,
      ),
    )
    .addOption(
      flag(
        '--producer-id-base <n>',
        'producer id of the first worker in the record header (worker i: n + i); give each process of one --run-id ' +
          'on one stream its own, at least --workers apart',
        integerFlag(0, LIMITS.maxProducerIdBase),
        0,
        '0',
      ),
    )
    .addOption(
      new Option(
        `--client <${CLIENT_KINDS.join('|')}>`,
        `data-path client for puts: ${CLIENT_KINDS.map((kind) => CLIENT_KIND_MODULES[kind].help).join(' or ')}`,
      )
        .choices(CLIENT_KINDS)
        .default(DEFAULT_CLIENT),
    );
}

export function producerOptions(flags: ProducerFlags): ProducerOptions {
  const options: ProducerOptions = {
    rate: flags.rate,
    concurrency: flags.concurrency,
    recordSize: flags.recordSize,
    batch: flags.batch,
    keys: flags.partitionKeys,
    retry: { maxRetries: flags.retries, baseDelayMs: flags.retryBackoff, maxDelayMs: flags.retryBackoffMax },
    producerIdBase: flags.producerIdBase,
    client: flags.client,
  };
  throwFirst(crossCheckProducer(options));
  return options;
}

export interface RunFlags {
  duration: number;
  warmup: number;
  interval: number;
  runId?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
  workers?: number;
}

export function addRunFlags(
  command: Command,
  defaults: { readonly durationMs: number; readonly warmupMs: number },
): Command {
  return command
    .addOption(
      flag(
        '--duration <time>',
        'measured time, e.g. 30s, 2m',
        durationFlag(1),
        defaults.durationMs,
        formatMs(defaults.durationMs),
      ),
    )
    .addOption(
      flag(
        '--warmup <time>',
        'time run before measuring, not counted',
        durationFlag(0),
        defaults.warmupMs,
        formatMs(defaults.warmupMs),
      ),
    )
    .addOption(
      flag(
        '--interval <time>',
        'length of one row in intervals.csv and the .hlog files',
        durationFlag(100),
        1_000,
        '1s',
      ),
    )
    .option('--run-id <id>', 'run id (default: UTC time plus a random suffix)')
    .option('--out <dir>', 'results folder (default: results/<run id>)')
    .option(
      '--force',
      "a non-empty --out folder: remove the kbench results in it (only kbench's files) instead of refusing it",
    )
    .option('--json', 'print summary.json on stdout instead of the table')
    .option('--quiet', 'no progress on stderr (a bar on a terminal, a line every 10 s in a log)')
    .option(
      '--workers <n>',
      `worker threads generating load, each with its own client (default: cores - 1, at least ` +
        `1; ${defaultWorkers(availableParallelism(), Infinity)} here)`,
      integerFlag(1, LIMITS.maxWorkers),
    );
}

/** Run options; `concurrency` caps the default number of workers. */
export function runOptions(flags: RunFlags, concurrency: number): RunOptions {
  const runId = flags.runId ?? newRunId();
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new UsageError(
      `--run-id "${runId}" must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return {
    durationMs: flags.duration,
    warmupMs: flags.warmup,
    intervalMs: flags.interval,
    runId,
    out: flags.out ?? path.join('results', runId),
    force: flags.force === true,
    json: flags.json === true,
    quiet: flags.quiet === true,
    workers: flags.workers ?? defaultWorkers(availableParallelism(), concurrency),
  };
}

/** Producer options checked together with the number of workers sharing them. */
export function checkWorkers(options: ProducerOptions & Pick<RunOptions, 'workers'>): void {
  throwFirst(crossCheckWorkers(options));
}

/** Turns the first cross-check problem into a usage error naming its flag. */
export function throwFirst(problems: readonly OptionProblem[]): void {
  const [problem] = problems;
  if (problem)
    throw new UsageError(`--${problem.option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${problem.message}`);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
