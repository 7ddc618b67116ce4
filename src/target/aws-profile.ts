/**
 * What kbench checks of the AWS setup itself, before the SDK is asked: a --region that
 * can be a region name, a --profile that exists in the shared config or credentials file,
 * and the endpoint the SDK really sends to when AWS_ENDPOINT_URL_KINESIS (or
 * AWS_ENDPOINT_URL) configures one. The SDK's own errors for these are vague ("pass
 * --region" for a region given; a profile error without the profile's name).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors/errors.js';

/** Region names are DNS labels joined by '-': us-east-1, eu-central-2, us-gov-west-1, cn-north-1. */
const REGION_NAME = /^[a-z]{2,}(-[a-z0-9]+)+$/;

export function checkRegionName(region: string): void {
  if (!REGION_NAME.test(region)) {
    throw new UsageError(`--region "${region}" is not an AWS region name (e.g. us-east-1, eu-west-1)`);
  }
}

/** The profile's name, when it is in neither shared file; undefined when it exists (or cannot be checked). */
export function checkProfileExists(profile: string, env: NodeJS.ProcessEnv = process.env): void {
  const home = env['HOME'] || homedir();
  const configFile = env['AWS_CONFIG_FILE'] || path.join(home, '.aws', 'config');
  const credentialsFile = env['AWS_SHARED_CREDENTIALS_FILE'] || path.join(home, '.aws', 'credentials');
  const inConfig = sections(configFile).some(
    (name) => name === `profile ${profile}` || (profile === 'default' && name === 'default'),
  );
  const inCredentials = sections(credentialsFile).includes(profile);
  if (!inConfig && !inCredentials) {
    throw new UsageError(`--profile ${profile}: no such profile in ${configFile} or ${credentialsFile}`);
  }
}

function sections(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)].map((match) => (match[1] ?? '').replace(/\s+/g, ' '));
}

/**
 * The endpoint the SDK uses from the environment (the SDK's "configured endpoints"),
 * or undefined. Profiles' endpoint_url settings are not read here.
 */
export function configuredEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if ((env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] ?? '').toLowerCase() === 'true') return undefined;
  return env['AWS_ENDPOINT_URL_KINESIS'] || env['AWS_ENDPOINT_URL'] || undefined;
}

/** Whether an endpoint is Amazon's own (so AWS's quotas apply), not something else speaking its API. */
export function isAwsEndpoint(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return /(^|\.)amazonaws\.com(\.cn)?$/.test(host) || /(^|\.)api\.aws$/.test(host);
}
