/**
 * Where and how the lean client signs, decided by the SDK: its configuration (region,
 * FIPS, dual-stack, a custom endpoint, from settings, environment or profile) and its
 * endpoint rules, asked once, so the lean client talks to the host the SDK would use.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';

export interface ResolvedEndpoint {
  readonly url: URL;
  readonly signingRegion: string;
  readonly signingName: string;
}

export async function resolveDataEndpoint(client: KinesisClient): Promise<ResolvedEndpoint> {
  const config = client.config;
  const region = await config.region();
  const custom =
    config.isCustomEndpoint && config.endpoint ? await config.endpoint() : await configuredEndpoint(config);
  const endpoint = config.endpointProvider({
    Region: region,
    UseFIPS: await config.useFipsEndpoint(),
    UseDualStack: await config.useDualstackEndpoint(),
    OperationType: 'data',
    ...(custom !== undefined && {
      Endpoint:
        `${custom.protocol}//${custom.hostname}` +
        `${custom.port !== undefined ? `:${custom.port}` : ''}${custom.path}`,
    }),
  });
  const scheme = (
    endpoint.properties?.['authSchemes'] as Array<{ signingRegion?: string; signingName?: string }> | undefined
  )?.[0];
  return {
    url: new URL(endpoint.url.href),
    signingRegion: scheme?.signingRegion ?? region,
    signingName: scheme?.signingName ?? 'kinesis',
  };
}

/**
 * The endpoint the SDK takes from AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL or a profile's
 * endpoint_url when the client was given none: the SDK applies it only at request time
 * (getEndpointFromInstructions), so the lean client must ask for it the same way.
 */
async function configuredEndpoint(
  config: KinesisClient['config'],
): Promise<{ protocol: string; hostname: string; port?: number; path: string } | undefined> {
  const extra = config as {
    ignoreConfiguredEndpointUrls?: boolean;
    serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  };
  if (extra.ignoreConfiguredEndpointUrls === true || extra.serviceConfiguredEndpoint === undefined) return undefined;
  const configured = await extra.serviceConfiguredEndpoint();
  if (configured === undefined) return undefined;
  const url = new URL(configured);
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port !== '' && { port: Number(url.port) }),
    path: url.pathname,
  };
}
