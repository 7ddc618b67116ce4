/** `--target aws`: the real service, with the region, profile and credentials the AWS SDK finds. */
import { RunError, UsageError, errorMessage } from '../../errors/errors.js';
import { checkProfileExists, checkRegionName, configuredEndpoint, isAwsEndpoint } from '../aws-profile.js';
import { createKinesisClient, type ClientSettings } from '../client.js';
import { checkReachable } from '../reachable.js';
import { firstLine } from '../target.js';
import type { TargetKindModule } from './kind.js';

const NO_REGION = '--target aws needs a region: pass --region, or set AWS_REGION or a region in your AWS profile';

export const awsTarget: TargetKindModule<'aws'> = {
  kind: 'aws',
  help: 'aws',
  flags: ['profile'],
  local: false,
  subscribesOverHttp2: () => true,
  specFromFlags: (flags) => ({
    kind: 'aws',
    ...(flags.region !== undefined && { region: flags.region }),
    ...(flags.profile !== undefined && { profile: flags.profile }),
  }),
  open: async ({ region, profile }, signal) => {
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
      throw new UsageError(NO_REGION);
    }
    if (!resolvedRegion) {
      probe.destroy();
      throw new UsageError(NO_REGION);
    }
    try {
      await probe.config.credentials();
    } catch (error) {
      probe.destroy();
      throw new RunError(
        `--target aws found no AWS credentials (${firstLine(errorMessage(error))}): set AWS_ACCESS_KEY_ID and ` +
          `AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile, or run with an instance role`,
      );
    }
    const explicit = await probe.config.endpoint?.();
    probe.destroy();
    // The endpoint the SDK really sends to: AWS_ENDPOINT_URL_KINESIS may point anywhere, and then AWS's quotas are not
    // known to apply.
    const configured = configuredEndpoint();
    const endpoint =
      configured ??
      (explicit
        ? `${explicit.protocol}//${explicit.hostname}${explicit.port ? `:${explicit.port}` : ''}`
        : `https://kinesis.${resolvedRegion}.amazonaws.com`);
    const settings = { ...base, region: resolvedRegion };
    return checkReachable(
      {
        info: { kind: 'aws', endpoint, region: resolvedRegion, limits: isAwsEndpoint(endpoint) ? 'aws' : 'unknown' },
        costsMoney: true,
        clientSettings: (maxSockets) => ({ ...settings, maxSockets }),
        enhancedFanOut: 'yes',
        createClient: (maxSockets) => createKinesisClient({ ...settings, maxSockets }),
        subscriptionClientSettings: (maxSubscriptions) => ({ ...settings, maxSockets: maxSubscriptions, http2: true }),
        close: async () => undefined,
      },
      signal,
    );
  },
  optionsJson: (spec) => ({ target: 'aws', region: spec.region ?? null, profile: spec.profile ?? null }),
};
