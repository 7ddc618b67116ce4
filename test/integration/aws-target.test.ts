/**
 * --target aws as the user sets it up: a region name that cannot be one, a profile that
 * does not exist, and AWS_ENDPOINT_URL_KINESIS (the SDK's own endpoint variable) pointing
 * at a local emulator: the results record where the traffic really went, and limits
 * "unknown" since that endpoint is not AWS. No request reaches AWS.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';

let emulator: EmbeddedEmulator;
before(async () => {
  emulator = await startKinesalite({});
});
after(async () => {
  await emulator.stop();
});

const short = ['--rate', '20', '--duration', '1s', '--warmup', '0s', '--quiet'];

/** No AWS setup from the machine running the tests: a fresh HOME, no credentials, no metadata service. */
function awsFreeEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
  };
  for (const name of [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_KINESIS',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ]) {
    env[name] = '';
  }
  return { ...env, ...extra };
}

test('--region that is no region name: one line naming it, exit 2', async () => {
  const result = await runKbench(
    ['put', '--target', 'aws', '--region', 'nonsense!!', ...short, '--out', path.join(tempDir(), 'r')],
    awsFreeEnv(tempDir()),
  );
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stderr, 'kbench: --region "nonsense!!" is not an AWS region name (e.g. us-east-1, eu-west-1)\n');
});

test('--profile that does not exist: the message names it and where it was looked for, exit 2', async () => {
  const home = tempDir();
  writeFileSync(path.join(home, 'config'), '[default]\nregion = eu-west-1\n[profile work]\nregion = eu-west-1\n');
  const result = await runKbench(
    ['put', '--target', 'aws', '--profile', 'nope', ...short, '--out', path.join(tempDir(), 'r')],
    awsFreeEnv(home),
  );
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^kbench: --profile nope: no such profile in .*config or .*credentials\n$/);
});

test(
  'AWS_ENDPOINT_URL_KINESIS: summary.json records the endpoint used, and limits "unknown"',
  { timeout: 120_000 },
  async () => {
    const out = path.join(tempDir(), 'r');
    mkdirSync(path.dirname(out), { recursive: true });
    const env = awsFreeEnv(tempDir(), {
      AWS_ENDPOINT_URL_KINESIS: emulator.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    const result = await runKbench(['put', '--target', 'aws', ...short, '--out', out], env);
    assert.equal(result.code, 0, result.stderr);
    const summary = readJson(path.join(out, 'summary.json'));
    assert.equal(summary.target.kind, 'aws');
    assert.equal(summary.target.endpoint, emulator.endpoint);
    assert.equal(summary.target.limits, 'unknown');
    assert.ok(summary.put.records.accepted > 0);
  },
);
