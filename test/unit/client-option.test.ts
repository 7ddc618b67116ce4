/** --client: a put/lag flag and a scenario field, checked the same way everywhere. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scenarioCatalog } from '../../src/cli/modes.js';
import { UsageError } from '../../src/errors/errors.js';
import { validateScenario } from '../../src/scenario/scenario.js';
import { parseScenarioText } from '../../src/scenario/scenario-file.js';
import { runKbench } from '../support/kbench-cli.js';

const catalog = scenarioCatalog();
const load = (text: string) => validateScenario(parseScenarioText('s.yaml', text), catalog);

test('a scenario may choose the client, per case too; anything else is refused in one line', () => {
  assert.doesNotThrow(() => load('client: sdk\n'));
  assert.doesNotThrow(() => load('mode: lag\nclient: lean\n'));
  assert.doesNotThrow(() => load('matrix:\n  client: [lean, sdk]\n'));
  assert.throws(
    () => load('client: fast\n'),
    (error: unknown) =>
      error instanceof UsageError && /^s\.yaml:1: client: "fast" is not one of lean, sdk$/.test(error.message),
  );
});

test('kbench put --client with another value is a usage error naming the flag and the choices', async () => {
  const result = await runKbench(['put', '--client', 'fast']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--client.*fast.*lean, sdk/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});
