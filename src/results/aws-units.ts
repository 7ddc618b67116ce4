/**
 * summary.json's `aws` block: what the measured workload means on AWS, in units a user
 * multiplies by their own price (prices change by region and date, so none here): PUT
 * payload units, the shards its rate needs under provisioned quotas, and whether one
 * partition key would throttle whatever the shard count. Pure.
 */
import { AWS_SHARD_QUOTA } from '../config/quota-values.js';
import type { KeySpec } from '../config/values.js';
import { roundTo as round } from '../runtime/round.js';

/**
 * One PUT payload unit is a 25 KB chunk of a record (AWS pricing page). AWS does not say
 * which KB; the same page counts on-demand data in KB of 1,024 bytes, so 25 KB is taken
 * as 25,600 bytes here. Its own example ("a 1MB record contains 40 PUT Payload Units")
 * fits either reading with a decimal MB; a 1 MiB record is 41 units at 25,600 bytes
 * (42 at 25,000).
 */
export const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;

/** PUT payload units one record of `dataBytes` uses: 25 KB chunks, rounded up, at least one. */
export function putPayloadUnits(dataBytes: number): number {
  return Math.max(1, Math.ceil(dataBytes / PUT_PAYLOAD_UNIT_BYTES));
}

export interface AwsJson {
  readonly put_payload_unit_bytes: number;
  readonly put_payload_units_per_record: number;
  /** Records accepted in the measured phase x units per record. */
  readonly put_payload_units: number;
  readonly put_payload_units_per_s: number;
  readonly put_payload_units_per_hour: number;
  /** The offered load (records sent per second of the measured phase, throttled or not). */
  readonly offered_records_per_s: number;
  readonly offered_mib_per_s: number;
  /** Provisioned shards the offered load needs: 1,000 records/s and 1 MiB/s each. */
  readonly shards_needed: number;
  readonly shards_needed_by_records: number;
  readonly shards_needed_by_bytes: number;
  /** Whether the offered load on a single partition key (one shard) exceeds a shard's quota. */
  readonly one_key_throttles: boolean;
  readonly verdict: string;
}

export interface AwsInput {
  readonly recordSize: number;
  readonly keys: KeySpec;
  /** Records sent and accepted in the measured phase, and the accepted bytes (data plus key). */
  readonly sent: number;
  readonly accepted: number;
  readonly acceptedBytes: number;
  /** Records acknowledged during the measured phase per second (summary put.records_per_s). */
  readonly recordsPerS: number;
  readonly measuredS: number;
}

export function buildAwsBlock(input: AwsInput): AwsJson {
  const units = putPayloadUnits(input.recordSize);
  const bytesPerRecord = input.accepted > 0 ? input.acceptedBytes / input.accepted : input.recordSize;
  const offered = input.measuredS > 0 ? input.sent / input.measuredS : 0;
  const offeredMib = (offered * bytesPerRecord) / 1_048_576;
  const byRecords = Math.ceil(round(offered / AWS_SHARD_QUOTA.writeRecordsPerS, 6));
  const byBytes = Math.ceil(round(offeredMib / AWS_SHARD_QUOTA.writeMibPerS, 6));
  const shards = Math.max(1, byRecords, byBytes);
  const oneKeyThrottles = offered > AWS_SHARD_QUOTA.writeRecordsPerS || offeredMib > AWS_SHARD_QUOTA.writeMibPerS;
  const hot = input.keys.kind === 'hot' || (input.keys.kind === 'fixed' && input.keys.count === 1);
  const verdict = !oneKeyThrottles
    ? 'one partition key could carry this load (within one shard’s 1,000 records/s and 1 MiB/s)'
    : hot
      ? `this run uses one hot key: it throttles on AWS whatever the shard count (${round(offered, 1)} ` +
        `records/s, ${round(offeredMib, 3)} MiB/s to one shard)`
      : `one hot key would throttle at this load whatever the shard count; spread keys over at least ${shards} shards`;
  return {
    put_payload_unit_bytes: PUT_PAYLOAD_UNIT_BYTES,
    put_payload_units_per_record: units,
    put_payload_units: input.accepted * units,
    put_payload_units_per_s: round(input.recordsPerS * units),
    put_payload_units_per_hour: Math.round(input.recordsPerS * units * 3600),
    offered_records_per_s: round(offered),
    offered_mib_per_s: round(offeredMib, 4),
    shards_needed: shards,
    shards_needed_by_records: byRecords,
    shards_needed_by_bytes: byBytes,
    one_key_throttles: oneKeyThrottles,
    verdict,
  };
}
