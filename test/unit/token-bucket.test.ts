import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashKeyOf, hexHashKey, shardFor, type HashRange } from '../../src/target/layer/hash-key.js';
import { ShardQuotas } from '../../src/target/layer/shard-quotas.js';
import { TokenBucket } from '../../src/target/layer/token-bucket.js';
import { AWS_SHARD_QUOTA } from '../../src/config/quota-values.js';

/** A millisecond clock the test moves by hand. */
function fakeMs(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

test('a token bucket starts full, refills continuously at its rate, and never holds more than its capacity', () => {
  const clock = fakeMs();
  const bucket = new TokenBucket(1000, 1000, clock.now);
  let taken = 0;
  while (bucket.canTake(1)) {
    bucket.debit(1);
    taken += 1;
  }
  assert.equal(taken, 1000, 'the burst is the capacity');
  clock.advance(1);
  assert.ok(bucket.canTake(1), 'one token after 1 ms at 1000/s: refilled continuously, not once a second');
  bucket.debit(1);
  assert.equal(bucket.canTake(1), false);
  clock.advance(10_000);
  assert.equal(bucket.available(), 1000, 'capped at the capacity');
});

test('over any stretch of time a saturated bucket admits rate x time (+ the burst it started with)', () => {
  const clock = fakeMs();
  const bucket = new TokenBucket(5, 5, clock.now);
  let admitted = 0;
  for (let ms = 0; ms <= 10_000; ms += 10) {
    clock.advance(10);
    while (bucket.canTake(1)) {
      bucket.debit(1);
      admitted += 1;
    }
  }
  assert.equal(admitted, 5 + 50);
});

test('a cost above the capacity passes when the bucket is full and leaves a debt the refill pays back', () => {
  const clock = fakeMs();
  const bucket = new TokenBucket(100, 100, clock.now);
  assert.ok(bucket.canTake(250));
  bucket.debit(250);
  assert.equal(bucket.available(), -150);
  clock.advance(1499);
  assert.equal(bucket.canTake(1), false);
  clock.advance(11);
  assert.ok(bucket.canTake(1));
});

test('a refund never lifts a bucket above its capacity', () => {
  const bucket = new TokenBucket(10, 10, fakeMs().now);
  bucket.debit(-5);
  assert.equal(bucket.available(), 10);
});

test('shard quotas: a write needs both record and byte quota, and a throttled write takes neither', () => {
  const clock = fakeMs();
  const quotas = new ShardQuotas({ ...AWS_SHARD_QUOTA, writeRecordsPerS: 10, writeMibPerS: 1 }, clock.now);
  // 1 MiB of byte quota: nine 100 KiB records and one of 1,000 bytes use it up almost.
  for (let i = 0; i < 10; i++) assert.ok(quotas.tryWrite('s', 'shard-0', 100 * 1024));
  assert.equal(quotas.tryWrite('s', 'shard-0', 10), false, 'the record quota (10/s) is used up');
  assert.ok(quotas.tryWrite('s', 'shard-1', 10), 'each shard has its own quota');
  clock.advance(100); // 1 record and 0.1 MiB of refill
  assert.equal(quotas.tryWrite('s', 'shard-0', 200 * 1024), false, 'not enough bytes');
  assert.ok(quotas.tryWrite('s', 'shard-0', 50 * 1024), 'the record token was not spent by the refused write');
});

test('shard quotas: a large GetRecords answer puts the shard in debt and throttles the calls after it', () => {
  const clock = fakeMs();
  const quotas = new ShardQuotas(AWS_SHARD_QUOTA, clock.now);
  assert.ok(quotas.tryRead('s', 'shard-0'));
  quotas.readReturned('s', 'shard-0', 6 * 1048576); // 2 MiB saved up, 6 MiB read: 4 MiB of debt
  clock.advance(1000);
  assert.equal(quotas.tryRead('s', 'shard-0'), false, 'still 2 MiB in debt after 1 s');
  clock.advance(1000);
  assert.ok(quotas.tryRead('s', 'shard-0'), 'paid back after 2 s at 2 MiB/s');
});

test('the shard of a key is the MD5 of the key against the hash ranges, or the explicit hash key', () => {
  // MD5("a") = 0cc175b9c0f1b6a831c399e269772661
  assert.equal(hashKeyOf('a'), '0cc175b9c0f1b6a831c399e269772661');
  assert.equal(hashKeyOf('ignored', '42'), '0000000000000000000000000000002a');
  const max = 2n ** 128n - 1n;
  const third = max / 3n;
  const range = (shardId: string, start: bigint, end: bigint): HashRange => ({
    shardId,
    start: hexHashKey(String(start)),
    end: hexHashKey(String(end)),
  });
  const ranges: HashRange[] = [
    range('shardId-000000000000', 0n, third),
    range('shardId-000000000001', third + 1n, 2n * third + 1n),
    range('shardId-000000000002', 2n * third + 2n, max),
  ];
  assert.equal(shardFor(ranges, 'a'), 'shardId-000000000000');
  assert.equal(shardFor(ranges, 'x', String(max)), 'shardId-000000000002');
  assert.equal(shardFor(ranges, 'x', String(third + 1n)), 'shardId-000000000001');
  assert.equal(shardFor(ranges.slice(1), 'a'), undefined, 'a key outside every range: the map is stale');
});
