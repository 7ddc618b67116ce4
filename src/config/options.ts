/**
 * What a run is told, typed and checked, in parts that commands combine: every command
 * has a target and a stream; commands that produce have producer options. Flags (and
 * scenario files) are turned into these; nothing downstream reads raw strings.
 */
import type { ClientKind } from './client-kind.js';
import type { TargetSpec } from './target-spec.js';
import { HEADER_BYTES } from './record-header-size.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Stage } from './stage-values.js';
import type { FindMaxSettings } from './find-max-settings.js';
import { maxKeyLength, type KeySpec, type Rate } from './values.js';

export interface TargetOptions {
  readonly target: TargetSpec;
}

export interface StreamOptions {
  /** An existing stream to use (never deleted); undefined creates kbench-<run id>. */
  readonly stream: string | undefined;
  readonly shards: number;
  readonly keepStream: boolean;
}

export interface ProducerOptions {
  readonly rate: Rate;
  readonly concurrency: number;
  readonly recordSize: number;
  readonly batch: number;
  readonly keys: KeySpec;
  readonly retry: RetryPolicy;
  /**
   * The producer id of the first worker; worker i stamps base + i in the record header.
   * Processes of one run (same --run-id) on one stream need bases apart by at least their
   * workers, or a lag consumer cannot tell their records apart.
   */
  readonly producerIdBase: number;
  /** The data-path client for puts (the SDK stays for everything else). */
  readonly client: ClientKind;
  /** Load that changes over the measured phase (--stages); `rate` is then its peak. */
  readonly stages?: readonly Stage[];
}

export interface RunOptions {
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly intervalMs: number;
  readonly runId: string;
  /** The results folder for this run. */
  readonly out: string;
  /** A non-empty results folder: remove kbench's files from it rather than refuse it. */
  readonly force: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  /** Worker threads generating load, each with its own client and event loop. */
  readonly workers: number;
}

/** What every command that runs against a stream is told. */
export type SessionOptions = TargetOptions & StreamOptions & RunOptions;

export type PutOptions = SessionOptions &
  ProducerOptions & {
    /** --find-max: search for the highest sustainable rate instead of one run at --rate. */
    readonly findMax?: FindMaxSettings;
  };

/** How lag consumers read: polling GetRecords, or enhanced fan-out (SubscribeToShard). */
export type ConsumerKind = 'polling' | 'efo';
export const CONSUMER_KINDS = ['polling', 'efo'] as const satisfies readonly ConsumerKind[];

/** The HTTP version of SubscribeToShard (enhanced fan-out). */
export type EfoHttp = '1.1' | '2';
export const EFO_HTTP_VERSIONS = ['1.1', '2'] as const satisfies readonly EfoHttp[];

export interface ConsumerOptions {
  readonly consumer: ConsumerKind;
  /**
   * efo only: the HTTP version of the subscriptions; unset, the target's own (HTTP/2 for
   * AWS, which requires it; HTTP/1.1 for the emulators, kinesis-mock fails on HTTP/2).
   */
  readonly efoHttp?: EfoHttp;
  /** Polling only: a GetRecords call starts this long after the previous one started. */
  readonly pollIntervalMs: number;
  /** Consumer applications, each reading every shard. */
  readonly consumersPerShard: number;
  /** After the producers finish, how long consumers may take to receive the rest. */
  readonly drainMs: number;
  /** Missing records fail the run (exit code 1). */
  readonly strict: boolean;
}

export type LagOptions = PutOptions & ConsumerOptions;

export const LIMITS = {
  /** The Kinesis record limit (data blob), by default. */
  maxRecordBytes: 1024 * 1024,
  maxBatch: 500,
  /** PutRecords request limit, data and partition keys. */
  maxRequestBytes: 5 * 1024 * 1024,
  minRecordBytes: HEADER_BYTES,
  maxConcurrency: 10_000,
  /** A stream has at most 20 registered (enhanced fan-out) consumers. */
  maxEfoConsumers: 20,
  maxPollingConsumers: 100,
  maxPollIntervalMs: 60_000,
  maxWorkers: 256,
  /** Producer ids are uint32 in the record header: room for the most workers above the base. */
  maxProducerIdBase: 2 ** 32 - 256,
} as const;

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A problem with one option: which option, and what is allowed. */
export interface OptionProblem {
  readonly option: string;
  readonly message: string;
}

/** Checks that only show up when stream options are combined. */
/** Kinesis stream names: 1-128 letters, digits, '_', '.' and '-'. */
export const STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,128}$/;

export function crossCheckStream(options: StreamOptions): OptionProblem[] {
  if (options.stream !== undefined && !STREAM_NAME_PATTERN.test(options.stream)) {
    return [
      { option: 'stream', message: `"${options.stream}" is not a stream name: 1-128 letters, digits, '_', '.' or '-'` },
    ];
  }
  if (options.stream !== undefined && options.keepStream) {
    return [{ option: 'keepStream', message: 'has no effect with --stream: an existing stream is never deleted' }];
  }
  return [];
}

/** Checks that only show up when producer options are combined. */
export function crossCheckProducer(options: ProducerOptions): OptionProblem[] {
  const requestBytes = options.batch * (options.recordSize + maxKeyLength(options.keys));
  if (options.batch > 1 && requestBytes > LIMITS.maxRequestBytes) {
    return [
      {
        option: 'batch',
        message:
          `${options.batch} records of ${options.recordSize} bytes (with their partition keys) make requests ` +
          `of ${requestBytes} bytes; PutRecords allows at most ${LIMITS.maxRequestBytes} bytes (5 MiB) (lower ` +
          `--batch or --record-size)`,
      },
    ];
  }
  if (options.retry.maxDelayMs < options.retry.baseDelayMs) {
    return [{ option: 'retryBackoffMax', message: 'must be at least --retry-backoff' }];
  }
  return [];
}

/** Each worker needs at least one request in flight. */
export function crossCheckWorkers(options: ProducerOptions & Pick<RunOptions, 'workers'>): OptionProblem[] {
  if (options.concurrency < options.workers) {
    return [
      {
        option: 'workers',
        message:
          `${options.workers} workers need --concurrency of at least ${options.workers} (one request in ` +
          `flight each)`,
      },
    ];
  }
  return [];
}

/**
 * Default workers: one per core, less one for the emulator or the OS, and no more than
 * requests in flight.
 */
export function defaultWorkers(cores: number, concurrency: number): number {
  return Math.max(1, Math.min(cores - 1, concurrency));
}

/** Default run id: sortable, readable, unique enough for one user's results folder. */
export function newRunId(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}

export function streamNameFor(runId: string): string {
  return `kbench-${runId}`;
}
