/**
 * kbench put against kinesalite behind the quota layer, through the real SDK: accepted
 * rates follow the per-shard quotas, throttled records are counted and retried, and the
 * stream (read back from the emulator itself) holds exactly the accepted records, once.
 * Rates are measured over a few seconds after a warmup long enough to use up the 1 s
 * burst even on a busy machine, so they are bounded by the token buckets, not by the
 * speed of this machine.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AWS_SHARD_QUOTA } from '../../src/config/quota-values.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';
import { acceptedInAllIntervals, assertNoDuplicates, readRun } from '../support/readback.js';

let emulator: EmbeddedEmulator;
before(async () => {
  emulator = await startKinesalite({ layer: { quota: AWS_SHARD_QUOTA, faults: {} } });
});
after(async () => {
  await emulator.stop();
});

/** Warmup and measured phase for the rate tests. */
const PHASES = ['--warmup', '3s', '--duration', '4s'];

const within = (actual: number, expected: number, fraction: number, what: string): void => {
  assert.ok(
    Math.abs(actual - expected) <= expected * fraction,
    `${what}: ${actual}, expected ${expected} ± ${fraction * 100}%`,
  );
};

async function put(
  args: string[],
  endpoint = emulator.endpoint,
): Promise<{ summary: Record<string, any>; out: string; runId: string }> {
  const out = tempDir();
  const runId = `quota-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  const result = await runKbench([
    'put',
    '--endpoint',
    endpoint,
    '--keep-stream',
    '--run-id',
    runId,
    '--out',
    out,
    '--quiet',
    ...args,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return { summary: readJson(path.join(out, 'summary.json')), out, runId };
}

/** The stream holds every record the run says it wrote, once: no throttled record slipped in. */
async function assertStreamHoldsAccepted(summary: Record<string, any>, out: string, runId: string): Promise<void> {
  const stored = await readRun(emulator.emulatorEndpoint, summary.stream.name, runId);
  assert.equal(stored.length, acceptedInAllIntervals(out), 'the stream holds exactly the accepted records');
  assertNoDuplicates(stored);
  const { records } = summary.put;
  assert.equal(records.sent, records.accepted + records.failed + records.unfinished);
}

test('1 shard at max rate: about 1,000 records/s accepted, the rest throttled inside PutRecords answers and retried', async () => {
  const { summary, out, runId } = await put([
    '--shards',
    '1',
    '--rate',
    'max',
    '--batch',
    '10',
    '--concurrency',
    '8',
    ...PHASES,
  ]);
  const { records, requests } = summary.put;
  within(summary.put.records_per_s, 1000, 0.1, 'accepted records/s');
  assert.ok(records.throttled > records.accepted / 10, `throttled attempts are counted (${records.throttled})`);
  assert.ok(records.retried > 0);
  assert.equal(requests.throttled, 0, 'PutRecords throttles records inside 200 answers, not whole requests');
  await assertStreamHoldsAccepted(summary, out, runId);
});

test('PutRecord (batch 1) over quota: whole requests throttled with HTTP 400, retried, each record written once', async () => {
  // A write quota this machine can exceed with single calls whatever else it is doing.
  const limited = await startKinesalite({
    layer: { quota: { ...AWS_SHARD_QUOTA, writeRecordsPerS: 200 }, faults: {} },
  });
  try {
    const out = tempDir();
    const runId = `quota-single-${process.pid}`;
    const result = await runKbench([
      'put',
      '--endpoint',
      limited.endpoint,
      '--keep-stream',
      '--run-id',
      runId,
      '--out',
      out,
      '--quiet',
      '--shards',
      '1',
      '--batch',
      '1',
      '--concurrency',
      '40',
      ...PHASES,
      // Retries at most 200 ms apart: some lane always asks within the 1 s the bucket holds.
      '--retries',
      '20',
      '--retry-backoff',
      '10ms',
      '--retry-backoff-max',
      '200ms',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const summary = readJson(path.join(out, 'summary.json'));
    const { records, requests } = summary.put;
    within(summary.put.records_per_s, 200, 0.1, 'accepted records/s');
    assert.ok(records.throttled > 0);
    assert.equal(requests.throttled, records.throttled, 'each throttled PutRecord is a whole request (HTTP 400)');
    const stored = await readRun(limited.emulatorEndpoint, summary.stream.name, runId);
    assert.equal(stored.length, acceptedInAllIntervals(out));
    assertNoDuplicates(stored);
    const stats = await limited.layerStats();
    assert.ok(
      stats.throttledWriteRecords >= records.throttled,
      'the layer throttled at least what the measured phase counted',
    );
  } finally {
    await limited.stop();
  }
});

test('3 shards, keys spread evenly: about 3,000 records/s, about 1,000 per shard', async () => {
  const { summary, out, runId } = await put(['--shards', '3', '--batch', '50', '--concurrency', '8', ...PHASES]);
  within(summary.put.records_per_s, 3000, 0.1, 'accepted records/s');
  for (const [shard, s] of Object.entries<any>(summary.put.per_shard)) within(s.records_per_s, 1000, 0.15, shard);
  await assertStreamHoldsAccepted(summary, out, runId);
});

test('3 shards, one hot key: about 1,000 records/s, all on one shard (--endpoint with --limits aws)', async () => {
  // kbench's own quota layer in front of an endpoint: here the emulator behind the layer.
  const { summary, out, runId } = await put(
    ['--limits', 'aws', '--shards', '3', '--partition-keys', 'hot', '--batch', '50', '--concurrency', '8', ...PHASES],
    emulator.emulatorEndpoint,
  );
  assert.equal(summary.target.limits, 'emulated-aws');
  within(summary.put.records_per_s, 1000, 0.1, 'accepted records/s');
  const busy = Object.values<any>(summary.put.per_shard).filter((s) => s.accepted > 0);
  assert.equal(busy.length, 1, 'one shard takes every record');
  await assertStreamHoldsAccepted(summary, out, runId);
});

test('bytes quota: 100 KiB records at max rate, about 10 records/s (1 MiB/s) per shard', async () => {
  const { summary, out, runId } = await put([
    '--shards',
    '1',
    '--record-size',
    '102400',
    '--batch',
    '1',
    '--concurrency',
    '2',
    '--warmup',
    '3s',
    '--duration',
    '5s',
    // Short backoffs keep a lane asking, so no second of quota goes unused while both wait.
    '--retries',
    '50',
    '--retry-backoff',
    '10ms',
    '--retry-backoff-max',
    '100ms',
  ]);
  // 1 MiB/s over 102,400 data bytes plus a 13-byte key per record: 10.24 records/s.
  within(summary.put.records_per_s, 1048576 / (102400 + 13), 0.1, 'accepted records/s');
  within(summary.put.mib_per_s, 1, 0.1, 'accepted MiB/s');
  assert.ok(summary.put.records.throttled > 0);
  await assertStreamHoldsAccepted(summary, out, runId);
});
