/**
 * The hot data path (PutRecord, PutRecords) behind one interface, so the producers can
 * use the lean client (plain HTTP, default) or the AWS SDK (`--client sdk`) alike. Both
 * answer with fully parsed results and fail with errors shaped like the SDK's (name,
 * code, $metadata.httpStatusCode), so put-errors.ts classifies both the same way.
 */
import type { ClientKind } from '../config/client-kind.js';

export interface PutRecordResult {
  readonly ShardId?: string;
  readonly SequenceNumber?: string;
}

export interface PutRecordsResultEntry {
  readonly ShardId?: string;
  readonly SequenceNumber?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

export interface PutRecordsResult {
  readonly FailedRecordCount?: number;
  readonly Records?: readonly PutRecordsResultEntry[];
}

export interface DataPlaneEntry {
  readonly Data: Uint8Array;
  readonly PartitionKey: string;
  readonly ExplicitHashKey?: string;
}

export interface DataPlane {
  readonly kind: ClientKind;
  putRecord(streamName: string, entry: DataPlaneEntry): Promise<PutRecordResult>;
  putRecords(streamName: string, entries: readonly DataPlaneEntry[]): Promise<PutRecordsResult>;
  /** Closes every connection: requests in flight fail (kbench abandons them). */
  destroy(): void;
}
