/** The README is the user's reference: it must name every flag and output column there is. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { defineLagCommand } from '../../src/cli/lag.js';
import { definePutCommand } from '../../src/cli/put.js';
import { INTERVAL_COLUMNS, LAG_COLUMNS } from '../../src/report/intervals-csv.js';
import { RESULT_FILES } from '../../src/report/results-folder.js';
import { REPO_ROOT } from '../support/kbench-cli.js';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

test('the README documents every put flag', () => {
  const command = definePutCommand(async () => undefined);
  for (const option of command.options) {
    assert.ok(readme.includes(`\`${option.long} `) || readme.includes(`\`${option.long}\``), `${option.long} is in the README`);
  }
});

test('the README documents every lag flag', () => {
  const command = defineLagCommand(async () => undefined);
  for (const option of command.options) {
    assert.ok(readme.includes(`\`${option.long} `) || readme.includes(`\`${option.long}\``), `${option.long} is in the README`);
  }
});

test('the README documents every lag field of summary.json', () => {
  const section = readme.slice(readme.indexOf('## `kbench lag`'));
  for (const field of ['latency_ms', 'put_to_arrival_ms', 'arrival_to_receive_ms', 'millis_behind_latest_ms', 'server_clock_figures', 'clock_disagreements', 'produced', 'expected', 'received', 'duplicates', 'missing', 'unacknowledged', 'foreign', 'complete', 'per_consumer', 'reads_per_s', 'records_per_read', 'iterators_renewed', 'resubscriptions', 'drain_s', 'consumers_deregistered']) {
    assert.ok(section.includes(`"${field}"`), `lag.${field} is in the README's lag section`);
  }
});

test('the README documents every intervals.csv column and every results file', () => {
  for (const column of [...INTERVAL_COLUMNS, ...LAG_COLUMNS]) assert.ok(readme.includes(`\`${column.name}\``), column.name);
  for (const file of Object.values(RESULT_FILES)) assert.ok(readme.includes(`\`${file}\``), file);
});

test('the README gives the two set-up commands and the test command', () => {
  assert.match(readme, /npm ci && npx kbench put --shards 3/);
  assert.match(readme, /^npm test/m);
});
