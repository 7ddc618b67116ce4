/** Every bad input gets one line naming the flag or cause, and the documented exit code. */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { runKbench, tempDir } from '../support/kbench-cli.js';

let emulator: EmbeddedEmulator;
before(async () => {
  // Slow stream creation, so a stream can be caught before it is ACTIVE.
  emulator = await startKinesalite({ streamDelayMs: 20_000 });
});
after(async () => {
  await emulator.stop();
});

const short = ['--duration', '1s', '--warmup', '0s', '--quiet'];

function assertOneLineError(stderr: string, pattern: RegExp): void {
  const text = stderr.trim();
  assert.ok(!text.includes('\n'), `one line, got:\n${text}`);
  assert.match(text, /^kbench: /);
  assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
  assert.match(text, pattern);
}

const usageCases: Array<[string, string[], RegExp]> = [
  ['an unknown flag', ['put', '--bogus'], /unknown option '--bogus'/],
  ['an unknown command', ['pot'], /unknown command 'pot'/],
  ['rate 0', ['put', '--rate', '0'], /--rate.*"0" is not a rate/],
  ['a negative rate', ['put', '--rate=-5'], /--rate.*not a rate/],
  ['shards 0', ['put', '--shards', '0'], /--shards.*from 1 to/],
  ['record size below the header', ['put', '--record-size', '31'], /--record-size.*from 32 to 1048576/],
  ['record size above 1 MiB', ['put', '--record-size', '1048577'], /--record-size.*from 32 to 1048576/],
  ['batch 0', ['put', '--batch', '0'], /--batch.*from 1 to 500/],
  ['batch above 500', ['put', '--batch', '501'], /--batch.*from 1 to 500/],
  [
    'requests above 5 MiB',
    ['put', '--batch', '500', '--record-size', '102400'],
    /--batch: .*PutRecords allows at most 5242880 bytes \(5 MiB\)/,
  ],
  [
    'requests just above 5 MiB',
    ['put', '--batch', '5', '--record-size', '1048576'],
    /--batch: 5 records of 1048576 bytes \(with their partition keys\) make requests of 52\d+ bytes; PutRecords allows at most 5242880 bytes/,
  ],
  [
    'a stream name Kinesis refuses',
    ['put', '--stream', 'bad name!'],
    /--stream: "bad name!" is not a stream name: 1-128 letters, digits/,
  ],
  ['duration 0', ['put', '--duration', '0'], /--duration.*too short/],
  ['an unparseable duration', ['put', '--duration', 'soon'], /--duration.*not a duration/],
  ['a duration without a unit', ['put', '--duration', '10'], /--duration.*not a duration/],
  ['an unparseable warmup', ['put', '--warmup', '5x'], /--warmup.*not a duration/],
  ['a bad key distribution', ['put', '--partition-keys', 'some'], /--partition-keys.*key distribution/],
  ['a bad run id', ['put', '--run-id', 'no spaces'], /--run-id "no spaces" must be/],
  ['an unknown target', ['put', '--target', 'azure'], /--target.*Allowed choices are embedded, aws, endpoint/],
  [
    'an endpoint with the embedded target',
    ['put', '--target', 'embedded', '--endpoint', 'http://127.0.0.1:1'],
    /--endpoint cannot be used with --target embedded/,
  ],
  [
    'an endpoint that is not a URL',
    ['put', '--endpoint', 'localhost:4566'],
    /--endpoint "localhost:4566" must start with http/,
  ],
  [
    '--keep-stream with --stream',
    ['put', '--stream', 'x', '--keep-stream', '--endpoint', 'http://127.0.0.1:1'],
    /--keep-stream: has no effect with --stream/,
  ],
  [
    'an unknown limit',
    ['put', '--limits', 'fast'],
    /--limits.*"fast" is not a limit \(use aws, none, or per-shard numbers/,
  ],
  ['a limit of 0', ['put', '--limits', 'write-records=0'], /--limits.*write-records must be a number above 0/],
  [
    'a latency without a unit',
    ['put', '--inject-latency', '20'],
    /--inject-latency.*"20" is not a latency \(use e\.g\. 20ms/,
  ],
  ['an error rate without %', ['put', '--inject-errors', '0.05'], /--inject-errors.*"0\.05" is not an error rate/],
  [
    'error rates above 100%',
    ['put', '--inject-errors', '500=70%,503=40%'],
    /--inject-errors.*adds up to more than 100%/,
  ],
  [
    '--limits with --target aws',
    ['put', '--target', 'aws', '--limits', 'aws'],
    /--limits only applies to local targets \(embedded, or --endpoint\): AWS enforces its own/,
  ],
  [
    '--inject-errors with --target aws',
    ['put', '--target', 'aws', '--inject-errors', '1%'],
    /--inject-errors only applies to local targets/,
  ],
  [
    '--limits in front of AWS given by URL',
    ['put', '--endpoint', 'https://kinesis.eu-west-1.amazonaws.com', '--limits', 'aws'],
    /--limits and --inject-\* only apply to local endpoints: https:\/\/kinesis\.eu-west-1\.amazonaws\.com is AWS/,
  ],
];

for (const [what, args, pattern] of usageCases) {
  test(`usage error (exit 2): ${what}`, async () => {
    const result = await runKbench(args);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assertOneLineError(result.stderr, pattern);
  });
}

test('usage error (exit 2): more shards than the embedded target allows; no empty results folder is left', async () => {
  const out = path.join(tempDir(), 'results', 'run');
  const result = await runKbench(['put', '--shards', '101', ...short, '--out', out]);
  assert.equal(result.code, 2, result.stderr);
  assertOneLineError(result.stderr, /--shards 101 is above the target's limit of 100 shards/);
  assert.equal(existsSync(out), false, 'the folder made for the run is removed again');
});

test('usage error (exit 2): --target aws without a region', async () => {
  const home = tempDir();
  const result = await runKbench(['put', '--target', 'aws', ...short, '--out', tempDir()], awsFreeEnv(home));
  assert.equal(result.code, 2, result.stderr);
  assertOneLineError(result.stderr, /--target aws needs a region: pass --region/);
});

test('runtime error (exit 1): --target aws without credentials', async () => {
  const home = tempDir();
  const result = await runKbench(
    ['put', '--target', 'aws', '--region', 'eu-west-1', ...short, '--out', tempDir()],
    awsFreeEnv(home),
  );
  assert.equal(result.code, 1, result.stderr);
  assertOneLineError(result.stderr, /--target aws found no AWS credentials/);
});

test('runtime error (exit 1): an endpoint nothing listens on', async () => {
  const result = await runKbench([
    'put',
    '--endpoint',
    `http://127.0.0.1:${await closedPort()}`,
    ...short,
    '--out',
    tempDir(),
  ]);
  assert.equal(result.code, 1, result.stderr);
  assertOneLineError(result.stderr, /cannot reach the Kinesis endpoint http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
});

test('runtime error (exit 1): --stream that does not exist', async () => {
  const result = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--stream',
    'no-such-stream',
    ...short,
    '--out',
    tempDir(),
  ]);
  assert.equal(result.code, 1, result.stderr);
  assertOneLineError(result.stderr, /--stream no-such-stream: stream not found/);
});

test('runtime error (exit 1): --stream that is not ACTIVE yet', async () => {
  const client = createKinesisClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 1,
  });
  await client.send(new CreateStreamCommand({ StreamName: 'still-creating', ShardCount: 1 }));
  client.destroy();
  const result = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--stream',
    'still-creating',
    ...short,
    '--out',
    tempDir(),
  ]);
  assert.equal(result.code, 1, result.stderr);
  assertOneLineError(result.stderr, /--stream still-creating: stream is CREATING, not ACTIVE/);
});

test('runtime error (exit 1): a results folder that cannot be written', async () => {
  const file = path.join(tempDir(), 'a-file');
  writeFileSync(file, '');
  const result = await runKbench(['put', ...short, '--out', path.join(file, 'results')]);
  assert.equal(result.code, 1, result.stderr);
  assertOneLineError(result.stderr, /results folder .*a-file\/results is not writable/);
});

test('runtime error (exit 1): the embedded emulator cannot start', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const result = await runKbench(['put', '--emulator-port', String(port), ...short, '--out', tempDir()]);
    assert.equal(result.code, 1, result.stderr);
    assertOneLineError(result.stderr, /the embedded emulator \(kinesalite\) failed to start: .*EADDRINUSE/);
  } finally {
    blocker.close();
  }
});

test('--help lists every flag with its default, and exits 0', async () => {
  const result = await runKbench(['put', '--help']);
  assert.equal(result.code, 0);
  for (const flag of [
    '--limits',
    '--inject-latency',
    '--inject-errors',
    '--shards',
    '--rate',
    '--concurrency',
    '--duration',
    '--warmup',
    '--record-size',
    '--batch',
    '--partition-keys',
    '--endpoint',
    '--target',
    '--region',
    '--stream',
    '--keep-stream',
    '--out',
    '--json',
    '--quiet',
  ]) {
    assert.ok(result.stdout.includes(flag), flag);
  }
  assert.match(result.stdout, /--duration <time>[^\n]*\(default: 30s\)/);
});

/** An environment with no AWS settings at all, so the SDK finds no region or credentials. */
function awsFreeEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
  };
  for (const name of [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ]) {
    env[name] = '';
  }
  return env;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
