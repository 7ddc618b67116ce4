/**
 * kbench put under injected faults: every InternalFailure, ServiceUnavailable and
 * connection reset the layer injects is counted as an error, the records are retried,
 * and the stream holds every accepted record exactly once (faults are injected before
 * the emulator sees the call, so a retried record was never stored).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { startKinesalite } from '../../src/target/embedded.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';
import { acceptedInAllIntervals, assertNoDuplicates, readRun } from '../support/readback.js';

test('injected 500s, 503s and resets: counted as errors, retried, nothing lost or duplicated', async () => {
  const faults = { errors: { internalFailurePct: 4, serviceUnavailablePct: 3, connectionResetPct: 3 } };
  const emulator = await startKinesalite({ layer: { quota: null, faults } });
  try {
    const out = tempDir();
    const runId = `faults-${process.pid}`;
    const result = await runKbench([
      'put',
      '--endpoint',
      emulator.endpoint,
      '--keep-stream',
      '--run-id',
      runId,
      '--out',
      out,
      '--quiet',
      '--rate',
      '400',
      '--batch',
      '1',
      '--concurrency',
      '16',
      '--warmup',
      '0s',
      '--duration',
      '3s',
      '--retry-backoff',
      '5ms',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const summary = readJson(path.join(out, 'summary.json'));
    const { records } = summary.put;
    const stats = await emulator.layerStats();
    const injected =
      stats.injected.internalFailure + stats.injected.serviceUnavailable + stats.injected.connectionReset;
    assert.ok(
      stats.injected.internalFailure > 0 && stats.injected.serviceUnavailable > 0 && stats.injected.connectionReset > 0,
    );
    assert.equal(
      records.errors,
      injected,
      'every injected fault is counted once as an error (batch 1: one record per call)',
    );
    assert.equal(records.retried, records.errors, 'each failed attempt was retried');
    assert.equal(records.failed, 0);
    // At most 400 records/s for 3 s: a loaded machine falls behind, and what was overdue at the
    // end is never sent (nothing new goes out in the drain); everything sent is written.
    assert.ok(records.sent > 0 && records.sent <= 1200, `sent ${records.sent}`);
    assert.equal(records.accepted, records.sent, 'every record sent was written in the end');
    const stored = await readRun(emulator.emulatorEndpoint, summary.stream.name, runId);
    assert.equal(stored.length, acceptedInAllIntervals(out));
    assert.equal(stored.length, records.accepted);
    assertNoDuplicates(stored);
  } finally {
    await emulator.stop();
  }
});

test('--inject-latency on writes: every put request takes at least the injected time, and the summary says so', async () => {
  const out = tempDir();
  const result = await runKbench([
    'put',
    '--inject-latency',
    'writes=50ms',
    '--limits',
    'none',
    '--rate',
    '100',
    '--warmup',
    '0s',
    '--duration',
    '1s',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = readJson(path.join(out, 'summary.json'));
  assert.ok(summary.put.latency_ms.min >= 50, `min latency ${summary.put.latency_ms.min} ms`);
  assert.equal(summary.target.limits, 'none');
  assert.equal(summary.target.quota, null);
  assert.deepEqual(summary.target.faults, {
    latency: { writes: { distribution: 'fixed', ms: 50 }, reads: null },
    errors_pct: null,
  });
  assert.match(result.stdout, /faults\s+latency 50 ms on writes/);
});
