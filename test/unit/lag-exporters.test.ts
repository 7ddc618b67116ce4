import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { createLatencyHistogram, encodeHistogram, recordMicros, summarizeMs } from '../../src/measure/histogram.js';
import { emptyLagCounts } from '../../src/measure/lag-tally.js';
import { emptyCounts } from '../../src/measure/put-tally.js';
import type { LagRunInterval } from '../../src/model/lag-result.js';
import {
  INTERVAL_COLUMNS,
  LAG_COLUMNS,
  lagIntervalsCsvHeader,
  lagIntervalsCsvRow,
} from '../../src/results/intervals-csv.js';
import { formatLagTable } from '../../src/console/lag-table.js';
import type { LagSummaryJson } from '../../src/results/summary.js';
import { createKinesisClient } from '../../src/target/client.js';

const T0 = 1_764_305_070_000_000;

function lagInterval(index: number, lagMicros: number[]): LagRunInterval {
  const h = createLatencyHistogram();
  for (const v of lagMicros) recordMicros(h, v);
  const bounds = { index, startMicros: T0 + index * 2_000_000, endMicros: T0 + (index + 1) * 2_000_000 };
  const empty = createLatencyHistogram();
  return {
    put: {
      ...bounds,
      phase: 'measure',
      counts: { ...emptyCounts(), sent: 200, accepted: 200 },
      requestLatency: summarizeMs(empty),
      recordLatency: summarizeMs(empty),
      requestHistogram: encodeHistogram(empty),
      recordHistogram: encodeHistogram(empty),
      perShard: [],
      behindMs: 0,
      clientLoad: { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0 },
    },
    lag: {
      ...bounds,
      counts: { ...emptyLagCounts(), received: lagMicros.length, reads: 10, readsThrottled: 2 },
      lag: summarizeMs(h),
      putToArrival: summarizeMs(empty),
      arrivalToReceive: summarizeMs(empty),
      behindLatest: summarizeMs(empty),
      lagHistogram: encodeHistogram(h),
      putToArrivalHistogram: encodeHistogram(empty),
      arrivalToReceiveHistogram: encodeHistogram(empty),
      behindLatestHistogram: encodeHistogram(empty),
      awaiting: 7,
    },
  };
}

test('lag intervals.csv: the put columns, then the consumer columns of the same interval, from one list', () => {
  const text =
    lagIntervalsCsvHeader() +
    lagIntervalsCsvRow(lagInterval(0, [100_000, 300_000]), T0) +
    lagIntervalsCsvRow(lagInterval(1, [50_000]), T0);
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.deepEqual(
    Object.keys(rows[0]!),
    [...INTERVAL_COLUMNS, ...LAG_COLUMNS].map((c) => c.name),
  );
  assert.equal(rows[0]!['records_accepted'], '200');
  assert.equal(rows[0]!['received_records_per_s'], '1', '2 records over 2 s');
  assert.equal(rows[0]!['reads_per_s'], '5');
  assert.equal(rows[0]!['reads_throttled'], '2');
  assert.equal(rows[0]!['lag_max_ms'], '300');
  assert.equal(rows[1]!['lag_p50_ms'], '50');
  assert.equal(rows[1]!['records_awaiting'], '7');
  assert.equal(rows[1]!['start_s'], '2');
});

function summary(records: { missing: number; duplicates: number }): LagSummaryJson {
  const latency = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const reads = {
    reads: 10,
    reads_per_s: 5,
    records: 100,
    records_per_read: 10,
    throttled: 1,
    errors: 0,
    iterators_renewed: 0,
    resubscriptions: 0,
  };
  return {
    schema_version: 1,
    kbench: { version: '0', node: 'v20' },
    command: 'lag',
    run_id: 'r',
    started_at: '',
    ended_at: '',
    interrupted: false,
    interrupt_reason: null,
    options: { rate: 100, concurrency: 100, batch: 1, record_size_bytes: 100, partition_keys: 'random' },
    target: {
      kind: 'embedded',
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      limits: 'none',
      quota: null,
      faults: null,
      emulator: { name: 'kinesalite', version: '3.3.3' },
    },
    stream: { name: 's', shards: 1, created: true, deleted: true },
    phases: { warmup_s: 0, measured_s: 2 },
    client: {
      workers: 1,
      consumer_workers: 1,
      peak_rss_mib: 1,
      cpu_user_s: 1,
      cpu_system_s: 0,
      event_loop_delay_p99_ms: 0,
      event_loop_utilization: 0,
      schedule_behind_max_ms: 0,
      client_bound: false,
      client_bound_reasons: [],
      client_bound_advice: null,
    },
    put: {
      records: {
        sent: 200,
        accepted: 200,
        throttled: 0,
        failed: 0,
        errors: 0,
        retried: 0,
        unfinished: 0,
        accepted_in_phase: 200,
      },
      requests: { sent: 200, throttled: 0, failed: 0 },
      records_per_s: 100,
      mib_per_s: 0.01,
      throttled_pct: 0,
      latency_ms: latency,
      record_latency_ms: latency,
      per_shard: {},
    },
    lag: {
      consumer: 'polling',
      consumers: 1,
      poll_interval_ms: 1000,
      latency_ms: latency,
      put_to_arrival_ms: latency,
      arrival_to_receive_ms: latency,
      millis_behind_latest_ms: latency,
      server_clock_figures: ['put_to_arrival_ms', 'arrival_to_receive_ms'],
      clock_disagreements: { arrival_before_send: 0, arrival_after_receive: 0 },
      records: {
        produced: 200,
        expected: 200,
        received: 200 - records.missing,
        duplicates: records.duplicates,
        missing: records.missing,
        unacknowledged: 0,
        foreign: 0,
        other_processes: 0,
      },
      complete: records.missing === 0,
      per_consumer: [],
      reads,
      per_shard: { 'shardId-000000000000': reads },
      drain_s: 5,
      consumers_deregistered: null,
      per_worker: [
        { shards: ['shardId-000000000000'], readers: 1, event_loop_delay_p99_ms: 0, event_loop_utilization: 0 },
      ],
    },
  };
}

test('the lag table shouts when records are missing, says which figures use the server clock, and names units', () => {
  const missing = formatLagTable(summary({ missing: 4, duplicates: 0 }));
  assert.match(missing, /WARNING\s+4 of 200 deliveries MISSING/);
  assert.match(missing, /lag \(ms\)\s+p50\s+p90\s+p99\s+p99\.9\s+max\s+count/);
  assert.match(missing, /\* compares the server's clock \(ApproximateArrivalTimestamp/);
  assert.match(missing, /GetRecords every 1000 ms per shard/);
  const complete = formatLagTable(summary({ missing: 0, duplicates: 3 }));
  assert.doesNotMatch(complete, /WARNING/);
  assert.match(complete, /every accepted record reached every consumer \(3 more than once\)/);
});

test('subscription clients: HTTP/2 only when asked (AWS), keep-alive HTTP/1.1 otherwise', () => {
  const settings = {
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 2,
  };
  const http2 = createKinesisClient({ ...settings, http2: true });
  const http1 = createKinesisClient(settings);
  try {
    assert.ok(http2.config.requestHandler instanceof NodeHttp2Handler);
    assert.ok(http1.config.requestHandler instanceof NodeHttpHandler);
  } finally {
    http2.destroy();
    http1.destroy();
  }
});

test('the efo line names the HTTP version the subscriptions used (lag.efo_http), or for older results the one AWS alone gets', () => {
  const base = summary({ missing: 0, duplicates: 0 });
  const efo = (efoHttp: '1.1' | '2' | undefined): LagSummaryJson => ({
    ...base,
    lag: {
      ...base.lag,
      consumer: 'efo',
      poll_interval_ms: null,
      consumers_deregistered: true,
      ...(efoHttp !== undefined && { efo_http: efoHttp }),
    },
  });
  assert.match(formatLagTable(efo('2')), /SubscribeToShard over HTTP\/2 ·/);
  assert.match(formatLagTable(efo('1.1')), /SubscribeToShard over HTTP\/1\.1 ·/);
  assert.match(
    formatLagTable(efo(undefined)),
    /SubscribeToShard over HTTP\/1\.1 ·/,
    'an older summary of a local endpoint',
  );
});
