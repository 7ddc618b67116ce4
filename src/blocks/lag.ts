/**
 * The lag block: what the consumers saw. Its histograms, intervals.csv columns, summary.json
 * block (for one process and for several merged) and gate metrics. A new lag figure is
 * added here (and in console/lag-table.ts if it is shown).
 *
 * Merging several processes' lag blocks: each process accounts only for the records its
 * own producers wrote (its producer ids): it alone knows which of them the stream
 * accepted, and their send times come from its own clock. So each merged figure is a sum
 * of per-process figures that never compare two hosts' clocks for lag:
 * - lag histograms are added (from measured-histograms.hlog), never percentiles averaged;
 * - record counts are summed: `expected` is the sum of each process's produced x its own
 *   consumers, and `missing` counts deliveries due to the consumers of the process that
 *   wrote the record; other processes' consumers read those records too, counted in
 *   `other_processes`, but do not check them off;
 * - read counts are summed per shard and in total; reads_per_s is the sum of the
 *   processes' rates (each over its own measured phase), the rule merge applies to put
 *   rates; records_per_read is recomputed from the summed counts;
 * - drain_s is the longest drain; consumers_deregistered is true only if every process
 *   deregistered all of its consumers.
 */
import type { ConsumerOptions, EfoHttp } from '../config/options.js';
import { summarizeMs } from '../measure/histogram.js';
import { emptyShardReadCounts } from '../measure/lag-tally.js';
import type { LatencySummary } from '../model/latency.js';
import type { LagInterval, LagRunResult, ShardReadCounts } from '../model/lag-result.js';
import { roundTo as round } from '../runtime/round.js';
import { defineBlock, latencyColumn, latencyMetrics, mergedHistogram, ms, perSecond, sum } from './block.js';
import { measuredSeconds } from './put.js';

/** The lag figures that compare the server's clock with kbench's. */
export const SERVER_CLOCK_FIGURES: readonly string[] = ['put_to_arrival_ms', 'arrival_to_receive_ms'];

/** Reads of one shard (or all): GetRecords calls answered with polling, events pushed with efo. */
export interface ReadFigures {
  readonly reads: number;
  readonly reads_per_s: number;
  readonly records: number;
  readonly records_per_read: number;
  readonly throttled: number;
  readonly errors: number;
  readonly iterators_renewed: number;
  readonly resubscriptions: number;
}

export interface LagRecordsBlock {
  readonly produced: number;
  readonly expected: number;
  readonly received: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly unacknowledged: number;
  readonly foreign: number;
  /** This run's records from other processes' producers (another --producer-id-base): read, not accounted for here. */
  readonly other_processes: number;
}

export interface LagBlock {
  readonly consumer: ConsumerOptions['consumer'];
  readonly consumers: number;
  readonly poll_interval_ms: number | null;
  /** efo: the HTTP version the subscriptions used ("1.1" or "2"); null with polling. Absent in older results. */
  readonly efo_http?: EfoHttp | null;
  /** Consumer receive time minus the send time in the record header: kbench's clock only. */
  readonly latency_ms: LatencySummary;
  /** ApproximateArrivalTimestamp minus send time: the server's clock against kbench's. */
  readonly put_to_arrival_ms: LatencySummary;
  /** Receive time minus ApproximateArrivalTimestamp: kbench's clock against the server's. */
  readonly arrival_to_receive_ms: LatencySummary;
  /** MillisBehindLatest per answer, as the service computed it. */
  readonly millis_behind_latest_ms: LatencySummary;
  readonly server_clock_figures: readonly string[];
  readonly clock_disagreements: { readonly arrival_before_send: number; readonly arrival_after_receive: number };
  readonly records: LagRecordsBlock;
  readonly complete: boolean;
  readonly per_consumer: ReadonlyArray<{
    readonly received: number;
    readonly duplicates: number;
    readonly missing: number;
    readonly unacknowledged: number;
  }>;
  readonly reads: ReadFigures;
  readonly per_shard: Record<string, ReadFigures>;
  readonly drain_s: number;
  /** efo: whether every registered consumer was deregistered; null with polling. */
  readonly consumers_deregistered: boolean | null;
  /** Each consumer worker thread: the shards it read, its readers, its event loop (measured phase). */
  readonly per_worker: readonly ConsumerWorkerJson[];
}

export interface ConsumerWorkerJson {
  readonly shards: readonly string[];
  readonly readers: number;
  readonly event_loop_delay_p99_ms: number;
  readonly event_loop_utilization: number;
}

/** One process's reads and several processes' reads summed: records_per_read has one definition. */
function readFigures(counts: Readonly<ShardReadCounts>, readsPerS: number): ReadFigures {
  return {
    reads: counts.reads,
    reads_per_s: readsPerS,
    records: counts.records,
    records_per_read: counts.reads > 0 ? round(counts.records / counts.reads, 2) : 0,
    throttled: counts.throttled,
    errors: counts.errors,
    iterators_renewed: counts.iteratorsRenewed,
    resubscriptions: counts.resubscriptions,
  };
}

function mergeReads(figures: readonly ReadFigures[]): ReadFigures {
  const total = (key: keyof ReadFigures): number => sum(figures.map((f) => f[key]));
  return readFigures(
    {
      reads: total('reads'),
      records: total('records'),
      throttled: total('throttled'),
      errors: total('errors'),
      iteratorsRenewed: total('iterators_renewed'),
      resubscriptions: total('resubscriptions'),
    },
    round(total('reads_per_s')),
  );
}

/** The lag block of one run: lag figures of the measured phase, completeness of the whole run. */
export function summariseLag(
  result: LagRunResult,
  options: ConsumerOptions,
  shardIds: readonly string[],
  consumersDeregistered: boolean | null,
  efoHttp: EfoHttp | null,
  /** The consumer kind's poll interval (null for a kind that does not poll). */
  pollIntervalMs: number | null,
): LagBlock {
  const { tally, completeness } = result.lag;
  const measuredS = measuredSeconds(result.put);
  const reads = (counts: Readonly<ShardReadCounts>): ReadFigures =>
    readFigures(counts, measuredS > 0 ? round(counts.reads / measuredS) : 0);
  const perShard: Record<string, ReadFigures> = {};
  for (const shardId of [...new Set([...shardIds, ...tally.perShard.keys()])].sort()) {
    perShard[shardId] = reads(tally.perShard.get(shardId) ?? emptyShardReadCounts());
  }
  const c = tally.counts;
  return {
    consumer: options.consumer,
    consumers: options.consumersPerShard,
    poll_interval_ms: pollIntervalMs,
    efo_http: efoHttp,
    latency_ms: summarizeMs(tally.lag),
    put_to_arrival_ms: summarizeMs(tally.putToArrival),
    arrival_to_receive_ms: summarizeMs(tally.arrivalToReceive),
    millis_behind_latest_ms: summarizeMs(tally.behindLatest),
    server_clock_figures: SERVER_CLOCK_FIGURES,
    clock_disagreements: { arrival_before_send: c.arrivalBeforeSend, arrival_after_receive: c.arrivalAfterReceive },
    records: {
      produced: completeness.produced,
      expected: completeness.expected,
      received: completeness.received,
      duplicates: completeness.duplicates,
      missing: completeness.missing,
      unacknowledged: completeness.unacknowledged,
      foreign: result.lag.foreign,
      other_processes: result.lag.otherProcesses,
    },
    complete: isComplete(completeness),
    per_consumer: completeness.consumers.map((consumer) => ({ ...consumer })),
    reads: reads({
      reads: c.reads,
      records: c.readRecords,
      throttled: c.readsThrottled,
      errors: c.readErrors,
      iteratorsRenewed: c.iteratorsRenewed,
      resubscriptions: c.resubscriptions,
    }),
    per_shard: perShard,
    drain_s: round(result.lag.drainedMs / 1000),
    consumers_deregistered: consumersDeregistered,
    per_worker: result.lag.threads.map((thread) => ({
      shards: thread.shards,
      readers: thread.readers,
      event_loop_delay_p99_ms: thread.clientLoad.eventLoopDelayP99Ms,
      event_loop_utilization: thread.clientLoad.eventLoopUtilization,
    })),
  };
}

const isComplete = (records: { readonly missing: number }): boolean => records.missing === 0;

const lagLatency = (r: LagInterval): LatencySummary => r.lag;

type LagResult = LagRunResult['lag'];

export const LAG_BLOCK = defineBlock({
  key: 'lag',
  histograms: {
    lag: {
      file: 'lag-latency.hlog',
      what: 'put-to-get lag (receive time minus header send time)',
      interval: (i: LagInterval) => [i.lagHistogram, i.lag.max],
      whole: (r: LagResult) => r.tally.lag,
    },
    put_to_arrival: {
      file: 'lag-put-to-arrival.hlog',
      what: 'send time to ApproximateArrivalTimestamp (server clock)',
      interval: (i: LagInterval) => [i.putToArrivalHistogram, i.putToArrival.max],
      whole: (r: LagResult) => r.tally.putToArrival,
    },
    arrival_to_receive: {
      file: 'lag-arrival-to-receive.hlog',
      what: 'ApproximateArrivalTimestamp to receive time (server clock)',
      interval: (i: LagInterval) => [i.arrivalToReceiveHistogram, i.arrivalToReceive.max],
      whole: (r: LagResult) => r.tally.arrivalToReceive,
    },
    millis_behind_latest: {
      file: 'lag-millis-behind-latest.hlog',
      what: 'MillisBehindLatest per answer',
      interval: (i: LagInterval) => [i.behindLatestHistogram, i.behindLatest.max],
      whole: (r: LagResult) => r.tally.behindLatest,
    },
  },
  logNotes: [
    'Each line: the first deliveries received in that interval, warmup and drain included.',
    'summary.json and measured-histograms.hlog count the records sent (header send time) in the measured phase, so ' +
      'these lines add up to every delivery of the run, not to the summary.',
  ],
  // The lag max merges from the added histograms like latency_max_ms (to HDR precision, so
  // no percentile beside it can exceed it); MillisBehindLatest has only its max here, taken
  // exactly from the processes' rows.
  columns: [
    { name: 'records_received', value: (r) => r.counts.received, merge: 'sum' },
    { name: 'received_records_per_s', value: (r) => perSecond(r.counts.received, r), merge: 'rate' },
    { name: 'records_duplicate', value: (r) => r.counts.duplicates, merge: 'sum' },
    { name: 'records_foreign', value: (r) => r.counts.foreign, merge: 'sum' },
    { name: 'records_other_processes', value: (r) => r.counts.otherProcesses, merge: 'sum' },
    { name: 'reads', value: (r) => r.counts.reads, merge: 'sum' },
    { name: 'reads_per_s', value: (r) => perSecond(r.counts.reads, r), merge: 'rate' },
    { name: 'reads_throttled', value: (r) => r.counts.readsThrottled, merge: 'sum' },
    { name: 'read_errors', value: (r) => r.counts.readErrors, merge: 'sum' },
    { name: 'iterators_renewed', value: (r) => r.counts.iteratorsRenewed, merge: 'sum' },
    { name: 'resubscriptions', value: (r) => r.counts.resubscriptions, merge: 'sum' },
    latencyColumn('lag_p50_ms', 'lag', 'p50', lagLatency),
    latencyColumn('lag_p90_ms', 'lag', 'p90', lagLatency),
    latencyColumn('lag_p99_ms', 'lag', 'p99', lagLatency),
    latencyColumn('lag_max_ms', 'lag', 'max', lagLatency),
    latencyColumn('put_to_arrival_p50_ms', 'put_to_arrival', 'p50', (r: LagInterval) => r.putToArrival),
    latencyColumn('arrival_to_receive_p50_ms', 'arrival_to_receive', 'p50', (r: LagInterval) => r.arrivalToReceive),
    // Exact from the processes' rows: MillisBehindLatest has no percentiles here, only its max.
    { name: 'millis_behind_latest_max_ms', value: (r) => ms(r.behindLatest, r.behindLatest.max), merge: 'max' },
    { name: 'records_awaiting', value: (r) => r.awaiting, merge: 'level' },
  ],
  merge: (blocks: readonly LagBlock[], histograms): LagBlock => {
    const [first] = blocks;
    if (!first) throw new RangeError('no lag blocks to merge');
    const total = (field: keyof LagBlock['records']): number => sum(blocks.map((b) => b.records[field]));
    const records = {
      produced: total('produced'),
      expected: total('expected'),
      received: total('received'),
      duplicates: total('duplicates'),
      missing: total('missing'),
      unacknowledged: total('unacknowledged'),
      foreign: total('foreign'),
      other_processes: total('other_processes'),
    };
    const perShard: Record<string, ReadFigures> = {};
    for (const shard of [...new Set(blocks.flatMap((b) => Object.keys(b.per_shard)))].sort()) {
      perShard[shard] = mergeReads(blocks.flatMap((b) => b.per_shard[shard] ?? []));
    }
    const deregistered = blocks.map((b) => b.consumers_deregistered);
    return {
      consumer: first.consumer,
      consumers: sum(blocks.map((b) => b.consumers)),
      poll_interval_ms: first.poll_interval_ms,
      ...(first.efo_http !== undefined && { efo_http: first.efo_http }),
      latency_ms: summarizeMs(mergedHistogram(histograms, 'lag')),
      put_to_arrival_ms: summarizeMs(mergedHistogram(histograms, 'put_to_arrival')),
      arrival_to_receive_ms: summarizeMs(mergedHistogram(histograms, 'arrival_to_receive')),
      millis_behind_latest_ms: summarizeMs(mergedHistogram(histograms, 'millis_behind_latest')),
      server_clock_figures: SERVER_CLOCK_FIGURES,
      clock_disagreements: {
        arrival_before_send: sum(blocks.map((b) => b.clock_disagreements.arrival_before_send)),
        arrival_after_receive: sum(blocks.map((b) => b.clock_disagreements.arrival_after_receive)),
      },
      records,
      complete: isComplete(records),
      // One entry per consumer application of each process, in the order of the folders.
      per_consumer: blocks.flatMap((b) => b.per_consumer),
      reads: mergeReads(blocks.map((b) => b.reads)),
      per_shard: perShard,
      drain_s: Math.max(...blocks.map((b) => b.drain_s)),
      consumers_deregistered: deregistered.every((d) => d === null) ? null : deregistered.every((d) => d === true),
      // Each process's consumer threads, in the order of the folders (absent before lag had them).
      per_worker: blocks.flatMap((b) => b.per_worker ?? []),
    };
  },
  metrics: [
    ...latencyMetrics('lag', '', 'latency_ms', ['p50', 'p99'], 'lag_'),
    { name: 'lag.produced', path: 'lag.records.produced', unit: 'records', better: 'neither' },
    { name: 'lag.received', path: 'lag.records.received', unit: 'records', better: 'neither' },
    { name: 'lag.duplicates', path: 'lag.records.duplicates', unit: 'records', better: 'lower', gated: true },
    {
      name: 'lag.missing',
      path: 'lag.records.missing',
      unit: 'records',
      better: 'lower',
      column: 'lag_missing_records',
      gated: true,
    },
  ],
});
