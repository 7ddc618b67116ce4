/**
 * summary.json: the public, versioned, machine-readable result of a run. CI scripts read
 * it, so names and units only change with SUMMARY_SCHEMA_VERSION (see README). An
 * envelope (run, options, target, stream, phases, client) plus one block per thing
 * measured ("put", and more as commands add them). Pure: plain objects in, plain out.
 */
import { availableParallelism } from 'node:os';
import type { SessionRecord } from '../app/session.js';
import { clientBoundReasons, type LoadSample } from '../measure/client-load.js';
import { summarizeMs, type LatencySummary } from '../measure/histogram.js';
import type { LagRunResult } from '../run/lag-run.js';
import type { PutRunResult, PutSchedule } from '../run/put-run.js';
import type { ConsumerOptions, EfoHttp, ProducerOptions, RunOptions, SessionOptions } from '../config/options.js';
import { formatKeySpec } from '../config/values.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import { faultsJson, quotaJson, type FaultsJson, type QuotaJson } from './layer-json.js';
import { targetOptionsJson } from '../target/kinds/index.js';
import { CONSUMER_KIND_MODULES } from '../workload/consumers/index.js';
import type { TargetInfo } from '../target/target.js';
import { roundTo as round } from '../runtime/round.js';
import { formatStages } from '../workload/rate-profile.js';
import type { AwsJson } from './aws-units.js';
import type { StagesJson } from './stage-summary.js';

export const SUMMARY_SCHEMA_VERSION = 1;

/** The lag figures that compare the server's clock with kbench's. */
export const SERVER_CLOCK_FIGURES: readonly string[] = ['put_to_arrival_ms', 'arrival_to_receive_ms'];

export type LatencyMs = LatencySummary;

export interface SummaryEnvelope {
  readonly schema_version: number;
  readonly kbench: { readonly version: string; readonly node: string };
  readonly command: string;
  readonly run_id: string;
  readonly started_at: string;
  readonly ended_at: string;
  readonly interrupted: boolean;
  readonly interrupt_reason: string | null;
  readonly options: Record<string, unknown>;
  readonly target: {
    readonly kind: TargetInfo['kind'];
    readonly endpoint: string;
    readonly region: string;
    readonly limits: TargetInfo['limits'];
    /** Quotas kbench's quota layer enforced on a local target; null without. */
    readonly quota: QuotaJson | null;
    /** Faults kbench's quota layer injected; null without. */
    readonly faults: FaultsJson | null;
    readonly emulator: { readonly name: string; readonly version: string } | null;
  };
  readonly stream: {
    readonly name: string;
    readonly shards: number;
    readonly created: boolean;
    readonly deleted: boolean;
  };
  readonly phases: { readonly warmup_s: number; readonly measured_s: number };
  readonly client: ClientBlock;
}

/** kbench's own process during the run: is the client what was measured? */
export interface ClientBlock {
  /** Producer worker threads (--workers): each stamps its own producer id. */
  readonly workers: number;
  /** kbench lag: worker threads running the consumers; 0 for put. */
  readonly consumer_workers: number;
  readonly peak_rss_mib: number;
  readonly cpu_user_s: number;
  readonly cpu_system_s: number;
  /** Measured phase, the worst worker. */
  readonly event_loop_delay_p99_ms: number;
  readonly event_loop_utilization: number;
  readonly schedule_behind_max_ms: number;
  readonly client_bound: boolean;
  readonly client_bound_reasons: readonly string[];
  readonly client_bound_advice: string | null;
}

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
  readonly latency_ms: LatencyMs;
  readonly record_latency_ms: LatencyMs;
  readonly per_shard: Record<string, { readonly accepted: number; readonly records_per_s: number; readonly share_pct: number }>;
}

export interface SummaryJson extends SummaryEnvelope {
  readonly put: PutBlock;
  /** --stages: per stage figures and the spike's aftermath. */
  readonly stages?: StagesJson;
  /** What the workload means on AWS: PUT payload units, shards needed, hot key. */
  readonly aws?: AwsJson;
}

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
  readonly latency_ms: LatencyMs;
  /** ApproximateArrivalTimestamp minus send time: the server's clock against kbench's. */
  readonly put_to_arrival_ms: LatencyMs;
  /** Receive time minus ApproximateArrivalTimestamp: kbench's clock against the server's. */
  readonly arrival_to_receive_ms: LatencyMs;
  /** MillisBehindLatest per answer, as the service computed it. */
  readonly millis_behind_latest_ms: LatencyMs;
  readonly server_clock_figures: readonly string[];
  readonly clock_disagreements: { readonly arrival_before_send: number; readonly arrival_after_receive: number };
  readonly records: LagRecordsBlock;
  readonly complete: boolean;
  readonly per_consumer: ReadonlyArray<{ readonly received: number; readonly duplicates: number; readonly missing: number; readonly unacknowledged: number }>;
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

export interface LagSummaryJson extends SummaryJson {
  readonly lag: LagBlock;
}

/** The time frame of a run: when the measured phase began and really ended, and why early. */
export interface RunWindow {
  readonly schedule: PutSchedule;
  readonly measuredUntilMicros: number;
  readonly stopReason: string | undefined;
  /** The load generators' event loops over the measured phase (the worst thread). */
  readonly clientLoad: LoadSample;
  readonly maxBehindMs: number;
}

export interface SummaryInput {
  readonly command: string;
  readonly options: SessionOptions & ProducerOptions;
  readonly session: SessionRecord;
  readonly put: PutRunResult;
  readonly endedAt: Date;
}


export function measuredSeconds(window: RunWindow): number {
  return Math.max(0, (window.measuredUntilMicros - window.schedule.measuredFromMicros) / 1e6);
}

export function buildSummary(input: SummaryInput): SummaryJson {
  return {
    ...buildEnvelope(input.command, { ...sessionOptionsJson(input.options), ...producerOptionsJson(input.options) }, input.options, input.session, input.put, input.endedAt),
    put: buildPutBlock(input.put, input.session.stream.shardIds),
  };
}

export function buildEnvelope(
  command: string,
  optionsJson: Record<string, unknown>,
  options: SessionOptions,
  session: SessionRecord,
  window: RunWindow,
  endedAt: Date,
  /** kbench lag's consumer worker threads. */
  consumerWorkers = 0,
): SummaryEnvelope {
  const usage = process.resourceUsage();
  return {
    schema_version: SUMMARY_SCHEMA_VERSION,
    kbench: { version: KBENCH_VERSION, node: process.version },
    command,
    run_id: options.runId,
    started_at: session.startedAt.toISOString(),
    ended_at: endedAt.toISOString(),
    interrupted: window.stopReason !== undefined,
    interrupt_reason: window.stopReason ?? null,
    options: optionsJson,
    target: {
      kind: session.target.kind,
      endpoint: session.target.endpoint,
      region: session.target.region,
      limits: session.target.limits,
      quota: quotaJson(session.target.quota),
      faults: faultsJson(session.target.faults),
      emulator: session.target.emulator ?? null,
    },
    stream: {
      name: session.stream.name,
      shards: session.stream.shardIds.length,
      created: session.stream.created,
      deleted: session.stream.deleted,
    },
    phases: { warmup_s: options.warmupMs / 1000, measured_s: round(measuredSeconds(window)) },
    client: buildClientBlock(options, window, usage, consumerWorkers),
  };
}

function buildClientBlock(options: RunOptions, window: RunWindow, usage: NodeJS.ResourceUsage, consumerWorkers: number): ClientBlock {
  const reasons = clientBoundReasons(window.clientLoad, window.maxBehindMs);
  return {
    workers: options.workers,
    consumer_workers: consumerWorkers,
    peak_rss_mib: round((usage.maxRSS * 1024) / 1048576, 1),
    cpu_user_s: round(usage.userCPUTime / 1e6, 2),
    cpu_system_s: round(usage.systemCPUTime / 1e6, 2),
    event_loop_delay_p99_ms: window.clientLoad.eventLoopDelayP99Ms,
    event_loop_utilization: window.clientLoad.eventLoopUtilization,
    schedule_behind_max_ms: round(window.maxBehindMs),
    client_bound: reasons.length > 0,
    client_bound_reasons: reasons,
    client_bound_advice:
      reasons.length > 0
        ? clientBoundAdvice(options.workers, availableParallelism())
        : null,
  };
}

export function buildPutBlock(result: PutRunResult, shardIds: readonly string[]): PutBlock {
  const counts = result.tally.counts;
  const measuredS = measuredSeconds(result);
  const perSecond = (n: number): number => (measuredS > 0 ? round(n / measuredS) : 0);
  const attempts = counts.sent + counts.retried;

  // Rates are throughput: acknowledgements during the phase per second. Counts and shares
  // follow the records sent in the phase.
  const { perShard: sentInPhase, perShardInPhase } = result.tally;
  const perShard: Record<string, { accepted: number; records_per_s: number; share_pct: number }> = {};
  for (const shardId of [...new Set([...shardIds, ...sentInPhase.keys(), ...perShardInPhase.keys()])].sort()) {
    const accepted = sentInPhase.get(shardId) ?? 0;
    perShard[shardId] = {
      accepted,
      records_per_s: perSecond(perShardInPhase.get(shardId) ?? 0),
      share_pct: counts.accepted > 0 ? round((accepted / counts.accepted) * 100, 2) : 0,
    };
  }
  return {
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
    records_per_s: perSecond(counts.acceptedInPhase),
    mib_per_s: measuredS > 0 ? round(counts.acceptedBytesInPhase / 1048576 / measuredS, 4) : 0,
    throttled_pct: attempts > 0 ? round((counts.throttled / attempts) * 100, 2) : 0,
    latency_ms: summarizeMs(result.tally.requestLatency),
    record_latency_ms: summarizeMs(result.tally.recordLatency),
    per_shard: perShard,
  };
}

/** The lag block: lag figures of the measured phase, completeness of the whole run. */
export function buildLagBlock(
  result: LagRunResult,
  options: ConsumerOptions,
  shardIds: readonly string[],
  consumersDeregistered: boolean | null,
  efoHttp: EfoHttp | null,
): LagBlock {
  const { tally, completeness } = result.lag;
  const measuredS = measuredSeconds(result.put);
  const reads = (counts: { reads: number; records: number; throttled: number; errors: number; iteratorsRenewed: number; resubscriptions: number }): ReadFigures => ({
    reads: counts.reads,
    reads_per_s: measuredS > 0 ? round(counts.reads / measuredS) : 0,
    records: counts.records,
    records_per_read: counts.reads > 0 ? round(counts.records / counts.reads, 2) : 0,
    throttled: counts.throttled,
    errors: counts.errors,
    iterators_renewed: counts.iteratorsRenewed,
    resubscriptions: counts.resubscriptions,
  });
  const perShard: Record<string, ReadFigures> = {};
  for (const shardId of [...new Set([...shardIds, ...tally.perShard.keys()])].sort()) {
    perShard[shardId] = reads(tally.perShard.get(shardId) ?? { reads: 0, records: 0, throttled: 0, errors: 0, iteratorsRenewed: 0, resubscriptions: 0 });
  }
  const c = tally.counts;
  return {
    consumer: options.consumer,
    consumers: options.consumersPerShard,
    poll_interval_ms: CONSUMER_KIND_MODULES[options.consumer].pollIntervalMs(options),
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
    complete: completeness.missing === 0,
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

export function consumerOptionsJson(options: ConsumerOptions): Record<string, unknown> {
  return {
    consumer: options.consumer,
    poll_interval_ms: options.pollIntervalMs,
    efo_http: options.efoHttp ?? null,
    consumers_per_shard: options.consumersPerShard,
    drain_s: options.drainMs / 1000,
    strict: options.strict,
  };
}

/** Session options as given, with units in the names and nothing secret. */
export function sessionOptionsJson(options: SessionOptions): Record<string, unknown> {
  return {
    ...targetOptionsJson(options.target),
    stream: options.stream ?? null,
    shards: options.shards,
    keep_stream: options.keepStream,
    duration_s: options.durationMs / 1000,
    warmup_s: options.warmupMs / 1000,
    interval_s: options.intervalMs / 1000,
    run_id: options.runId,
    out: options.out,
  };
}

export function producerOptionsJson(options: ProducerOptions): Record<string, unknown> {
  return {
    rate: options.rate,
    concurrency: options.concurrency,
    record_size_bytes: options.recordSize,
    batch: options.batch,
    partition_keys: formatKeySpec(options.keys),
    retries: options.retry.maxRetries,
    retry_backoff_ms: options.retry.baseDelayMs,
    retry_backoff_max_ms: options.retry.maxDelayMs,
    producer_id_base: options.producerIdBase,
    client: options.client,
    stages: options.stages ? formatStages(options.stages) : null,
  };
}

/** More workers than cores only share the same cores: advise them only while cores are free. */
export function clientBoundAdvice(workers: number, cores: number): string {
  const more =
    workers < cores
      ? `add --workers (this run had ${workers}, this machine has ${cores} cores)`
      : `run kbench on a bigger machine, or on several hosts and combine them with kbench merge (this run had ${workers} workers on ${cores} cores, so more workers would not help)`;
  return `client-bound: the figures above measure kbench, not the stream; ${more}, send more records per request with --batch, or lower the load`;
}
