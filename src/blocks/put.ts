/**
 * The put block: what the producers did. Its histograms, intervals.csv columns, summary.json
 * block (for one process and for several merged, derived figures computed once) and gate
 * metrics. A new put figure is added here (and in console/put-table.ts if it is shown).
 */
import { summarizeMs } from '../measure/histogram.js';
import type { LatencySummary } from '../model/latency.js';
import type { PutInterval, PutRunResult } from '../model/put-result.js';
import { roundTo as round } from '../runtime/round.js';
import {
  defineBlock,
  latencyColumn,
  latencyMetrics,
  mergedHistogram,
  numberAt,
  perSecond,
  seconds,
  sum,
  type Timed,
} from './block.js';

export interface PutBlock {
  readonly records: {
    readonly sent: number;
    readonly accepted: number;
    readonly throttled: number;
    readonly failed: number;
    readonly errors: number;
    readonly retried: number;
    readonly unfinished: number;
    /** Acknowledged during the measured phase, whenever first sent: what records_per_s counts. */
    readonly accepted_in_phase: number;
  };
  readonly requests: { readonly sent: number; readonly throttled: number; readonly failed: number };
  readonly records_per_s: number;
  readonly mib_per_s: number;
  readonly throttled_pct: number;
  readonly latency_ms: LatencySummary;
  readonly record_latency_ms: LatencySummary;
  readonly per_shard: Record<string, PutShardFigures>;
}

export interface PutShardFigures {
  readonly accepted: number;
  readonly records_per_s: number;
  readonly share_pct: number;
}

/** Where the measured phase began and really ended. */
export interface MeasuredWindow {
  readonly schedule: { readonly measuredFromMicros: number };
  readonly measuredUntilMicros: number;
}

export function measuredSeconds(window: MeasuredWindow): number {
  return Math.max(0, (window.measuredUntilMicros - window.schedule.measuredFromMicros) / 1e6);
}

/** The put block's measured figures; the ones derived from them are added by putBlock alone. */
interface PutFigures extends Omit<PutBlock, 'throttled_pct' | 'per_shard'> {
  readonly perShard: ReadonlyMap<string, Omit<PutShardFigures, 'share_pct'>>;
}

/**
 * One process's block and a merge of several are both made here, so a derived figure
 * (throttled_pct, share_pct) has one definition.
 */
function putBlock(figures: PutFigures): PutBlock {
  const { records } = figures;
  const attempts = records.sent + records.retried;
  const perShard: Record<string, PutShardFigures> = {};
  for (const shard of [...figures.perShard.keys()].sort()) {
    const { accepted, records_per_s } = figures.perShard.get(shard) ?? { accepted: 0, records_per_s: 0 };
    perShard[shard] = {
      accepted,
      records_per_s,
      share_pct: records.accepted > 0 ? round((accepted / records.accepted) * 100, 2) : 0,
    };
  }
  return {
    records,
    requests: figures.requests,
    records_per_s: figures.records_per_s,
    mib_per_s: figures.mib_per_s,
    throttled_pct: attempts > 0 ? round((records.throttled / attempts) * 100, 2) : 0,
    latency_ms: figures.latency_ms,
    record_latency_ms: figures.record_latency_ms,
    per_shard: perShard,
  };
}

/** The put block of one run's measured phase; every shard of the stream is listed, idle ones too. */
export function summarisePut(result: PutRunResult, shardIds: readonly string[]): PutBlock {
  const counts = result.tally.counts;
  const measuredS = measuredSeconds(result);
  const perSecondMeasured = (n: number): number => (measuredS > 0 ? round(n / measuredS) : 0);

  // Rates are throughput: acknowledgements during the phase per second. Counts and shares
  // follow the records sent in the phase.
  const { perShard: sentInPhase, perShardInPhase } = result.tally;
  const perShard = new Map<string, { accepted: number; records_per_s: number }>();
  for (const shardId of new Set([...shardIds, ...sentInPhase.keys(), ...perShardInPhase.keys()])) {
    perShard.set(shardId, {
      accepted: sentInPhase.get(shardId) ?? 0,
      records_per_s: perSecondMeasured(perShardInPhase.get(shardId) ?? 0),
    });
  }
  return putBlock({
    records: {
      sent: counts.sent,
      accepted: counts.accepted,
      throttled: counts.throttled,
      failed: counts.failed,
      errors: counts.errors,
      retried: counts.retried,
      unfinished: counts.sent - counts.accepted - counts.failed,
      accepted_in_phase: counts.acceptedInPhase,
    },
    requests: { sent: counts.requests, throttled: counts.requestsThrottled, failed: counts.requestsFailed },
    records_per_s: perSecondMeasured(counts.acceptedInPhase),
    mib_per_s: measuredS > 0 ? round(counts.acceptedBytesInPhase / 1048576 / measuredS, 4) : 0,
    latency_ms: summarizeMs(result.tally.requestLatency),
    record_latency_ms: summarizeMs(result.tally.recordLatency),
    perShard,
  });
}

/** The busiest shard's share of accepted records: 100/shards when keys spread evenly, 100 with one hot key. */
function hottestShardPct(summary: unknown): number | undefined {
  const perShard = (summary as { put?: { per_shard?: unknown } } | null)?.put?.per_shard;
  if (typeof perShard !== 'object' || perShard === null) return undefined;
  const shares = Object.keys(perShard).map((shard) => numberAt(perShard, `${shard}.share_pct`));
  const known = shares.filter((share): share is number => share !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

const requestLatency = (r: PutInterval): LatencySummary => r.requestLatency;

export const PUT_BLOCK = defineBlock({
  key: 'put',
  histograms: {
    put_request: {
      file: 'put-request-latency.hlog',
      what: 'request latency',
      interval: (i: PutInterval) => [i.requestHistogram, i.requestLatency.max],
      whole: (r: PutRunResult) => r.tally.requestLatency,
    },
    put_record: {
      file: 'put-record-latency.hlog',
      what: 'record latency (with retries)',
      interval: (i: PutInterval) => [i.recordHistogram, i.recordLatency.max],
      whole: (r: PutRunResult) => r.tally.recordLatency,
    },
  },
  logNotes: [
    'Each line: the answers that arrived in that interval, warmup and drain included, each latency measured from ' +
      'its intended send time.',
    'summary.json and measured-histograms.hlog count the requests whose intended send time lies in the measured ' +
      'phase, so these lines add up to every answer of the run (intervals.csv column requests), not to the summary.',
  ],
  columns: [
    {
      name: 'target_records_per_s',
      value: (r) => (r.targetRecordsPerS === undefined ? '' : round(r.targetRecordsPerS, 3)),
      merge: 'rate',
    },
    { name: 'records_sent', value: (r) => r.counts.sent, merge: 'sum' },
    { name: 'records_accepted', value: (r) => r.counts.accepted, merge: 'sum' },
    { name: 'accepted_records_per_s', value: (r) => perSecond(r.counts.accepted, r), merge: 'rate' },
    { name: 'accepted_mib_per_s', value: (r) => mibPerSecond(r.counts.acceptedBytes, r), merge: 'rate', digits: 4 },
    { name: 'throttled_records_per_s', value: (r) => perSecond(r.counts.throttled, r), merge: 'rate' },
    { name: 'error_records_per_s', value: (r) => perSecond(r.counts.errors, r), merge: 'rate' },
    { name: 'records_retried', value: (r) => r.counts.retried, merge: 'sum' },
    { name: 'records_failed', value: (r) => r.counts.failed, merge: 'sum' },
    { name: 'requests', value: (r) => r.counts.requests, merge: 'sum' },
    latencyColumn('latency_p50_ms', 'put_request', 'p50', requestLatency),
    latencyColumn('latency_p90_ms', 'put_request', 'p90', requestLatency),
    latencyColumn('latency_p99_ms', 'put_request', 'p99', requestLatency),
    latencyColumn('latency_max_ms', 'put_request', 'max', requestLatency),
    latencyColumn('record_latency_p99_ms', 'put_record', 'p99', (r: PutInterval) => r.recordLatency),
    { name: 'schedule_behind_ms', value: (r) => r.behindMs, merge: 'max' },
    { name: 'event_loop_delay_p99_ms', value: (r) => r.clientLoad.eventLoopDelayP99Ms, merge: 'max' },
    { name: 'event_loop_utilization', value: (r) => r.clientLoad.eventLoopUtilization, merge: 'max' },
  ],
  merge: (blocks: readonly PutBlock[], histograms): PutBlock => {
    const lacking = 'put_request or put_record';
    const request = mergedHistogram(histograms, 'put_request', lacking);
    const record = mergedHistogram(histograms, 'put_record', lacking);
    const total = (key: keyof PutBlock['records']): number => sum(blocks.map((b) => b.records[key]));
    const requests = (key: keyof PutBlock['requests']): number => sum(blocks.map((b) => b.requests[key]));
    const perShard = new Map<string, { accepted: number; records_per_s: number }>();
    for (const shard of new Set(blocks.flatMap((b) => Object.keys(b.per_shard)))) {
      perShard.set(shard, {
        accepted: sum(blocks.map((b) => b.per_shard[shard]?.accepted ?? 0)),
        records_per_s: round(sum(blocks.map((b) => b.per_shard[shard]?.records_per_s ?? 0))),
      });
    }
    return putBlock({
      records: {
        sent: total('sent'),
        accepted: total('accepted'),
        throttled: total('throttled'),
        failed: total('failed'),
        errors: total('errors'),
        retried: total('retried'),
        unfinished: total('unfinished'),
        accepted_in_phase: total('accepted_in_phase'),
      },
      requests: { sent: requests('sent'), throttled: requests('throttled'), failed: requests('failed') },
      records_per_s: round(sum(blocks.map((b) => b.records_per_s))),
      mib_per_s: round(sum(blocks.map((b) => b.mib_per_s)), 4),
      latency_ms: summarizeMs(request),
      record_latency_ms: summarizeMs(record),
      perShard,
    });
  },
  metrics: [
    {
      name: 'put.records_per_s',
      path: 'put.records_per_s',
      unit: 'records/s',
      better: 'higher',
      column: 'put_records_per_s',
      gated: true,
    },
    {
      name: 'put.mib_per_s',
      path: 'put.mib_per_s',
      unit: 'MiB/s',
      better: 'higher',
      column: 'put_mib_per_s',
      gated: true,
    },
    {
      name: 'put.throttled_pct',
      path: 'put.throttled_pct',
      unit: '%',
      better: 'lower',
      column: 'put_throttled_pct',
      gated: true,
    },
    // Request latency is "put latency": what a PutRecord(s) call costs the caller.
    ...latencyMetrics('put', '', 'latency_ms', ['p50', 'p99'], 'put_latency_'),
    // Record latency differs from request latency only by retries and batching: its
    // p99 is gated (throttling shows there), the rest would count one change twice.
    ...latencyMetrics(
      'put',
      'record_',
      'record_latency_ms',
      ['p99'],
      'put_record_latency_',
      (field) => field === 'p99',
    ),
    { name: 'put.accepted', path: 'put.records.accepted', unit: 'records', better: 'neither' },
    {
      name: 'put.failed',
      path: 'put.records.failed',
      unit: 'records',
      better: 'lower',
      column: 'put_failed_records',
      gated: true,
    },
    { name: 'put.errors', path: 'put.records.errors', unit: 'attempts', better: 'lower', gated: true },
    {
      name: 'put.hottest_shard_pct',
      path: 'the largest put.per_shard.*.share_pct',
      unit: '%',
      better: 'lower',
      column: 'put_hottest_shard_pct',
      read: hottestShardPct,
    },
  ],
});

function mibPerSecond(bytes: number, row: Timed): number {
  const s = seconds(row);
  return s > 0 ? round(bytes / 1048576 / s, 4) : 0;
}
