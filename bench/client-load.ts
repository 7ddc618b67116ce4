/**
 * One client's cost, in a process of its own (so neither client's JIT state helps the
 * other): PutRecord calls of 100-byte records against a sink that answers at once, either
 * closed-loop at max rate or at a fixed rate, for a while. Prints JSON: requests, requests/s,
 * errors, client CPU per answered request (process.cpuUsage, µs), latency p50/p99 from the intended send time (ms).
 *
 *   node --import tsx bench/client-load.ts <endpoint> <lean|sdk|bare> <max|requests/s> <seconds> [concurrency]
 *
 * `bare` is the floor: the same keep-alive node:http request, unsigned, body built by hand.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { cpuUsage } from 'node:process';
import { createDataPlane } from '../src/client/create-data-plane.js';
import { putRecordBody } from '../src/client/kinesis-json.js';
import { createLatencyHistogram, recordMicros, summarizeMs } from '../src/measure/histogram.js';

const [endpoint = '', kind = 'lean', rateText = 'max', secondsText = '5', concurrencyText = '32'] =
  process.argv.slice(2);
const seconds = Number(secondsText);
const concurrency = Number(concurrencyText);
const WARMUP_MS = 1000;

type Put = (data: Uint8Array, key: string) => Promise<unknown>;

function barePut(): { put: Put; close: () => void } {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const put: Put = (data, key) =>
    new Promise((resolve, reject) => {
      const body = putRecordBody('bench', { Data: data, PartitionKey: key });
      const request = http.request({
        agent,
        hostname: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Kinesis_20131202.PutRecord',
          'content-length': Buffer.byteLength(body),
        },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      });
      request.end(body);
    });
  return { put, close: () => agent.destroy() };
}

function clientPut(): { put: Put; close: () => void } {
  const client = createDataPlane(kind === 'sdk' ? 'sdk' : 'lean', {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: concurrency,
  });
  return {
    put: (data, key) => client.putRecord('bench', { Data: data, PartitionKey: key }),
    close: () => client.destroy(),
  };
}

const { put, close } = kind === 'bare' ? barePut() : clientPut();
const latency = createLatencyHistogram();
const data = randomBytes(100);
const nowMs = (): number => performance.now();
let requests = 0;
let measuring = false;

let errors = 0;

async function one(intendedMs: number): Promise<void> {
  try {
    await put(data, randomBytes(8).toString('hex'));
  } catch {
    // A client that cannot keep up times out: counted, and left out of the figures.
    if (measuring) errors += 1;
    return;
  }
  if (!measuring) return;
  requests += 1;
  recordMicros(latency, (nowMs() - intendedMs) * 1000);
}

const start = nowMs();
const measureFrom = start + WARMUP_MS;
const end = measureFrom + seconds * 1000;
let cpuBefore: NodeJS.CpuUsage | undefined;
const arm = setTimeout(() => {
  measuring = true;
  cpuBefore = cpuUsage();
}, WARMUP_MS);

if (rateText === 'max') {
  const lane = async (): Promise<void> => {
    while (nowMs() < end) await one(nowMs());
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
} else {
  // Open model: request i is due at start + i / rate, whatever the answers do.
  const periodMs = 1000 / Number(rateText);
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const due = start + i * periodMs;
    if (due >= end) break;
    const wait = due - nowMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const p: Promise<void> = one(due).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}
clearTimeout(arm);
const cpu = cpuUsage(cpuBefore);
const elapsedS = (nowMs() - measureFrom) / 1000;
close();
const summary = summarizeMs(latency);
process.stdout.write(
  JSON.stringify({
    kind,
    rate: rateText,
    requests,
    errors,
    requests_per_s: requests / elapsedS,
    cpu_us_per_request: (cpu.user + cpu.system) / requests,
    p50_ms: summary.p50,
    p99_ms: summary.p99,
  }) + '\n',
);
