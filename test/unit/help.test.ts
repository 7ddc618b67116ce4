/** Help: every flag in a group, examples, exit codes and environment variables, lines of at most 100 columns. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { defineCompareCommand } from '../../src/cli/compare.js';
import { ENVIRONMENT, EXIT_CODES, GROUP_HEADINGS, applyHelp, groupOf } from '../../src/cli/help-text.js';
import { defineLagCommand } from '../../src/cli/lag.js';
import { defineMergeCommand } from '../../src/cli/merge.js';
import { definePutCommand } from '../../src/cli/put.js';
import { defineReportCommand } from '../../src/cli/report.js';
import { defineRunCommand } from '../../src/cli/run.js';
import { ExitCode } from '../../src/errors/errors.js';
import { runKbench } from '../support/kbench-cli.js';

const noop = async (): Promise<void> => undefined;
const COMMANDS: Array<() => Command> = [
  () => definePutCommand(noop),
  () => defineLagCommand(noop),
  () => defineRunCommand(noop),
  () => defineCompareCommand(noop),
  () => defineMergeCommand(noop),
  () => defineReportCommand(noop),
];

test('every flag of every command has a help group (add new flags to FLAG_GROUPS in src/cli/help-text.ts)', () => {
  for (const define of COMMANDS) {
    const command = define();
    const ungrouped = command.options.filter((option) => groupOf(option) === undefined).map((option) => option.long);
    assert.deepEqual(ungrouped, [], `kbench ${command.name()}: flags without a group`);
  }
});

test("a command's help shows its groups in the fixed order, with examples", () => {
  const command = applyHelp(definePutCommand(noop));
  const help = command.helpInformation() + '';
  const headings = [
    GROUP_HEADINGS.target,
    GROUP_HEADINGS.load,
    GROUP_HEADINGS.records,
    GROUP_HEADINGS.timing,
    GROUP_HEADINGS.output,
  ];
  const at = headings.map((heading) => help.indexOf(`\n${heading}\n`));
  assert.ok(
    at.every((i) => i > 0),
    help,
  );
  assert.deepEqual(
    [...at].sort((a, b) => a - b),
    at,
    'groups in order',
  );
});

test('kbench --help: commands, exit codes, environment variables; every help fits 100 columns', async () => {
  const root = await runKbench(['--help']);
  assert.equal(root.code, 0);
  for (const code of Object.values(ExitCode))
    assert.match(root.stdout, new RegExp(`^  ${code} `, 'm'), `exit code ${code}`);
  assert.equal(EXIT_CODES.length, Object.values(ExitCode).length);
  for (const name of ['AWS_REGION', 'AWS_PROFILE', 'AWS_ENDPOINT_URL_KINESIS', 'KBENCH_DEBUG', 'NO_COLOR']) {
    assert.ok(
      ENVIRONMENT.some(([key]) => key === name),
      name,
    );
    assert.match(root.stdout, new RegExp(`^  ${name} `, 'm'), name);
  }
  for (const command of ['', 'put', 'lag', 'run', 'compare', 'merge', 'report', 'completion']) {
    const result = await runKbench([...(command ? [command] : []), '--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\nExamples:\n/, `kbench ${command} --help has examples`);
    const long = result.stdout.split('\n').filter((line) => line.length > 100);
    assert.deepEqual(long, [], `kbench ${command} --help: lines over 100 columns`);
  }
});
