/** Bad input to kbench lag: one line naming the flag and what is allowed, exit 2, never a stack trace. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { runKbench, tempDir, waitFor } from '../support/kbench-cli.js';

let emulator: EmbeddedEmulator;
before(async () => {
  emulator = await startKinesalite();
});
after(async () => {
  await emulator.stop();
});

const usageCases: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
  ['a negative poll interval', ['--poll-interval', '-1s'], /--poll-interval.*"-1s" is below 0/],
  [
    'a poll interval that is not a duration',
    ['--poll-interval', 'often'],
    /--poll-interval.*"often" is not a duration \(use e\.g\. 500ms/,
  ],
  ['a bare number as poll interval', ['--poll-interval', '200'], /--poll-interval.*"200" is not a duration/],
  ['a poll interval above a minute', ['--poll-interval', '2m'], /--poll-interval.*too long \(at most 1m\)/],
  [
    'zero consumers per shard',
    ['--consumers-per-shard', '0'],
    /--consumers-per-shard.*"0" is not an integer from 1 to 100/,
  ],
  ['an unknown consumer kind', ['--consumer', 'kcl'], /--consumer.*Allowed choices are polling, efo/],
  [
    'efo on the default embedded emulator (kinesalite)',
    ['--consumer', 'efo'],
    /--consumer: efo needs enhanced fan-out, which kinesalite .* --emulator kinesis-mock/,
  ],
  [
    '--poll-interval with efo',
    ['--consumer', 'efo', '--emulator', 'kinesis-mock', '--poll-interval', '200ms'],
    /--poll-interval only applies to --consumer polling/,
  ],
  [
    'more efo consumers than a stream may register',
    ['--consumer', 'efo', '--emulator', 'kinesis-mock', '--consumers-per-shard', '21'],
    /--consumers-per-shard: at most 20 with --consumer efo/,
  ],
  [
    '--emulator with another target',
    ['--emulator', 'kinesis-mock', '--endpoint', 'http://127.0.0.1:1'],
    /--emulator only applies to --target embedded/,
  ],
  ['an unknown emulator', ['--emulator', 'localstack'], /--emulator.*Allowed choices are kinesalite, kinesis-mock/],
];

for (const [what, args, message] of usageCases) {
  test(`usage error, exit 2: ${what}`, async () => {
    const result = await runKbench(['lag', ...args, '--out', tempDir(), '--quiet']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
    assert.equal(result.stdout, '');
  });
}

test('efo against an endpoint without enhanced fan-out: one line naming the way out, exit 2, the created stream deleted', async () => {
  const runId = `noefo-${Date.now()}`;
  const result = await runKbench([
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--consumer',
    'efo',
    '--run-id',
    runId,
    '--out',
    tempDir(),
    '--quiet',
  ]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(
    result.stderr,
    /^kbench: --consumer efo: the target has no enhanced fan-out \(RegisterStreamConsumer answered UnknownOperationException\); use --consumer polling/,
  );
  assert.equal(result.stderr.trim().split('\n').length, 1);
  const client = createKinesisClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 1,
  });
  try {
    // Deleting takes the emulator a moment (DELETING), as it takes the service.
    await waitFor(
      async () => !((await client.send(new ListStreamsCommand({}))).StreamNames ?? []).includes(`kbench-${runId}`),
      5000,
      'the stream kbench created to be deleted',
    );
  } finally {
    client.destroy();
  }
});
