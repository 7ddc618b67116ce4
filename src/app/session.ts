/**
 * What every command that runs against a stream needs around its run, whatever the run
 * does: a writable results folder, the target (an emulator started, or AWS checked), the
 * stream (created or opened), and cleanup afterwards whatever happened: the created
 * stream deleted, clients closed, the emulator stopped.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { RunError, UsageError, errorMessage } from '../errors/errors.js';
import { MonotonicClock } from '../measure/clock.js';
import { streamNameFor, type SessionOptions } from '../config/options.js';
import { ResultsFolder } from '../results/results-folder.js';
import type { SessionRecord } from '../results/session-record.js';
import { createStream, deleteStream, openExistingStream, type StreamHandle } from '../target/stream.js';
import { openTarget } from '../target/kinds/index.js';
import type { Target } from '../target/target.js';

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  /** Aborted on Ctrl-C / SIGTERM, with a string reason. */
  readonly signal: AbortSignal;
}

/** How a command ended; the CLI maps it to an exit code. */
export type CommandOutcome =
  | { readonly status: 'completed' }
  | { readonly status: 'stopped'; readonly reason: string }
  /** The run went its course, but a check the user asked for failed (e.g. lag --strict). */
  | { readonly status: 'failed'; readonly reason: string }
  /** Everything ran, and a threshold or a regression limit failed (exit code 99). */
  | { readonly status: 'gate-failed'; readonly reason: string };

export interface Session {
  readonly clock: MonotonicClock;
  readonly target: Target;
  /** A client with `maxSockets` connections, for the run. */
  readonly client: KinesisClient;
  readonly stream: StreamHandle;
  readonly results: ResultsFolder;
  /** Aborted when the user interrupts or the target is lost; the reason says which. */
  readonly signal: AbortSignal;
}

export async function withSession<T>(
  options: SessionOptions,
  maxSockets: number,
  io: CommandIo,
  body: (session: Session) => Promise<T>,
): Promise<{ readonly value: T; readonly record: SessionRecord }> {
  const results = ResultsFolder.open(options.out, options.force);
  let started = false;
  const startedAt = new Date();
  let target: Target | undefined;
  let client: KinesisClient | undefined;
  let stream: StreamHandle;
  let createdName: string | undefined;
  let deleted = false;
  let value: T;
  try {
    target = await openTarget(options.target, io.signal);
    const signal = target.lost ? AbortSignal.any([io.signal, target.lost]) : io.signal;
    throwIfStopped(signal);
    client = target.createClient(maxSockets);

    if (options.stream !== undefined) {
      stream = await openExistingStream(client, options.stream, signal);
    } else {
      if (target.shardLimit !== undefined && options.shards > target.shardLimit) {
        throw new UsageError(
          `--shards ${options.shards} is above the target's limit of ${target.shardLimit} shards (${target.info.kind})`,
        );
      }
      const name = streamNameFor(options.runId);
      if (target.costsMoney) {
        io.stderr.write(
          `kbench: creating stream ${name} with ${options.shards} shard(s) in ${target.info.region} ` +
            `(billed per ` +
            `shard-hour); ${options.keepStream ? 'kept after the run (--keep-stream)' : 'deleted at the end'}\n`,
        );
      }
      // Recorded only once this process's CreateStream succeeded: a refused create (the name
      // is taken, maybe by another host of the same run) must never lead to a DeleteStream.
      stream = await createStream(client, name, options.shards, signal, () => (createdName = name));
    }
    throwIfStopped(signal);
    started = true;
    value = await body({ clock: new MonotonicClock(), target, client, stream, results, signal });
  } catch (error) {
    if (!started) results.discardIfEmpty();
    throw error;
  } finally {
    deleted = await cleanUp(io, target, client, createdName, options.keepStream);
  }
  return {
    value,
    record: {
      target: target.info,
      stream: { name: stream.name, shardIds: stream.shards.map((s) => s.shardId), created: stream.created, deleted },
      results,
      startedAt,
    },
  };
}

function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw new RunError(`stopped before the run started: ${String(signal.reason)}`);
}

const SLOW_CLEANUP_MS = 5_000;

/** Never throws: a failed cleanup is reported, and must not hide the run's own outcome. */
async function cleanUp(
  io: CommandIo,
  target: Target | undefined,
  client: KinesisClient | undefined,
  createdName: string | undefined,
  keepStream: boolean,
): Promise<boolean> {
  client?.destroy();
  let deleted = false;
  if (target && createdName !== undefined && !keepStream && !target.lost?.aborted) {
    // A fresh client: a run may have closed its client's connections when it ended.
    const cleaner = target.createClient(1);
    // A deletion that takes a while (a silent endpoint: up to its silence limit) is said, so
    // a stopped run does not look hung; a second Ctrl-C leaves the stream and exits.
    const slow = setTimeout(
      () => io.stderr.write(`kbench: deleting stream ${createdName} (Ctrl-C again to leave it)\n`),
      SLOW_CLEANUP_MS,
    );
    try {
      await deleteStream(cleaner, createdName);
      deleted = true;
    } catch (error) {
      io.stderr.write(`kbench: ${errorMessage(error)}; delete it yourself\n`);
    } finally {
      clearTimeout(slow);
      cleaner.destroy();
    }
  }
  // A dead emulator took its streams with it.
  if (target?.lost?.aborted && createdName !== undefined) deleted = true;
  try {
    await target?.close();
  } catch (error) {
    io.stderr.write(`kbench: could not stop the target cleanly: ${errorMessage(error)}\n`);
  }
  return deleted;
}
