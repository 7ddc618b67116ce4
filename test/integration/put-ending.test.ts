/**
 * How a put run ends, and what it leaves behind: a refused run never deletes a stream it
 * did not create, and what the run counted agrees between summary.json and intervals.csv.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite } from '../../src/target/embedded.js';
import { runKbench, tempDir } from '../support/kbench-cli.js';

const localClient = (endpoint: string) =>
  createKinesisClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 'k' }, maxSockets: 1 });

test('a run refused because its stream already exists never deletes that stream', async (t) => {
  const emulator = await startKinesalite();
  t.after(() => emulator.stop());
  const common = ['put', '--endpoint', emulator.endpoint, '--run-id', 'dup', '--duration', '1s', '--warmup', '0s', '--rate', '50', '--quiet'];
  const first = await runKbench([...common, '--keep-stream', '--out', tempDir()]);
  assert.equal(first.code, 0, first.stderr);

  const second = await runKbench([...common, '--out', tempDir()]);
  assert.equal(second.code, 1, second.stderr);
  assert.match(second.stderr, /stream kbench-dup already exists/);
  assert.doesNotMatch(second.stderr, /delete/i);

  const client = localClient(emulator.endpoint);
  t.after(() => client.destroy());
  const answer = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'kbench-dup' }));
  assert.equal(answer.StreamDescriptionSummary?.StreamStatus, 'ACTIVE', 'the other run\'s stream is still there');
});
