/**
 * kbench merge through the real CLI: two real put processes of one run (the same
 * --run-id) against the embedded target, merged. The merged count is the sum, and the
 * merged p99 is the p99 of the two runs' values together, checked with the HdrHistogram
 * library's own log reader rather than kbench's merge code.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import * as hdr from 'hdr-histogram-js';
import { RESULT_FILES } from '../../src/results/results-folder.js';
import { readJson, runKbench, tempDir } from '../support/kbench-cli.js';

/**
 * Every histogram tagged `tag` in the measured-histograms.hlog files, added by the library.
 * The untagged line (the library calls it 'NO TAG') is the one the header comment names.
 */
function combined(dirs: readonly string[], tag: string): hdr.Histogram {
  const total = hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  for (const dir of dirs) {
    const text = readFileSync(path.join(dir, RESULT_FILES.measuredLog), 'utf8');
    const untagged = /^#\[Untagged histogram: (\w+)/m.exec(text)?.[1];
    const reader = new hdr.HistogramLogReader(text);
    for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram())
      if ((h.tag === 'NO TAG' ? untagged : h.tag) === tag) total.add(h);
  }
  return total;
}

const acceptedRows = (dir: string): number =>
  (
    parse(readFileSync(path.join(dir, RESULT_FILES.intervals)), { columns: true }) as Array<Record<string, string>>
  ).reduce((sum, row) => sum + Number(row['records_accepted']), 0);

test('merge of two runs: merged count = the sum, merged p99 = p99 of the combined data; the same files as one run', async () => {
  const root = tempDir();
  const a = path.join(root, 'host-a');
  const b = path.join(root, 'host-b');
  const common = ['put', '--run-id', 'merge-test', '--warmup', '0s', '--duration', '2s', '--quiet'];
  const [ra, rb] = await Promise.all([
    runKbench([...common, '--rate', '300', '--out', a]),
    runKbench([...common, '--rate', '100', '--batch', '5', '--out', b]),
  ]);
  assert.equal(ra.code, 0, ra.stderr);
  assert.equal(rb.code, 0, rb.stderr);
  const merged = path.join(root, 'merged');
  const result = await runKbench(['merge', a, b, '--out', merged]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '', 'report.html drawn without a warning');
  assert.match(result.stdout, /kbench merge · 2 processes of run merge-test/);

  const { summary, intervals, latency, requestLog, recordLog, measuredLog } = RESULT_FILES;
  for (const file of [
    summary,
    intervals,
    latency,
    requestLog,
    recordLog,
    measuredLog,
    'merge.json',
    'put_request.hgrm',
    'put_record.hgrm',
    'report.html',
  ])
    assert.ok(existsSync(path.join(merged, file)), file);
  const sa = readJson(path.join(a, 'summary.json'));
  const sb = readJson(path.join(b, 'summary.json'));
  const sm = readJson(path.join(merged, 'summary.json'));
  assert.equal(sm.put.records.accepted, sa.put.records.accepted + sb.put.records.accepted);
  assert.equal(sm.put.latency_ms.count, sa.put.latency_ms.count + sb.put.latency_ms.count, 'merged count = sum');
  assert.equal(sm.put.record_latency_ms.count, sa.put.record_latency_ms.count + sb.put.record_latency_ms.count);
  assert.equal(sm.put.records_per_s, Math.round((sa.put.records_per_s + sb.put.records_per_s) * 1000) / 1000);

  const request = combined([a, b], 'put_request');
  assert.equal(request.totalCount, sm.put.latency_ms.count);
  const p99 = Math.min(request.getValueAtPercentile(99), request.maxValue) / 1000;
  assert.equal(sm.put.latency_ms.p99, Math.round(p99 * 1000) / 1000, 'merged p99 = p99 of the combined data');
  const record = combined([a, b], 'put_record');
  assert.equal(
    sm.put.record_latency_ms.p99,
    Math.round((Math.min(record.getValueAtPercentile(99), record.maxValue) / 1000) * 1000) / 1000,
  );

  assert.equal(acceptedRows(merged), acceptedRows(a) + acceptedRows(b), 'every interval row counted once');
  const log = new hdr.HistogramLogReader(readFileSync(path.join(merged, RESULT_FILES.requestLog), 'utf8'));
  let intervalTotal = 0;
  for (let h = log.nextIntervalHistogram(); h; h = log.nextIntervalHistogram()) intervalTotal += h.totalCount;
  assert.ok(intervalTotal >= sm.put.latency_ms.count, 'the merged interval log holds every answer');
  assert.deepEqual(readJson(path.join(merged, 'merge.json')).sources, [a, b]);
});

test('merge refuses folders of different runs: one line, exit 2', async () => {
  const root = tempDir();
  const run = (id: string) =>
    runKbench([
      'put',
      '--run-id',
      id,
      '--rate',
      '50',
      '--warmup',
      '0s',
      '--duration',
      '1s',
      '--quiet',
      '--out',
      path.join(root, id),
    ]);
  const results = await Promise.all([run('one'), run('two')]);
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const result = await runKbench([
    'merge',
    path.join(root, 'one'),
    path.join(root, 'two'),
    '--out',
    path.join(root, 'm'),
  ]);
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'kbench: the folders are from different runs (one, two): kbench merge adds processes started with the same --run-id\n',
  );
  const missing = await runKbench(['merge', path.join(root, 'one'), root]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /not a kbench results folder \(no summary\.json\)/);
});
