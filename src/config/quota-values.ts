/**
 * Per-shard service quotas for the local quota layer, and the `--limits` syntax:
 * `aws` (the real service's numbers), `none` (no quotas), or explicit numbers per shard
 * (`write-records=500,read-calls=2`; what is not named keeps the AWS value).
 */
import { ValueError } from '../errors/errors.js';
import { numberFromText } from './values.js';

/** Quotas of one shard, per second. MiB = 1,048,576 bytes. */
export interface ShardQuota {
  /** PutRecord(s): records written per second. */
  readonly writeRecordsPerS: number;
  /** PutRecord(s): data plus partition key bytes written per second, in MiB. */
  readonly writeMibPerS: number;
  /** GetRecords calls per second. */
  readonly readCallsPerS: number;
  /** GetRecords: data bytes returned per second, in MiB. */
  readonly readMibPerS: number;
  /** GetShardIterator calls per second. */
  readonly iteratorCallsPerS: number;
}

/** Amazon Kinesis Data Streams, provisioned mode, per shard (AWS documentation). */
export const AWS_SHARD_QUOTA: ShardQuota = {
  writeRecordsPerS: 1000,
  writeMibPerS: 1,
  readCallsPerS: 5,
  readMibPerS: 2,
  iteratorCallsPerS: 5,
};

/**
 * How much unused quota a shard may save up: one second's worth of each quota. AWS does
 * not document a burst; one second lets a shard that was idle take one second's quota at
 * once (as a real shard visibly does), and keeps any average over a few seconds within a
 * second's worth of the quota.
 */
export const BURST_SECONDS = 1;

export type LimitsChoice =
  { readonly kind: 'aws' } | { readonly kind: 'none' } | { readonly kind: 'custom'; readonly quota: ShardQuota };

const KEYS: ReadonlyArray<readonly [string, keyof ShardQuota]> = [
  ['write-records', 'writeRecordsPerS'],
  ['write-mib', 'writeMibPerS'],
  ['read-calls', 'readCallsPerS'],
  ['read-mib', 'readMibPerS'],
  ['iterator-calls', 'iteratorCallsPerS'],
];

const ALLOWED =
  `aws, none, or per-shard numbers per second such as write-records=500,write-mib=0.5 ` +
  `(keys: ${KEYS.map(([k]) => k).join(', ')})`;

export function parseLimits(text: string): LimitsChoice {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'aws') return { kind: 'aws' };
  if (trimmed === 'none') return { kind: 'none' };
  const quota: Record<keyof ShardQuota, number> = { ...AWS_SHARD_QUOTA };
  const seen = new Set<string>();
  for (const part of trimmed.split(',')) {
    const [key = '', value, ...rest] = part.split('=').map((s) => s.trim());
    const field = KEYS.find(([name]) => name === key)?.[1];
    if (field === undefined || value === undefined || rest.length > 0) {
      throw new ValueError(`"${text}" is not a limit (use ${ALLOWED})`);
    }
    if (seen.has(key)) throw new ValueError(`"${text}" names ${key} twice`);
    seen.add(key);
    const number = numberFromText(value);
    if (!Number.isFinite(number) || number <= 0) {
      throw new ValueError(`"${text}": ${key} must be a number above 0 (per shard per second)`);
    }
    quota[field] = number;
  }
  return { kind: 'custom', quota };
}

/** The `--limits` text for a choice, as a user would type it. */
export function formatLimits(choice: LimitsChoice): string {
  if (choice.kind !== 'custom') return choice.kind;
  return KEYS.map(([key, field]) => `${key}=${choice.quota[field]}`).join(',');
}
