/**
 * What the rest of kbench needs to know of one way lag consumers read a stream (a consumer
 * kind: polling, efo): its own flags and checks, what it sets up on the stream before the
 * run, how a consumer thread reads a shard with it, and how the results describe it. One
 * module per kind implements this; consumers/index.ts keys them by name.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Clock } from '../../measure/clock.js';
import type {
  ConsumerKind,
  ConsumerOptions,
  EfoHttp,
  OptionProblem,
  ProducerOptions,
  RunOptions,
} from '../../config/options.js';
import type { TargetSpec } from '../../config/target-spec.js';
import type { Target } from '../../target/target.js';
import type { ShardReader, ShardReaderContext } from '../shard-reader.js';

/** The consumer flags only some kinds take. */
export type ConsumerFlag = 'pollInterval' | 'efoHttp';

/** What the main thread has for setting consumers up on the stream. */
export interface ConsumerSetupContext {
  /** The session's client (the readers have their own on their threads). */
  readonly client: KinesisClient;
  readonly target: Target;
  readonly streamName: string;
  readonly signal: AbortSignal;
}

export type ConsumerSetupOptions = ConsumerOptions &
  Pick<ProducerOptions, 'producerIdBase'> &
  Pick<RunOptions, 'runId'>;

/** What a consumer kind holds on the stream for a run, from before it starts to after it ends. */
export interface ConsumerSetup<S> {
  /** Sets up what the readers need; throws (a UsageError) when the target cannot. */
  acquire(): Promise<ConsumerPlan<S>>;
  /**
   * Undoes acquire, also one that failed partway: what could not be undone (to be undone by
   * hand), or undefined when nothing was held.
   */
  release(): Promise<readonly string[] | undefined>;
}

export interface ConsumerPlan<S> {
  /** A consumer thread's reading settings (plain data) for this many sockets. */
  reading(maxSockets: number): S;
  /** efo: the HTTP version of the subscriptions; null for kinds without. */
  readonly efoHttp: EfoHttp | null;
}

/** What a consumer thread reads with. */
export interface ReaderContext {
  /** For GetShardIterator, GetRecords and ListShards. */
  readonly client: KinesisClient;
  readonly clock: Clock;
  readonly streamName: string;
}

/** A consumer thread's readers of one kind. */
export interface Readers {
  start(ctx: ShardReaderContext): ShardReader;
  /** After every reader has ended: closes what the kind opened. */
  close(): void;
}

/** The facts the console's consumer line is made of. */
export interface ConsumerLineFacts {
  /** "1 consumer reading every shard". */
  readonly consumers: string;
  /** "drained 5 s after the producers". */
  readonly drained: string;
  readonly pollIntervalMs: number | null;
  /** The subscriptions' HTTP version, as recorded or as the target implies (asked only by kinds that subscribe). */
  readonly efoHttp: () => EfoHttp;
  readonly deregistered: boolean | null;
}

/** What a kind says about itself without its settings' type: enough for flags, checks and text. */
export interface ConsumerKindTraits {
  readonly kind: ConsumerKind;
  /** How `--consumer` help describes it. */
  readonly help: string;
  /** The flags of ConsumerFlag it takes; the CLI refuses the others. */
  readonly flags: readonly ConsumerFlag[];
  /** Problems with its options that only show up together or with the target. */
  crossCheck(options: ConsumerOptions, target: TargetSpec): OptionProblem[];
  /** summary.json's lag block: the poll interval, or null for a kind that does not poll. */
  pollIntervalMs(options: ConsumerOptions): number | null;
  /** The console: what its answers are called (a read of the lag table). */
  readonly readWord: string;
  /** The console: the lag table's column of reads. */
  readonly readColumn: string;
  /** The console: the consumer line. */
  describe(facts: ConsumerLineFacts): string;
}

export interface ConsumerKindModule<K extends ConsumerKind, S> extends ConsumerKindTraits {
  readonly kind: K;
  /** Main thread: what it holds on the stream for the run. */
  setup(ctx: ConsumerSetupContext, options: ConsumerSetupOptions): ConsumerSetup<S>;
  /** A consumer thread: its readers, from the plan's settings. */
  readers(settings: S, ctx: ReaderContext): Readers;
}
