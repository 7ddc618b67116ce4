/**
 * Merging several kbench lag processes' results, on hand-made inputs: lag histograms
 * added (never percentiles averaged), record and read counts summed, rates summed the
 * way put rates are, the rest recomputed; mixed or incompatible inputs refused; a
 * process's consumers account only for its own producers' records.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { _Record } from '@aws-sdk/client-kinesis';
import { DeliveryLedger } from '../../src/measure/delivery-ledger.js';
import {
  createLatencyHistogram,
  encodeHistogram,
  recordMicros,
  summarizeMs,
  type Histogram,
} from '../../src/measure/histogram.js';
import { LagRecorder } from '../../src/measure/lag-recorder.js';
import { LAG_COLUMNS } from '../../src/results/intervals-csv.js';
import { LAG_INTERVAL_MERGE_RULES, mergeIntervalFiles } from '../../src/merge/merge-intervals.js';
import { layoutSpec } from '../../src/blocks/run-layout.js';
import type { LagBlock, ReadFigures } from '../../src/blocks/lag.js';
import type { MergeSource } from '../../src/merge/merge-source.js';
import { mergeSummaries } from '../../src/merge/merge-summary.js';
import type { LagSummaryJson, SummaryJson } from '../../src/results/summary.js';
import { consumerNames } from '../../src/workload/efo-consumers.js';
import { RecordIntake } from '../../src/workload/record-intake.js';
import { HEADER_BYTES } from '../../src/config/record-header-size.js';
import { runTag, writeHeaderPrefix, writeHeaderStamp } from '../../src/workload/record-header.js';

const T0 = Date.parse('2026-11-28T06:00:00.000Z');

function histogramOf(values: readonly number[]): Histogram {
  const h = createLatencyHistogram();
  for (const v of values) recordMicros(h, v);
  return h;
}

const reads = (n: number, records: number, perS: number): ReadFigures => ({
  reads: n,
  reads_per_s: perS,
  records,
  records_per_read: n > 0 ? records / n : 0,
  throttled: 1,
  errors: 2,
  iterators_renewed: 3,
  resubscriptions: 0,
});

interface Shape {
  readonly produced: number;
  readonly consumers: number;
  readonly missing?: number;
  readonly base?: number;
  readonly workers?: number;
  readonly stream?: string;
  readonly consumer?: 'polling' | 'efo';
  readonly poll?: number;
  readonly drain?: number;
  readonly lag?: Histogram;
}

function lagSummary(shape: Shape): LagSummaryJson {
  const latency = summarizeMs(shape.lag ?? histogramOf([100_000]));
  const missing = shape.missing ?? 0;
  const expected = shape.produced * shape.consumers;
  const consumer = shape.consumer ?? 'polling';
  const lag: LagBlock = {
    consumer,
    consumers: shape.consumers,
    poll_interval_ms: consumer === 'polling' ? (shape.poll ?? 200) : null,
    latency_ms: latency,
    put_to_arrival_ms: latency,
    arrival_to_receive_ms: latency,
    millis_behind_latest_ms: latency,
    server_clock_figures: ['put_to_arrival_ms', 'arrival_to_receive_ms'],
    clock_disagreements: { arrival_before_send: 1, arrival_after_receive: 2 },
    records: {
      produced: shape.produced,
      expected,
      received: expected - missing,
      duplicates: 1,
      missing,
      unacknowledged: 1,
      foreign: 4,
      other_processes: 10,
    },
    complete: missing === 0,
    per_consumer: Array.from({ length: shape.consumers }, (_, i) => ({
      received: shape.produced - (i === 0 ? missing : 0),
      duplicates: 0,
      missing: i === 0 ? missing : 0,
      unacknowledged: 0,
    })),
    reads: reads(20, 200, 10),
    per_shard: { 'shardId-0': reads(10, 100, 5), 'shardId-1': reads(10, 100, 5) },
    drain_s: shape.drain ?? 0.5,
    consumers_deregistered: consumer === 'efo' ? true : null,
    per_worker: [
      {
        shards: ['shardId-0', 'shardId-1'],
        readers: 2 * shape.consumers,
        event_loop_delay_p99_ms: 1,
        event_loop_utilization: 0.1,
      },
    ],
  };
  const put = summarizeMs(histogramOf([5000]));
  const summary: LagSummaryJson = {
    schema_version: 1,
    kbench: { version: '0.1.0', node: 'v20' },
    command: 'lag',
    run_id: 'bench-7',
    started_at: '2026-11-28T06:00:00.000Z',
    ended_at: '2026-11-28T06:00:10.000Z',
    interrupted: false,
    interrupt_reason: null,
    options: {
      rate: shape.produced / 10,
      concurrency: 10,
      interval_s: 1,
      batch: 1,
      out: 'x',
      consumer,
      consumers_per_shard: shape.consumers,
      producer_id_base: shape.base ?? 0,
    },
    target: {
      kind: 'aws',
      endpoint: 'https://kinesis.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      limits: 'aws',
      quota: null,
      faults: null,
      emulator: null,
    },
    stream: { name: shape.stream ?? 'bench', shards: 2, created: false, deleted: false },
    phases: { warmup_s: 1, measured_s: 10 },
    put: {
      records: {
        sent: shape.produced,
        accepted: shape.produced,
        throttled: 0,
        failed: 0,
        errors: 0,
        retried: 0,
        unfinished: 0,
        accepted_in_phase: shape.produced,
      },
      requests: { sent: shape.produced, throttled: 0, failed: 0 },
      records_per_s: shape.produced / 10,
      mib_per_s: 0.01,
      throttled_pct: 0,
      latency_ms: put,
      record_latency_ms: put,
      per_shard: {},
    },
    client: {
      workers: shape.workers ?? 1,
      consumer_workers: 1,
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
    lag,
  };
  return summary;
}

function histograms(lag: Histogram): Map<string, Histogram> {
  const put = histogramOf([5000]);
  return new Map([
    ['put_request', put],
    ['put_record', put],
    ['lag', lag],
    ['put_to_arrival', lag],
    ['arrival_to_receive', lag],
    ['millis_behind_latest', lag],
  ]);
}

const sources = (...summaries: SummaryJson[]): MergeSource[] =>
  summaries.map((summary, i) => ({ dir: `host-${i}`, summary }));

test('merged lag: counts summed, reads summed and rates added like put rates, lag from the added histograms', () => {
  // Host A: 1,000 records at 100 ms lag; host B: 100 records at 900 ms.
  const ha = histogramOf(Array.from({ length: 1000 }, () => 100_000));
  const hb = histogramOf(Array.from({ length: 100 }, () => 900_000));
  const combined = createLatencyHistogram();
  combined.add(ha);
  combined.add(hb);
  const a = lagSummary({ produced: 1000, consumers: 2, missing: 3, lag: ha });
  const b = lagSummary({ produced: 100, consumers: 1, base: 10, workers: 2, drain: 2.5, lag: hb });
  const { summary, notes } = mergeSummaries(sources(a, b), histograms(combined), 'merged');
  const { lag } = summary as LagSummaryJson;

  assert.equal(summary.command, 'lag');
  assert.deepEqual(lag.records, {
    produced: 1100,
    expected: 2100,
    received: 2097,
    duplicates: 2,
    missing: 3,
    unacknowledged: 2,
    foreign: 8,
    other_processes: 20,
  });
  assert.equal(lag.records.expected, 1000 * 2 + 100 * 1, "each process's produced x its own consumers");
  assert.equal(lag.complete, false);
  assert.equal(lag.consumers, 3);
  assert.equal(lag.per_consumer.length, 3, 'one entry per consumer application of each process');
  assert.equal(lag.per_consumer[0]?.missing, 3);
  assert.deepEqual(lag.clock_disagreements, { arrival_before_send: 2, arrival_after_receive: 4 });
  assert.deepEqual(lag.reads, {
    reads: 40,
    reads_per_s: 20,
    records: 400,
    records_per_read: 10,
    throttled: 2,
    errors: 4,
    iterators_renewed: 6,
    resubscriptions: 0,
  });
  assert.deepEqual(lag.per_shard['shardId-1'], {
    reads: 20,
    reads_per_s: 10,
    records: 200,
    records_per_read: 10,
    throttled: 2,
    errors: 4,
    iterators_renewed: 6,
    resubscriptions: 0,
  });
  assert.equal(lag.drain_s, 2.5, 'the longest drain');
  assert.equal(lag.consumers_deregistered, null, 'polling registers nothing');
  assert.equal(lag.poll_interval_ms, 200);

  // Lag: the count is the sum, and the p99 is that of all the values (900 ms), not the
  // average of the two p99s (500 ms).
  assert.equal(lag.latency_ms.count, 1100);
  assert.ok(Math.abs(lag.latency_ms.p99 - 900) <= 1, `p99 ${lag.latency_ms.p99}`);
  assert.deepEqual(lag.latency_ms, summarizeMs(combined));

  assert.equal(summary.options['consumers_per_shard'], 3, 'consumer applications reading the stream, in total');
  assert.equal(summary.options['producer_id_base'], null, 'each process had its own');
  assert.equal(summary.put.records.accepted, 1100);
  assert.ok(!notes.some((n) => /producer_id_base|consumers_per_shard/.test(n)), notes.join('\n'));
});

test('merged efo lag: consumers deregistered only if every process deregistered its own', () => {
  const h = histogramOf([1000]);
  const a = lagSummary({ produced: 10, consumers: 1, consumer: 'efo' });
  const b = lagSummary({ produced: 10, consumers: 1, consumer: 'efo', base: 1 });
  const failed: LagSummaryJson = { ...b, lag: { ...b.lag, consumers_deregistered: false } };
  assert.equal(
    (mergeSummaries(sources(a, b), histograms(h), 'm').summary as LagSummaryJson).lag.consumers_deregistered,
    true,
  );
  assert.equal(
    (mergeSummaries(sources(a, failed), histograms(h), 'm').summary as LagSummaryJson).lag.consumers_deregistered,
    false,
  );
  assert.equal(
    (mergeSummaries(sources(a, b), histograms(h), 'm').summary as LagSummaryJson).lag.poll_interval_ms,
    null,
  );
});

test('merge refuses put mixed with lag, different consumers or poll intervals, and shared producer ids on one stream', () => {
  const h = histograms(histogramOf([1000]));
  const lag = lagSummary({ produced: 10, consumers: 1 });
  const put: SummaryJson = { ...lagSummary({ produced: 10, consumers: 1, base: 5 }), command: 'put' };
  assert.throws(
    () => mergeSummaries(sources(lag, put), h, 'm'),
    (error: Error) =>
      error.message ===
      'cannot merge lag and put results together (host-0: lag, host-1: put): merge the folders of one command',
  );
  assert.throws(
    () => mergeSummaries(sources(lag, lagSummary({ produced: 10, consumers: 1, base: 5, consumer: 'efo' })), h, 'm'),
    /different --consumer \(polling, efo\)/,
  );
  assert.throws(
    () => mergeSummaries(sources(lag, lagSummary({ produced: 10, consumers: 1, base: 5, poll: 1000 })), h, 'm'),
    /different --poll-interval \(200, 1000 ms\)/,
  );
  // Base 0 with 3 workers stamps 0-2: a second process from 2 collides on id 2.
  const three = lagSummary({ produced: 10, consumers: 1, workers: 3 });
  assert.throws(
    () => mergeSummaries(sources(three, lagSummary({ produced: 10, consumers: 1, base: 2 })), h, 'm'),
    /^UsageError: host-0 and host-1 share producer ids \(2-2\) on stream bench: .*--producer-id-base/,
  );
  assert.doesNotThrow(() =>
    mergeSummaries(sources(three, lagSummary({ produced: 10, consumers: 1, base: 3 })), h, 'm'),
  );
  // On different streams the same ids never meet.
  assert.doesNotThrow(() =>
    mergeSummaries(sources(lag, lagSummary({ produced: 10, consumers: 1, stream: 'other' })), h, 'm'),
  );
  // Put runs never read: their producer ids may overlap.
  assert.doesNotThrow(() => mergeSummaries(sources({ ...lag, command: 'put' }, { ...lag, command: 'put' }), h, 'm'));
});

test('every lag intervals.csv column has a merge rule', () => {
  for (const column of LAG_COLUMNS) assert.ok(LAG_INTERVAL_MERGE_RULES[column.name], `${column.name} has a rule`);
  assert.deepEqual(
    layoutSpec('lag').columns.slice(-LAG_COLUMNS.length),
    LAG_COLUMNS.map((c) => c.name),
  );
});

function lagRow(startMs: number, received: number, behindMs: number, awaiting: number): Record<string, string> {
  const values: Record<string, string> = Object.fromEntries(layoutSpec('lag').columns.map((c) => [c, '0']));
  return {
    ...values,
    phase: 'measure',
    start_utc: new Date(startMs).toISOString(),
    duration_s: '1',
    records_received: String(received),
    received_records_per_s: String(received),
    reads: '5',
    millis_behind_latest_max_ms: String(behindMs),
    records_awaiting: String(awaiting),
  };
}

test('lag intervals of several processes: counts summed, lag percentiles from the added histograms, maxima as max', () => {
  const empty = encodeHistogram(createLatencyHistogram());
  const fast = encodeHistogram(histogramOf(Array.from({ length: 99 }, () => 50_000)));
  const slow = encodeHistogram(histogramOf([800_000, 800_000]));
  const logs = (lag: string) => ({
    put_request: [empty],
    put_record: [empty],
    lag: [lag],
    put_to_arrival: [empty],
    arrival_to_receive: [empty],
    millis_behind_latest: [empty],
  });
  const merged = mergeIntervalFiles(
    [
      { rows: [lagRow(T0, 99, 20, 4)], histograms: logs(fast) },
      { rows: [lagRow(T0 + 40, 2, 300, 1)], histograms: logs(slow) },
    ],
    1000,
    'lag',
  );
  assert.equal(merged.intervals.length, 1);
  const cell = (name: string) => merged.intervals[0]?.cells[merged.columns.indexOf(name)];
  assert.equal(cell('records_received'), 101);
  assert.equal(cell('received_records_per_s'), 101);
  assert.equal(cell('reads'), 10);
  assert.ok(Math.abs(Number(cell('lag_p50_ms')) - 50) <= 0.05, `p50 ${cell('lag_p50_ms')} (HDR precision)`);
  assert.ok(
    Math.abs(Number(cell('lag_p99_ms')) - 800) <= 1,
    `p99 of the combined data, not an average: ${cell('lag_p99_ms')}`,
  );
  assert.equal(cell('millis_behind_latest_max_ms'), 300, 'the highest of the processes');
  assert.equal(cell('records_awaiting'), 5, 'deliveries still due, all processes together');
  assert.equal(merged.intervals[0]?.histograms.get('lag')?.totalCount, 101);
});

function record(runId: string, producerId: number, sequence: number, sendMicros: number): _Record {
  const data = Buffer.alloc(HEADER_BYTES);
  writeHeaderPrefix(data, runTag(runId), producerId);
  writeHeaderStamp(data, sequence, sendMicros);
  return {
    Data: data,
    ApproximateArrivalTimestamp: new Date(sendMicros / 1000),
    SequenceNumber: String(sequence),
    PartitionKey: 'k',
  };
}

test("a process accounts only for its own producers' records; the run's others are counted apart, never timed", () => {
  const ledger = new DeliveryLedger(1);
  const recorder = new LagRecorder();
  recorder.measure(0, Number.MAX_SAFE_INTEGER);
  // This process stamps producer ids 10 and 11; another process of the run stamps 0.
  const intake = new RecordIntake(runTag('bench-7').toString('hex'), { first: 10, count: 2 }, ledger, recorder);
  ledger.accepted(10, 0);
  ledger.accepted(11, 0);
  const t = 1_800_000_000_000_000;
  intake.take(0, t + 100_000, [
    record('bench-7', 10, 0, t),
    record('bench-7', 11, 0, t),
    record('bench-7', 0, 0, t - 5_000_000),
    record('other-run', 10, 1, t),
  ]);
  assert.equal(intake.otherProcessesTotal, 1);
  assert.equal(intake.foreignTotal, 1);
  assert.equal(recorder.run.counts.otherProcesses, 1);
  assert.equal(recorder.run.lag.totalCount, 2, "the other process's record is not timed against this clock");
  assert.equal(recorder.run.lag.maxValue < 200_000, true);
  const result = ledger.result();
  assert.deepEqual([result.produced, result.received, result.missing, result.unacknowledged], [2, 2, 0, 0]);
});

test('enhanced fan-out consumer names: distinct per producer-id base, unchanged for base 0', () => {
  assert.deepEqual(consumerNames('bench-7', 0, 2), ['kbench-bench-7-0', 'kbench-bench-7-1']);
  assert.deepEqual(consumerNames('bench-7', 1000, 1), ['kbench-bench-7-p1000-0']);
});
