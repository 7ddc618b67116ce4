/**
 * kbench merge of lag runs through the real CLI: two real kbench lag processes of one
 * run (the same --run-id) on one stream of a real kinesalite, each with its own
 * --producer-id-base, merged. Each process accounts for its own records exactly once;
 * the merged lag count is the sum, and the merged lag p99 is the p99 of the two runs'
 * values together, checked with the HdrHistogram library's own log reader rather than
 * kbench's merge code; the merged folder reads like a single lag run.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { parse } from 'csv-parse/sync';
import * as hdr from 'hdr-histogram-js';
import { LAG_INTERVAL_MERGE_RULES } from '../../src/merge/merge-intervals.js';
import { INTERVAL_LOGS, LAG_HISTOGRAMS, PUT_HISTOGRAMS, RESULT_FILES } from '../../src/results/results-folder.js';
import { createKinesisClient } from '../../src/target/client.js';
import { startKinesalite, type EmbeddedEmulator } from '../../src/target/embedded.js';
import { runTag } from '../../src/workload/record-header.js';
import { readJson, runKbench, tempDir, waitFor } from '../support/kbench-cli.js';
import { assertExactlyOnce, columnSum, hlogLines, intervalRows } from '../support/lag-results.js';
import { readWholeStream } from '../support/stream-reader.js';

let emulator: EmbeddedEmulator;
let client: KinesisClient;
before(async () => {
  emulator = await startKinesalite();
  client = createKinesisClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxSockets: 4,
  });
});
after(async () => {
  client.destroy();
  await emulator.stop();
});

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

/** A percentile as summary.json reports it: never above the max, in ms rounded to µs. */
const reported = (h: hdr.Histogram, percentile: number): number =>
  Math.round(Math.min(h.getValueAtPercentile(percentile), h.maxValue)) / 1000;

const header = (dir: string): string =>
  readFileSync(path.join(dir, RESULT_FILES.intervals), 'utf8').split('\n')[0] ?? '';

test('merge of two lag processes on one stream: each exactly once, merged lag count = the sum, merged p99 = p99 of the combined data, the layout of one lag run', async (t) => {
  const stream = `lag-merge-${Date.now()}`;
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
  await waitFor(
    async () =>
      (await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary
        ?.StreamStatus === 'ACTIVE',
    10_000,
    'the stream to be ACTIVE',
  );
  const root = tempDir();
  const a = path.join(root, 'host-a');
  const b = path.join(root, 'host-b');
  const runId = 'lag-merge-test';
  const common = [
    'lag',
    '--endpoint',
    emulator.endpoint,
    '--stream',
    stream,
    '--run-id',
    runId,
    '--poll-interval',
    '200ms',
    '--warmup',
    '0s',
    '--duration',
    '3s',
    '--workers',
    '1',
    '--quiet',
  ];
  const [ra, rb] = await Promise.all([
    runKbench([...common, '--rate', '40', '--out', a]),
    // Its own producer ids: the two processes' records stay apart on the shared stream.
    runKbench([...common, '--rate', '20', '--producer-id-base', '100', '--out', b]),
  ]);
  assert.equal(ra.code, 0, ra.stderr);
  assert.equal(rb.code, 0, rb.stderr);
  const sa = readJson(path.join(a, RESULT_FILES.summary));
  const sb = readJson(path.join(b, RESULT_FILES.summary));
  // Each process accounts for its own records only: every one once, none taken for a duplicate.
  assertExactlyOnce(sa.lag);
  assertExactlyOnce(sb.lag);
  assert.equal(sa.options.producer_id_base, 0);
  assert.equal(sb.options.producer_id_base, 100);

  // The stream holds both processes' records, under their own producer ids; what each
  // process read of the other's is counted apart, never more than the other wrote.
  const tag = runTag(runId).toString('hex');
  const stored = (await readWholeStream(client, stream)).filter((r) => r.header?.runTag === tag);
  const byProducer = (id: number): number => stored.filter((r) => r.header?.producerId === id).length;
  assert.equal(byProducer(0), sa.lag.records.produced);
  assert.equal(byProducer(100), sb.lag.records.produced);
  assert.equal(stored.length, sa.lag.records.produced + sb.lag.records.produced);
  assert.ok(
    sa.lag.records.other_processes <= sb.lag.records.produced,
    `a read ${sa.lag.records.other_processes} of b's records`,
  );
  assert.ok(
    sb.lag.records.other_processes <= sa.lag.records.produced,
    `b read ${sb.lag.records.other_processes} of a's records`,
  );
  // How much each read of the other's depends on how the two starts fell: reported, not asserted.
  t.diagnostic(
    `other_processes: a read ${sa.lag.records.other_processes} of b's ${sb.lag.records.produced}, b read ${sb.lag.records.other_processes} of a's ${sa.lag.records.produced}`,
  );

  const merged = path.join(root, 'merged');
  const result = await runKbench(['merge', a, b, '--out', merged]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /kbench merge · 2 processes of run lag-merge-test/);
  assert.match(result.stdout, /complete\s+every accepted record reached every consumer of the process that wrote it/);

  // The files of a single lag run, plus merge.json.
  const lagFiles = [...PUT_HISTOGRAMS, ...LAG_HISTOGRAMS].map((name) => INTERVAL_LOGS[name].file);
  for (const file of [
    RESULT_FILES.summary,
    RESULT_FILES.intervals,
    RESULT_FILES.latency,
    RESULT_FILES.measuredLog,
    ...lagFiles,
    'merge.json',
  ]) {
    assert.ok(existsSync(path.join(merged, file)), file);
  }
  const sm = readJson(path.join(merged, RESULT_FILES.summary));
  assert.equal(sm.command, 'lag');
  const { lag } = sm;
  for (const field of [
    'produced',
    'expected',
    'received',
    'duplicates',
    'missing',
    'unacknowledged',
    'foreign',
    'other_processes',
  ]) {
    assert.equal(lag.records[field], sa.lag.records[field] + sb.lag.records[field], `records.${field} = the sum`);
  }
  assert.equal(lag.complete, true);
  assert.equal(lag.consumers, 2);
  assert.equal(lag.reads.reads, sa.lag.reads.reads + sb.lag.reads.reads);
  assert.equal(lag.latency_ms.count, sa.lag.latency_ms.count + sb.lag.latency_ms.count, 'merged lag count = the sum');

  // Merged percentiles are those of the combined data, added here by the library itself.
  for (const [tagName, figure] of [
    ['lag', 'latency_ms'],
    ['put_to_arrival', 'put_to_arrival_ms'],
    ['arrival_to_receive', 'arrival_to_receive_ms'],
  ] as const) {
    const all = combined([a, b], tagName);
    assert.equal(all.totalCount, lag[figure].count, `${tagName}: count`);
    assert.equal(lag[figure].p99, reported(all, 99), `${tagName}: merged p99 = p99 of the combined data`);
    assert.equal(lag[figure].p50, reported(all, 50), `${tagName}: merged p50`);
  }
  assert.equal(
    combined([merged], 'lag').totalCount,
    lag.latency_ms.count,
    "the merged measured-histograms.hlog holds every input's values",
  );

  // Parses like a single lag run: the same columns, every row counted once, one interval
  // histogram per row in each log, and kbench compare reads it.
  assert.equal(header(merged), header(a));
  const rows = intervalRows(merged);
  for (const column of Object.keys(LAG_INTERVAL_MERGE_RULES).filter((c) => LAG_INTERVAL_MERGE_RULES[c] === 'sum')) {
    assert.equal(
      columnSum(rows, column),
      columnSum(intervalRows(a), column) + columnSum(intervalRows(b), column),
      `${column}: every row counted once`,
    );
  }
  for (const file of lagFiles) {
    assert.equal(hlogLines(merged, file), rows.length, `${file}: one histogram per row`);
    const reader = new hdr.HistogramLogReader(readFileSync(path.join(merged, file), 'utf8'));
    let count = 0;
    for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) count += 1;
    assert.equal(count, rows.length, `${file} reads with the library's log reader`);
  }
  const latency = parse(readFileSync(path.join(merged, RESULT_FILES.latency)), { columns: true }) as Array<
    Record<string, string>
  >;
  assert.deepEqual([...new Set(latency.map((r) => r['histogram']))], [...PUT_HISTOGRAMS, ...LAG_HISTOGRAMS]);
  const compare = await runKbench(['compare', a, merged]);
  assert.equal(compare.code, 0, compare.stderr);
  assert.match(compare.stdout, /lag\.p99_ms/);

  // The same producer ids on the same stream cannot be merged: a copy of a stands for a
  // second process started without its own --producer-id-base.
  const twin = path.join(root, 'host-a-again');
  cpSync(a, twin, { recursive: true });
  const clash = await runKbench(['merge', a, twin, '--out', path.join(root, 'clash')]);
  assert.equal(clash.code, 2);
  assert.match(
    clash.stderr,
    /^kbench: .*host-a and .*host-a-again share producer ids \(0-0\) on stream lag-merge-.*--producer-id-base.*\n$/,
  );
  assert.equal(clash.stderr.split('\n').length, 2, 'one line');

  // put and lag results together: one line, exit 2.
  const put = path.join(root, 'put');
  const rp = await runKbench([
    'put',
    '--endpoint',
    emulator.endpoint,
    '--stream',
    stream,
    '--run-id',
    runId,
    '--producer-id-base',
    '200',
    '--rate',
    '20',
    '--warmup',
    '0s',
    '--duration',
    '1s',
    '--workers',
    '1',
    '--quiet',
    '--out',
    put,
  ]);
  assert.equal(rp.code, 0, rp.stderr);
  const mixed = await runKbench(['merge', a, put, '--out', path.join(root, 'mixed')]);
  assert.equal(mixed.code, 2);
  assert.equal(
    mixed.stderr,
    `kbench: cannot merge lag and put results together (${a}: lag, ${put}: put): merge the folders of one command\n`,
  );
});
