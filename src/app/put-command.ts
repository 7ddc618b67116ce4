/**
 * The put command's lifecycle around one run: results folder, target, stream, the run,
 * results and summary, then cleanup whatever happened. It is the only place that decides
 * what goes to stdout and stderr; the run itself never prints.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { RunError, UsageError, errorMessage } from '../errors.js';
import { MonotonicClock } from '../measure/clock.js';
import { runPut, type PutRunResult } from '../run/put-run.js';
import { streamNameFor, type PutOptions } from '../scenario/put-options.js';
import { createProgress } from '../report/progress.js';
import { buildPutSummary, type PutSummaryJson } from '../report/put-summary.js';
import { formatPutTable } from '../report/put-table.js';
import { latencyCsv } from '../report/latency-csv.js';
import { RESULT_FILES, ResultsFolder } from '../report/results-folder.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import { createStream, deleteStream, openExistingStream, type StreamHandle } from '../target/stream.js';
import { openTarget, type Target } from '../target/target.js';

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  /** Aborted on Ctrl-C / SIGTERM, with a string reason. */
  readonly signal: AbortSignal;
}

/** How the command ended; the CLI maps it to an exit code. */
export type CommandOutcome =
  | { readonly status: 'completed'; readonly summary: PutSummaryJson }
  | { readonly status: 'stopped'; readonly summary: PutSummaryJson; readonly reason: string };

/** At the end of the measured phase, answers still outstanding get this long. */
const DRAIN_TIMEOUT_MS = 30_000;
/** After Ctrl-C or a fault, answers still outstanding get this long. */
const STOP_GRACE_MS = 2_000;

export async function putCommand(options: PutOptions, io: CommandIo): Promise<CommandOutcome> {
  const results = ResultsFolder.open(options.out);
  const clock = new MonotonicClock();
  const startedAt = new Date();
  let target: Target | undefined;
  let client: KinesisClient | undefined;
  let stream: StreamHandle | undefined;
  let createdName: string | undefined;
  let deleted = false;
  let result: PutRunResult | undefined;

  try {
    target = await openTarget(options.target);
    const signal = target.lost ? AbortSignal.any([io.signal, target.lost]) : io.signal;
    throwIfStopped(signal);
    client = target.createClient(options.concurrency);

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
            `(billed per shard-hour); ${options.keepStream ? 'kept after the run (--keep-stream)' : 'deleted at the end'}\n`,
        );
      }
      createdName = name;
      stream = await createStream(client, name, options.shards, signal);
    }
    throwIfStopped(signal);

    const progress = createProgress(io.stderr, !options.quiet);
    try {
      result = await runPut(
        {
          runId: options.runId,
          producerId: 0,
          rate: options.rate,
          batch: options.batch,
          concurrency: options.concurrency,
          recordSize: options.recordSize,
          keys: options.keys,
          retry: options.retry,
          warmupMs: options.warmupMs,
          durationMs: options.durationMs,
          intervalMs: options.intervalMs,
          drainTimeoutMs: DRAIN_TIMEOUT_MS,
          stopGraceMs: STOP_GRACE_MS,
        },
        {
          clock,
          client,
          streamName: stream.name,
          signal,
          onEvent: (event) => {
            if (event.type === 'started') results.startPut(options.runId, event.schedule.startMicros);
            else if (event.type === 'interval') results.appendInterval(event.interval);
            progress.onEvent(event);
          },
        },
      );
    } finally {
      progress.stop();
    }
  } finally {
    deleted = await cleanUp(io, target, client, createdName, options.keepStream);
  }

  const summary = buildPutSummary({
    version: KBENCH_VERSION,
    options,
    target: target.info,
    stream: { name: stream.name, shardIds: stream.shards.map((s) => s.shardId), created: stream.created, deleted },
    result,
    startedAt,
    endedAt: new Date(),
    client: clientUsage(),
  });
  results.write(RESULT_FILES.summary, `${JSON.stringify(summary, null, 2)}\n`);
  results.write(
    RESULT_FILES.latency,
    latencyCsv([
      ['put_request', result.tally.requestLatency],
      ['put_record', result.tally.recordLatency],
    ]),
  );
  io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatPutTable(summary));
  if (!options.json) io.stdout.write(`results   ${results.dir}\n`);
  return result.stopReason === undefined
    ? { status: 'completed', summary }
    : { status: 'stopped', summary, reason: result.stopReason };
}

function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw new RunError(`stopped before the run started: ${String(signal.reason)}`);
}

/** Never throws: a failed cleanup is reported, and must not hide the run's own outcome. */
async function cleanUp(
  io: CommandIo,
  target: Target | undefined,
  client: KinesisClient | undefined,
  createdName: string | undefined,
  keepStream: boolean,
): Promise<boolean> {
  let deleted = false;
  client?.destroy();
  if (target && createdName !== undefined && !keepStream && !target.lost?.aborted) {
    // A fresh client: the run closes its own client's connections when it ends.
    const cleaner = target.createClient(1);
    try {
      await deleteStream(cleaner, createdName);
      deleted = true;
    } catch (error) {
      io.stderr.write(`kbench: ${errorMessage(error)}; delete it yourself\n`);
    } finally {
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

function clientUsage(): { peakRssBytes: number; cpuUserMicros: number; cpuSystemMicros: number } {
  const usage = process.resourceUsage();
  return { peakRssBytes: usage.maxRSS * 1024, cpuUserMicros: usage.userCPUTime, cpuSystemMicros: usage.systemCPUTime };
}
