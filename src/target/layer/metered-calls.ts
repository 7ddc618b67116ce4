/**
 * The four data calls the layer meters against shard quotas. Each one decides from the
 * request which shard it touches and whether the shard's quota allows it, then either
 * answers as the throttled service would or forwards to the emulator and relays (or, for
 * a partly throttled PutRecords, merges) the answer.
 */
import type { ShardQuota } from '../../config/quota-values.js';
import { readThrottledMessage, throttled, writeThrottledMessage, THROTTLED_CODE } from './aws-errors.js';
import { shardFor, type HashRange } from './hash-key.js';
import { IteratorMap } from './iterator-map.js';
import { ShardMap, streamKey, type ListedShard, type StreamRef } from './shard-map.js';
import { ShardQuotas } from './shard-quotas.js';
import type { UpstreamAnswer } from './upstream.js';

/** What a metered call needs from the layer around it. */
export interface CallIo {
  /** Sends the call's body (or a replacement) to the emulator with the caller's headers. */
  forward(body?: Buffer): Promise<UpstreamAnswer>;
  /** Sends another call to the emulator with the caller's credentials (for ListShards). */
  call(action: string, input: unknown): Promise<UpstreamAnswer>;
}

/** What to send back: the upstream answer as it came, or a JSON answer of the layer's own. */
export type CallAnswer =
  | { readonly kind: 'relay'; readonly answer: UpstreamAnswer }
  | {
      readonly kind: 'json';
      readonly status: number;
      readonly payload: unknown;
      readonly headersFrom?: UpstreamAnswer;
    };

export interface MeterStats {
  throttledWriteRecords: number;
  throttledReadCalls: number;
  throttledIteratorCalls: number;
}

interface PutEntry {
  readonly Data?: unknown;
  readonly PartitionKey?: unknown;
  readonly ExplicitHashKey?: unknown;
}

interface PutRecordsAnswer {
  readonly FailedRecordCount?: number;
  readonly Records?: ReadonlyArray<{ readonly ShardId?: string; readonly ErrorCode?: string }>;
}

export class MeteredCalls {
  readonly stats: MeterStats = { throttledWriteRecords: 0, throttledReadCalls: 0, throttledIteratorCalls: 0 };
  private readonly quotas: ShardQuotas;
  private readonly shards: ShardMap;
  private readonly iterators: IteratorMap;
  /** The caller whose credentials the next ListShards borrows (the call that needs it). */
  private lister: CallIo | undefined;

  constructor(quota: ShardQuota, nowMs: () => number) {
    this.quotas = new ShardQuotas(quota, nowMs);
    this.iterators = new IteratorMap(nowMs);
    this.shards = new ShardMap((ref) => this.listShards(ref), nowMs);
  }

  /** A call that may change a stream's shards has been forwarded: its map is stale. */
  shardsChanged(input: StreamRef): void {
    this.shards.forget(input);
  }

  async putRecord(io: CallIo, input: StreamRef & PutEntry): Promise<CallAnswer> {
    const stream = streamKey(input);
    const { PartitionKey: key, Data: data, ExplicitHashKey: explicit } = input;
    if (stream === undefined || typeof key !== 'string' || typeof data !== 'string' || !optionalString(explicit)) {
      return relay(await io.forward()); // malformed: the emulator answers as the service would
    }
    const shardId = await this.locate(io, input, key, explicit);
    if (shardId === undefined) return relay(await io.forward());
    const bytes = base64Bytes(data) + Buffer.byteLength(key, 'utf8');
    if (!this.quotas.tryWrite(stream, shardId, bytes)) {
      this.stats.throttledWriteRecords += 1;
      return error(throttled(writeThrottledMessage(nameOf(stream), shardId)));
    }
    const answer = await io.forward();
    if (answer.status !== 200) {
      this.quotas.refundWrite(stream, shardId, bytes);
    } else if (parseJson<{ ShardId?: string }>(answer.body)?.ShardId !== shardId) {
      this.shards.forget(input); // the emulator put it elsewhere: the map is stale
    }
    return relay(answer);
  }

  async putRecords(io: CallIo, input: StreamRef & { readonly Records?: unknown }): Promise<CallAnswer> {
    const stream = streamKey(input);
    const records = input.Records;
    if (stream === undefined || !Array.isArray(records) || records.length === 0 || records.length > 500) {
      return relay(await io.forward());
    }
    const entries = records as PutEntry[];
    const placed = await this.placeAll(io, input, entries);
    if (placed === undefined) return relay(await io.forward());

    // Records are admitted in request order, each against its own shard's quota.
    const admitted: number[] = [];
    const verdicts = placed.map(({ shardId, bytes }, i) => {
      const ok = this.quotas.tryWrite(stream, shardId, bytes);
      if (ok) admitted.push(i);
      return ok;
    });
    const refundAll = (): void => {
      for (const i of admitted) {
        const p = placed[i];
        if (p) this.quotas.refundWrite(stream, p.shardId, p.bytes);
      }
    };
    const throttledCount = entries.length - admitted.length;
    this.stats.throttledWriteRecords += throttledCount;
    const throttledEntry = (i: number): { ErrorCode: string; ErrorMessage: string } => ({
      ErrorCode: THROTTLED_CODE,
      ErrorMessage: writeThrottledMessage(nameOf(stream), placed[i]?.shardId ?? ''),
    });
    if (admitted.length === 0) {
      return {
        kind: 'json',
        status: 200,
        payload: { FailedRecordCount: throttledCount, Records: entries.map((_, i) => throttledEntry(i)) },
      };
    }

    const subset =
      throttledCount === 0
        ? undefined
        : Buffer.from(JSON.stringify({ ...input, Records: admitted.map((i) => entries[i]) }));
    const answer = await io.forward(subset);
    const parsed = answer.status === 200 ? parseJson<PutRecordsAnswer>(answer.body) : undefined;
    const results = parsed?.Records;
    if (parsed === undefined || results === undefined || results.length !== admitted.length) {
      refundAll();
      return relay(answer);
    }
    admitted.forEach((entryIndex, resultIndex) => {
      const shardId = results[resultIndex]?.ShardId;
      if (shardId !== undefined && shardId !== placed[entryIndex]?.shardId) this.shards.forget(input);
    });
    if (throttledCount === 0) return relay(answer);

    let next = 0;
    const merged = verdicts.map((ok, i) => (ok ? results[next++] : throttledEntry(i)));
    return {
      kind: 'json',
      status: 200,
      payload: { ...parsed, FailedRecordCount: (parsed.FailedRecordCount ?? 0) + throttledCount, Records: merged },
      headersFrom: answer,
    };
  }

  async getShardIterator(io: CallIo, input: StreamRef & { readonly ShardId?: unknown }): Promise<CallAnswer> {
    const stream = streamKey(input);
    if (stream === undefined || typeof input.ShardId !== 'string') return relay(await io.forward());
    const shardId = canonicalShardId(input.ShardId);
    if (!this.quotas.tryIterator(stream, shardId)) {
      this.stats.throttledIteratorCalls += 1;
      return error(throttled(writeThrottledMessage(nameOf(stream), shardId)));
    }
    const answer = await io.forward();
    const iterator =
      answer.status === 200 ? parseJson<{ ShardIterator?: string }>(answer.body)?.ShardIterator : undefined;
    if (iterator !== undefined) this.iterators.remember(iterator, { stream, shardId });
    return relay(answer);
  }

  async getRecords(io: CallIo, input: { readonly ShardIterator?: unknown }): Promise<CallAnswer> {
    // An iterator the layer never handed out (taken from the emulator directly) cannot be
    // tied to a shard: it is served unmetered rather than refused.
    const target = typeof input.ShardIterator === 'string' ? this.iterators.find(input.ShardIterator) : undefined;
    if (target === undefined) return relay(await io.forward());
    if (!this.quotas.tryRead(target.stream, target.shardId)) {
      this.stats.throttledReadCalls += 1;
      return error(throttled(readThrottledMessage(nameOf(target.stream), target.shardId)));
    }
    const answer = await io.forward();
    const parsed =
      answer.status === 200
        ? parseJson<{ Records?: ReadonlyArray<{ Data?: string }>; NextShardIterator?: string }>(answer.body)
        : undefined;
    if (parsed !== undefined) {
      let bytes = 0;
      for (const record of parsed.Records ?? [])
        bytes += typeof record.Data === 'string' ? base64Bytes(record.Data) : 0;
      this.quotas.readReturned(target.stream, target.shardId, bytes);
      if (parsed.NextShardIterator) this.iterators.remember(parsed.NextShardIterator, target);
    }
    return relay(answer);
  }

  /** Each record's shard and metered bytes, or undefined when the request is malformed. */
  private async placeAll(
    io: CallIo,
    ref: StreamRef,
    entries: readonly PutEntry[],
  ): Promise<Array<{ shardId: string; bytes: number }> | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const ranges = await this.rangesFor(io, ref);
      if (ranges === undefined) return undefined;
      const placed: Array<{ shardId: string; bytes: number }> = [];
      for (const entry of entries) {
        const { PartitionKey: key, Data: data, ExplicitHashKey: explicit } = entry;
        if (typeof key !== 'string' || typeof data !== 'string' || !optionalString(explicit)) return undefined;
        const shardId = shardFor(ranges, key, explicit);
        if (shardId === undefined) break;
        placed.push({ shardId, bytes: base64Bytes(data) + Buffer.byteLength(key, 'utf8') });
      }
      if (placed.length === entries.length) return placed;
      this.shards.forget(ref); // a key outside every known range: the shards changed
    }
    return undefined;
  }

  private async locate(
    io: CallIo,
    ref: StreamRef,
    key: string,
    explicit: string | undefined,
  ): Promise<string | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const ranges = await this.rangesFor(io, ref);
      if (ranges === undefined) return undefined;
      const shardId = shardFor(ranges, key, explicit);
      if (shardId !== undefined) return shardId;
      this.shards.forget(ref);
    }
    return undefined;
  }

  private rangesFor(io: CallIo, ref: StreamRef): Promise<HashRange[] | undefined> {
    this.lister = io;
    return this.shards.ranges(ref);
  }

  private async listShards(ref: StreamRef): Promise<ListedShard[] | undefined> {
    const io = this.lister;
    if (io === undefined) return undefined;
    const shards: ListedShard[] = [];
    let input: Record<string, unknown> =
      ref.StreamName !== undefined ? { StreamName: ref.StreamName } : { StreamARN: ref.StreamARN };
    for (;;) {
      const answer = await io.call('ListShards', input);
      if (answer.status !== 200) return undefined;
      const page = parseJson<{ Shards?: ListedShard[]; NextToken?: string }>(answer.body);
      shards.push(...(page?.Shards ?? []));
      if (!page?.NextToken) return shards;
      input = { NextToken: page.NextToken };
    }
  }
}

function relay(answer: UpstreamAnswer): CallAnswer {
  return { kind: 'relay', answer };
}

function error(answer: { status: number; body: unknown }): CallAnswer {
  return { kind: 'json', status: answer.status, payload: answer.body };
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

export function parseJson<T>(body: Buffer): T | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Bytes a base64 text decodes to, without decoding it. */
export function base64Bytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/** Kinesis takes "shardId-000000000001" or "1" for the same shard; quotas need one name. */
export function canonicalShardId(id: string): string {
  const digits = /(\d+)$/.exec(id)?.[1];
  return digits === undefined ? id : `shardId-${digits.padStart(12, '0')}`;
}

/** Messages name the stream, also when the call gave its ARN. */
function nameOf(stream: string): string {
  return stream.startsWith('arn:') ? (stream.split('/').pop() ?? stream) : stream;
}
