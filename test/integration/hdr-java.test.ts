/**
 * HdrHistogram's own Java HistogramLogProcessor reads kbench's logs with no options
 * (measured-histograms.hlog used to need -tag, and threw a NullPointerException without).
 * Needs java and the HdrHistogram jar (KBENCH_HDR_JAR, default: the local Maven
 * repository's 2.2.2); skipped, saying why, without them.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createLatencyHistogram, encodeHistogram, recordMicros } from '../../src/measure/histogram.js';
import { hlogHeader, hlogLine, measuredHlog } from '../../src/results/hlog.js';
import { INTERVAL_LOG_NOTES } from '../../src/results/results-folder.js';
import { tempDir } from '../support/kbench-cli.js';

const JAR =
  process.env['KBENCH_HDR_JAR'] ??
  path.join(homedir(), '.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar');
const hasJava = spawnSync('java', ['-version']).status === 0;
const skip = !hasJava
  ? 'no java on PATH'
  : !existsSync(JAR)
    ? `no HdrHistogram jar at ${JAR} (set KBENCH_HDR_JAR)`
    : undefined;

/** HistogramLogProcessor's CSV output; returns the total count of its last (100 %) row. */
function processorTotal(file: string, ...args: string[]): number {
  const out = execFileSync(
    'java',
    [
      '-cp',
      JAR,
      'org.HdrHistogram.HistogramLogProcessor',
      '-i',
      file,
      '-csv',
      '-outputValueUnitRatio',
      '1000',
      ...args,
    ],
    { encoding: 'utf8' },
  );
  const last = out.trim().split('\n').at(-1) ?? '';
  assert.match(last, /^[\d.]+,1\.000000000000,\d+,Infinity$/, out);
  return Number(last.split(',')[2]);
}

function histogram(count: number, micros: number) {
  const h = createLatencyHistogram();
  recordMicros(h, micros, count);
  return h;
}

test(
  'HistogramLogProcessor reads measured-histograms.hlog without -tag (put_request), and the rest with -tag',
  { skip },
  () => {
    const file = path.join(tempDir(), 'measured-histograms.hlog');
    const t0 = 1_700_000_000_000_000;
    writeFileSync(
      file,
      measuredHlog('test', t0, t0 + 1_000_000, t0 + 5_000_000, [
        ['put_request', histogram(1005, 2000)],
        ['put_record', histogram(7, 3000)],
      ]),
    );
    assert.equal(processorTotal(file), 1005);
    assert.equal(processorTotal(file, '-tag', 'put_record'), 7);
  },
);

test('HistogramLogProcessor reads an interval log; its lines add up', { skip }, () => {
  const file = path.join(tempDir(), 'put-request-latency.hlog');
  const t0 = 1_700_000_000_000_000;
  const lines = [3, 5, 11].map((count, i) =>
    hlogLine(encodeHistogram(histogram(count, 1000 * (i + 1))), t0 + i * 1e6, t0 + (i + 1) * 1e6, 1000 * (i + 1), t0),
  );
  writeFileSync(
    file,
    hlogHeader(t0, 'test: request latency, values in microseconds', INTERVAL_LOG_NOTES.put) + lines.join(''),
  );
  assert.equal(processorTotal(file), 19);
});
