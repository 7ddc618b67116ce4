/** Temporary credentials are fetched again before they expire, and only then. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CredentialsCache, REFRESH_BEFORE_EXPIRY_MS, type Credentials } from '../../src/client/credentials-cache.js';

function provider(
  lifetimeMs: number | undefined,
  now: () => number,
): { get: () => Promise<Credentials>; calls: () => number } {
  let calls = 0;
  return {
    get: async () => {
      calls += 1;
      return {
        accessKeyId: `AKID${calls}`,
        secretAccessKey: 'secret',
        sessionToken: `token${calls}`,
        ...(lifetimeMs !== undefined && { expiration: new Date(now() + lifetimeMs) }),
      };
    },
    calls: () => calls,
  };
}

test('temporary credentials are reused until shortly before they expire, then fetched again', async () => {
  let nowMs = 1_000_000;
  const source = provider(60 * 60_000, () => nowMs);
  const cache = new CredentialsCache(source.get, () => nowMs);
  assert.equal((await cache.get()).accessKeyId, 'AKID1');
  nowMs += 60 * 60_000 - REFRESH_BEFORE_EXPIRY_MS - 1;
  assert.equal((await cache.get()).accessKeyId, 'AKID1', 'still valid for longer than the refresh margin');
  nowMs += 1;
  assert.equal((await cache.get()).accessKeyId, 'AKID2', 'refreshed before expiry');
  assert.equal((await cache.get()).sessionToken, 'token2');
  assert.equal(source.calls(), 2);
});

test('credentials without an expiry are fetched once', async () => {
  let nowMs = 0;
  const source = provider(undefined, () => nowMs);
  const cache = new CredentialsCache(source.get, () => nowMs);
  await cache.get();
  nowMs += 365 * 24 * 3600_000;
  await cache.get();
  assert.equal(source.calls(), 1);
});

test('requests arriving during a refresh share one fetch; a failed fetch is tried again next time', async () => {
  const nowMs = 0;
  let fail = true;
  let calls = 0;
  const cache = new CredentialsCache(
    async () => {
      calls += 1;
      if (fail) throw new Error('no credentials');
      return { accessKeyId: 'A', secretAccessKey: 'S' };
    },
    () => nowMs,
  );
  await assert.rejects(Promise.all([cache.get(), cache.get()]), /no credentials/);
  assert.equal(calls, 1);
  fail = false;
  assert.equal((await cache.get()).accessKeyId, 'A');
  assert.equal(calls, 2);
});
