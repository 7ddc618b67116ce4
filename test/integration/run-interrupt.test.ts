/**
 * kbench run on a large matrix: warned about before it starts when its planned time is
 * over a day, stopped by Ctrl-C within a few seconds whatever the number of cases, and
 * recorded as interrupted with a gate that did not pass. Plus the run's smaller messages.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';

test(
  'Ctrl-C on a 1000-case matrix stops within seconds; run.json says interrupted and the gate did not pass',
  { timeout: 120_000 },
  async () => {
    const root = tempDir();
    const scenario = path.join(root, 'big.yaml');
    const rates = Array.from({ length: 100 }, (_, i) => 10 + i).join(', ');
    writeFileSync(
      scenario,
      `mode: put\nduration: 1h\nwarmup: 0s\nthresholds:\n  - "put.records_per_s >= 1"\nmatrix:\n  rate: [${rates}]\n  batch: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n`,
    );
    const out = path.join(root, 'out');
    const run = startKbench(['run', scenario, '--out', out, '--quiet']);
    let stderr = '';
    run.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(
      () => existsSync(path.join(out, 'c0001-rate-10-batch-1', 'intervals.csv')),
      60_000,
      'the first case to run',
    );
    assert.match(
      stderr,
      /WARNING: this scenario plans 42 days \(1000 h\) of load \(1000 cases, warmup, duration and drain\)/,
    );
    const stoppedAt = Date.now();
    run.child.kill('SIGINT');
    const result = await run.result;
    // A bound on stopping at all, generous for a loaded machine: it took 20 s and more when
    // run.json was rewritten for every skipped case.
    assert.ok(Date.now() - stoppedAt < 12_000, `stopped ${Date.now() - stoppedAt} ms after Ctrl-C`);
    assert.equal(result.code, 130, result.stderr);
    const manifest = readJson(path.join(out, 'run.json'));
    assert.equal(manifest.status, 'interrupted');
    assert.equal(manifest.gate.passed, false, 'an interrupted run never passes its gate');
    assert.match(manifest.gate.incomplete, /interrupted/);
    assert.equal(manifest.cases.length, 1000);
    assert.equal(manifest.cases[999].status, 'skipped');
    const rows = parse(readFileSync(path.join(out, 'cases.csv')), { columns: true }) as Array<Record<string, string>>;
    assert.equal(rows.length, 1000, 'every case has its row');
    assert.ok(!existsSync(path.join(out, 'c0002-rate-10-batch-2')), 'no second case started');
  },
);

test('a case without a matrix is "case 1", not "case 1 ((single case))"', { timeout: 60_000 }, async () => {
  const root = tempDir();
  const scenario = path.join(root, 'one.yaml');
  writeFileSync(scenario, 'mode: put\nshards: 101\nduration: 1s\nwarmup: 0s\n');
  const result = await runKbench(['run', scenario, '--out', path.join(root, 'out'), '--quiet']);
  assert.equal(result.code, 2, result.stderr);
  assert.doesNotMatch(result.stderr, /\(\(single case\)\)/);
  assert.match(result.stderr, /kbench: case 1: --shards 101 is above the target's limit/);
});

test('a binary scenario file is refused in one line without echoing its bytes', async () => {
  const root = tempDir();
  const scenario = path.join(root, 'binary.yaml');
  writeFileSync(
    scenario,
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  );
  const result = await runKbench(['run', scenario, '--out', path.join(root, 'out')]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(
    result.stderr,
    `kbench: ${scenario}: not a text file (it holds binary data); a scenario file is YAML or JSON text\n`,
  );
});

test('a YAML alias bomb is a usage error (exit 2), not an internal error', async () => {
  const root = tempDir();
  const scenario = path.join(root, 'bomb.yaml');
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++)
    lines.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  writeFileSync(scenario, `${lines.join('\n')}\n`);
  const result = await runKbench(['run', scenario, '--out', path.join(root, 'out')]);
  assert.equal(result.code, 2, result.stderr);
  assert.doesNotMatch(result.stderr, /internal error/);
  assert.match(result.stderr, /^kbench: .*bomb\.yaml: not a usable scenario: .*\n$/);
});
