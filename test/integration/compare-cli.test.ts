/**
 * kbench compare through the real CLI on hand-made summary.json files: the table with
 * change and verdict, exit 99 on a regression beyond --max-regression, 0 within it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runKbench, tempDir } from '../support/kbench-cli.js';

/** A put summary.json as kbench writes it, with the figures that matter here. */
function writeSummary(dir: string, recordsPerS: number, p99Ms: number): string {
  mkdirSync(dir, { recursive: true });
  const latency = {
    count: 1000,
    min: 1,
    mean: p99Ms / 3,
    p50: p99Ms / 4,
    p90: p99Ms / 2,
    p99: p99Ms,
    p999: p99Ms,
    max: p99Ms,
  };
  const summary = {
    schema_version: 1,
    kbench: { version: '0.1.0', node: 'v20' },
    command: 'put',
    run_id: path.basename(dir),
    started_at: '2026-11-28T06:00:00.000Z',
    ended_at: '2026-11-28T06:00:35.000Z',
    interrupted: false,
    interrupt_reason: null,
    options: { target: 'embedded', shards: 2, batch: 1, rate: 'max', duration_s: 30 },
    target: {
      kind: 'embedded',
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      limits: 'none',
      emulator: { name: 'kinesalite', version: '3.3.3' },
    },
    stream: { name: 'kbench-x', shards: 2, created: true, deleted: true },
    phases: { warmup_s: 5, measured_s: 30 },
    put: {
      records: {
        sent: recordsPerS * 30,
        accepted: recordsPerS * 30,
        throttled: 0,
        failed: 0,
        errors: 0,
        retried: 0,
        unfinished: 0,
      },
      requests: { sent: recordsPerS * 30, throttled: 0, failed: 0 },
      records_per_s: recordsPerS,
      mib_per_s: Math.round(((recordsPerS * 136) / 1048576) * 10_000) / 10_000,
      throttled_pct: 0,
      latency_ms: latency,
      record_latency_ms: latency,
      per_shard: {},
    },
    client: {
      workers: 1,
      peak_rss_mib: 100,
      cpu_user_s: 1,
      cpu_system_s: 0,
      event_loop_delay_p99_ms: 1,
      event_loop_utilization: 0.2,
      schedule_behind_max_ms: 0,
      client_bound: false,
      client_bound_reasons: [],
      client_bound_advice: null,
    },
  };
  const file = path.join(dir, 'summary.json');
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}

test('a regression beyond --max-regression: the table says REGRESSION, exit 99, one line on stderr', async () => {
  const root = tempDir();
  const baseline = writeSummary(path.join(root, 'base'), 2500, 10);
  writeSummary(path.join(root, 'slow'), 2000, 10);
  const markdown = path.join(root, 'compare.md');
  const result = await runKbench([
    'compare',
    baseline,
    path.join(root, 'slow'),
    '--max-regression',
    '10%',
    '--markdown',
    markdown,
  ]);
  assert.equal(result.code, 99, result.stderr);
  assert.match(
    result.stdout,
    /put\.records_per_s\s+2,500\.0 records\/s\s+2,000\.0 records\/s\s+-20\.0 %\s+REGRESSION \(limit 10 %\)/,
  );
  assert.match(result.stdout, /put\.p99_ms\s+10\.000 ms\s+10\.000 ms\s+0\.0 %\s+same/);
  assert.match(result.stdout, /verdict   FAIL/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /^kbench: FAILED: .*put\.records_per_s regressed \(-20\.0 %\)/);
  assert.match(readFileSync(markdown, 'utf8'), /: FAIL\n[\s\S]*\*\*REGRESSION \(limit 10 %\)\*\*/);
});

test('within the tolerance: worse but within it, exit 0', async () => {
  const root = tempDir();
  writeSummary(path.join(root, 'base'), 2500, 10);
  writeSummary(path.join(root, 'now'), 2400, 10.5);
  const result = await runKbench([
    'compare',
    path.join(root, 'base'),
    path.join(root, 'now'),
    '--max-regression',
    '10%',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /-4\.0 %\s+worse, within 10 %/);
  assert.match(result.stdout, /\+5\.0 %\s+worse, within 10 %/);
  assert.match(result.stdout, /verdict   PASS/);
  assert.equal(result.stderr, '');
});

test('a per-metric limit gates that metric; without any limit compare only informs', async () => {
  const root = tempDir();
  writeSummary(path.join(root, 'base'), 2500, 10);
  writeSummary(path.join(root, 'now'), 2500, 15);
  const strict = await runKbench([
    'compare',
    path.join(root, 'base'),
    path.join(root, 'now'),
    '--max-regression',
    '60%',
    '--max-regression',
    'put.p99_ms=20%',
  ]);
  assert.equal(strict.code, 99, strict.stdout);
  assert.match(strict.stdout, /put\.p99_ms .*\+50\.0 %\s+REGRESSION \(limit 20 %\)/);
  const loose = await runKbench(['compare', path.join(root, 'base'), path.join(root, 'now')]);
  assert.equal(loose.code, 0, loose.stderr);
  assert.match(loose.stdout, /no --max-regression given: compared, not gated/);
  const json = await runKbench(['compare', path.join(root, 'base'), path.join(root, 'now'), '--json']);
  const rows = JSON.parse(json.stdout).rows as Array<{ metric: string; change_pct: number; verdict: string }>;
  assert.deepEqual(
    rows.find((r) => r.metric === 'put.p99_ms'),
    { ...rows.find((r) => r.metric === 'put.p99_ms'), change_pct: 50, verdict: 'worse' },
  );
});

test('compare usage errors: not a result, a bad tolerance', async () => {
  const root = tempDir();
  writeSummary(path.join(root, 'base'), 2500, 10);
  const missing = await runKbench(['compare', path.join(root, 'base'), path.join(root, 'nothing')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^kbench: current .*nothing: no such file or folder\n$/);
  const empty = await runKbench(['compare', path.join(root, 'base'), root]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /neither a kbench run folder \(run\.json\) nor a results folder \(summary\.json\)/);
  const bad = await runKbench([
    'compare',
    path.join(root, 'base'),
    path.join(root, 'base'),
    '--max-regression',
    'lots',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-regression <tolerance>' argument 'lots' is invalid\. "lots" is not a tolerance/);
});

test('a gated compare that compared nothing is a usage error, never a PASS', async () => {
  const root = tempDir();
  writeSummary(path.join(root, 'now'), 2500, 10);
  const base = writeSummary(path.join(root, 'base'), 2500, 10);
  const summary = JSON.parse(readFileSync(base, 'utf8')) as Record<string, unknown>;
  delete summary['put'];
  writeFileSync(base, JSON.stringify(summary));
  const result = await runKbench(['compare', base, path.join(root, 'now'), '--max-regression', '10%']);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.doesNotMatch(result.stdout, /PASS/);
  assert.match(result.stderr, /^kbench: no metric could be compared: .*\n$/);
});
