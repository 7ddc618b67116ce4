/** Thresholds, regression limits, medians of repetitions and comparisons, on hand-made summaries. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareResults, verdictOf } from '../../src/gate/compare.js';
import { findMetric, METRICS } from '../../src/gate/metrics.js';
import { spreadOf } from '../../src/gate/repetitions.js';
import type { ResultSet } from '../../src/gate/result-set.js';
import { evaluateThresholds, holds, parseThreshold } from '../../src/gate/thresholds.js';
import { combineLimits, parseRegressionLimit, toleranceFor } from '../../src/gate/tolerance.js';
import { gateFailures, gatePassed } from '../../src/gate/verdict.js';

/** The parts of a put summary.json the gate reads. */
function putSummary(
  recordsPerS: number,
  p99: number,
  extra: { throttled?: number; failed?: number; options?: Record<string, unknown> } = {},
) {
  return {
    schema_version: 1,
    command: 'put',
    options: { shards: 1, batch: 1, ...extra.options },
    interrupted: false,
    put: {
      records: { accepted: recordsPerS * 10, failed: extra.failed ?? 0, errors: 0 },
      records_per_s: recordsPerS,
      mib_per_s: recordsPerS / 10_000,
      throttled_pct: extra.throttled ?? 0,
      latency_ms: { p50: p99 / 2, p90: p99 * 0.9, p99, p999: p99, max: p99 },
      record_latency_ms: { p50: p99 / 2, p90: p99 * 0.9, p99, p999: p99, max: p99 },
      per_shard: { a: { share_pct: 60 }, b: { share_pct: 40 } },
    },
    client: { client_bound: false },
  };
}

const one = (source: string, ...summaries: unknown[]): ResultSet => ({
  source,
  cases: [{ key: '', label: source, summaries }],
});

test('every metric has a unit, a direction, and a unique name and cases.csv column', () => {
  const names = METRICS.map((m) => m.name);
  assert.equal(new Set(names).size, names.length);
  const columns = METRICS.flatMap((m) => (m.column ? [m.column] : []));
  assert.equal(new Set(columns).size, columns.length);
  for (const column of columns) assert.match(column, /_(per_s|pct|ms|records)$/, `unit in ${column}`);
  for (const name of [
    'lag.p50_ms',
    'lag.p90_ms',
    'lag.p99_ms',
    'lag.p999_ms',
    'lag.max_ms',
    'lag.produced',
    'lag.received',
    'lag.duplicates',
    'lag.missing',
  ]) {
    assert.ok(findMetric(name), name);
  }
  assert.equal(findMetric('lag.latency_ms.p99')?.name, 'lag.p99_ms', 'found by summary.json path too');
  assert.equal(findMetric('put.hottest_shard_pct')?.read(putSummary(1, 1)), 60);
});

test("the threshold grammar: metric, optional selector, operator, number in the metric's unit", () => {
  const t = parseThreshold('put.records_per_s >= 2500');
  assert.equal(t.metric.name, 'put.records_per_s');
  assert.equal(t.op, '>=');
  assert.equal(t.limit, 2500);
  assert.deepEqual(parseThreshold('lag.p99_ms<1500').selector, []);
  assert.equal(parseThreshold('put.throttled_pct < 5%').limit, 5);
  assert.deepEqual(parseThreshold('put.p99_ms{shards=3, batch=500} <= 12.5').selector, [
    ['shards', '3'],
    ['batch', '500'],
  ]);
  assert.equal(parseThreshold('put.latency_ms.p99 < 3').metric.name, 'put.p99_ms');
  assert.throws(() => parseThreshold('put.records_per_s => 5'), /is not a threshold/);
  assert.throws(() => parseThreshold('put.records_per_s >= fast'), /is not a threshold/);
  assert.throws(() => parseThreshold('put.p99_ms{shards} < 5'), /field=value/);
  assert.ok(holds(5, '<', 6) && !holds(6, '<', 6) && holds(6, '<=', 6) && holds(0, '==', 0) && holds(1, '!=', 0));
});

test('thresholds judge the median of the repetitions; lag thresholds are n/a for a put case; a failed case is "not run"', () => {
  const results = evaluateThresholds(
    [
      {
        label: 'fast',
        summaries: [putSummary(3000, 10), putSummary(2000, 50), putSummary(2600, 12)],
        selects: () => true,
      },
      { label: 'broken', summaries: [], selects: () => true },
    ],
    [
      parseThreshold('put.records_per_s >= 2500'),
      parseThreshold('put.p99_ms < 20'),
      parseThreshold('lag.p99_ms < 1500'),
    ],
  );
  const status = results.map((r) => `${r.case} ${r.threshold.text}: ${r.status}`);
  assert.deepEqual(status, [
    'fast put.records_per_s >= 2500: pass',
    'fast put.p99_ms < 20: pass',
    'fast lag.p99_ms < 1500: n/a',
    'broken put.records_per_s >= 2500: not run',
    'broken put.p99_ms < 20: not run',
    'broken lag.p99_ms < 1500: not run',
  ]);
  assert.deepEqual(results[0]?.value, { median: 2600, min: 2000, max: 3000, n: 3 });
  assert.ok(gatePassed({ thresholds: results, comparison: undefined }));
  const failing = evaluateThresholds(
    [{ label: 'slow', summaries: [putSummary(2000, 10)], selects: () => true }],
    [parseThreshold('put.records_per_s >= 2500')],
  );
  assert.equal(failing[0]?.status, 'fail');
  assert.deepEqual(
    gateFailures({ thresholds: failing, comparison: undefined }, (v, u) => `${v} ${u}`),
    ['slow: threshold "put.records_per_s >= 2500" failed (2000 records/s)'],
  );
});

test('a median is a measured value: with an even count, the worse of the two middle ones', () => {
  assert.equal(spreadOf([1, 2, 3], 'higher')?.median, 2);
  assert.equal(spreadOf([4, 1, 3, 2], 'higher')?.median, 2, 'higher is better: the lower middle');
  assert.equal(spreadOf([4, 1, 3, 2], 'lower')?.median, 3, 'lower is better: the higher middle');
  assert.equal(spreadOf([], 'lower'), undefined);
});

test('regression limits: global %, per metric %, an absolute amount, off', () => {
  assert.deepEqual(parseRegressionLimit('10%'), { metric: undefined, tolerance: { kind: 'relative', pct: 10 } });
  assert.equal(parseRegressionLimit('put.p99_ms=20%').metric?.name, 'put.p99_ms');
  assert.deepEqual(parseRegressionLimit('put.throttled_pct=1').tolerance, { kind: 'absolute', amount: 1 });
  assert.throws(() => parseRegressionLimit('10'), /not a tolerance \(use a percentage like 10%/);
  assert.throws(() => parseRegressionLimit('put.nope=10%'), /unknown metric put\.nope/);
  assert.throws(() => parseRegressionLimit('put.accepted=10%'), /neither better higher nor lower/);
  const limits = combineLimits(['10%', 'put.p99_ms=30%', 'put.p90_ms=off', 'put.p999_ms=50%']);
  const metric = (name: string) => findMetric(name)!;
  assert.deepEqual(toleranceFor(limits, metric('put.records_per_s')), { kind: 'relative', pct: 10 });
  assert.deepEqual(toleranceFor(limits, metric('put.p99_ms')), { kind: 'relative', pct: 30 });
  assert.equal(toleranceFor(limits, metric('put.p90_ms')), undefined, 'off');
  assert.equal(toleranceFor(limits, metric('put.max_ms')), undefined, 'not gated by a global limit');
  assert.deepEqual(toleranceFor(limits, metric('put.p999_ms')), { kind: 'relative', pct: 50 }, 'gated when named');
});

test("verdicts follow each metric's direction and its tolerance", () => {
  const rate = findMetric('put.records_per_s')!;
  const p99 = findMetric('put.p99_ms')!;
  const pct = { kind: 'relative', pct: 10 } as const;
  assert.equal(verdictOf(rate, 1000, 1100, pct), 'better');
  assert.equal(verdictOf(rate, 1000, 950, pct), 'worse');
  assert.equal(verdictOf(rate, 1000, 850, pct), 'regression');
  assert.equal(verdictOf(p99, 10, 10.5, pct), 'worse');
  assert.equal(verdictOf(p99, 10, 12, pct), 'regression');
  assert.equal(verdictOf(p99, 10, 12, undefined), 'worse', 'no tolerance: informs only');
  const throttled = findMetric('put.throttled_pct')!;
  assert.equal(verdictOf(throttled, 0, 0.5, pct), 'regression', 'from 0, any rise exceeds a % limit');
  assert.equal(verdictOf(throttled, 0, 0.5, { kind: 'absolute', amount: 1 }), 'worse');
  assert.equal(verdictOf(findMetric('put.accepted')!, 1, 2, pct), 'info');
});

test('compare on hand-made summaries: a regression beyond the limit fails the gate, within it passes', () => {
  const baseline = one('base', putSummary(2500, 10));
  const slower = one('slow', putSummary(2000, 10));
  const regressed = compareResults(baseline, slower, combineLimits(['10%']));
  assert.equal(regressed.passed, false);
  const row = regressed.rows.find((r) => r.metric.name === 'put.records_per_s');
  assert.equal(row?.verdict, 'regression');
  assert.equal(row?.changePct, -20);
  assert.match(
    gateFailures({ thresholds: [], comparison: regressed }, String).join('\n'),
    /put\.records_per_s regressed \(-20\.0 %\)/,
  );

  const within = compareResults(baseline, one('ok', putSummary(2400, 10.5)), combineLimits(['10%']));
  assert.equal(within.passed, true);
  assert.ok(within.rows.every((r) => r.verdict !== 'regression'));
  const noLimits = compareResults(baseline, slower, combineLimits([]));
  assert.equal(noLimits.gated, false);
  assert.equal(noLimits.passed, true, 'without limits compare only informs');
});

test('compare uses medians of repetitions, so one slow repetition does not fail the gate', () => {
  const baseline = one('base', putSummary(2500, 10), putSummary(2510, 10), putSummary(2490, 10));
  const current = one('cur', putSummary(2480, 10), putSummary(1200, 10), putSummary(2505, 10));
  const comparison = compareResults(baseline, current, combineLimits(['10%']));
  assert.equal(comparison.passed, true);
  const row = comparison.rows.find((r) => r.metric.name === 'put.records_per_s');
  assert.deepEqual(row?.current, { median: 2480, min: 1200, max: 2505, n: 3 });
});

test('compare matches the cases of two runs by key; a case missing from the current run fails a gated compare', () => {
  const base: ResultSet = {
    source: 'base',
    cases: [
      { key: 'batch=1', label: 'batch=1', summaries: [putSummary(2000, 10)] },
      { key: 'batch=500', label: 'batch=500', summaries: [putSummary(20000, 30)] },
    ],
  };
  const current: ResultSet = {
    source: 'cur',
    cases: [
      { key: 'batch=500', label: 'batch=500', summaries: [putSummary(20000, 30)] },
      { key: 'batch=10', label: 'batch=10', summaries: [putSummary(9000, 20)] },
    ],
  };
  const comparison = compareResults(base, current, combineLimits(['10%']));
  assert.deepEqual(comparison.missingCases, ['batch=1']);
  assert.deepEqual(comparison.newCases, ['batch=10']);
  assert.ok(comparison.rows.every((r) => r.case === 'batch=500' && r.verdict === 'same'));
  assert.equal(comparison.passed, false);
});

test('compare notes options that differ and client-bound runs', () => {
  const bound = { ...putSummary(2000, 10, { options: { shards: 3 } }), client: { client_bound: true } };
  const comparison = compareResults(one('base', putSummary(2000, 10)), one('cur', bound), combineLimits([]));
  assert.ok(
    comparison.notes.some((n) => /option shards differs: baseline 1, current 3/.test(n)),
    comparison.notes.join('\n'),
  );
  assert.ok(comparison.notes.some((n) => /client-bound/.test(n)));
});

test('a gate that compared nothing fails: a baseline without its put block, a non-numeric p99', () => {
  const limits = combineLimits(['10%']);
  const noPut = { ...putSummary(100, 10), put: undefined };
  const comparison = compareResults(one('base', noPut), one('now', putSummary(100, 10)), limits);
  assert.equal(comparison.compared, 0);
  assert.equal(comparison.passed, false);
  assert.equal(gatePassed({ thresholds: [], comparison }), false);
  assert.match(gateFailures({ thresholds: [], comparison }, String).join('\n'), /no metric could be compared/);

  const textP99 = putSummary(100, 10) as { put: { latency_ms: Record<string, unknown> } };
  textP99.put.latency_ms['p99'] = 'fast';
  const onlyP99 = combineLimits(['put.p99_ms=10%']);
  const p99 = compareResults(one('base', textP99), one('now', putSummary(100, 10)), onlyP99);
  assert.equal(p99.compared, 0);
  assert.equal(p99.passed, false);

  const fine = compareResults(one('base', putSummary(100, 10)), one('now', putSummary(100, 10)), limits);
  assert.ok(fine.compared > 0 && fine.passed);
});

test('thresholds that checked nothing, or an interrupted run, never pass the gate', () => {
  const threshold = parseThreshold('lag.p99_ms < 100');
  const results = evaluateThresholds(
    [{ label: 'put case', summaries: [putSummary(100, 10)], selects: () => true }],
    [threshold],
  );
  assert.equal(results[0]?.status, 'n/a');
  assert.equal(gatePassed({ thresholds: results, comparison: undefined }), false);
  assert.match(
    gateFailures({ thresholds: results, comparison: undefined }, String).join('\n'),
    /no threshold could be checked/,
  );

  const passing = evaluateThresholds(
    [{ label: 'put case', summaries: [putSummary(100, 10)], selects: () => true }],
    [parseThreshold('put.records_per_s >= 50')],
  );
  assert.equal(gatePassed({ thresholds: passing, comparison: undefined }), true);
  assert.equal(
    gatePassed({ thresholds: passing, comparison: undefined, incomplete: 'the run was interrupted' }),
    false,
  );
  assert.match(
    gateFailures({ thresholds: passing, comparison: undefined, incomplete: 'the run was interrupted' }, String)[0] ??
      '',
    /interrupted/,
  );
});
