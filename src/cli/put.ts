/** `kbench put`: flags -> PutOptions. No work happens here. */
import path from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { LIMITS, RUN_ID_PATTERN, crossCheckPutOptions, newRunId, type PutOptions } from '../scenario/put-options.js';
import type { KeySpec, Rate } from '../scenario/values.js';
import type { TargetSpec } from '../target/target.js';
import { DEFAULT_RETRY } from '../workload/retry-policy.js';
import { durationFlag, integerFlag, keysFlag, rateFlag } from './flag-parsers.js';

interface PutFlags {
  target?: 'embedded' | 'aws' | 'endpoint';
  endpoint?: string;
  region?: string;
  profile?: string;
  emulatorPort?: number;
  shards: number;
  stream?: string;
  keepStream?: boolean;
  rate: Rate;
  concurrency: number;
  duration: number;
  warmup: number;
  recordSize: number;
  batch: number;
  partitionKeys: KeySpec;
  retries: number;
  retryBackoff: number;
  retryBackoffMax: number;
  interval: number;
  runId?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

/** An option whose default is shown as the user would type it ("30s", not 30000). */
function flag<T>(flags: string, description: string, parse: (text: string) => T, value: T, shown: string): Option {
  return new Option(flags, description).argParser(parse).default(value, shown);
}

export function definePutCommand(run: (options: PutOptions) => Promise<void>): Command {
  return new Command('put')
    .description('producers at a fixed or maximum rate: put throughput, put latency, throttling')
    .addOption(new Option('--target <kind>', 'where to send load: embedded (a local kinesalite kbench starts), aws, or endpoint (with --endpoint)').choices(['embedded', 'aws', 'endpoint']).default(undefined, 'embedded, or endpoint when --endpoint is given'))
    .option('--endpoint <url>', 'a Kinesis-compatible endpoint (LocalStack, kinesis-local, your own kinesalite)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or your AWS profile; us-east-1 for local endpoints)')
    .option('--profile <name>', 'AWS profile for --target aws (default: AWS_PROFILE, else the default profile)')
    .option('--emulator-port <port>', 'port for the embedded emulator (default: a free port)', integerFlag(1, 65535))
    .addOption(flag('--shards <n>', 'shards of the stream kbench creates', integerFlag(1, 100_000), 1, '1'))
    .option('--stream <name>', 'use this existing stream (never deleted) instead of creating one')
    .option('--keep-stream', 'do not delete the stream kbench created')
    .addOption(flag('--rate <records/s|max>', 'records/s in total (open model), or max (closed model)', rateFlag, 'max' as Rate, 'max'))
    .addOption(flag('--concurrency <n>', 'requests in flight at most (with --rate max: exactly)', integerFlag(1, LIMITS.maxConcurrency), 100, '100'))
    .addOption(flag('--duration <time>', 'measured time, e.g. 30s, 2m', durationFlag(1), 30_000, '30s'))
    .addOption(flag('--warmup <time>', 'time run before measuring, not counted', durationFlag(0), 5_000, '5s'))
    .addOption(flag('--record-size <bytes>', `bytes of data per record, kbench's ${LIMITS.minRecordBytes}-byte header included (${LIMITS.minRecordBytes}-${LIMITS.maxRecordBytes})`, integerFlag(LIMITS.minRecordBytes, LIMITS.maxRecordBytes), 100, '100'))
    .addOption(flag('--batch <n>', 'records per request: 1 uses PutRecord, 2-500 use PutRecords', integerFlag(1, LIMITS.maxBatch), 1, '1'))
    .addOption(flag('--partition-keys <random|n|hot>', 'a new random key per record, n distinct keys, or one hot key', keysFlag, { kind: 'random' } as KeySpec, 'random'))
    .addOption(flag('--retries <n>', 'retries of a throttled or failed record before it counts as failed', integerFlag(0, 100), DEFAULT_RETRY.maxRetries, String(DEFAULT_RETRY.maxRetries)))
    .addOption(flag('--retry-backoff <time>', 'first retry waits up to this long (doubling each retry, full jitter)', durationFlag(1), DEFAULT_RETRY.baseDelayMs, `${DEFAULT_RETRY.baseDelayMs}ms`))
    .addOption(flag('--retry-backoff-max <time>', 'longest wait before a retry', durationFlag(1), DEFAULT_RETRY.maxDelayMs, `${DEFAULT_RETRY.maxDelayMs / 1000}s`))
    .addOption(flag('--interval <time>', 'length of one row in intervals.csv and the .hlog files', durationFlag(100), 1_000, '1s'))
    .option('--run-id <id>', 'run id (default: UTC time plus a random suffix)')
    .option('--out <dir>', 'results folder (default: results/<run id>)')
    .option('--json', 'print summary.json on stdout instead of the table')
    .option('--quiet', 'no progress bar')
    .action(async (flags: PutFlags) => {
      await run(putOptionsFromFlags(flags));
    });
}

export function putOptionsFromFlags(flags: PutFlags): PutOptions {
  const runId = flags.runId ?? newRunId();
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new UsageError(`--run-id "${runId}" must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  if (flags.retryBackoffMax < flags.retryBackoff) {
    throw new UsageError(`--retry-backoff-max must be at least --retry-backoff`);
  }
  const options: PutOptions = {
    target: targetFromFlags(flags),
    stream: flags.stream,
    shards: flags.shards,
    keepStream: flags.keepStream === true,
    rate: flags.rate,
    concurrency: flags.concurrency,
    durationMs: flags.duration,
    warmupMs: flags.warmup,
    recordSize: flags.recordSize,
    batch: flags.batch,
    keys: flags.partitionKeys,
    retry: { maxRetries: flags.retries, baseDelayMs: flags.retryBackoff, maxDelayMs: flags.retryBackoffMax },
    intervalMs: flags.interval,
    runId,
    out: flags.out ?? path.join('results', runId),
    json: flags.json === true,
    quiet: flags.quiet === true,
  };
  const [problem] = crossCheckPutOptions(options);
  if (problem) throw new UsageError(`--${kebab(problem.option)}: ${problem.message}`);
  return options;
}

function targetFromFlags(flags: PutFlags): TargetSpec {
  const kind = flags.target ?? (flags.endpoint !== undefined ? 'endpoint' : 'embedded');
  if (flags.endpoint !== undefined && kind !== 'endpoint') {
    throw new UsageError(`--endpoint cannot be used with --target ${kind}`);
  }
  if (flags.emulatorPort !== undefined && kind !== 'embedded') {
    throw new UsageError('--emulator-port only applies to --target embedded');
  }
  if (flags.profile !== undefined && kind !== 'aws') {
    throw new UsageError('--profile only applies to --target aws');
  }
  switch (kind) {
    case 'embedded':
      return flags.emulatorPort === undefined ? { kind } : { kind, emulatorPort: flags.emulatorPort };
    case 'aws':
      return {
        kind,
        ...(flags.region !== undefined && { region: flags.region }),
        ...(flags.profile !== undefined && { profile: flags.profile }),
      };
    case 'endpoint':
      if (flags.endpoint === undefined) throw new UsageError('--target endpoint needs --endpoint <url>');
      return { kind, url: flags.endpoint, ...(flags.region !== undefined && { region: flags.region }) };
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
