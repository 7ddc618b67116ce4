/**
 * The lean client and the SDK, through the real kbench and the real embedded emulator with
 * kbench's quota layer: the same runs account the same way (fixed-rate runs send the same
 * records; throttling and injected errors are counted; the stream holds exactly what each
 * reports as accepted, per shard), and records the lean client writes read back byte for
 * byte with the SDK at the ShardId and SequenceNumber it reported.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { LeanDataPlane } from '../../src/client/lean-data-plane.js';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { createStream, deleteStream } from '../../src/target/stream.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';
import { assertNoDuplicates, readRun } from '../support/readback.js';

let emulator: EmbeddedEmulator;
before(async () => {
  emulator = await startKinesalite();
});
after(async () => {
  await emulator.stop();
});

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly expect: (records: Record<string, number>) => void;
}

const cases: Case[] = [
  {
    name: 'over a quota of 20 records/s per shard',
    args: ['--shards', '1', '--limits', 'write-records=20', '--rate', '80', '--batch', '1', '--retries', '0'],
    expect: (r) => {
      assert.ok((r['throttled'] ?? 0) > 0, 'throttling counted');
      assert.ok((r['failed'] ?? 0) > 0, 'without retries, throttled records fail');
    },
  },
  {
    name: 'with injected 500 errors, PutRecords',
    args: ['--shards', '2', '--inject-errors', '500=20%', '--rate', '300', '--batch', '10', '--retry-backoff', '5ms'],
    expect: (r) => assert.ok((r['errors'] ?? 0) > 0, 'injected errors counted'),
  },
];

for (const c of cases) {
  test(`${c.name}: lean and sdk send the same records and account for them alike`, async () => {
    const sent: number[] = [];
    for (const client of ['lean', 'sdk']) {
      const out = tempDir();
      const runId = `parity-${client}-${Date.now()}`;
      const result = await runKbench([
        'put',
        '--endpoint',
        emulator.endpoint,
        ...c.args,
        '--client',
        client,
        '--keep-stream',
        '--run-id',
        runId,
        '--duration',
        '2s',
        '--warmup',
        '0s',
        '--workers',
        '1',
        '--out',
        out,
        '--quiet',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const summary = readJson(path.join(out, 'summary.json'));
      assert.equal(summary.options.client, client);
      const records = summary.put.records as Record<string, number>;
      c.expect(records);
      assert.equal(
        records['sent'],
        (records['accepted'] ?? 0) + (records['failed'] ?? 0) + (records['unfinished'] ?? 0),
      );
      sent.push(records['sent'] ?? 0);
      // The emulator behind the layer holds exactly the accepted records (warmup is 0 s).
      const stored = await readRun(emulator.endpoint, summary.stream.name, runId);
      assertNoDuplicates(stored);
      assert.equal(stored.length, records['accepted'], `${client}: the stream holds what kbench reports as accepted`);
      const perShard: Record<string, number> = {};
      for (const r of stored) perShard[r.shardId] = (perShard[r.shardId] ?? 0) + 1;
      const reported = Object.fromEntries(
        Object.entries(summary.put.per_shard).map(([id, s]: [string, any]) => [id, s.accepted]),
      );
      assert.deepEqual(reported, perShard);
    }
    assert.equal(sent[0], sent[1], 'a fixed rate sends the same records with either client');
  });
}

test('records the lean client writes read back byte for byte with the SDK at the position it reported', async () => {
  const settings = {
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 4,
  };
  const sdk = createKinesisClient(settings);
  const lean = new LeanDataPlane(settings);
  const stream = `lean-readback-${Date.now()}`;
  try {
    await createStream(sdk, stream, 2);
    const data = [
      new Uint8Array([0, 255, 1, 254]),
      new TextEncoder().encode('{"json":"inside"} é'),
      new Uint8Array(1000).map((_, i) => i % 256),
    ];
    const single = await lean.putRecord(stream, { Data: data[0] as Uint8Array, PartitionKey: 'pk-0' });
    const batch = await lean.putRecords(stream, [
      { Data: data[1] as Uint8Array, PartitionKey: 'pk-1' },
      { Data: data[2] as Uint8Array, PartitionKey: 'pk-2', ExplicitHashKey: '0' },
    ]);
    assert.equal(batch.FailedRecordCount, 0);
    const written = [single, ...(batch.Records ?? [])];
    for (const [i, position] of written.entries()) {
      assert.match(position.ShardId ?? '', /^shardId-/);
      assert.match(position.SequenceNumber ?? '', /^\d+$/);
      const iterator = await sdk.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: position.ShardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: position.SequenceNumber,
        }),
      );
      const read = await sdk.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator, Limit: 1 }));
      const record = read.Records?.[0];
      assert.equal(record?.SequenceNumber, position.SequenceNumber);
      assert.equal(record?.PartitionKey, `pk-${i}`);
      assert.deepEqual(Buffer.from(record?.Data ?? []), Buffer.from(data[i] as Uint8Array));
    }
    await deleteStream(sdk, stream);
  } finally {
    lean.destroy();
    sdk.destroy();
  }
});
