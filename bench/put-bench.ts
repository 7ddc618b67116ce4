/**
 * npm run bench: kbench's put throughput next to a minimal direct SDK loop in the same run,
 * against the same embedded emulator, the quota layer's cost (quota-layer-bench.ts), and
 * kbench's memory over a long run. Prints figures;
 * asserts nothing (these machines are shared and noisy; read the ratios, not the absolutes).
 *
 *   npm run bench                 # 10 s per throughput run, 60 s memory run
 *   npm run bench -- --quick      # 4 s and 15 s, to check the script works
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKinesalite } from '../src/target/embedded.js';
import { benchQuotaLayer } from './quota-layer-bench.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const SECONDS = quick ? 4 : 10;
const MEMORY_SECONDS = quick ? 15 : 60;
const WARMUP = 2;
const ROUNDS = 2;

interface Exec {
  readonly stdout: string;
  readonly samples: number[];
}

/** Runs a command; samples its RSS (MiB) every second. */
function exec(args: string[]): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    const samples: number[] = [];
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const timer = setInterval(() => {
      try {
        const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (kib) samples.push(Number(kib) / 1024);
      } catch {
        // exited between ticks
      }
    }, 1000);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ stdout, samples });
      else reject(new Error(`${args.join(' ')} exited ${code}`));
    });
  });
}

const kbenchPut = (endpoint: string, extra: string[]): Promise<Exec> =>
  exec([path.join(root, 'bin', 'kbench'), 'put', '--endpoint', endpoint, '--shards', '3', '--json', '--quiet', '--out', mkdtempSync(path.join(tmpdir(), 'kbench-bench-')), ...extra]);

const emulator = await startKinesalite();
console.log(`kbench put benchmark · kinesalite at ${emulator.endpoint} · ${SECONDS} s measured per run, ${ROUNDS} rounds, alternating`);
console.log('');

for (const { batch, concurrency, target } of [
  { batch: 500, concurrency: 8, target: 0.95 },
  { batch: 1, concurrency: 32, target: 0.9 },
]) {
  const direct: number[] = [];
  const kbench: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const d = await exec(['--import', 'tsx', path.join(root, 'bench', 'direct-sdk-loop.ts'), emulator.endpoint, String(batch), String(concurrency), String(SECONDS), String(WARMUP)]);
    direct.push((JSON.parse(d.stdout) as { records_per_s: number }).records_per_s);
    const k = await kbenchPut(emulator.endpoint, ['--rate', 'max', '--batch', String(batch), '--concurrency', String(concurrency), '--duration', `${SECONDS}s`, '--warmup', `${WARMUP}s`]);
    kbench.push((JSON.parse(k.stdout) as { put: { records_per_s: number } }).put.records_per_s);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ratio = mean(kbench) / mean(direct);
  console.log(`--batch ${batch} --concurrency ${concurrency} --rate max`);
  console.log(`  direct SDK loop   ${direct.map((x) => x.toFixed(0)).join(', ')} records/s (mean ${mean(direct).toFixed(0)})`);
  console.log(`  kbench put        ${kbench.map((x) => x.toFixed(0)).join(', ')} records/s (mean ${mean(kbench).toFixed(0)})`);
  console.log(`  kbench / direct   ${ratio.toFixed(3)}   (target >= ${target}: ${ratio >= target ? 'met' : 'NOT met'})`);
  console.log('');
}

await benchQuotaLayer({
  seconds: SECONDS,
  warmupSeconds: WARMUP,
  rounds: ROUNDS,
  put: async (endpoint, extra) => JSON.parse((await kbenchPut(endpoint, extra)).stdout),
});

const memory = await kbenchPut(emulator.endpoint, ['--rate', '5000', '--batch', '100', '--concurrency', '16', '--duration', `${MEMORY_SECONDS}s`, '--warmup', '0s']);
const summary = JSON.parse(memory.stdout) as { put: { records_per_s: number }; client: { peak_rss_mib: number } };
const s = memory.samples;
const at = (fraction: number): string => (s[Math.min(s.length - 1, Math.floor(fraction * (s.length - 1)))] ?? 0).toFixed(1);
console.log(`memory: kbench put --rate 5000 --batch 100 for ${MEMORY_SECONDS} s (${summary.put.records_per_s.toFixed(0)} records/s accepted)`);
console.log(`  RSS start ${at(0.1)} MiB · middle ${at(0.5)} MiB · end ${at(1)} MiB · peak ${summary.client.peak_rss_mib.toFixed(1)} MiB (kbench only; the emulator is a separate process)`);
await emulator.stop();
