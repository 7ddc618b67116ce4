/**
 * summary.json for a put run: the public, versioned, machine-readable result. CI scripts
 * read it, so names and units only change with SUMMARY_SCHEMA_VERSION (see README).
 * Pure: it turns what the run measured into a plain object.
 */
import { summarizeMs } from '../measure/histogram.js';
import type { PutRunResult } from '../run/put-run.js';
import type { PutOptions } from '../scenario/put-options.js';
import { formatKeySpec } from '../scenario/values.js';
import { displayEndpoint, type TargetInfo, type TargetSpec } from '../target/target.js';

export const SUMMARY_SCHEMA_VERSION = 1;

export interface LatencyMs {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface PutSummaryJson {
  readonly schema_version: number;
  readonly kbench: { readonly version: string; readonly node: string };
  readonly command: 'put';
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
    readonly emulator: { readonly name: string; readonly version: string } | null;
  };
  readonly stream: {
    readonly name: string;
    readonly shards: number;
    readonly created: boolean;
    readonly deleted: boolean;
  };
  readonly phases: { readonly warmup_s: number; readonly measured_s: number };
  readonly put: {
    readonly records: {
      readonly sent: number;
      readonly accepted: number;
      readonly throttled: number;
      readonly failed: number;
      readonly errors: number;
      readonly retried: number;
      readonly unfinished: number;
    };
    readonly requests: { readonly sent: number; readonly throttled: number; readonly failed: number };
    readonly records_per_s: number;
    readonly mib_per_s: number;
    readonly throttled_pct: number;
    readonly latency_ms: LatencyMs;
    readonly record_latency_ms: LatencyMs;
    readonly per_shard: Record<string, { readonly accepted: number; readonly records_per_s: number; readonly share_pct: number }>;
  };
  readonly client: { readonly peak_rss_mib: number; readonly cpu_user_s: number; readonly cpu_system_s: number };
}

export interface PutSummaryInput {
  readonly version: string;
  readonly options: PutOptions;
  readonly target: TargetInfo;
  readonly stream: { readonly name: string; readonly shardIds: readonly string[]; readonly created: boolean; readonly deleted: boolean };
  readonly result: PutRunResult;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly client: { readonly peakRssBytes: number; readonly cpuUserMicros: number; readonly cpuSystemMicros: number };
}

const round = (value: number, digits = 3): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

export function buildPutSummary(input: PutSummaryInput): PutSummaryJson {
  const { result, options } = input;
  const counts = result.tally.counts;
  const measuredS = Math.max(0, (result.measuredUntilMicros - result.schedule.measuredFromMicros) / 1e6);
  const perSecond = (n: number): number => (measuredS > 0 ? round(n / measuredS) : 0);
  const attempts = counts.sent + counts.retried;

  const perShard: Record<string, { accepted: number; records_per_s: number; share_pct: number }> = {};
  const shardIds = [...new Set([...input.stream.shardIds, ...result.tally.perShard.keys()])].sort();
  for (const shardId of shardIds) {
    const accepted = result.tally.perShard.get(shardId) ?? 0;
    perShard[shardId] = {
      accepted,
      records_per_s: perSecond(accepted),
      share_pct: counts.accepted > 0 ? round((accepted / counts.accepted) * 100, 2) : 0,
    };
  }

  return {
    schema_version: SUMMARY_SCHEMA_VERSION,
    kbench: { version: input.version, node: process.version },
    command: 'put',
    run_id: options.runId,
    started_at: input.startedAt.toISOString(),
    ended_at: input.endedAt.toISOString(),
    interrupted: result.stopReason !== undefined,
    interrupt_reason: result.stopReason ?? null,
    options: optionsForSummary(options),
    target: {
      kind: input.target.kind,
      endpoint: input.target.endpoint,
      region: input.target.region,
      limits: input.target.limits,
      emulator: input.target.emulator ?? null,
    },
    stream: {
      name: input.stream.name,
      shards: input.stream.shardIds.length,
      created: input.stream.created,
      deleted: input.stream.deleted,
    },
    phases: { warmup_s: options.warmupMs / 1000, measured_s: round(measuredS) },
    put: {
      records: {
        sent: counts.sent,
        accepted: counts.accepted,
        throttled: counts.throttled,
        failed: counts.failed,
        errors: counts.errors,
        retried: counts.retried,
        unfinished: counts.sent - counts.accepted - counts.failed,
      },
      requests: { sent: counts.requests, throttled: counts.requestsThrottled, failed: counts.requestsFailed },
      records_per_s: perSecond(counts.accepted),
      mib_per_s: measuredS > 0 ? round(counts.acceptedBytes / 1048576 / measuredS, 4) : 0,
      throttled_pct: attempts > 0 ? round((counts.throttled / attempts) * 100, 2) : 0,
      latency_ms: summarizeMs(result.tally.requestLatency),
      record_latency_ms: summarizeMs(result.tally.recordLatency),
      per_shard: perShard,
    },
    client: {
      peak_rss_mib: round(input.client.peakRssBytes / 1048576, 1),
      cpu_user_s: round(input.client.cpuUserMicros / 1e6, 2),
      cpu_system_s: round(input.client.cpuSystemMicros / 1e6, 2),
    },
  };
}

/** The options as given, with units in the names and nothing secret. */
export function optionsForSummary(options: PutOptions): Record<string, unknown> {
  return {
    ...targetOptions(options.target),
    stream: options.stream ?? null,
    shards: options.shards,
    keep_stream: options.keepStream,
    rate: options.rate,
    concurrency: options.concurrency,
    duration_s: options.durationMs / 1000,
    warmup_s: options.warmupMs / 1000,
    record_size_bytes: options.recordSize,
    batch: options.batch,
    partition_keys: formatKeySpec(options.keys),
    retries: options.retry.maxRetries,
    retry_backoff_ms: options.retry.baseDelayMs,
    retry_backoff_max_ms: options.retry.maxDelayMs,
    interval_s: options.intervalMs / 1000,
    run_id: options.runId,
    out: options.out,
  };
}

function targetOptions(target: TargetSpec): Record<string, unknown> {
  switch (target.kind) {
    case 'embedded':
      return { target: 'embedded', emulator_port: target.emulatorPort ?? null };
    case 'aws':
      return { target: 'aws', region: target.region ?? null, profile: target.profile ?? null };
    case 'endpoint':
      return { target: 'endpoint', endpoint: safeEndpoint(target.url), region: target.region ?? null };
  }
}

function safeEndpoint(url: string): string {
  try {
    return displayEndpoint(new URL(url));
  } catch {
    return '(invalid)';
  }
}
