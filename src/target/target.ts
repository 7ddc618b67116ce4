/**
 * Where records go. A Target is opened once per run (by its kind, see kinds/): it owns the
 * emulator (if any), knows how to make clients for it, and describes itself for the
 * results (never with credentials).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { UsageError } from '../errors/errors.js';
import type { FaultSpec } from '../config/fault-values.js';
import type { ShardQuota } from '../config/quota-values.js';
import type { TargetSpec } from '../config/target-spec.js';
import type { ClientSettings } from './client.js';
import type { LimitsLabel } from './layer-plan.js';
import { describeTimeout } from '../errors/timeout-errors.js';

/** What the results say about the target. */
export interface TargetInfo {
  readonly kind: TargetSpec['kind'];
  /** Without any user:password part. */
  readonly endpoint: string;
  readonly region: string;
  /**
   * Which service quotas the figures were measured under: "aws" (the real service's),
   * "emulated-aws" / "emulated-custom" (kbench's quota layer in front of a local
   * target), "none" (an emulator that accepts everything), or "unknown" (an endpoint's own).
   */
  readonly limits: LimitsLabel;
  /** The per-shard quotas kbench's quota layer enforced; absent without them. */
  readonly quota?: ShardQuota;
  /** The faults kbench's quota layer injected; absent without them. */
  readonly faults?: FaultSpec;
  readonly emulator?: { readonly name: string; readonly version: string };
}

export interface Target {
  readonly info: TargetInfo;
  /** Most shards a new stream may have, when known before asking the service. */
  readonly shardLimit?: number;
  /** The service bills per shard-hour: the caller says what it creates before creating it. */
  readonly costsMoney: boolean;
  /** Aborted when the target is known to be gone (the embedded emulator died). */
  readonly lost?: AbortSignal;
  /** Plain data (no functions), so worker threads can build their own clients from it. */
  clientSettings(maxSockets: number): ClientSettings;
  /** Enhanced fan-out (RegisterStreamConsumer, SubscribeToShard): known, or to be found out. */
  readonly enhancedFanOut: 'yes' | 'no' | 'unknown';
  createClient(maxSockets: number): KinesisClient;
  /**
   * Settings of a client for SubscribeToShard (HTTP/2 against AWS, HTTP/1.1 elsewhere), as
   * plain data like clientSettings: lag's consumer workers build their own from it.
   */
  subscriptionClientSettings(maxSubscriptions: number): ClientSettings;
  close(): Promise<void>;
}

/** Checks an --endpoint value; usage errors are found before anything starts. */
export function parseEndpoint(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--endpoint "${url}" is not a URL (use e.g. http://127.0.0.1:4566)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--endpoint "${url}" must start with http:// or https://`);
  }
  return parsed;
}

/** The service's own hosts, which serve SubscribeToShard over HTTP/2 only. */
export function isAwsHost(url: URL): boolean {
  return url.protocol === 'https:' && /\.amazonaws\.com(\.cn)?$/.test(url.hostname);
}

/** Endpoint URLs may carry user:password; results and output never do. */
export function displayEndpoint(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}

export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** SDK errors for network faults carry the useful part in `code` or a nested cause. */
export function describeSdkError(error: unknown): string {
  const timeout = describeTimeout(error);
  if (timeout !== undefined) return timeout;
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const name = error.name !== 'Error' ? error.name : undefined;
    const message = firstLine(error.message);
    return [code ?? name, message]
      .filter((part) => part && !message.includes(part))
      .concat(message)
      .join(': ');
  }
  return String(error);
}
