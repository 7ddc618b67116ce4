/**
 * `--consumer efo`: enhanced fan-out. One consumer per application is registered on the
 * stream before the run and deregistered after it, whatever happened; each reader holds a
 * SubscribeToShard subscription (HTTP/2 against AWS, HTTP/1.1 against the emulators).
 */
import { UsageError } from '../../errors/errors.js';
import { LIMITS } from '../../config/options.js';
import { createKinesisClient, type ClientSettings } from '../../target/client.js';
import { listShards } from '../../target/stream.js';
import { ClosedShardWatch } from '../closed-shards.js';
import {
  NO_FAN_OUT_HINT,
  consumerNames,
  deregisterConsumers,
  registerConsumers,
  streamArn,
  type RegisteredConsumer,
} from '../efo-consumers.js';
import { startSubscriptionReader } from '../subscription-reader.js';
import type { ConsumerKindModule } from './kind.js';

export interface EfoReading {
  readonly kind: 'efo';
  /** HTTP/2 against AWS, HTTP/1.1 elsewhere (Target.subscriptionClientSettings). */
  readonly client: ClientSettings;
  /** Registered on the main thread; one per consumer application, by its number. */
  readonly consumerArns: readonly string[];
}

/** How often a thread's caught-up efo readers may ask ListShards whether their shards were closed. */
const CLOSED_CHECK_MS = 2000;

export const efoConsumer: ConsumerKindModule<'efo', EfoReading> = {
  kind: 'efo',
  help: 'efo (enhanced fan-out, SubscribeToShard)',
  flags: ['efoHttp'],
  crossCheck: (options, target) => {
    if (target.kind === 'embedded' && (target.emulator ?? 'kinesalite') === 'kinesalite') {
      return [
        {
          option: 'consumer',
          message:
            'efo needs enhanced fan-out, which kinesalite (the default embedded emulator) does not have: add ' +
            '--emulator kinesis-mock, or use --consumer polling',
        },
      ];
    }
    if (options.efoHttp === '2' && target.kind === 'embedded') {
      // kinesis-mock answers other calls over HTTP/2 but never starts a subscription's events: readers would wait for
      // ever.
      return [
        {
          option: 'efoHttp',
          message:
            '2 does not work with the embedded kinesis-mock, which serves SubscribeToShard over HTTP/1.1 only: ' +
            'leave it out, or give an --endpoint with an HTTP/2 front',
        },
      ];
    }
    if (options.consumersPerShard > LIMITS.maxEfoConsumers) {
      return [
        {
          option: 'consumersPerShard',
          message:
            `at most ${LIMITS.maxEfoConsumers} with --consumer efo ` + `(a stream has at most 20 registered consumers)`,
        },
      ];
    }
    return [];
  },
  setup: ({ client, target, streamName, signal }, options) => {
    const registered: RegisteredConsumer[] = [];
    return {
      acquire: async () => {
        if (target.enhancedFanOut === 'no') {
          throw new UsageError(`--consumer efo: the target has no enhanced fan-out; ${NO_FAN_OUT_HINT}`);
        }
        const arn = await streamArn(client, streamName, signal);
        const names = consumerNames(options.runId, options.producerIdBase, options.consumersPerShard);
        await registerConsumers(client, arn, names, registered, signal);
        const consumerArns = registered.map((consumer) => consumer.arn);
        const subscriptionClient = (maxSockets: number): ClientSettings => {
          const settings = target.subscriptionClientSettings(maxSockets);
          // --efo-http overrides the target's choice: HTTP/2 through an h2c front, or HTTP/1.1 through a proxy.
          return options.efoHttp === undefined ? settings : { ...settings, http2: options.efoHttp === '2' };
        };
        return {
          reading: (maxSockets) => ({ kind: 'efo', client: subscriptionClient(maxSockets), consumerArns }),
          efoHttp: subscriptionClient(1).http2 === true ? '2' : '1.1',
        };
      },
      release: async () => (registered.length > 0 ? deregisterConsumers(client, registered) : undefined),
    };
  },
  readers: (settings, { client, clock, streamName }) => {
    const subscriptions = createKinesisClient(settings.client);
    // One ListShards every few seconds at most for all of this thread's caught-up readers.
    const closedShards = new ClosedShardWatch(
      (signal) => listShards(client, streamName, signal),
      clock,
      CLOSED_CHECK_MS,
    );
    return {
      start: (ctx) =>
        startSubscriptionReader(ctx, {
          client: subscriptions,
          consumerArn: settings.consumerArns[ctx.consumer] ?? '',
          closedShards,
        }),
      close: () => subscriptions.destroy(),
    };
  },
  pollIntervalMs: () => null,
  readWord: 'events',
  readColumn: 'events',
  describe: (facts) => {
    const fate = facts.deregistered === false ? 'NOT all deregistered' : 'deregistered';
    return (
      `efo (enhanced fan-out) · SubscribeToShard over HTTP/${facts.efoHttp()} · ${facts.consumers}, registered ` +
      `and ${fate} · ${facts.drained}`
    );
  },
};
