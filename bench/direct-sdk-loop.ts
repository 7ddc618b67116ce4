/**
 * The baseline kbench is compared with: the least a client can do to put records through
 * the same SDK setup (keep-alive HTTP/1.1, no SDK retries), closed model, same batch,
 * concurrency, record size and random keys. Prints {"records_per_s": n} on stdout.
 *
 *   node --import tsx bench/direct-sdk-loop.ts <endpoint> <batch> <concurrency> <seconds> <warmupSeconds>
 */
import { randomBytes } from 'node:crypto';
import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../src/target/client.js';
import { createStream, deleteStream } from '../src/target/stream.js';

const [endpoint = '', batchText = '500', concurrencyText = '8', secondsText = '10', warmupText = '2'] =
  process.argv.slice(2);
const batch = Number(batchText);
const concurrency = Number(concurrencyText);
const RECORD_SIZE = 100;

const client = createKinesisClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  maxSockets: concurrency,
});
const stream = `direct-${process.pid}-${Date.now()}`;
await createStream(client, stream, 3);

const template = randomBytes(RECORD_SIZE);
const key = (): string => Math.floor(Math.random() * 0x10_0000_0000_0000).toString(16);
const entries = (): Array<{ Data: Buffer; PartitionKey: string }> =>
  Array.from({ length: batch }, () => {
    const data = Buffer.allocUnsafe(RECORD_SIZE);
    template.copy(data);
    return { Data: data, PartitionKey: key() };
  });

const start = performance.now();
const measureFrom = start + Number(warmupText) * 1000;
const end = measureFrom + Number(secondsText) * 1000;
let accepted = 0;

async function lane(): Promise<void> {
  while (performance.now() < end) {
    const sentAt = performance.now();
    if (batch === 1) {
      const [entry] = entries();
      await client.send(
        new PutRecordCommand({ StreamName: stream, Data: entry!.Data, PartitionKey: entry!.PartitionKey }),
      );
      if (sentAt >= measureFrom) accepted += 1;
    } else {
      const answer = await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries() }));
      if (sentAt >= measureFrom) accepted += batch - (answer.FailedRecordCount ?? 0);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
await deleteStream(client, stream);
client.destroy();
process.stdout.write(`${JSON.stringify({ records_per_s: accepted / ((end - measureFrom) / 1000) })}\n`);
