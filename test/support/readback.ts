/** Reading back what a kbench run wrote, to hold its figures against the stream's contents. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { createKinesisClient } from '../../src/target/client.js';
import { runTag } from '../../src/workload/record-header.js';
import { readWholeStream, type StoredRecord } from './stream-reader.js';

/** The records of run `runId` in a stream, read straight from the emulator (no quotas). */
export async function readRun(endpoint: string, streamName: string, runId: string): Promise<StoredRecord[]> {
  const client = createKinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 4,
  });
  try {
    const tag = runTag(runId).toString('hex');
    return (await readWholeStream(client, streamName)).filter((r) => r.header?.runTag === tag);
  } finally {
    client.destroy();
  }
}

export function assertNoDuplicates(records: readonly StoredRecord[]): void {
  const ids = new Set(records.map((r) => `${r.header?.producerId}/${r.header?.sequence}`));
  assert.equal(ids.size, records.length, 'every record is in the stream once');
}

/** Every record the run wrote, warmup and drain included: the sum of intervals.csv. */
export function acceptedInAllIntervals(out: string): number {
  const rows = parse(readFileSync(path.join(out, 'intervals.csv')), { columns: true }) as Record<string, string>[];
  return rows.reduce((sum, row) => sum + Number(row['records_accepted']), 0);
}
