/**
 * The consumer kinds by name. Adding a kind: its name in CONSUMER_KINDS (config/options.ts),
 * a module beside these implementing ConsumerKindModule, and a line here and in ReadingMap;
 * a flag of its own also goes into ConsumerFlag (kind.ts) and the CLI (cli/lag.ts KIND_FLAGS).
 */
import type { ConsumerKind } from '../../config/options.js';
import { efoConsumer, type EfoReading } from './efo.js';
import type { ConsumerKindModule, ReaderContext, Readers } from './kind.js';
import { pollingConsumer, type PollingReading } from './polling.js';

/** Each kind's reading settings: what a consumer thread is told, as plain data. */
interface ReadingMap {
  polling: PollingReading;
  efo: EfoReading;
}

/** How a consumer thread's readers read: what their kind needs, as plain data. */
export type ReadingSettings = ReadingMap[ConsumerKind];

type Registry = { readonly [K in ConsumerKind]: ConsumerKindModule<K, ReadingMap[K]> };

/** In the order `--consumer` lists them. */
export const CONSUMER_KIND_MODULES: Registry = {
  polling: pollingConsumer,
  efo: efoConsumer,
};

/** A consumer thread's readers, of the kind its settings name. */
export function startReaders<K extends ConsumerKind>(kind: K, settings: ReadingMap[K], ctx: ReaderContext): Readers {
  return CONSUMER_KIND_MODULES[kind].readers(settings, ctx);
}
