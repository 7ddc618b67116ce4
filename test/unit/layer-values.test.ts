import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatErrorFaults,
  formatLatencyFaults,
  parseErrorFaults,
  parseLatencyFaults,
} from '../../src/config/fault-values.js';
import { AWS_SHARD_QUOTA, formatLimits, parseLimits } from '../../src/config/quota-values.js';
import { ValueError } from '../../src/errors/errors.js';

test('--limits: aws, none, or per-shard numbers that override the AWS values', () => {
  assert.deepEqual(parseLimits('aws'), { kind: 'aws' });
  assert.deepEqual(parseLimits('NONE'), { kind: 'none' });
  assert.deepEqual(parseLimits('write-records=500,read-mib=0.5'), {
    kind: 'custom',
    quota: { ...AWS_SHARD_QUOTA, writeRecordsPerS: 500, readMibPerS: 0.5 },
  });
  assert.equal(
    formatLimits(parseLimits('read-calls=2')),
    'write-records=1000,write-mib=1,read-calls=2,read-mib=2,iterator-calls=5',
  );
  for (const bad of [
    '',
    'fast',
    'write-records',
    'write-records=0',
    'write-records=-1',
    'writes=5',
    'write-records=1,write-records=2',
    'read-mib=1MiB',
  ]) {
    assert.throws(() => parseLimits(bad), ValueError, bad);
  }
  assert.throws(() => parseLimits('writes=5'), /keys: write-records, write-mib, read-calls, read-mib, iterator-calls/);
});

test('--inject-latency: fixed, uniform or exponential, for all data calls or per side', () => {
  assert.deepEqual(parseLatencyFaults('20ms'), { writes: { kind: 'fixed', ms: 20 }, reads: { kind: 'fixed', ms: 20 } });
  assert.deepEqual(parseLatencyFaults('writes=10ms-50ms'), { writes: { kind: 'uniform', minMs: 10, maxMs: 50 } });
  assert.deepEqual(parseLatencyFaults('writes=5ms,reads=exp:1s'), {
    writes: { kind: 'fixed', ms: 5 },
    reads: { kind: 'exponential', meanMs: 1000 },
  });
  assert.equal(formatLatencyFaults(parseLatencyFaults('20ms')), '20ms');
  assert.equal(formatLatencyFaults(parseLatencyFaults('reads=exp:20ms')), 'reads=exp:20ms');
  for (const bad of ['20', 'slow', '50ms-10ms', 'exp:0ms', 'writes=1ms,writes=2ms', '5ms,reads=1ms', 'both=5ms']) {
    assert.throws(() => parseLatencyFaults(bad), ValueError, bad);
  }
});

test('--inject-errors: one rate spread over the three kinds, or a rate per kind, never above 100%', () => {
  const spread = parseErrorFaults('3%');
  assert.deepEqual(spread, { internalFailurePct: 1, serviceUnavailablePct: 1, connectionResetPct: 1 });
  assert.deepEqual(parseErrorFaults('500=1%,reset=0.5%'), {
    internalFailurePct: 1,
    serviceUnavailablePct: 0,
    connectionResetPct: 0.5,
  });
  assert.equal(formatErrorFaults(parseErrorFaults('503=2%')), '500=0%,503=2%,reset=0%');
  for (const bad of ['3', '0.03', '101%', '500=60%,503=60%', '404=1%', '500=1%,500=2%', 'often']) {
    assert.throws(() => parseErrorFaults(bad), ValueError, bad);
  }
});
