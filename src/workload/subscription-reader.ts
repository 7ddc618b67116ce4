/**
 * An enhanced fan-out consumer's reader of one shard: SubscribeToShard, then the events
 * the service pushes. A subscription lasts at most 5 minutes (or ends with a fault); the
 * reader then subscribes again just after the last record it received, so nothing is lost
 * or read twice. The service allows one SubscribeToShard per second per consumer and shard,
 * so a retry waits at least that long, and refuses another within 5 s of a successful one
 * (ResourceInUseException), so a subscription that ended or broke sooner is renewed only
 * once it may be. A closed shard ends the reader; its children next.
 * The service says so in the subscription's last event; kinesis-mock never does, so a
 * reader that is caught up also asks ListShards (through a ClosedShardWatch) whether its
 * shard was closed, and ends once an empty event comes well after it learned so.
 */
import {
  SubscribeToShardCommand,
  type KinesisClient,
  type StartingPosition,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { sleepMs } from '../measure/clock.js';
import type { ClosedShardWatch } from './closed-shards.js';
import { classifyReadError, describeReadError } from './read-errors.js';
import {
  startReader,
  readBackoffMs,
  resumePoint,
  type ShardReader,
  type ShardReaderContext,
  type StartingPoint,
} from './shard-reader.js';

export interface SubscriptionSettings {
  /** HTTP/2 against AWS, HTTP/1.1 against the emulators (see Target.createSubscriptionClient). */
  readonly client: KinesisClient;
  readonly consumerArn: string;
  /** For targets that never end a closed shard's subscription (kinesis-mock). */
  readonly closedShards?: ClosedShardWatch;
}

/** The service refuses a new subscription within a second of the last one. */
const RESUBSCRIBE_FLOOR_MS = 1000;
/**
 * Within 5 s of a successful SubscribeToShard, another one for the same consumer and shard
 * is refused with ResourceInUseException; after that it takes the subscription over.
 */
const TAKEOVER_AFTER_MS = 5000;
/**
 * A closed shard takes no more records: an empty, caught-up event that arrives this long
 * after the reader learned of the closing was sent after it, so nothing is left to read.
 * (An event sent before could only be this late if the thread stalled that long.)
 */
const CLOSED_SETTLE_MS = 1000;

export function startSubscriptionReader(ctx: ShardReaderContext, settings: SubscriptionSettings): ShardReader {
  return startReader((onPositioned) => new SubscriptionReader(ctx, settings, onPositioned).run());
}

class SubscriptionReader {
  /** The last record received, or the last continuation point the service gave. */
  private lastSequence: string | undefined;

  constructor(
    private readonly ctx: ShardReaderContext,
    private readonly settings: SubscriptionSettings,
    private readonly onPositioned: () => void,
  ) {}

  async run(): Promise<void> {
    const { ctx, settings } = this;
    const { clock, recorder, stop, shardId } = ctx;
    let point: StartingPoint = ctx.start;
    let failures = 0;
    let lastSubscribedMicros: number | undefined;
    while (!stop.aborted) {
      const callMicros = clock.nowMicros();
      let children: readonly string[] | undefined;
      try {
        const answer = await settings.client.send(
          new SubscribeToShardCommand({
            ConsumerARN: settings.consumerArn,
            ShardId: shardId,
            StartingPosition: toPosition(point),
          }),
          { abortSignal: stop },
        );
        // The subscription holds its starting position from here on.
        this.onPositioned();
        let established = false;
        for await (const event of answer.EventStream ?? []) {
          children = this.take(event);
          // A refusal can come as the first event; a subscription is open once an event is in.
          if (!established) {
            established = true;
            failures = 0;
            if (lastSubscribedMicros !== undefined) recorder.resubscribed(shardId, callMicros);
            lastSubscribedMicros = callMicros;
          }
          if (children !== undefined) break;
          if (await this.readToClosedEnd(event)) {
            children = [];
            break;
          }
        }
      } catch (error) {
        if (stop.aborted) return;
        const kind = classifyReadError(error);
        if (kind === 'aborted') return;
        if (kind === 'fatal') {
          recorder.readFailed(shardId, callMicros);
          ctx.onFatal(`SubscribeToShard on ${shardId}: ${describeReadError(error)}`);
          return;
        }
        if (kind === 'throttled') recorder.readThrottled(shardId, callMicros);
        else recorder.readFailed(shardId, callMicros);
        failures += 1;
        const inUse = (error as Error).name === 'ResourceInUseException' && lastSubscribedMicros !== undefined;
        const untilTakeoverMs = (takeoverMicros(lastSubscribedMicros) - clock.nowMicros()) / 1000;
        const waitMs = Math.max(
          inUse ? RESUBSCRIBE_FLOOR_MS : readBackoffMs(failures, RESUBSCRIBE_FLOOR_MS),
          untilTakeoverMs,
        );
        await sleepMs(waitMs, stop);
      }
      if (children !== undefined) {
        ctx.onShardEnded(children.length > 0 ? children : undefined);
        return;
      }
      // The subscription ended (they last 5 minutes) or failed: go on where it stopped,
      // no sooner than the service allows: a call it is bound to refuse would only count as an error.
      point = resumePoint(this.lastSequence, ctx);
      await clock.sleepUntil(
        Math.max(callMicros + RESUBSCRIBE_FLOOR_MS * 1000, takeoverMicros(lastSubscribedMicros)),
        stop,
      );
    }
  }

  /** Whether an event that named no children still shows the shard closed and read to its end. */
  private async readToClosedEnd(event: SubscribeToShardEventStream): Promise<boolean> {
    const { ctx, settings } = this;
    const payload = event.SubscribeToShardEvent;
    if (
      !settings.closedShards ||
      !payload ||
      (payload.Records?.length ?? 0) > 0 ||
      (payload.MillisBehindLatest ?? 0) > 0
    )
      return false;
    const receivedMicros = ctx.clock.nowMicros();
    const closedSince = await settings.closedShards.closedSince(ctx.shardId, ctx.stop);
    return closedSince !== undefined && receivedMicros - closedSince >= CLOSED_SETTLE_MS * 1000;
  }

  /** Handles one pushed event; the child shards when it says the shard is finished. */
  private take(event: SubscribeToShardEventStream): readonly string[] | undefined {
    const { ctx } = this;
    const payload = event.SubscribeToShardEvent;
    if (!payload) throw eventError(event);
    const receiveMicros = ctx.clock.nowMicros();
    const records = payload.Records ?? [];
    ctx.recorder.read(ctx.shardId, receiveMicros, records.length, payload.MillisBehindLatest);
    ctx.intake.take(ctx.consumer, receiveMicros, records);
    // The continuation number is where the service says to resume, records or not.
    const next = payload.ContinuationSequenceNumber ?? records[records.length - 1]?.SequenceNumber;
    if (next) this.lastSequence = next;
    if (payload.ChildShards && payload.ChildShards.length > 0) {
      return payload.ChildShards.map((child) => child.ShardId ?? '').filter(Boolean);
    }
    // A closed shard read to its end ends with no continuation.
    if (payload.ContinuationSequenceNumber === undefined || payload.ContinuationSequenceNumber === null) return [];
    return undefined;
  }
}

/** When the service next accepts a SubscribeToShard for this consumer and shard (µs). */
function takeoverMicros(lastSubscribedMicros: number | undefined): number {
  return lastSubscribedMicros === undefined ? 0 : lastSubscribedMicros + TAKEOVER_AFTER_MS * 1000;
}

function toPosition(point: StartingPoint): StartingPosition {
  switch (point.type) {
    case 'LATEST':
    case 'TRIM_HORIZON':
      return { Type: point.type };
    case 'AFTER_SEQUENCE_NUMBER':
      return { Type: point.type, SequenceNumber: point.sequenceNumber };
    case 'AT_TIMESTAMP':
      return { Type: point.type, Timestamp: point.timestamp };
  }
}

/** An exception pushed inside the event stream, as an Error named for its type. */
function eventError(event: SubscribeToShardEventStream): Error {
  const [name, value] = Object.entries(event).find(([, v]) => v !== undefined) ?? ['UnknownEvent', undefined];
  const error = new Error((value as { message?: string } | undefined)?.message ?? `SubscribeToShard pushed ${name}`);
  error.name = name;
  return error;
}
