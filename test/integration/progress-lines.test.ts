/**
 * With stderr not a terminal (a CI log, `2>progress.txt`), kbench writes plain progress
 * lines there; stdout keeps only the summary. --quiet silences them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKbench, tempDir } from '../support/kbench-cli.js';

test('put with stderr piped: a start line, a line at the end of warmup, one every 10 s, plain text; stdout only the table', async () => {
  const out = tempDir();
  const result = await runKbench(['put', '--rate', '50', '--warmup', '2s', '--duration', '11s', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stderr.trim().split('\n');
  assert.match(lines[0] ?? '', /^kbench: started: warmup 2\.0 s, then measure 11\.0 s/);
  const progress = lines.filter((line) => /^kbench: \d+ s (warmup|measure|drain) \| /.test(line));
  assert.ok(progress.length >= 3, `warmup end, 10 s, the end:\n${result.stderr}`);
  assert.match(progress[0] ?? '', /^kbench: 2 s warmup \| last \d\.\d s: /);
  for (const line of progress) {
    assert.match(line, /records\/s accepted, request p99 (\d+\.\d ms|-), throttled \d+ records \| errors so far \d+$/);
  }
  assert.doesNotMatch(result.stderr, /[\r\u001b]/, 'no carriage returns, no escape codes');
  assert.doesNotMatch(result.stdout, /^kbench: /m, 'progress never on stdout');
  assert.ok(result.stdout.trimEnd().endsWith(out), 'stdout ends with the results folder');
});

test('lag with stderr piped: lines with records in and out and lag p99; --quiet: nothing on stderr', async () => {
  const result = await runKbench([
    'lag',
    '--rate',
    '20',
    '--warmup',
    '0s',
    '--duration',
    '3s',
    '--poll-interval',
    '200ms',
    '--drain',
    '2s',
    '--out',
    tempDir(),
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /^kbench: \d+ s measure \| last \d+\.\d s: in \d+\.\d records\/s, out \d+\.\d records\/s, lag p99 /m,
  );
  assert.doesNotMatch(result.stdout, /^kbench: /m);

  const quiet = await runKbench([
    'put',
    '--rate',
    '20',
    '--warmup',
    '0s',
    '--duration',
    '1s',
    '--quiet',
    '--out',
    tempDir(),
  ]);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
});
