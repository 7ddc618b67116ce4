/**
 * Where records go. A Target is opened once per run: it owns the emulator (if any), knows
 * how to make clients for it, and describes itself for the results (never with credentials).
 */
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { checkProfileExists, checkRegionName, configuredEndpoint, isAwsEndpoint } from './aws-profile.js';
import { RunError, UsageError, errorMessage } from '../errors/errors.js';
import { hasFaults, type FaultSpec } from '../config/fault-values.js';
import type { ShardQuota } from '../config/quota-values.js';
import { SUBSCRIPTION_TIMEOUTS, createKinesisClient, type ClientSettings, type StaticCredentials } from './client.js';
import type { EmulatorName, LocalEmulation, TargetSpec } from '../config/target-spec.js';
import { startEmulator, type EmbeddedEmulator } from './embedded.js';
import { planLayer, type LayerPlan, type LimitsLabel } from './layer-plan.js';
import { startQuotaLayerProcess } from './quota-layer-process.js';
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

const LOCAL_REGION = 'us-east-1';
/** Local endpoints accept any credentials; these keep the SDK from searching for real ones. */
const DUMMY_CREDENTIALS: StaticCredentials = { accessKeyId: 'kbench', secretAccessKey: 'kbench' };

/** `signal` (Ctrl-C, SIGTERM) ends the first call to the target, however long it waits. */
export async function openTarget(spec: TargetSpec, signal?: AbortSignal): Promise<Target> {
  switch (spec.kind) {
    case 'embedded':
      return openEmbedded(spec.emulator ?? 'kinesalite', spec.emulatorPort, spec, signal);
    case 'endpoint':
      return openEndpoint(spec.url, spec.region, spec, signal);
    case 'aws':
      return openAws(spec.region, spec.profile, signal);
  }
}

async function openEmbedded(name: EmulatorName, port: number | undefined, emulation: LocalEmulation, signal?: AbortSignal): Promise<Target> {
  const plan = planLayer(emulation.limits ?? { kind: 'aws' }, emulation.faults, 'none');
  const emulator: EmbeddedEmulator = await startEmulator(name, {
    ...(port !== undefined && { port }),
    ...(plan.needed && { layer: { quota: plan.quota, faults: plan.faults } }),
  });
  const settings = { endpoint: emulator.endpoint, region: LOCAL_REGION, credentials: DUMMY_CREDENTIALS };
  const target: Target = {
    info: {
      kind: 'embedded',
      endpoint: emulator.endpoint,
      region: LOCAL_REGION,
      ...layerInfo(plan),
      emulator: { name: emulator.name, version: emulator.version },
    },
    shardLimit: emulator.shardLimit,
    costsMoney: false,
    lost: emulator.lost,
    clientSettings: (maxSockets) => ({ ...settings, maxSockets }),
    enhancedFanOut: emulator.enhancedFanOut ? 'yes' : 'no',
    createClient: (maxSockets) => createKinesisClient({ ...settings, maxSockets }),
    subscriptionClientSettings: (maxSubscriptions) => ({ ...settings, ...SUBSCRIPTION_TIMEOUTS, maxSockets: maxSubscriptions }),
    close: () => emulator.stop(),
  };
  return checkReachable(target, signal).catch(async (error: unknown) => {
    await emulator.stop();
    throw error;
  });
}

async function openEndpoint(url: string, region: string | undefined, emulation: LocalEmulation, signal?: AbortSignal): Promise<Target> {
  const parsed = parseEndpoint(url);
  const plan = planLayer(emulation.limits ?? { kind: 'none' }, emulation.faults, 'unknown');
  if (plan.needed && isAwsHost(parsed)) {
    // The layer changes the Host header, which AWS signatures cover; and AWS has real quotas.
    throw new UsageError(`--limits and --inject-* only apply to local endpoints: ${displayEndpoint(parsed)} is AWS`);
  }
  const credentials = credentialsFromEnvironment() ?? DUMMY_CREDENTIALS;
  // The layer runs in a process of its own here: there is no emulator process to share.
  const layer = plan.needed ? await startQuotaLayerProcess({ upstream: parsed.href, quota: plan.quota, faults: plan.faults }) : undefined;
  const settings = { endpoint: layer?.endpoint ?? parsed.href, region: region ?? LOCAL_REGION, credentials };
  const target: Target = {
    info: { kind: 'endpoint', endpoint: displayEndpoint(parsed), region: settings.region, ...layerInfo(plan) },
    costsMoney: false,
    ...(layer !== undefined && { lost: layer.lost }),
    clientSettings: (maxSockets) => ({ ...settings, maxSockets }),
    enhancedFanOut: 'unknown',
    createClient: (maxSockets) => createKinesisClient({ ...settings, maxSockets }),
    // An AWS endpoint given by URL (a VPC endpoint, a FIPS endpoint) is still AWS: HTTP/2.
    subscriptionClientSettings: (maxSubscriptions) =>
      isAwsHost(parsed)
        ? { ...settings, maxSockets: maxSubscriptions, http2: true }
        : { ...settings, ...SUBSCRIPTION_TIMEOUTS, maxSockets: maxSubscriptions, http2: false },
    close: async () => layer?.stop(),
  };
  return checkReachable(target, signal).catch(async (error: unknown) => {
    await layer?.stop();
    throw error;
  });
}

function layerInfo(plan: LayerPlan): Pick<TargetInfo, 'limits' | 'quota' | 'faults'> {
  return {
    limits: plan.label,
    ...(plan.quota !== null && { quota: plan.quota }),
    ...(hasFaults(plan.faults) && { faults: plan.faults }),
  };
}

async function openAws(region: string | undefined, profile: string | undefined, signal?: AbortSignal): Promise<Target> {
  if (region !== undefined) checkRegionName(region);
  if (profile !== undefined) checkProfileExists(profile);
  const base: Omit<ClientSettings, 'maxSockets'> = {
    ...(region !== undefined && { region }),
    ...(profile !== undefined && { profile }),
  };
  const probe = createKinesisClient({ ...base, maxSockets: 1 });
  let resolvedRegion: string;
  try {
    resolvedRegion = await probe.config.region();
  } catch {
    probe.destroy();
    throw new UsageError('--target aws needs a region: pass --region, or set AWS_REGION or a region in your AWS profile');
  }
  if (!resolvedRegion) {
    probe.destroy();
    throw new UsageError('--target aws needs a region: pass --region, or set AWS_REGION or a region in your AWS profile');
  }
  try {
    await probe.config.credentials();
  } catch (error) {
    probe.destroy();
    throw new RunError(
      `--target aws found no AWS credentials (${firstLine(errorMessage(error))}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile, or run with an instance role`,
    );
  }
  const explicit = await probe.config.endpoint?.();
  probe.destroy();
  // The endpoint the SDK really sends to: AWS_ENDPOINT_URL_KINESIS may point anywhere, and then AWS's quotas are not known to apply.
  const configured = configuredEndpoint();
  const endpoint = configured ?? (explicit ? `${explicit.protocol}//${explicit.hostname}${explicit.port ? `:${explicit.port}` : ''}` : `https://kinesis.${resolvedRegion}.amazonaws.com`);
  const settings = { ...base, region: resolvedRegion };
  return checkReachable({
    info: { kind: 'aws', endpoint, region: resolvedRegion, limits: isAwsEndpoint(endpoint) ? 'aws' : 'unknown' },
    costsMoney: true,
    clientSettings: (maxSockets) => ({ ...settings, maxSockets }),
    enhancedFanOut: 'yes',
    createClient: (maxSockets) => createKinesisClient({ ...settings, maxSockets }),
    subscriptionClientSettings: (maxSubscriptions) => ({ ...settings, maxSockets: maxSubscriptions, http2: true }),
    close: async () => undefined,
  }, signal);
}

/** One cheap call, so "nothing listens there" fails now with a clear message, not mid-run. */
async function checkReachable(target: Target, signal?: AbortSignal): Promise<Target> {
  const client = target.createClient(1);
  try {
    await client.send(new ListStreamsCommand({ Limit: 1 }), signal ? { abortSignal: signal } : {});
    return target;
  } catch (error) {
    if (signal?.aborted) throw new RunError(`stopped before the run started: ${String(signal.reason)}`);
    throw new RunError(`cannot reach the Kinesis endpoint ${target.info.endpoint}: ${describeSdkError(error)}`);
  } finally {
    client.destroy();
  }
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

function credentialsFromEnvironment(): StaticCredentials | undefined {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN && { sessionToken: AWS_SESSION_TOKEN }),
  };
}

function firstLine(text: string): string {
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
    return [code ?? name, message].filter((part) => part && !message.includes(part)).concat(message).join(': ');
  }
  return String(error);
}

