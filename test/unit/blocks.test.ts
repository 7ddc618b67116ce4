/**
 * Measurement blocks: each block declares its histograms, columns, merge and metrics once,
 * and a run's layout is its blocks in order. A block merged alone gives back the block
 * (its derived figures are computed by one function for one process and for several).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAG_BLOCK } from '../../src/blocks/lag.js';
import { PUT_BLOCK, summarisePut } from '../../src/blocks/put.js';
import { BLOCKS, LAG_RUN, PUT_RUN, layoutSpec } from '../../src/blocks/run-layout.js';
import { recordMicros } from '../../src/measure/histogram.js';
import { PutTally } from '../../src/measure/put-tally.js';
import type { PutRunResult } from '../../src/model/put-result.js';

test('a put run is [put], a lag run [put, lag]; columns and histograms follow the blocks in order', () => {
  assert.deepEqual(
    BLOCKS.map((b) => b.key),
    ['put', 'lag'],
  );
  assert.deepEqual(
    layoutSpec('put').blocks.map((b) => b.key),
    ['put'],
  );
  assert.deepEqual(
    layoutSpec('lag').blocks.map((b) => b.key),
    ['put', 'lag'],
  );
  const frame = ['interval', 'phase', 'start_utc', 'start_s', 'duration_s'];
  const put = PUT_BLOCK.columns.map((c) => c.name);
  const lag = LAG_BLOCK.columns.map((c) => c.name);
  assert.deepEqual(
    PUT_RUN.columns.map((c) => c.name),
    [...frame, ...put],
  );
  assert.deepEqual(
    LAG_RUN.columns.map((c) => c.name),
    [...frame, ...put, ...lag],
  );
  assert.equal(new Set(LAG_RUN.columns.map((c) => c.name)).size, LAG_RUN.columns.length, 'column names are unique');
  assert.deepEqual(
    LAG_RUN.histograms.map((h) => h.name),
    [...Object.keys(PUT_BLOCK.histograms), ...Object.keys(LAG_BLOCK.histograms)],
  );
  assert.equal(
    new Set(LAG_RUN.histograms.map((h) => h.file)).size,
    LAG_RUN.histograms.length,
    'one interval log per histogram',
  );
});

test('a column merged from histograms names a histogram of its own block', () => {
  for (const block of BLOCKS) {
    for (const column of block.columns) {
      if (typeof column.merge === 'object')
        assert.ok(column.merge.histogram in block.histograms, `${block.key} ${column.name}`);
    }
  }
});

test('one put block merged alone is the same block: derived figures have one definition', () => {
  const tally = new PutTally();
  Object.assign(tally.counts, {
    sent: 110,
    accepted: 100,
    failed: 4,
    throttled: 12,
    retried: 12,
    requests: 120,
    requestsThrottled: 12,
    acceptedInPhase: 100,
  });
  for (let i = 0; i < 100; i++) recordMicros(tally.requestLatency, 1000 + i * 37);
  for (let i = 0; i < 100; i++) recordMicros(tally.recordLatency, 2000 + i * 41);
  tally.perShard.set('shardId-000000000000', 70).set('shardId-000000000001', 30);
  tally.perShardInPhase.set('shardId-000000000000', 70).set('shardId-000000000001', 30);
  const result: PutRunResult = {
    schedule: { startMicros: 0, measuredFromMicros: 1e6, measuredUntilMicros: 11e6 },
    measuredUntilMicros: 11e6,
    endedMicros: 12e6,
    stopReason: undefined,
    tally,
    intervals: 12,
    clientLoad: { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0 },
    maxBehindMs: 0,
  };
  const block = summarisePut(result, ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
  assert.equal(block.throttled_pct, 9.84, '12 throttled of 110 sent + 12 retried attempts');
  assert.equal(block.per_shard['shardId-000000000000']?.share_pct, 70);
  assert.equal(block.per_shard['shardId-000000000002']?.share_pct, 0);
  const histograms = new Map(
    Object.entries(PUT_BLOCK.histograms).map(([name, spec]) => [name, spec.whole(result)] as const),
  );
  assert.deepEqual(PUT_BLOCK.merge([block], histograms), block);
});
