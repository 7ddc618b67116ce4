/**
 * Sends one batch of records until each is accepted, given up on, or the run stops, and
 * tells the recorder what happened. Retries are kbench's own (the SDK's are off) so each
 * attempt is timed and every throttled record is counted.
 */
import { setMaxListeners } from 'node:events';
import type { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { DataPlane } from '../client/data-plane.js';
import type { Clock } from '../measure/clock.js';
import type { PutRecorder } from '../measure/put-recorder.js';
import { classifyRecordErrorCode, classifyRequestError, isConnectionError } from './put-errors.js';
import { backoffMs, type RetryPolicy } from '../config/retry-policy.js';
import { describeTimeout } from '../errors/timeout-errors.js';

/** A record ready to send: the SDK's own entry shape, so nothing is copied per request. */
export type PutEntry = PutRecordsRequestEntry & { Data: Uint8Array; PartitionKey: string };

export interface PutSenderContext {
  /** The data path: lean HTTP or the SDK (`--client`); both fail with SDK-shaped errors. */
  readonly client: DataPlane;
  readonly streamName: string;
  readonly clock: Clock;
  readonly recorder: PutRecorder;
  readonly retry: RetryPolicy;
  /** Set when the user stops the run: no retry starts after it. */
  readonly stop: AbortSignal;
  /**
   * Set when kbench stops waiting: backoff waits end and whatever fails after it is
   * abandoned (unfinished), not counted as an error. Requests in flight are ended by
   * closing the client's connections, not by an AbortSignal per request, which costs
   * about 5% of single-record PutRecord throughput.
   */
  readonly halt: AbortSignal;
  /** A fault that makes going on pointless (no stream, no permission, endpoint gone). */
  readonly onFatal: (reason: string) => void;
  /** With no answer at all for this long, connection errors mean the endpoint is gone. */
  readonly lostAfterMs?: number;
  readonly random?: () => number;
  /** Told which records the stream accepted (kbench lag checks each one arrives). */
  readonly onAccepted?: (entries: readonly PutEntry[]) => void;
}

type AttemptResult = readonly PutEntry[] | 'done';

export class PutSender {
  private lastAnswerMicros: number;
  private readonly stopOrHalt: AbortSignal;

  constructor(private readonly ctx: PutSenderContext) {
    this.lastAnswerMicros = ctx.clock.nowMicros();
    this.stopOrHalt = AbortSignal.any([ctx.stop, ctx.halt]);
    setMaxListeners(0, this.stopOrHalt);
  }

  /**
   * Sends `entries` (1 uses PutRecord, more use PutRecords) whose first attempt was due at
   * `intendedMicros`. Resolves when every entry has an outcome or the run stops.
   */
  async send(entries: readonly PutEntry[], intendedMicros: number): Promise<void> {
    const { recorder, clock, retry: policy } = this.ctx;
    recorder.sent(intendedMicros, entries.length);
    let pending = entries;
    let attemptDue = intendedMicros;
    for (let retry = 0; ; retry++) {
      const rejected =
        entries.length === 1
          ? await this.putOne(pending[0] as PutEntry, intendedMicros, attemptDue)
          : await this.putMany(pending, intendedMicros, attemptDue);
      if (rejected === 'done' || rejected.length === 0) return;
      // Stopped by the user: the rest stays unfinished, neither accepted nor failed.
      if (this.ctx.stop.aborted || this.ctx.halt.aborted) return;
      if (retry >= policy.maxRetries) {
        recorder.failed(intendedMicros, rejected.length);
        return;
      }
      recorder.retried(intendedMicros, rejected.length);
      attemptDue = clock.nowMicros() + backoffMs(policy, retry + 1, this.ctx.random) * 1000;
      await clock.sleepUntil(attemptDue, this.stopOrHalt);
      if (this.stopOrHalt.aborted) return;
      pending = rejected;
    }
  }

  private async putOne(entry: PutEntry, intendedMicros: number, attemptDue: number): Promise<AttemptResult> {
    const { client, streamName, recorder, clock } = this.ctx;
    try {
      const answer = await client.putRecord(streamName, entry);
      const now = clock.nowMicros();
      this.lastAnswerMicros = now;
      recorder.requestAnswered(intendedMicros, now - attemptDue);
      recorder.accepted(intendedMicros, now - intendedMicros, 1, entry.Data.length + entry.PartitionKey.length);
      recorder.shardAccepted(intendedMicros, answer.ShardId ?? 'unknown', now);
      this.ctx.onAccepted?.([entry]);
      return 'done';
    } catch (error) {
      return this.requestFailed(error, [entry], intendedMicros);
    }
  }

  private async putMany(
    entries: readonly PutEntry[],
    intendedMicros: number,
    attemptDue: number,
  ): Promise<AttemptResult> {
    const { client, streamName, recorder, clock } = this.ctx;
    let answer;
    try {
      answer = await client.putRecords(streamName, entries);
    } catch (error) {
      return this.requestFailed(error, entries, intendedMicros);
    }
    const now = clock.nowMicros();
    this.lastAnswerMicros = now;
    recorder.requestAnswered(intendedMicros, now - attemptDue);

    const results = answer.Records ?? [];
    const rejected: PutEntry[] = [];
    const acceptedEntries: PutEntry[] | undefined = this.ctx.onAccepted ? [] : undefined;
    let accepted = 0;
    let bytes = 0;
    let throttled = 0;
    let errors = 0;
    let fatalCode: string | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as PutEntry;
      const result = results[i];
      if (result !== undefined && !result.ErrorCode) {
        accepted += 1;
        bytes += entry.Data.length + entry.PartitionKey.length;
        recorder.shardAccepted(intendedMicros, result.ShardId ?? 'unknown', now);
        acceptedEntries?.push(entry);
        continue;
      }
      // A result missing from the answer is treated as a retryable error: never as written.
      const code = result?.ErrorCode ?? 'MissingResult';
      const kind = classifyRecordErrorCode(code);
      if (kind === 'throttled') throttled += 1;
      else errors += 1;
      if (kind === 'fatal') fatalCode = code;
      rejected.push(entry);
    }
    if (accepted > 0) recorder.accepted(intendedMicros, now - intendedMicros, accepted, bytes);
    if (acceptedEntries !== undefined && acceptedEntries.length > 0) this.ctx.onAccepted?.(acceptedEntries);
    if (rejected.length > 0) recorder.recordsRejected(intendedMicros, throttled, errors);
    if (fatalCode !== undefined) {
      recorder.failed(intendedMicros, rejected.length);
      this.ctx.onFatal(`PutRecords answered ${fatalCode}`);
      return 'done';
    }
    return rejected;
  }

  private requestFailed(error: unknown, entries: readonly PutEntry[], intendedMicros: number): AttemptResult {
    const { recorder, clock } = this.ctx;
    // Failing because kbench closed the connections is not the target's fault.
    if (this.ctx.halt.aborted) return 'done';
    const kind = classifyRequestError(error);
    if (kind === 'aborted') return 'done';
    recorder.requestRejected(intendedMicros, entries.length, kind === 'throttled');
    if (kind === 'fatal') {
      recorder.failed(intendedMicros, entries.length);
      this.ctx.onFatal(describeError(error));
      return 'done';
    }
    if (kind === 'throttled') {
      this.lastAnswerMicros = clock.nowMicros();
    } else if (isConnectionError(error)) {
      const silentMs = (clock.nowMicros() - this.lastAnswerMicros) / 1000;
      if (silentMs > (this.ctx.lostAfterMs ?? 5000)) {
        this.ctx.onFatal(`lost the endpoint: no answer for ${Math.round(silentMs / 1000)} s (${describeError(error)})`);
      }
    }
    return entries;
  }
}

function describeError(error: unknown): string {
  const timeout = describeTimeout(error);
  if (timeout !== undefined) return timeout;
  const e = error as { name?: string; code?: string; message?: string };
  const label = e.code ?? e.name ?? 'Error';
  const message = (e.message ?? String(error)).split('\n')[0] ?? '';
  return message.includes(label) ? message : `${label}: ${message}`;
}
