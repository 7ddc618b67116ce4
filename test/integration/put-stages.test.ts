/**
 * kbench put --stages against kinesalite behind the quota layer (scaled to 100 records/s
 * per shard, so a busy test machine keeps up): each stage below the quota is accepted at
 * its target, throttling starts in the stage above it, intervals.csv shows the target
 * next to what was accepted, and summary.json has a block per stage and the spike's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { AWS_SHARD_QUOTA } from '../../src/config/quota-values.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';

let emulator: EmbeddedEmulator;
before(async () => {
  emulator = await startKinesalite({ layer: { quota: { ...AWS_SHARD_QUOTA, writeRecordsPerS: 100 }, faults: {} } });
});
after(async () => {
  await emulator.stop();
});

test('a stepped spike: stages below the quota match their target, throttling starts in the stage above it', async () => {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--out',
    out,
    '--quiet',
    '--workers',
    '2',
    '--concurrency',
    '20',
    '--batch',
    '5',
    '--stages',
    '50/s:4s,80/s:3s,300/s:3s,50/s:5s',
    '--warmup',
    '2s',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary['options'].stages, '50/s:4s,80/s:3s,300/s:3s,50/s:5s');
  assert.equal(summary['phases'].measured_s, 15);
  const [first, second, spike, last] = summary['stages'].stages;
  for (const stage of [first, second]) {
    assert.ok(
      Math.abs(stage.records_per_s - stage.target_records_per_s) <= stage.target_records_per_s * 0.05,
      `stage ${stage.stage}: ${stage.records_per_s} records/s, target ${stage.target_records_per_s}`,
    );
    assert.equal(stage.throttled_pct, 0, `stage ${stage.stage} is below the quota`);
  }
  assert.ok(spike.throttled_pct > 10, `the spike (300/s on a 100/s shard) throttles: ${spike.throttled_pct} %`);
  assert.ok(
    spike.records_per_s <= 100 * 1.4,
    `the shard takes about its quota (plus its 1 s burst): ${spike.records_per_s}`,
  );
  assert.equal(last.target_records_per_s, 50);
  assert.equal(summary['stages'].spike.stage, 3);
  assert.ok(
    summary['stages'].spike.throttling_stopped_after_s === null ||
      summary['stages'].spike.throttling_stopped_after_s >= 0,
  );
  assert.match(result.stdout, /spike {5}stage 3: (throttling stopped|no throttling after it)/);

  // intervals.csv: the target next to what was accepted, stage by stage.
  const rows = parse(readFileSync(path.join(out, 'intervals.csv')), { columns: true }) as Record<string, string>[];
  const measured = rows.filter((r) => r['phase'] === 'measure');
  const targets = new Set(measured.map((r) => Math.round(Number(r['target_records_per_s']))));
  for (const rate of [50, 80, 300])
    assert.ok(targets.has(rate), `a measured interval targets ${rate} records/s (${[...targets].join(', ')})`);
  assert.ok(
    rows.filter((r) => r['phase'] === 'warmup').every((r) => Number(r['target_records_per_s']) === 50),
    'warmup runs at the first stage rate',
  );
});
