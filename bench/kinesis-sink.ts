/**
 * A stateless stand-in for Kinesis that answers PutRecord and PutRecords at once (a shard
 * id and a sequence number per record, nothing stored), in several processes on one port,
 * so that in the client bench the server is never the bottleneck and the figures are the
 * client's. Prints `{"endpoint": ...}` once listening; ends with its parent's stdin.
 *
 *   node --import tsx bench/kinesis-sink.ts [processes]
 */
import cluster from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const processes = Number(process.argv[2] ?? '2');

if (cluster.isPrimary) {
  const server = http.createServer();
  // The primary only holds the port; workers share it (round-robin by the primary).
  for (let i = 0; i < processes; i++) cluster.fork();
  let ready = 0;
  cluster.on('message', (_worker, message: { port?: number }) => {
    if (message.port !== undefined && ++ready === processes) {
      process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${message.port}` })}\n`);
    }
  });
  process.stdin.resume();
  process.stdin.on('end', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    server.close();
    process.exit(0);
  });
} else {
  let sequence = 0;
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      let body: string;
      if (target.endsWith('.PutRecords')) {
        const count = (
          Buffer.concat(chunks)
            .toString('latin1')
            .match(/"PartitionKey"/g) ?? []
        ).length;
        const records = Array.from(
          { length: count },
          () => `{"ShardId":"shardId-000000000000","SequenceNumber":"${++sequence}"}`,
        );
        body = `{"FailedRecordCount":0,"Records":[${records.join(',')}]}`;
      } else {
        body = `{"ShardId":"shardId-000000000000","SequenceNumber":"${++sequence}"}`;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  // Port 0 in a cluster worker: the primary picks one port and shares it.
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}
