/**
 * Merging several processes' results: histograms added (the merged p99 is the p99 of all
 * the values, not an average of p99s), counts and rates summed, intervals lined up by
 * timestamp.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HistogramLogReader } from 'hdr-histogram-js';
import {
  createLatencyHistogram,
  encodeHistogram,
  recordMicros,
  summarizeMs,
  type Histogram,
} from '../../src/measure/histogram.js';
import { measuredHlog, parseHlog } from '../../src/results/hlog.js';
import { INTERVAL_COLUMNS } from '../../src/results/intervals-csv.js';
import { INTERVAL_MERGE_RULES, mergeIntervalFiles } from '../../src/merge/merge-intervals.js';
import { mergeSummaries } from '../../src/merge/merge-summary.js';
import type { SummaryJson } from '../../src/results/summary.js';

const T0 = Date.parse('2026-11-28T06:00:00.000Z');

function histogramOf(values: readonly number[]): Histogram {
  const h = createLatencyHistogram();
  for (const v of values) recordMicros(h, v);
  return h;
}

function summary(
  run: string,
  accepted: number,
  seconds: number,
  latency: Histogram,
  options: Record<string, unknown> = {},
): SummaryJson {
  const latencyMs = summarizeMs(latency);
  return {
    schema_version: 1,
    kbench: { version: '0.1.0', node: 'v20' },
    command: 'put',
    run_id: run,
    started_at: '2026-11-28T06:00:00.000Z',
    ended_at: '2026-11-28T06:00:10.000Z',
    interrupted: false,
    interrupt_reason: null,
    options: { rate: accepted / seconds, concurrency: 10, interval_s: 1, batch: 1, out: 'x', ...options },
    target: {
      kind: 'aws',
      endpoint: 'https://kinesis.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      limits: 'aws',
      quota: null,
      faults: null,
      emulator: null,
    },
    stream: { name: 'bench', shards: 2, created: false, deleted: false },
    phases: { warmup_s: 1, measured_s: seconds },
    put: {
      records: {
        sent: accepted + 1,
        accepted,
        throttled: 5,
        failed: 1,
        errors: 0,
        retried: 5,
        unfinished: 0,
        accepted_in_phase: accepted,
      },
      requests: { sent: accepted, throttled: 0, failed: 0 },
      records_per_s: accepted / seconds,
      mib_per_s: 0.01,
      throttled_pct: 0,
      latency_ms: latencyMs,
      record_latency_ms: latencyMs,
      per_shard: {
        'shardId-0': { accepted: accepted / 2, records_per_s: accepted / seconds / 2, share_pct: 50 },
        'shardId-1': { accepted: accepted / 2, records_per_s: accepted / seconds / 2, share_pct: 50 },
      },
    },
    client: {
      workers: 1,
      consumer_workers: 0,
      peak_rss_mib: 100,
      cpu_user_s: 1,
      cpu_system_s: 0.5,
      event_loop_delay_p99_ms: 2,
      event_loop_utilization: 0.3,
      schedule_behind_max_ms: 0,
      client_bound: false,
      client_bound_reasons: [],
      client_bound_advice: null,
    },
  };
}

test('merged latency comes from the added histograms: count = sum, p99 = p99 of all the values, not an average of p99s', () => {
  // Host A: 10,000 fast answers (1-2 ms); host B: 1,000 slow ones (100 ms).
  const a = Array.from({ length: 10_000 }, (_, i) => 1000 + (i % 1000));
  const b = Array.from({ length: 1000 }, () => 100_000);
  const ha = histogramOf(a);
  const hb = histogramOf(b);
  const merged = createLatencyHistogram();
  merged.add(ha);
  merged.add(hb);
  const { summary: out } = mergeSummaries(
    [
      { dir: 'a', summary: summary('bench-1', 10_000, 10, ha) },
      { dir: 'b', summary: summary('bench-1', 1000, 10, hb) },
    ],
    new Map([
      ['put_request', merged],
      ['put_record', merged],
    ]),
    'merged',
  );
  assert.equal(out.put.latency_ms.count, 11_000, 'count = the sum');
  const all = [...a, ...b].sort((x, y) => x - y);
  const exactP99Ms = (all[Math.ceil(0.99 * all.length) - 1] ?? 0) / 1000;
  assert.ok(
    Math.abs(out.put.latency_ms.p99 - exactP99Ms) <= exactP99Ms / 1000,
    `merged p99 ${out.put.latency_ms.p99} = p99 of the combined data ${exactP99Ms} (HDR precision)`,
  );
  const averaged = (summarizeMs(ha).p99 + summarizeMs(hb).p99) / 2;
  assert.ok(Math.abs(out.put.latency_ms.p99 - averaged) > 40, `not the average of the two p99s (${averaged})`);
  assert.equal(out.put.latency_ms.max, 100);
});

test('merged counts and rates are sums; shares and throttled % are recomputed; the client block adds up', () => {
  const h = histogramOf([1000]);
  const { summary: out, notes } = mergeSummaries(
    [
      { dir: 'a', summary: summary('bench-1', 3000, 10, h) },
      { dir: 'b', summary: summary('bench-1', 1000, 10, h, { batch: 10 }) },
    ],
    new Map([
      ['put_request', h],
      ['put_record', h],
    ]),
    'merged',
  );
  assert.equal(out.put.records.accepted, 4000);
  assert.equal(out.put.records.sent, 4002);
  assert.equal(out.put.records_per_s, 400);
  assert.equal(out.put.throttled_pct, Math.round((10 / (4002 + 10)) * 100 * 100) / 100);
  assert.deepEqual(out.put.per_shard['shardId-0'], { accepted: 2000, records_per_s: 200, share_pct: 50 });
  assert.equal(out.options['rate'], 400);
  assert.equal(out.options['concurrency'], 20);
  assert.equal(out.options['out'], 'merged');
  assert.equal(out.client.workers, 2);
  assert.equal(out.client.cpu_user_s, 2);
  assert.equal(out.schema_version, 1);
  assert.ok(
    notes.some((n) => /option batch differs between the processes \(1, 10\)/.test(n)),
    notes.join('\n'),
  );
});

test('merge refuses different run ids, different intervals, and other commands', () => {
  const h = histogramOf([1000]);
  const histograms = new Map([
    ['put_request', h],
    ['put_record', h],
  ]);
  assert.throws(
    () =>
      mergeSummaries(
        [
          { dir: 'a', summary: summary('r1', 1, 1, h) },
          { dir: 'b', summary: summary('r2', 1, 1, h) },
        ],
        histograms,
        'm',
      ),
    /different runs \(r1, r2\)/,
  );
  assert.throws(
    () =>
      mergeSummaries(
        [
          { dir: 'a', summary: summary('r1', 1, 1, h) },
          { dir: 'b', summary: summary('r1', 1, 1, h, { interval_s: 2 }) },
        ],
        histograms,
        'm',
      ),
    /different --interval/,
  );
  assert.throws(() => mergeSummaries([{ dir: 'a', summary: summary('r1', 1, 1, h) }], histograms, 'm'), /at least two/);
  const other = { ...summary('r1', 1, 1, h), command: 'compare' };
  assert.throws(
    () =>
      mergeSummaries(
        [
          { dir: 'a', summary: other },
          { dir: 'b', summary: other },
        ],
        histograms,
        'm',
      ),
    /a: merging compare results is not supported/,
  );
});

test('every intervals.csv column has a merge rule', () => {
  for (const column of INTERVAL_COLUMNS) assert.ok(INTERVAL_MERGE_RULES[column.name], `${column.name} has a rule`);
});

function row(startMs: number, phase: string, accepted: number, durationS = 1): Record<string, string> {
  const values: Record<string, string> = Object.fromEntries(INTERVAL_COLUMNS.map((c) => [c.name, '0']));
  return {
    ...values,
    phase,
    start_utc: new Date(startMs).toISOString(),
    duration_s: String(durationS),
    records_sent: String(accepted),
    records_accepted: String(accepted),
    accepted_records_per_s: String(accepted / durationS),
    schedule_behind_ms: String(accepted / 100),
  };
}

test('intervals of several processes are lined up by timestamp: counts and rates summed, percentiles from added histograms', () => {
  const fast = encodeHistogram(histogramOf(Array.from({ length: 99 }, () => 1000)));
  const slow = encodeHistogram(histogramOf([500_000]));
  const merged = mergeIntervalFiles(
    [
      {
        rows: [row(T0, 'warmup', 100), row(T0 + 1000, 'measure', 200)],
        histograms: { put_request: [fast, fast], put_record: [fast, fast] },
      },
      // Started 30 ms later, on its own clock: same grid intervals.
      {
        rows: [row(T0 + 30, 'measure', 10), row(T0 + 1030, 'measure', 20)],
        histograms: { put_request: [slow, slow], put_record: [slow, slow] },
      },
    ],
    1000,
    'put',
  );
  assert.equal(merged.startMicros, T0 * 1000);
  assert.equal(merged.intervals.length, 2);
  const cell = (i: number, name: string) =>
    merged.intervals[i]?.cells[INTERVAL_COLUMNS.findIndex((c) => c.name === name)];
  assert.equal(cell(0, 'records_accepted'), 110);
  assert.equal(cell(1, 'accepted_records_per_s'), 220);
  assert.equal(cell(0, 'phase'), 'mixed', 'one process was still warming up');
  assert.equal(cell(1, 'phase'), 'measure');
  assert.equal(cell(1, 'schedule_behind_ms'), 2, 'the worst process');
  assert.equal(cell(1, 'interval'), 1);
  assert.equal(cell(1, 'latency_p50_ms'), 1);
  assert.ok(
    Math.abs(Number(cell(1, 'latency_max_ms')) - 500) <= 0.5,
    "the slow process's answer is in the merged interval (to HDR precision)",
  );
  assert.equal(merged.intervals[1]?.histograms.get('put_request')?.totalCount, 100);
});

test('measured-histograms.hlog: one histogram per name (the first untagged, named in the header), readable by a standard HdrHistogram log reader', () => {
  const request = histogramOf([1000, 2000, 3000]);
  const record = histogramOf([5000]);
  const start = T0 * 1000;
  const text = measuredHlog('test', start, start + 1_000_000, start + 11_000_000, [
    ['put_request', request],
    ['put_record', record],
  ]);
  const entries = parseHlog(text);
  assert.deepEqual(
    entries.map((e) => [e.tag, e.startMicros, e.endMicros]),
    [
      ['put_request', start + 1_000_000, start + 11_000_000],
      ['put_record', start + 1_000_000, start + 11_000_000],
    ],
  );
  const reader = new HistogramLogReader(text);
  const first = reader.nextIntervalHistogram();
  const second = reader.nextIntervalHistogram();
  assert.equal(first?.tag, 'NO TAG'); // untagged, so HistogramLogProcessor reads it without -tag
  assert.equal(first?.totalCount, 3);
  assert.equal(second?.tag, 'put_record');
  assert.equal(second?.totalCount, 1);
});
