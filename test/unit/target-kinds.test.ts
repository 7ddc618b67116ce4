import assert from 'node:assert/strict';
import test from 'node:test';
import { targetOptions } from '../../src/cli/common-flags.js';
import {
  TARGET_KINDS,
  TARGET_KIND_NAMES,
  isLocalKind,
  subscribesOverHttp2,
  targetOptionsJson,
} from '../../src/target/kinds/index.js';

test('a flag of another target kind is refused, the first in flag order when there are several', () => {
  assert.throws(
    () => targetOptions({ target: 'aws', endpoint: 'http://127.0.0.1:1', emulator: 'kinesis-mock' }),
    /^UsageError: --endpoint cannot be used with --target aws$/,
  );
  assert.throws(
    () => targetOptions({ target: 'aws', emulatorPort: 4567, emulator: 'kinesalite' }),
    /^UsageError: --emulator-port only applies to --target embedded$/,
  );
  assert.throws(
    () => targetOptions({ endpoint: 'http://127.0.0.1:1', profile: 'p', limits: { kind: 'none' } }),
    /^UsageError: --profile only applies to --target aws$/,
  );
  assert.throws(
    () =>
      targetOptions({
        target: 'aws',
        injectLatency: { writes: { kind: 'fixed', ms: 5 } },
        injectErrors: { internalFailurePct: 1, serviceUnavailablePct: 0, connectionResetPct: 0 },
      }),
    /^UsageError: --inject-latency only applies to local targets \(embedded, or --endpoint\): AWS enforces its own quotas and faults$/,
  );
  assert.throws(() => targetOptions({ target: 'endpoint' }), /^UsageError: --target endpoint needs --endpoint <url>$/);
});

test('each target kind builds its spec from its own flags, and says it back in summary.json options', () => {
  const { target } = targetOptions({
    endpoint: 'http://user:secret@127.0.0.1:1/',
    region: 'eu-west-1',
    limits: { kind: 'aws' },
  });
  assert.deepEqual(target, {
    kind: 'endpoint',
    url: 'http://user:secret@127.0.0.1:1/',
    region: 'eu-west-1',
    limits: { kind: 'aws' },
  });
  assert.deepEqual(targetOptionsJson(target), {
    target: 'endpoint',
    endpoint: 'http://127.0.0.1:1',
    region: 'eu-west-1',
    limits: 'aws',
    inject_latency: null,
    inject_errors: null,
  });
  assert.deepEqual(targetOptionsJson(targetOptions({ region: 'eu-west-1' }).target), {
    target: 'embedded',
    emulator: 'kinesalite',
    emulator_port: null,
    limits: null,
    inject_latency: null,
    inject_errors: null,
  });
  assert.deepEqual(targetOptionsJson(targetOptions({ target: 'aws', profile: 'p' }).target), {
    target: 'aws',
    region: null,
    profile: 'p',
  });
});

test('the registry is keyed by kind, in --target order; only the real service is not local', () => {
  assert.deepEqual(TARGET_KIND_NAMES, ['embedded', 'aws', 'endpoint']);
  for (const name of TARGET_KIND_NAMES) assert.equal(TARGET_KINDS[name].kind, name);
  assert.deepEqual(TARGET_KIND_NAMES.map(isLocalKind), [true, false, true]);
  assert.equal(isLocalKind('a-kind-from-a-newer-kbench'), true);
});

test('subscriptions go over HTTP/2 against AWS only, also for an AWS endpoint given by URL', () => {
  assert.equal(subscribesOverHttp2('aws', 'https://kinesis.eu-west-1.amazonaws.com'), true);
  assert.equal(subscribesOverHttp2('embedded', 'http://127.0.0.1:4567'), false);
  assert.equal(subscribesOverHttp2('endpoint', 'http://127.0.0.1:4566'), false);
  assert.equal(subscribesOverHttp2('endpoint', 'https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com'), true);
  assert.equal(subscribesOverHttp2('a-kind-from-a-newer-kbench', 'https://kinesis.us-east-1.amazonaws.com'), true);
});
