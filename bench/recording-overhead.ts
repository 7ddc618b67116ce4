/**
 * What recording costs on the hot path. The same closed-model producer (PutSender,
 * RecordFactory, startProducer: kbench's own parts) runs against the same emulator with
 * the real recorder and with one that records nothing, alternating; then the recorder's
 * per-request work is timed on its own and set against a request's whole CPU cost.
 * Prints JSON on stdout.
 *
 *   node --import tsx bench/recording-overhead.ts <endpoint> <seconds> <rounds>
 */
import { cpuUsage } from 'node:process';
import { MonotonicClock } from '../src/measure/clock.js';
import { PutRecorder } from '../src/measure/put-recorder.js';
import { createDataPlane } from '../src/client/create-data-plane.js';
import { createKinesisClient } from '../src/target/client.js';
import { createStream, deleteStream } from '../src/target/stream.js';
import { createKeyGenerator } from '../src/workload/partition-keys.js';
import { startProducer } from '../src/workload/producer.js';
import { PutSender } from '../src/workload/put-sender.js';
import { RecordFactory } from '../src/workload/record-factory.js';
import { runTag } from '../src/workload/record-header.js';
import { DEFAULT_RETRY } from '../src/config/retry-policy.js';

/** Records nothing; counts accepted records so the run still has a figure. */
class NullRecorder extends PutRecorder {
  acceptedRecords = 0;
  override sent(): void {}
  override requestAnswered(): void {}
  override requestRejected(): void {}
  override accepted(_intended: number, _latency: number, records: number): void {
    this.acceptedRecords += records;
  }
  override shardAccepted(): void {}
  override recordsRejected(): void {}
  override retried(): void {}
  override failed(): void {}
}

const [endpoint = '', secondsText = '8', roundsText = '3'] = process.argv.slice(2);
const seconds = Number(secondsText);
const BATCH = 1;
const CONCURRENCY = 32;
const clock = new MonotonicClock();
const settings = {
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  maxSockets: CONCURRENCY,
};
const client = createDataPlane('sdk', settings);
const control = createKinesisClient(settings);
const stream = `overhead-${process.pid}`;
await createStream(control, stream, 3);

async function run(recording: boolean): Promise<{ recordsPerS: number; cpuMicrosPerRequest: number }> {
  const start = clock.nowMicros() + 1_000_000; // 1 s warmup, not counted
  const end = start + seconds * 1_000_000;
  const recorder = recording ? new PutRecorder(start, end) : new NullRecorder(start, end);
  const stop = new AbortController();
  const sender = new PutSender({
    client,
    streamName: stream,
    clock,
    recorder,
    retry: DEFAULT_RETRY,
    stop: stop.signal,
    halt: new AbortController().signal,
    onFatal: () => stop.abort(),
  });
  const factory = new RecordFactory(runTag('overhead'), 0, 100, createKeyGenerator({ kind: 'random' }), clock);
  let counted = 0;
  const producer = startProducer(
    { rate: 'max', batch: BATCH, concurrency: CONCURRENCY, startMicros: clock.nowMicros(), endMicros: end },
    {
      clock,
      stop: stop.signal,
      sendBatch: async (size, intended) => {
        await sender.send(factory.batch(size), intended);
        if (intended >= start) counted += size;
      },
    },
  );
  await clock.sleepUntil(start);
  const cpuBefore = cpuUsage();
  await producer.done;
  const cpu = cpuUsage(cpuBefore);
  return { recordsPerS: counted / seconds, cpuMicrosPerRequest: (cpu.user + cpu.system) / (counted / BATCH) };
}

const withRecording: number[] = [];
const without: number[] = [];
let cpuPerRequest = 0;
for (let round = 0; round < Number(roundsText); round++) {
  const a = await run(true);
  withRecording.push(a.recordsPerS);
  cpuPerRequest = a.cpuMicrosPerRequest;
  without.push((await run(false)).recordsPerS);
}

// The recorder's own work for one answered single-record request, timed in isolation.
const recorder = new PutRecorder(0, Number.MAX_SAFE_INTEGER);
const N = 1_000_000;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const latency = 200 + (i % 5000);
  recorder.sent(i, 1);
  recorder.requestAnswered(i, latency);
  recorder.accepted(i, latency, 1, 113);
  recorder.shardAccepted(i, i % 3 === 0 ? 'shardId-000000000000' : 'shardId-000000000001', i + latency);
}
const recordingMicrosPerRequest = ((performance.now() - t0) * 1000) / N;

await deleteStream(control, stream);
control.destroy();
client.destroy();
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
process.stdout.write(
  `${JSON.stringify({
    with_recording_records_per_s: withRecording,
    without_recording_records_per_s: without,
    throughput_cost_pct: (1 - mean(withRecording) / mean(without)) * 100,
    recording_us_per_request: recordingMicrosPerRequest,
    cpu_us_per_request: cpuPerRequest,
    recording_share_of_cpu_pct: (recordingMicrosPerRequest / cpuPerRequest) * 100,
  })}\n`,
);
