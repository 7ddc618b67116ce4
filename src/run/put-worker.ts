/**
 * Worker-thread entry: one producer with its own SDK client and event loop, on the main
 * thread's clock anchor. It runs the same engine as everything else (runPut) and sends
 * its events and, at the end, its measured-phase tally back as plain data.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { MonotonicClock } from '../measure/clock.js';
import { ClientLoadMonitor } from '../measure/client-load.js';
import { encodeHistogram } from '../measure/histogram.js';
import { createKinesisClient } from '../target/client.js';
import { runPut } from './put-run.js';
import type { FromPutWorker, PutWorkerInit, ToPutWorker } from './put-worker-protocol.js';

if (!parentPort) throw new Error('put-worker must run in a worker thread');
const port: MessagePort = parentPort;
const init = workerData as PutWorkerInit;
const post = (message: FromPutWorker): void => port.postMessage(message);

const clock = new MonotonicClock(init.anchor);
const client = createKinesisClient(init.client);
const monitor = new ClientLoadMonitor();
const stop = new AbortController();

port.on('message', (message: ToPutWorker) => {
  if (message.type === 'start') void run(message.startMicros);
  else if (message.type === 'stop') stop.abort(message.request);
});
post({ type: 'ready' });

async function run(startMicros: number): Promise<void> {
  const result = await runPut(init.config, {
    clock,
    client,
    streamName: init.streamName,
    signal: stop.signal,
    startMicros,
    monitor,
    onEvent: (event) => post({ type: 'event', event }),
  });
  monitor.stop();
  client.destroy();
  post({
    type: 'done',
    result: {
      schedule: result.schedule,
      measuredUntilMicros: result.measuredUntilMicros,
      endedMicros: result.endedMicros,
      stopReason: result.stopReason,
      counts: result.tally.counts,
      requestHistogram: encodeHistogram(result.tally.requestLatency),
      recordHistogram: encodeHistogram(result.tally.recordLatency),
      perShard: [...result.tally.perShard],
      intervals: result.intervals,
      clientLoad: result.clientLoad,
      maxBehindMs: result.maxBehindMs,
    },
  });
  port.close();
}
