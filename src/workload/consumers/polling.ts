/** `--consumer polling`: GetRecords on every shard every --poll-interval, as the Kinesis Client Library polls. */
import type { ConsumerKindModule } from './kind.js';
import { startPollingReader } from '../polling-reader.js';

export interface PollingReading {
  readonly kind: 'polling';
  readonly pollIntervalMs: number;
}

export const pollingConsumer: ConsumerKindModule<'polling', PollingReading> = {
  kind: 'polling',
  help: 'polling (GetRecords every --poll-interval)',
  flags: ['pollInterval'],
  crossCheck: () => [],
  setup: (_ctx, options) => ({
    acquire: async () => ({
      reading: () => ({ kind: 'polling', pollIntervalMs: options.pollIntervalMs }),
      efoHttp: null,
    }),
    release: async () => undefined,
  }),
  readers: ({ pollIntervalMs }, { client, streamName }) => ({
    start: (ctx) => startPollingReader(ctx, { client, streamName, pollIntervalMs }),
    close: () => undefined,
  }),
  pollIntervalMs: (options) => options.pollIntervalMs,
  readWord: 'GetRecords calls',
  readColumn: 'calls',
  describe: (facts) =>
    `polling · GetRecords every ${facts.pollIntervalMs} ms per shard and consumer · ${facts.consumers} ` +
    `· ${facts.drained}`,
};
