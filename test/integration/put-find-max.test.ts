/**
 * kbench put --find-max against the real emulator and SDK: behind the quota layer it finds
 * the per-shard write quota times the shards (1 and 3 shards, within 10 %) and says
 * throttling stopped it; against a server whose put latency rises with the request rate
 * it stops on the p99 bound instead. The three searches run side by side to keep the
 * test short, so the quota is scaled down to 100 records/s per shard: the search is the
 * same at 1,000 (scenarios/put-find-max-1-2-3-shards.yaml), but a busy test machine
 * could not keep 3,000 records/s and three searches going at once. Each step's warmup
 * (6 s) outlasts the shard's 1 s burst at rates 10 % over the quota.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { AWS_SHARD_QUOTA } from '../../src/config/quota-values.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';
import { startLatencyCurveProxy, type LatencyCurveStats } from '../support/latency-curve-proxy.js';
import type { RunningProxy } from '../support/forward.js';

/** Records/s per shard the quota layer allows in this test. */
const QUOTA = 100;

let quota: EmbeddedEmulator;
let plain: EmbeddedEmulator;
let curve: RunningProxy<LatencyCurveStats>;
before(async () => {
  [quota, plain] = await Promise.all([
    startKinesalite({ layer: { quota: { ...AWS_SHARD_QUOTA, writeRecordsPerS: QUOTA }, faults: {} } }),
    startKinesalite(),
  ]);
  // 25 ms per put request/s in the last second: with batch 20, R records/s wait 1.25 R ms
  // (steep, so a loaded test machine's own delays of 100-200 ms do not decide the result).
  curve = await startLatencyCurveProxy(plain.endpoint, 25);
});
after(async () => {
  await curve.close();
  await Promise.all([quota.stop(), plain.stop()]);
});

async function findMax(
  endpoint: string,
  args: string[],
): Promise<{ summary: Record<string, any>; out: string; stdout: string }> {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--endpoint',
    endpoint,
    '--find-max',
    '--out',
    out,
    '--quiet',
    '--workers',
    '1',
    '--concurrency',
    '50',
    ...args,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return { summary: readJson(path.join(out, 'summary.json')), out, stdout: result.stdout };
}

test('find-max: 1 and 3 shards behind the quota layer land within 10 % of the quota; a latency curve stops on p99', async () => {
  const quotaArgs = [
    '--find-max-start',
    '75',
    '--find-max-precision',
    '10%',
    '--find-max-settle',
    '5s',
    '--warmup',
    '6s',
    '--batch',
    '25',
  ];
  const [one, three, latency] = await Promise.all([
    findMax(quota.endpoint, [...quotaArgs, '--shards', '1']),
    findMax(quota.endpoint, [...quotaArgs, '--shards', '3']),
    findMax(curve.endpoint, [
      '--find-max-start',
      '50',
      '--find-max-precision',
      '10%',
      '--find-max-settle',
      '3s',
      '--warmup',
      '2s',
      '--batch',
      '20',
      '--max-p99',
      '400ms',
    ]),
  ]);

  for (const [run, shards] of [
    [one, 1],
    [three, 3],
  ] as const) {
    const block = run.summary['find_max'];
    const expected = shards * QUOTA;
    assert.ok(
      Math.abs(block.max_records_per_s - expected) <= expected * 0.1,
      `${shards} shard(s): found ${block.max_records_per_s} records/s, expected ${expected} ± 10 %\n${run.stdout}`,
    );
    assert.ok(block.stopped_by.includes('throttled'), `stopped by ${block.stopped_by.join(', ')}\n${run.stdout}`);
    assert.ok(block.steps.length >= 3);
    // Evidence: every held step within the criteria, the breaking one above it.
    for (const step of block.steps) assert.equal(step.held, step.throttled_pct <= 1 && step.broke_on.length === 0);
    // find-max.csv has a row per step; the put block is the highest step that held.
    const rows = parse(readFileSync(path.join(run.out, 'find-max.csv')), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, block.steps.length);
    assert.equal(run.summary['options'].rate, block.max_records_per_s);
    assert.ok(existsSync(path.join(run.out, 'intervals.csv')));
    assert.match(run.stdout, /highest sustainable rate .* records\/s; stopped by throttling/);
  }

  const block = latency.summary['find_max'];
  assert.ok(block.stopped_by.includes('p99'), `stopped by ${block.stopped_by.join(', ')}\n${latency.stdout}`);
  assert.ok(!block.stopped_by.includes('throttled'));
  // R records/s wait about 1.25 R ms: a 400 ms bound breaks near 320 records/s.
  assert.ok(
    block.max_records_per_s >= 100 && block.max_records_per_s <= 320,
    `found ${block.max_records_per_s} records/s\n${latency.stdout}`,
  );
  for (const step of block.steps.filter((s: any) => s.held)) assert.ok(step.record_latency_p99_ms <= 400);
  assert.match(latency.stdout, /stopped by record latency p99 above the bound/);
});
