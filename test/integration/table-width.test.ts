/**
 * The end-of-run text fits a 100-column terminal: a put and a lag case run through
 * kbench run print each case's table and the cases table (the widest: every headline
 * figure of put and lag), and no line is longer than 100 characters.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runKbench, tempDir } from '../support/kbench-cli.js';

test('kbench run with a put and a lag case: every line of stdout fits 100 columns, and the figures are all there', async () => {
  const file = path.join(tempDir('kbench-scenario-'), 'put-and-lag.yaml');
  writeFileSync(
    file,
    [
      'shards: 1',
      'rate: 50',
      'warmup: 0s',
      'duration: 1s',
      'poll-interval: 200ms',
      'drain: 2s',
      'matrix:',
      '  mode: [put, lag]',
      'thresholds:',
      '  - put.failed == 0',
      '',
    ].join('\n'),
  );
  const result = await runKbench(['run', file, '--out', tempDir(), '--quiet']);
  assert.equal(result.code, 0, result.stderr);
  const long = result.stdout.split('\n').filter((line) => line.length > 100);
  assert.deepEqual(long, [], 'lines over 100 columns');
  // Cut into blocks, the cases table still names every figure and both cases.
  for (const column of ['put_records_per_s', 'put_latency_p99_ms', 'lag_p99_ms', 'lag_missing_records'])
    assert.match(result.stdout, new RegExp(`\\b${column}\\b`), column);
  assert.match(result.stdout, /^records\s+produced\s+expected\s+received/m, 'the lag table');
  assert.match(result.stdout, /^client\s+/m);
});
