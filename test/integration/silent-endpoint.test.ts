/**
 * An endpoint that accepts connections and never answers: kbench ends with a one-line
 * reason and exit 1 within the bound the README states, never prints the SDK's own log
 * lines, and Ctrl-C or SIGTERM end it at once whatever it is waiting for.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { TIMEOUTS } from '../../src/target/client.js';
import { startKinesalite } from '../../src/target/embedded.js';
import { startCountingProxy } from '../support/counting-proxy.js';
import { readJson, runKbench, startKbench, tempDir, waitFor } from '../support/kbench-cli.js';
import { startSilentEndpoint } from '../support/silent-endpoint.js';

test('a silent endpoint ends the run with a one-line reason and exit 1, within the stated bound', async (t) => {
  const silent = await startSilentEndpoint();
  t.after(() => silent.close());
  const started = Date.now();
  const result = await runKbench([
    'put',
    '--endpoint',
    silent.endpoint,
    '--duration',
    '1s',
    '--warmup',
    '0s',
    '--out',
    tempDir(),
    '--quiet',
  ]);
  const elapsedMs = Date.now() - started;
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
  assert.match(
    result.stderr,
    /^kbench: cannot reach the Kinesis endpoint http:\/\/127\.0\.0\.1:\d+: no answer: the connection stayed silent for 10 s/,
  );
  assert.doesNotMatch(result.stderr, /smithy|\[WARN\]|\[ERROR\]/);
  assert.ok(silent.connections() >= 1);
  // The README's bound: the 10 s silence limit, plus start-up on a loaded machine.
  assert.ok(elapsedMs < TIMEOUTS.idleMs + 20_000, `ended after ${elapsedMs} ms`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} ends a run waiting on a silent endpoint at once`, async (t) => {
    const silent = await startSilentEndpoint();
    t.after(() => silent.close());
    const run = startKbench([
      'put',
      '--endpoint',
      silent.endpoint,
      '--duration',
      '1s',
      '--warmup',
      '0s',
      '--out',
      tempDir(),
      '--quiet',
    ]);
    await waitFor(() => silent.connections() >= 1, 20_000, 'kbench connected');
    const sentAt = Date.now();
    run.child.kill(signal);
    const result = await run.result;
    assert.equal(result.code, signal === 'SIGTERM' ? 143 : 130, result.stderr);
    assert.match(result.stderr, new RegExp(`interrupted by ${signal}`));
    assert.doesNotMatch(result.stderr, /smithy|\[WARN\]/);
    assert.ok(Date.now() - sentAt < TIMEOUTS.idleMs, 'well before the silence limit would have ended it');
  });
}

test('an endpoint that goes silent mid-run stops the run with the reason and exit 1, keeping what was measured', async (t) => {
  const emulator = await startKinesalite();
  t.after(() => emulator.stop());
  const proxy = await startCountingProxy(emulator.endpoint);
  t.after(() => proxy.close());
  const out = tempDir();
  const run = startKbench([
    'put',
    '--endpoint',
    proxy.endpoint,
    '--rate',
    '50',
    '--duration',
    '120s',
    '--warmup',
    '0s',
    '--out',
    out,
    '--quiet',
  ]);
  await waitFor(() => proxy.stats.puts.length >= 20, 30_000, 'puts reaching the server');
  proxy.stats.silent = true;
  const silentAt = Date.now();
  const result = await run.result;
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    /run stopped early: lost the endpoint: no answer for \d+ s \(no answer: the connection stayed silent for 10 s \(TimeoutError\)\)/,
  );
  assert.doesNotMatch(result.stderr, /smithy|\[WARN\]|internal error/);
  assert.match(
    result.stderr,
    /could not delete stream kbench-\S+: no answer: the connection stayed silent for 10 s \(TimeoutError\); delete it yourself/,
  );
  const summary = readJson(path.join(out, 'summary.json'));
  assert.equal(summary.interrupted, true);
  assert.ok(summary.put.records.accepted >= 20);
  // The README's bound: the silence limit for the puts, the stop grace, the silence limit for
  // the stream's deletion; plus margin for a loaded machine.
  assert.ok(
    Date.now() - silentAt < 2 * TIMEOUTS.idleMs + 30_000,
    `ended ${Date.now() - silentAt} ms after the endpoint went silent`,
  );
});
