/** --stages and --find-max: bad input gets one line naming the flag or field, exit code 2. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runKbench, tempDir } from '../support/kbench-cli.js';

function assertUsage(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  const text = result.stderr.trim();
  assert.equal(result.code, 2, text);
  assert.ok(!text.includes('\n'), `one line, got:\n${text}`);
  assert.doesNotMatch(text, /\n\s+at /);
  assert.match(text, pattern);
}

const cases: Array<[string, string[], RegExp]> = [
  ['stages without /s', ['put', '--stages', '500:30s'], /--stages.*"500:30s" is not a stage.*e\.g\. 500\/s:30s/],
  ['stages without a time', ['put', '--stages', '500/s:1x'], /--stages.*no valid time/],
  ['an empty stage', ['put', '--stages', '500/s:1s,,'], /--stages.*not a list of stages/],
  ['stages that send nothing', ['put', '--stages', '0/s:10s'], /--stages.*sends nothing/],
  ['stages with --rate', ['put', '--stages', '100/s:1s', '--rate', '100'], /--stages cannot be combined with --rate/],
  [
    'stages with --duration',
    ['lag', '--stages', '100/s:1s', '--duration', '5s'],
    /--stages cannot be combined with --duration/,
  ],
  ['find-max with --rate', ['put', '--find-max', '--rate', '100'], /--find-max cannot be combined with --rate/],
  [
    'find-max with --stages',
    ['put', '--find-max', '--stages', '100/s:1s'],
    /--find-max cannot be combined with --stages/,
  ],
  ['a find-max flag without --find-max', ['put', '--max-p99', '100ms'], /--max-p99 only applies with --find-max/],
  ['a step factor of 1', ['put', '--find-max', '--find-max-step', '1'], /--find-max-step.*factor above 1/],
  ['a precision of 0', ['put', '--find-max', '--find-max-precision', '0%'], /--find-max-precision.*percentage above 0/],
  ['a throttled share above 100', ['put', '--find-max', '--max-throttled', '101%'], /--max-throttled.*up to 100/],
  ['find-max is put only', ['lag', '--find-max'], /unknown option '--find-max'/],
];

for (const [name, args, pattern] of cases) {
  test(`usage: ${name}`, async () => {
    assertUsage(await runKbench(args), pattern);
  });
}

test('usage: a scenario with stages and rate names the conflict', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'spike.yaml');
  writeFileSync(file, 'mode: put\nstages: 100/s:1s,200/s:1s\nrate: 50\n');
  assertUsage(
    await runKbench(['run', file, '--out', path.join(dir, 'out')]),
    /--stages cannot be combined with --rate/,
  );
  writeFileSync(file, 'mode: put\nstages: 100:1s\n');
  assertUsage(await runKbench(['run', file, '--out', path.join(dir, 'out')]), /stages/);
});
