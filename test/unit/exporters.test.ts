import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { HistogramLogReader } from 'hdr-histogram-js';
import { createLatencyHistogram, encodeHistogram, recordMicros, summarizeMs } from '../../src/measure/histogram.js';
import { emptyCounts } from '../../src/measure/put-tally.js';
import type { PutInterval } from '../../src/model/put-result.js';
import { hlogHeader, hlogLine } from '../../src/results/hlog.js';
import { INTERVAL_COLUMNS, intervalsCsvHeader, intervalsCsvRow } from '../../src/results/intervals-csv.js';
import { latencyCsv } from '../../src/results/latency-csv.js';
import { shardIntervalsCsvHeader, shardIntervalsCsvRows } from '../../src/results/shard-intervals-csv.js';

const T0 = 1_764_305_070_000_000;

function interval(index: number, accepted: number, latenciesMicros: number[]): PutInterval {
  const h = createLatencyHistogram();
  for (const v of latenciesMicros) recordMicros(h, v);
  return {
    index,
    phase: 'measure',
    startMicros: T0 + index * 1_000_000,
    endMicros: T0 + (index + 1) * 1_000_000,
    counts: { ...emptyCounts(), sent: accepted, accepted, acceptedBytes: accepted * 1048576, throttled: 3 },
    requestLatency: summarizeMs(h),
    recordLatency: summarizeMs(h),
    requestHistogram: encodeHistogram(h),
    recordHistogram: encodeHistogram(h),
    perShard: [['shardId-000000000000', accepted]],
    behindMs: 0,
    clientLoad: { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0 },
  };
}

test('intervals.csv: one header row from the column list, one row per interval, units in names', () => {
  const text =
    intervalsCsvHeader() +
    intervalsCsvRow(interval(0, 500, [1000, 2000]), T0) +
    intervalsCsvRow(interval(1, 800, [3000]), T0);
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 2);
  assert.deepEqual(
    Object.keys(rows[0]!),
    INTERVAL_COLUMNS.map((c) => c.name),
  );
  assert.equal(rows[1]!['accepted_records_per_s'], '800');
  assert.equal(rows[1]!['accepted_mib_per_s'], '800');
  assert.equal(rows[1]!['throttled_records_per_s'], '3');
  assert.equal(rows[1]!['start_s'], '1');
  assert.equal(rows[0]!['latency_max_ms'], '2');
  for (const name of Object.keys(rows[0]!)) {
    assert.match(
      name,
      /(_ms|_s|_per_s|_utc)$|^(interval|phase|records_\w+|requests|event_loop_utilization)$/,
      `unit in ${name}`,
    );
  }
});

test('the .hlog is a valid HdrHistogram log: a standard reader gets the same histograms back', () => {
  const first = interval(0, 2, [1000, 2000]);
  const second = interval(1, 1, [5000]);
  const log =
    hlogHeader(T0, 'test') +
    hlogLine(first.requestHistogram, first.startMicros, first.endMicros, 2000, T0) +
    hlogLine(second.requestHistogram, second.startMicros, second.endMicros, 5000, T0);
  const reader = new HistogramLogReader(log);
  const a = reader.nextIntervalHistogram();
  assert.equal(reader.startTimeSec, T0 / 1e6);
  const b = reader.nextIntervalHistogram();
  assert.equal(reader.nextIntervalHistogram(), null);
  assert.equal(a?.totalCount, 2);
  assert.ok(Math.abs((b?.maxValue ?? 0) - 5000) <= 5, 'max within HDR precision (3 digits)');
  assert.equal(b?.startTimeStampMsec, (T0 + 1_000_000) / 1000);
});

test('latency.csv lists the distribution of each histogram in ms, ending at the max', () => {
  const h = createLatencyHistogram();
  for (let i = 1; i <= 1000; i++) recordMicros(h, i * 100);
  const rows = parse(latencyCsv([['put_request', h]]), { columns: true }) as Record<string, string>[];
  const last = rows.at(-1)!;
  assert.equal(last['percentile'], '100');
  assert.equal(Number(last['latency_ms']), 100);
  assert.equal(rows[0]!['percentile'], '0');
  assert.equal(Number(rows[0]!['latency_ms']), 0.1);
  const values = rows.map((r) => Number(r['latency_ms']));
  assert.deepEqual(
    values,
    [...values].sort((x, y) => x - y),
    'non-decreasing',
  );
});

test('shard-intervals.csv: one row per shard that accepted records in the interval, shards in order', () => {
  const two = {
    ...interval(1, 30, [1000]),
    perShard: [
      ['shardId-000000000001', 10],
      ['shardId-000000000000', 20],
    ] as const,
  };
  const rows = parse(shardIntervalsCsvHeader() + shardIntervalsCsvRows(two, T0), { columns: true }) as Array<
    Record<string, string>
  >;
  assert.deepEqual(rows, [
    {
      interval: '1',
      phase: 'measure',
      start_s: '1',
      duration_s: '1',
      shard: 'shardId-000000000000',
      records_accepted: '20',
      accepted_records_per_s: '20',
    },
    {
      interval: '1',
      phase: 'measure',
      start_s: '1',
      duration_s: '1',
      shard: 'shardId-000000000001',
      records_accepted: '10',
      accepted_records_per_s: '10',
    },
  ]);
  assert.equal(shardIntervalsCsvRows({ ...two, perShard: [] }, T0), '', 'no shard, no row');
});
