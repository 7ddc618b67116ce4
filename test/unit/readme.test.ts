/**
 * The README and docs/ are the user's reference: together they must name every flag and output
 * column there is. The README is the short first read; docs/*.md hold the reference.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MERGE_FILE } from '../../src/app/merge-command.js';
import { defineCompareCommand } from '../../src/cli/compare.js';
import { defineLagCommand } from '../../src/cli/lag.js';
import { defineMergeCommand } from '../../src/cli/merge.js';
import { defineReportCommand } from '../../src/cli/report.js';
import { definePutCommand } from '../../src/cli/put.js';
import { defineRunCommand } from '../../src/cli/run.js';
import { ExitCode } from '../../src/errors/errors.js';
import { METRICS } from '../../src/gate/metrics.js';
import { caseColumns } from '../../src/results/cases-csv.js';
import { INTERVAL_COLUMNS, LAG_COLUMNS } from '../../src/results/intervals-csv.js';
import { RESULT_FILES } from '../../src/results/results-folder.js';
import { RUN_FILES } from '../../src/results/run-folder.js';
import { SCENARIO_KEYS } from '../../src/scenario/scenario.js';
import { REPO_ROOT } from '../support/kbench-cli.js';

const docsDir = path.join(REPO_ROOT, 'docs');
const docs = readdirSync(docsDir)
  .filter((name) => name.endsWith('.md'))
  .sort();
const readDoc = (name: string): string => readFileSync(path.join(docsDir, name), 'utf8');
/** README.md and every docs/*.md, concatenated: a flag or column documented in any of them counts. */
const readme = [readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'), ...docs.map(readDoc)].join('\n');
const documented = (long: string): boolean => readme.includes(`\`${long} `) || readme.includes(`\`${long}\``);

test('the README documents every put flag', () => {
  const command = definePutCommand(async () => undefined);
  for (const option of command.options) {
    assert.ok(documented(option.long ?? ''), `${option.long} is in the README`);
  }
});

test('the README documents every flag of run, compare, merge and report', () => {
  const noop = async (): Promise<void> => undefined;
  for (const command of [
    defineRunCommand(noop),
    defineCompareCommand(noop),
    defineMergeCommand(noop),
    defineReportCommand(noop),
  ]) {
    for (const option of command.options)
      assert.ok(documented(option.long ?? ''), `kbench ${command.name()} ${option.long} is in the README`);
  }
});

test('the README documents every lag flag', () => {
  const command = defineLagCommand(async () => undefined);
  for (const option of command.options) {
    assert.ok(
      readme.includes(`\`${option.long} `) || readme.includes(`\`${option.long}\``),
      `${option.long} is in the README`,
    );
  }
});

test('the README documents every lag field of summary.json', () => {
  const section = readDoc('lag.md');
  for (const field of [
    'latency_ms',
    'put_to_arrival_ms',
    'arrival_to_receive_ms',
    'millis_behind_latest_ms',
    'server_clock_figures',
    'clock_disagreements',
    'produced',
    'expected',
    'received',
    'duplicates',
    'missing',
    'unacknowledged',
    'foreign',
    'complete',
    'per_consumer',
    'reads_per_s',
    'records_per_read',
    'iterators_renewed',
    'resubscriptions',
    'drain_s',
    'consumers_deregistered',
    'per_worker',
  ]) {
    assert.ok(section.includes(`"${field}"`), `lag.${field} is in docs/lag.md`);
  }
});

test('the README documents every intervals.csv column and every results file', () => {
  for (const column of [...INTERVAL_COLUMNS, ...LAG_COLUMNS])
    assert.ok(readme.includes(`\`${column.name}\``), column.name);
  for (const file of [...Object.values(RESULT_FILES), ...Object.values(RUN_FILES), MERGE_FILE])
    assert.ok(readme.includes(`\`${file}\``), file);
});

test('the README documents every scenario key, metric, cases.csv column and exit code', () => {
  for (const key of SCENARIO_KEYS) assert.ok(readme.includes(`| \`${key}\` |`), key);
  for (const metric of METRICS) assert.ok(readme.includes(`\`${metric.name}\``), metric.name);
  for (const column of caseColumns([], 1)) assert.ok(readme.includes(`\`${column.name}\``), column.name);
  for (const code of Object.values(ExitCode))
    assert.match(readme, new RegExp(`^\\| ${code} `, 'm'), `exit code ${code}`);
});

test('the README gives the two set-up commands and the test command', () => {
  const readmeOnly = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  assert.match(readmeOnly, /npm ci && npx kbench put --shards 3/);
  assert.match(readmeOnly, /^npm test/m);
});
