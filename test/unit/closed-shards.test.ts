/** ClosedShardWatch: when efo readers learn from ListShards that their shard was closed, and how often they may ask. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ShardInfo } from '../../src/target/stream.js';
import { ClosedShardWatch } from '../../src/workload/closed-shards.js';
import { FakeClock } from '../support/fake-clock.js';

const shard = (shardId: string, open: boolean): ShardInfo => ({
  shardId,
  startingHashKey: '0',
  endingHashKey: '1',
  open,
  parentShardIds: [],
});

test('one ListShards call serves every reader for the interval; a closed shard is known from the answer that showed it', async () => {
  const clock = new FakeClock(1_000_000);
  let calls = 0;
  let closed = false;
  const watch = new ClosedShardWatch(
    async () => {
      calls += 1;
      return [shard('a', !closed), shard('b', false)];
    },
    clock,
    2000,
  );
  const stop = new AbortController().signal;
  // Readers asking at once share one call.
  assert.deepEqual(await Promise.all([watch.closedSince('a', stop), watch.closedSince('b', stop)]), [
    undefined,
    1_000_000,
  ]);
  assert.equal(calls, 1);
  // Within the interval nobody asks again, even though the shard is closed by now.
  closed = true;
  await clock.advanceTo(2_500_000);
  assert.equal(await watch.closedSince('a', stop), undefined);
  assert.equal(calls, 1);
  await clock.advanceTo(3_000_000);
  assert.equal(await watch.closedSince('a', stop), 3_000_000, 'closed since the answer that said so');
  assert.equal(calls, 2);
  // Once closed, always closed, at the time first seen: no more calls for it.
  await clock.advanceTo(9_000_000);
  assert.equal(await watch.closedSince('a', stop), 3_000_000);
  assert.equal(calls, 2);
});

test('a failed ListShards call (throttled, stopping) reads as "still open" and is tried again at the next interval', async () => {
  const clock = new FakeClock(0);
  let calls = 0;
  const watch = new ClosedShardWatch(
    async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException' });
      return [shard('a', false)];
    },
    clock,
    2000,
  );
  const stop = new AbortController().signal;
  assert.equal(await watch.closedSince('a', stop), undefined);
  await clock.advanceTo(2_000_000);
  assert.equal(await watch.closedSince('a', stop), 2_000_000);
  assert.equal(calls, 2);
});
