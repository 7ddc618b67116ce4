/**
 * npm run bench: the figures behind kbench's speed and memory claims, measured side by
 * side in one run on this machine. Prints figures and asserts nothing (these machines are
 * shared and noisy: read the ratios, not the absolutes).
 *
 *   npm run bench                        # everything, full length (about 9 minutes)
 *   npm run bench -- --quick             # short runs, to check the script works
 *   npm run bench -- --only throughput   # one section: throughput, workers, recording, layer, resolution, memory,
 * client
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKinesalite, type EmbeddedEmulator } from '../src/target/embedded.js';
import { benchQuotaLayer } from './quota-layer-bench.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const SECONDS = quick ? 4 : 10;
const WARMUP = 2;
const ROUNDS = quick ? 1 : 2;
const MEMORY_SECONDS = quick ? 20 : 300;

interface Exec {
  readonly stdout: string;
  /** RSS samples of the process itself and of its child processes, MiB. */
  readonly rss: number[];
  readonly childRss: number[];
}

const rssMiB = (pid: number): number | undefined => {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
};
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** Runs `node args`, sampling its RSS and its children's RSS every second. */
function exec(nodeArgs: string[]): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    const rss: number[] = [];
    const childRss: number[] = [];
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const timer = setInterval(() => {
      const own = rssMiB(child.pid ?? 0);
      if (own !== undefined) rss.push(own);
      const kids = childrenOf(child.pid ?? 0)
        .map(rssMiB)
        .filter((x): x is number => x !== undefined);
      if (kids.length > 0) childRss.push(kids.reduce((a, b) => a + b, 0));
    }, 1000);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ stdout, rss, childRss });
      else reject(new Error(`node ${nodeArgs.join(' ')} exited ${code}`));
    });
  });
}

const kbench = (extra: string[]): Promise<Exec> =>
  exec([
    path.join(root, 'bin', 'kbench'),
    'put',
    '--shards',
    '3',
    '--json',
    '--quiet',
    '--out',
    mkdtempSync(path.join(tmpdir(), 'kbench-bench-')),
    ...extra,
  ]);
const recordsPerS = (e: Exec): number => (JSON.parse(e.stdout) as { put: { records_per_s: number } }).put.records_per_s;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

async function throughput(emulator: EmbeddedEmulator): Promise<void> {
  console.log(
    `## kbench vs a minimal direct SDK loop (--rate max, ${SECONDS} s measured, ${ROUNDS} rounds alternating)`,
  );
  for (const { batch, concurrency, target } of [
    { batch: 500, concurrency: 8, target: 0.95 },
    { batch: 1, concurrency: 32, target: 0.9 },
  ]) {
    const direct: number[] = [];
    const ours: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const d = await exec([
        '--import',
        'tsx',
        path.join(root, 'bench', 'direct-sdk-loop.ts'),
        emulator.endpoint,
        String(batch),
        String(concurrency),
        String(SECONDS),
        String(WARMUP),
      ]);
      direct.push((JSON.parse(d.stdout) as { records_per_s: number }).records_per_s);
      ours.push(
        recordsPerS(
          await kbench([
            '--endpoint',
            emulator.endpoint,
            '--workers',
            '1',
            '--rate',
            'max',
            '--batch',
            String(batch),
            '--concurrency',
            String(concurrency),
            '--duration',
            `${SECONDS}s`,
            '--warmup',
            `${WARMUP}s`,
          ]),
        ),
      );
    }
    const ratio = mean(ours) / mean(direct);
    console.log(
      `--batch ${batch} --concurrency ${concurrency}: direct ${list(direct)} records/s · kbench --workers ` +
        `1 ${list(ours)} records/s · ratio ${ratio.toFixed(3)} (target >= ${target}: ${verdict(ratio >= target)})`,
    );
  }
  console.log('');
}

async function workers(emulator: EmbeddedEmulator): Promise<void> {
  const cores = availableParallelism();
  console.log(
    `## --workers 2 vs --workers 1 (--batch 1 --concurrency 32 --rate max; ${cores} cores shared with the ` +
      `emulator's process)`,
  );
  const one: number[] = [];
  const two: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const common = [
      '--endpoint',
      emulator.endpoint,
      '--rate',
      'max',
      '--batch',
      '1',
      '--concurrency',
      '32',
      '--duration',
      `${SECONDS}s`,
      '--warmup',
      `${WARMUP}s`,
    ];
    one.push(recordsPerS(await kbench([...common, '--workers', '1'])));
    two.push(recordsPerS(await kbench([...common, '--workers', '2'])));
  }
  console.log(
    `--workers 1 ${list(one)} records/s · --workers 2 ${list(two)} records/s · ` +
      `ratio ${(mean(two) / mean(one)).toFixed(3)}`,
  );
  console.log('');
}

async function recording(emulator: EmbeddedEmulator): Promise<void> {
  console.log(
    `## recording overhead (--batch 1 closed loop with and without the recorder, ${SECONDS} s x ${ROUNDS + 1} each)`,
  );
  const r = await exec([
    '--import',
    'tsx',
    path.join(root, 'bench', 'recording-overhead.ts'),
    emulator.endpoint,
    String(SECONDS),
    String(ROUNDS + 1),
  ]);
  const o = JSON.parse(r.stdout) as Record<string, number | number[]>;
  console.log(
    `with recording ${list(o['with_recording_records_per_s'] as number[])} records/s · ` +
      `without ${list(o['without_recording_records_per_s'] as number[])} records/s · throughput ` +
      `cost ${(o['throughput_cost_pct'] as number).toFixed(2)} % (noise included)`,
  );
  const share = o['recording_share_of_cpu_pct'] as number;
  console.log(
    `recorder work ${(o['recording_us_per_request'] as number).toFixed(2)} µs per request ` +
      `of ${(o['cpu_us_per_request'] as number).toFixed(0)} µs CPU per request: ${share.toFixed(2)} % (target < 3 ` +
      `%: ${verdict(share < 3)})`,
  );
  console.log('');
}

async function layer(): Promise<void> {
  await benchQuotaLayer({
    seconds: SECONDS,
    warmupSeconds: WARMUP,
    rounds: ROUNDS,
    put: async (endpoint, extra) =>
      JSON.parse((await kbench(['--endpoint', endpoint, '--workers', '1', ...extra])).stdout),
  });
}

async function resolution(): Promise<void> {
  const injectedMs = 50;
  console.log(
    `## timing resolution: a known ${injectedMs} ms delay injected on writes (--inject-latency), --rate 200 --batch ` +
      `1, ${SECONDS} s`,
  );
  const common = [
    '--limits',
    'none',
    '--rate',
    '200',
    '--batch',
    '1',
    '--workers',
    '1',
    '--duration',
    `${SECONDS}s`,
    '--warmup',
    `${WARMUP}s`,
  ];
  const latency = (e: Exec): { p50: number; p99: number } =>
    (JSON.parse(e.stdout) as { put: { latency_ms: { p50: number; p99: number } } }).put.latency_ms;
  const base = latency(await kbench(common));
  const delayed = latency(await kbench([...common, '--inject-latency', `writes=${injectedMs}ms`]));
  const errorP50 = delayed.p50 - base.p50 - injectedMs;
  const errorP99 = delayed.p99 - base.p99 - injectedMs;
  console.log(
    `request latency without the delay: p50 ${base.p50.toFixed(3)} ms, p99 ${base.p99.toFixed(3)} ms; with it: ` +
      `p50 ${delayed.p50.toFixed(3)} ms, p99 ${delayed.p99.toFixed(3)} ms`,
  );
  console.log(
    `error against the injected ${injectedMs} ms: p50 ${errorP50 >= 0 ? '+' : ''}${errorP50.toFixed(3)} ms, ` +
      `p99 ${errorP99 >= 0 ? '+' : ''}${errorP99.toFixed(3)} ms (figures carry microseconds; HDR precision is 3 ` +
      `significant digits, 0.05 ms at 50 ms)`,
  );
  console.log('');
}

async function memory(): Promise<void> {
  console.log(
    `## memory: kbench put --rate 5000 --batch 100 for ${MEMORY_SECONDS} s, embedded target (the emulator is ` +
      `kbench's child process, measured apart)`,
  );
  // --limits none: 5,000 records/s is above 3 shards' emulated AWS quota.
  const run = await kbench([
    '--limits',
    'none',
    '--rate',
    '5000',
    '--batch',
    '100',
    '--concurrency',
    '16',
    '--workers',
    '1',
    '--duration',
    `${MEMORY_SECONDS}s`,
    '--warmup',
    '0s',
  ]);
  const summary = JSON.parse(run.stdout) as { put: { records_per_s: number }; client: { peak_rss_mib: number } };
  const at = (xs: number[], fraction: number): string =>
    (xs[Math.min(xs.length - 1, Math.floor(fraction * (xs.length - 1)))] ?? 0).toFixed(0);
  console.log(`${summary.put.records_per_s.toFixed(0)} records/s accepted`);
  console.log(
    `kbench RSS: start ${at(run.rss, 0.05)} MiB · middle ${at(run.rss, 0.5)} MiB · end ${at(run.rss, 0.95)} MiB · ` +
      `peak ${summary.client.peak_rss_mib.toFixed(0)} MiB`,
  );
  console.log(
    `emulator RSS: start ${at(run.childRss, 0.05)} MiB · middle ${at(run.childRss, 0.5)} MiB · ` +
      `end ${at(run.childRss, 0.95)} MiB (kinesalite keeps every record in memory)`,
  );
  console.log('');
}

interface ClientFigures {
  readonly errors: number;
  readonly requests_per_s: number;
  readonly cpu_us_per_request: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
}

/** A stateless sink in processes of its own, so the server is never what limits the clients. */
async function startSink(): Promise<{ endpoint: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'kinesis-sink.ts'), '2'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString();
      if (text.includes('\n')) resolve((JSON.parse(text) as { endpoint: string }).endpoint);
    });
    child.on('close', (code) => reject(new Error(`the sink exited ${code}`)));
  });
  return { endpoint, stop: () => child.stdin.end() };
}

async function clients(): Promise<void> {
  const kinds = ['lean', 'sdk', 'bare'] as const;
  console.log(
    `## data-path clients: PutRecord of 100 B records against a sink that answers at once (${SECONDS} s ` +
      `each, ${ROUNDS} rounds alternating; bare = unsigned node:http, the floor)`,
  );
  const sink = await startSink();
  try {
    const measure = async (kind: string, rate: string, concurrency: number): Promise<ClientFigures> =>
      JSON.parse(
        (
          await exec([
            '--import',
            'tsx',
            path.join(root, 'bench', 'client-load.ts'),
            sink.endpoint,
            kind,
            rate,
            String(SECONDS),
            String(concurrency),
          ])
        ).stdout,
      ) as ClientFigures;
    const figures = new Map<string, ClientFigures[]>();
    const modes = [
      { label: 'max rate, 32 in flight', rate: 'max', concurrency: 32 },
      { label: '1,000 requests/s', rate: '1000', concurrency: 100 },
      { label: '100 requests/s', rate: '100', concurrency: 100 },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of modes) {
        for (const kind of kinds) {
          const key = `${mode.label}|${kind}`;
          figures.set(key, [...(figures.get(key) ?? []), await measure(kind, mode.rate, mode.concurrency)]);
        }
      }
    }
    const avg = (mode: string, kind: string, field: keyof ClientFigures): number =>
      mean((figures.get(`${mode}|${kind}`) ?? []).map((f) => f[field]));
    for (const mode of modes) {
      const parts = kinds.map(
        (kind) =>
          `${kind} ${avg(mode.label, kind, 'cpu_us_per_request').toFixed(0)} µs ` +
          `CPU/request, ${avg(mode.label, kind, 'requests_per_s').toFixed(0)} requests/s, ` +
          `p50 ${avg(mode.label, kind, 'p50_ms').toFixed(3)} ms`,
      );
      const errors = kinds.map((kind) => `${kind} ${avg(mode.label, kind, 'errors').toFixed(0)}`).join(', ');
      console.log(`${mode.label}: ${parts.join(' · ')} (failed requests: ${errors})`);
    }
    const cpuRatio = (mode: string): number =>
      avg(mode, 'lean', 'cpu_us_per_request') / avg(mode, 'sdk', 'cpu_us_per_request');
    const maxRatio = cpuRatio(modes[0]!.label);
    const fixedRatio = cpuRatio(modes[1]!.label);
    console.log(
      `lean / sdk CPU per request: ${maxRatio.toFixed(2)} at max rate, ${fixedRatio.toFixed(2)} at 1,000/s (target ` +
        `<= 0.33: ${verdict(maxRatio <= 1 / 3 && fixedRatio <= 1 / 3)})`,
    );
    const overhead = avg(modes[2]!.label, 'lean', 'p50_ms') - avg(modes[2]!.label, 'bare', 'p50_ms');
    const sdkOverhead = avg(modes[2]!.label, 'sdk', 'p50_ms') - avg(modes[2]!.label, 'bare', 'p50_ms');
    console.log(
      `latency overhead at 100/s over bare HTTP, p50: lean ${overhead >= 0 ? '+' : ''}${overhead.toFixed(3)} ms, ` +
        `sdk ${sdkOverhead >= 0 ? '+' : ''}${sdkOverhead.toFixed(3)} ms (target lean within 0.5 ` +
        `ms: ${verdict(overhead <= 0.5)})`,
    );
  } finally {
    sink.stop();
  }
  console.log('');
}

console.log(
  `kbench benchmarks · node ${process.version} · ${availableParallelism()} cores${quick ? ' · --quick' : ''}\n`,
);
const emulator = await startKinesalite();
try {
  if (!only || only === 'throughput') await throughput(emulator);
  if (!only || only === 'workers') await workers(emulator);
  if (!only || only === 'recording') await recording(emulator);
} finally {
  await emulator.stop();
}
if (!only || only === 'layer') await layer();
if (!only || only === 'resolution') await resolution();
if (!only || only === 'memory') await memory();
if (!only || only === 'client') await clients();
