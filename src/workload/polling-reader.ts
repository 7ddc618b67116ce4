/**
 * A polling consumer's reader of one shard, as the Kinesis Client Library reads: take a
 * shard iterator, then GetRecords -> NextShardIterator, one call every poll interval.
 * Throttled calls back off (never faster than the poll interval) and retry with the same
 * iterator; an expired iterator is renewed just after the last record read, so nothing is
 * lost or read twice; a closed shard ends the reader and its children are read next.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { sleepMs } from '../measure/clock.js';
import { classifyReadError, describeReadError } from './read-errors.js';
import {
  startReader,
  readBackoffMs,
  resumePoint,
  type ShardReader,
  type ShardReaderContext,
  type StartingPoint,
} from './shard-reader.js';

export interface PollingSettings {
  readonly client: KinesisClient;
  readonly streamName: string;
  /** A GetRecords call starts this long after the previous one started (at once if it took longer). */
  readonly pollIntervalMs: number;
  /** Records per GetRecords call at most (the service allows 10,000). */
  readonly limit?: number;
}

export function startPollingReader(ctx: ShardReaderContext, settings: PollingSettings): ShardReader {
  return startReader((onPositioned) => new PollingReader(ctx, settings, onPositioned).run());
}

class PollingReader {
  private lastSequence: string | undefined;

  constructor(
    private readonly ctx: ShardReaderContext,
    private readonly settings: PollingSettings,
    private readonly onPositioned: () => void,
  ) {}

  async run(): Promise<void> {
    const { ctx, settings } = this;
    const { clock, recorder, stop, shardId } = ctx;
    let iterator = await this.iteratorAt(ctx.start);
    if (iterator === undefined) return;
    this.onPositioned();
    let failures = 0;
    while (!stop.aborted) {
      const callMicros = clock.nowMicros();
      let answer: GetRecordsCommandOutput;
      try {
        answer = await settings.client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: settings.limit ?? 10_000 }),
          { abortSignal: stop },
        );
      } catch (error) {
        if (stop.aborted) return;
        const kind = classifyReadError(error);
        if (kind === 'aborted') return;
        if (kind === 'expired') {
          recorder.iteratorRenewed(shardId, callMicros);
          iterator = await this.iteratorAt(resumePoint(this.lastSequence, ctx));
          if (iterator === undefined) return;
          continue;
        }
        if (kind === 'fatal') {
          recorder.readFailed(shardId, callMicros);
          ctx.onFatal(`GetRecords on ${shardId}: ${describeReadError(error)}`);
          return;
        }
        if (kind === 'throttled') recorder.readThrottled(shardId, callMicros);
        else recorder.readFailed(shardId, callMicros);
        failures += 1;
        await sleepMs(readBackoffMs(failures, settings.pollIntervalMs), stop);
        continue;
      }
      failures = 0;
      const receiveMicros = clock.nowMicros();
      const records = answer.Records ?? [];
      recorder.read(shardId, callMicros, records.length, answer.MillisBehindLatest);
      ctx.intake.take(ctx.consumer, receiveMicros, records);
      const last = records[records.length - 1]?.SequenceNumber;
      if (last !== undefined) this.lastSequence = last;
      if (!answer.NextShardIterator) {
        // The shard is closed and read to its end (resharding): its children are next.
        ctx.onShardEnded(answer.ChildShards?.map((child) => child.ShardId ?? '').filter(Boolean));
        return;
      }
      iterator = answer.NextShardIterator;
      await clock.sleepUntil(callMicros + settings.pollIntervalMs * 1000, stop);
    }
  }

  /** A shard iterator at `point`, retried until it comes or the reader stops. */
  private async iteratorAt(point: StartingPoint): Promise<string | undefined> {
    const { ctx, settings } = this;
    const { clock, recorder, stop, shardId } = ctx;
    for (let attempt = 1; !stop.aborted; attempt++) {
      const callMicros = clock.nowMicros();
      try {
        const answer = await settings.client.send(
          new GetShardIteratorCommand({
            StreamName: settings.streamName,
            ShardId: shardId,
            ShardIteratorType: point.type,
            ...(point.type === 'AFTER_SEQUENCE_NUMBER' && { StartingSequenceNumber: point.sequenceNumber }),
            ...(point.type === 'AT_TIMESTAMP' && { Timestamp: point.timestamp }),
          }),
          { abortSignal: stop },
        );
        if (answer.ShardIterator) return answer.ShardIterator;
        // No iterator: the shard is closed and nothing is left after this point.
        ctx.onShardEnded(undefined);
        return undefined;
      } catch (error) {
        if (stop.aborted) return undefined;
        const kind = classifyReadError(error);
        if (kind === 'aborted') return undefined;
        if (kind === 'fatal') {
          recorder.readFailed(shardId, callMicros);
          ctx.onFatal(`GetShardIterator on ${shardId}: ${describeReadError(error)}`);
          return undefined;
        }
        if (kind === 'throttled') recorder.readThrottled(shardId, callMicros);
        else recorder.readFailed(shardId, callMicros);
        await sleepMs(readBackoffMs(attempt, 0), stop);
      }
    }
    return undefined;
  }
}
