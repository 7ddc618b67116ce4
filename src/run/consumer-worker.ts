/**
 * Worker-thread entry: a share of kbench lag's consumers (a ConsumerLoad) with its own SDK
 * client(s), event loop and LagRecorder, on the main thread's clock anchor, so receive
 * times and the producers' send times are on one time line. The main thread drives it
 * (position, measure, rollover, stop, result); it reports deliveries in batches, fatal
 * faults, and claims on child shards, as plain data.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { MonotonicClock } from '../measure/clock.js';
import { ClientLoadMonitor } from '../measure/client-load.js';
import { lagTallyData } from '../measure/thread-totals.js';
import { createKinesisClient } from '../target/client.js';
import { startReaders } from '../workload/consumers/index.js';
import { ConsumerLoad } from './consumer-load.js';
import type { ConsumerWorkerInit, FromConsumerWorker, ToConsumerWorker } from './consumer-worker-protocol.js';

if (!parentPort) throw new Error('consumer-worker must run in a worker thread');
const port: MessagePort = parentPort;
const init = workerData as ConsumerWorkerInit;
const post = (message: FromConsumerWorker): void => port.postMessage(message);

const clock = new MonotonicClock(init.anchor);
const client = createKinesisClient(init.client);
const readers = startReaders(init.reading.kind, init.reading, { client, clock, streamName: init.streamName });
const monitor = new ClientLoadMonitor();

/**
 * Deliveries go to the main thread's ledger in batches: everything the readers took in
 * one turn of the event loop (often several answers) in one message. Pending ones are
 * sent before any answer, so the ledger holds all a worker counted when its answer arrives.
 */
let delivered: number[] = [];
let flushScheduled = false;
function flushDeliveries(): void {
  flushScheduled = false;
  if (delivered.length === 0) return;
  post({ type: 'received', ids: delivered });
  delivered = [];
}
function answer(message: FromConsumerWorker): void {
  flushDeliveries();
  post(message);
}

const claims = new Map<number, (granted: boolean) => void>();
let nextClaim = 0;

const load = new ConsumerLoad(
  init,
  {
    clock,
    client,
    startReader: (ctx) => readers.start(ctx),
    claim: (consumer, shardId) =>
      new Promise((resolve) => {
        const id = nextClaim++;
        claims.set(id, resolve);
        answer({ type: 'claim', id, consumer, shardId });
      }),
    monitor,
  },
  {
    onDelivered: (consumer, producerId, sequence) => {
      delivered.push(consumer, producerId, sequence);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushDeliveries);
      }
    },
    onFatal: (reason) => answer({ type: 'fatal', reason }),
  },
);
void load.finished.then(() => answer({ type: 'finished' }));

port.on('message', (message: ToConsumerWorker) => {
  switch (message.type) {
    case 'position':
      void load.position().then(() => answer({ type: 'positioned', readers: load.readers }));
      break;
    case 'measure':
      void load.measure(message.schedule).then(() => answer({ type: 'measuring' }));
      break;
    case 'cut':
      load.cut(message.atMicros);
      break;
    case 'rollover': {
      const { tally, clientLoad } = load.rollover();
      answer({ type: 'interval', interval: { tally: lagTallyData(tally), clientLoad } });
      break;
    }
    case 'stop':
      load.stop(message.reason);
      break;
    case 'claimed':
      claims.get(message.id)?.(message.granted);
      claims.delete(message.id);
      break;
    case 'result':
      void sendResult();
      break;
  }
});
post({ type: 'ready' });

async function sendResult(): Promise<void> {
  await load.finished;
  const result = await load.result();
  answer({ type: 'result', result: { ...result, tally: lagTallyData(result.tally) } });
  monitor.stop();
  readers.close();
  client.destroy();
  port.close();
}
