/**
 * `--target endpoint` / `--endpoint <url>`: a Kinesis-compatible endpoint kbench does not
 * run (LocalStack, kinesis-local, an AWS VPC endpoint), with kbench's quota layer in a
 * process of its own in front of it when quotas or faults are emulated.
 */
import { UsageError } from '../../errors/errors.js';
import { SUBSCRIPTION_TIMEOUTS, createKinesisClient, type StaticCredentials } from '../client.js';
import { planLayer } from '../layer-plan.js';
import { startQuotaLayerProcess } from '../quota-layer-process.js';
import { checkReachable } from '../reachable.js';
import { displayEndpoint, isAwsHost, parseEndpoint, type Target } from '../target.js';
import type { TargetKindModule } from './kind.js';
import {
  DUMMY_CREDENTIALS,
  EMULATION_FLAGS,
  LOCAL_REGION,
  emulationFromFlags,
  emulationOptionsJson,
  layerInfo,
} from './local.js';

export const endpointTarget: TargetKindModule<'endpoint'> = {
  kind: 'endpoint',
  help: 'endpoint (with --endpoint)',
  flags: ['endpoint', ...EMULATION_FLAGS],
  local: true,
  // An AWS endpoint given by URL (a VPC endpoint, a FIPS endpoint) is still AWS: HTTP/2.
  subscribesOverHttp2: (endpoint) => isAwsHost(new URL(endpoint)),
  specFromFlags: (flags) => {
    if (flags.endpoint === undefined) throw new UsageError('--target endpoint needs --endpoint <url>');
    parseEndpoint(flags.endpoint);
    return {
      kind: 'endpoint',
      url: flags.endpoint,
      ...(flags.region !== undefined && { region: flags.region }),
      ...emulationFromFlags(flags),
    };
  },
  open: async (spec, signal) => {
    const parsed = parseEndpoint(spec.url);
    const plan = planLayer(spec.limits ?? { kind: 'none' }, spec.faults, 'unknown');
    if (plan.needed && isAwsHost(parsed)) {
      // The layer changes the Host header, which AWS signatures cover; and AWS has real quotas.
      throw new UsageError(`--limits and --inject-* only apply to local endpoints: ${displayEndpoint(parsed)} is AWS`);
    }
    const credentials = credentialsFromEnvironment() ?? DUMMY_CREDENTIALS;
    // The layer runs in a process of its own here: there is no emulator process to share.
    const layer = plan.needed
      ? await startQuotaLayerProcess({ upstream: parsed.href, quota: plan.quota, faults: plan.faults })
      : undefined;
    const settings = { endpoint: layer?.endpoint ?? parsed.href, region: spec.region ?? LOCAL_REGION, credentials };
    const target: Target = {
      info: { kind: 'endpoint', endpoint: displayEndpoint(parsed), region: settings.region, ...layerInfo(plan) },
      costsMoney: false,
      ...(layer !== undefined && { lost: layer.lost }),
      clientSettings: (maxSockets) => ({ ...settings, maxSockets }),
      enhancedFanOut: 'unknown',
      createClient: (maxSockets) => createKinesisClient({ ...settings, maxSockets }),
      subscriptionClientSettings: (maxSubscriptions) =>
        endpointTarget.subscribesOverHttp2(parsed.href)
          ? { ...settings, maxSockets: maxSubscriptions, http2: true }
          : { ...settings, ...SUBSCRIPTION_TIMEOUTS, maxSockets: maxSubscriptions, http2: false },
      close: async () => layer?.stop(),
    };
    return checkReachable(target, signal).catch(async (error: unknown) => {
      await layer?.stop();
      throw error;
    });
  },
  optionsJson: (spec) => ({
    target: 'endpoint',
    endpoint: safeEndpoint(spec.url),
    region: spec.region ?? null,
    ...emulationOptionsJson(spec),
  }),
};

function credentialsFromEnvironment(): StaticCredentials | undefined {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN && { sessionToken: AWS_SESSION_TOKEN }),
  };
}

function safeEndpoint(url: string): string {
  try {
    return displayEndpoint(new URL(url));
  } catch {
    return '(invalid)';
  }
}
