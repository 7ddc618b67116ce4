/**
 * summary.json: the public, versioned, machine-readable result of a run. CI scripts read
 * it, so names and units only change with SUMMARY_SCHEMA_VERSION (see README). An
 * envelope (run, options, target, stream, phases, client) plus one block per thing
 * measured ("put", "lag"), each built by its measurement block (src/blocks/). Pure: plain
 * objects in, plain out.
 */
import { availableParallelism } from 'node:os';
import type { SessionRecord } from './session-record.js';
import { clientBoundReasons } from '../measure/client-load.js';
import type { ClientLoadSample } from '../model/client-load-sample.js';
import type { LatencySummary } from '../model/latency.js';
import type { PutRunResult } from '../model/put-result.js';
import type { PutSchedule } from '../model/schedule.js';
import type { ConsumerOptions, ProducerOptions, RunOptions, SessionOptions } from '../config/options.js';
import { formatKeySpec } from '../config/values.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import { faultsJson, quotaJson, type FaultsJson, type QuotaJson } from './layer-json.js';
import { targetOptionsJson } from '../target/kinds/index.js';
import type { TargetInfo } from '../target/target.js';
import { roundTo as round } from '../runtime/round.js';
import { formatStages } from '../config/stage-values.js';
import type { AwsJson } from './aws-units.js';
import type { StagesJson } from './stage-summary.js';
import type { LagBlock } from '../blocks/lag.js';
import { measuredSeconds, summarisePut, type PutBlock } from '../blocks/put.js';

/** summary.json's blocks: each block declares its own (src/blocks/). */

export const SUMMARY_SCHEMA_VERSION = 1;

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

export interface SummaryJson extends SummaryEnvelope {
  readonly put: PutBlock;
  /** --stages: per stage figures and the spike's aftermath. */
  readonly stages?: StagesJson;
  /** What the workload means on AWS: PUT payload units, shards needed, hot key. */
  readonly aws?: AwsJson;
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
  readonly clientLoad: ClientLoadSample;
  readonly maxBehindMs: number;
}

export interface SummaryInput {
  readonly command: string;
  readonly options: SessionOptions & ProducerOptions;
  readonly session: SessionRecord;
  readonly put: PutRunResult;
  readonly endedAt: Date;
}

export function buildSummary(input: SummaryInput): SummaryJson {
  return {
    ...buildEnvelope(
      input.command,
      { ...sessionOptionsJson(input.options), ...producerOptionsJson(input.options) },
      input.options,
      input.session,
      input.put,
      input.endedAt,
    ),
    put: summarisePut(input.put, input.session.stream.shardIds),
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

function buildClientBlock(
  options: RunOptions,
  window: RunWindow,
  usage: NodeJS.ResourceUsage,
  consumerWorkers: number,
): ClientBlock {
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
    client_bound_advice: reasons.length > 0 ? clientBoundAdvice(options.workers, availableParallelism()) : null,
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
      : `run kbench on a bigger machine, or on several hosts and combine them with kbench merge (this run ` +
        `had ${workers} workers on ${cores} cores, so more workers would not help)`;
  return (
    `client-bound: the figures above measure kbench, not the stream; ${more}, send more records per request ` +
    `with --batch, or lower the load`
  );
}
