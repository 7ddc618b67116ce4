/**
 * Worker-thread entry: one producer (a PutLoad) with its own SDK client and event loop, on
 * the main thread's clock anchor and schedule. The main thread drives it (start, rollover,
 * finish, result) and it answers with plain data.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { MonotonicClock } from '../measure/clock.js';
import { ClientLoadMonitor } from '../measure/client-load.js';
import { encodeHistogram } from '../measure/histogram.js';
import { createDataPlane } from '../client/create-data-plane.js';
import { DEFAULT_CLIENT } from '../config/client-kind.js';
import { PutLoad } from './put-load.js';
import type { FromPutWorker, PutWorkerInit, ToPutWorker } from './put-worker-protocol.js';

if (!parentPort) throw new Error('put-worker must run in a worker thread');
const port: MessagePort = parentPort;
const init = workerData as PutWorkerInit;
const post = (message: FromPutWorker): void => port.postMessage(message);

const clock = new MonotonicClock(init.anchor);
const client = createDataPlane(init.config.client ?? DEFAULT_CLIENT, init.client);
const monitor = new ClientLoadMonitor();
const stop = new AbortController();
let load: PutLoad | undefined;

/**
 * Accepted ids go to the main thread in one message per turn: a microtask, so they are
 * sent before anything this worker answers later.
 */
let accepted: number[] = [];
function flushAccepted(): void {
  post({ type: 'accepted', ids: accepted });
  accepted = [];
}

port.on('message', (message: ToPutWorker) => {
  switch (message.type) {
    case 'start':
      load = new PutLoad(init.config, {
        clock,
        client,
        streamName: init.streamName,
        signal: stop.signal,
        startMicros: message.startMicros,
        monitor,
        onStopping: (reason) => post({ type: 'stopping', reason }),
        ...(init.reportAccepted && {
          onAccepted: (producerId, sequence) => {
            accepted.push(producerId, sequence);
            if (accepted.length === 2) queueMicrotask(flushAccepted);
          },
        }),
      });
      break;
    case 'stop':
      stop.abort(message.request);
      break;
    case 'rollover':
      if (load) post({ type: 'interval', interval: load.rollover(message.bounds) });
      break;
    case 'finish':
      void load?.finish().then(() => post({ type: 'finished' }));
      break;
    case 'result':
      void sendResult();
      break;
  }
});
post({ type: 'ready' });

async function sendResult(): Promise<void> {
  if (!load) return;
  const result = await load.result();
  monitor.stop();
  client.destroy();
  post({
    type: 'result',
    result: {
      measuredUntilMicros: result.measuredUntilMicros,
      counts: result.tally.counts,
      requestHistogram: encodeHistogram(result.tally.requestLatency),
      recordHistogram: encodeHistogram(result.tally.recordLatency),
      perShard: [...result.tally.perShard],
      perShardInPhase: [...result.tally.perShardInPhase],
      clientLoad: result.clientLoad,
      maxBehindMs: result.maxBehindMs,
    },
  });
  port.close();
}
