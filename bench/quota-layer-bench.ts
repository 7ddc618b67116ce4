/**
 * The quota layer's cost, for npm run bench: kbench put straight to kinesalite next to
 * kbench put through the layer, each against its own emulator, alternating in each round.
 * - in-process, --limits none: the layer the embedded target runs (in kinesalite's process)
 *   with nothing to enforce; calls go straight to kinesalite's handler.
 * - in-process, quotas far above the load: every record is metered (parsed, hashed to its
 *   shard, taken from token buckets) and nothing is throttled: the cost of enforcing.
 * - own process, --limits none: the layer kbench puts in front of an --endpoint, which
 *   forwards every call over HTTP (and the design the embedded target does not use).
 * Throughput on a shared 2-core machine is noisy, so it also prints the CPU the server
 * processes (kinesalite, and the layer's own process) spent per record: that does not
 * depend on what else the machine is doing.
 * Then the accepted rates under AWS's quotas, which should be the quotas, not the machine.
 */
import { readFileSync } from 'node:fs';
import { AWS_SHARD_QUOTA, type ShardQuota } from '../src/config/quota-values.js';
import { startKinesalite, type EmbeddedEmulator } from '../src/target/embedded.js';
import { startQuotaLayerProcess } from '../src/target/quota-layer-process.js';

export interface LayerBenchOptions {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  /** Runs kbench put (3 shards, one worker) against `endpoint` with `extra` flags; returns its summary.json. */
  readonly put: (
    endpoint: string,
    extra: string[],
  ) => Promise<{ put: { records_per_s: number; per_shard: Record<string, { records_per_s: number }> } }>;
}

const FAR_ABOVE: ShardQuota = {
  writeRecordsPerS: 1e7,
  writeMibPerS: 1e5,
  readCallsPerS: 1e5,
  readMibPerS: 1e5,
  iteratorCallsPerS: 1e5,
};

interface Setup {
  readonly name: string;
  readonly endpoint: string;
  /** The server processes whose CPU time is counted. */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}

async function setups(): Promise<Setup[]> {
  const direct = await startKinesalite();
  const inProcessNone = await startKinesalite({ layer: { quota: null, faults: {} } });
  const inProcessMetered = await startKinesalite({ layer: { quota: FAR_ABOVE, faults: {} } });
  const behindProcess = await startKinesalite();
  const ownProcess = await startQuotaLayerProcess({ upstream: behindProcess.endpoint, quota: null, faults: {} });
  const stopping = (e: EmbeddedEmulator) => () => e.stop();
  return [
    { name: 'direct to kinesalite', endpoint: direct.endpoint, pids: [direct.pid], stop: stopping(direct) },
    {
      name: 'layer in-process, --limits none',
      endpoint: inProcessNone.endpoint,
      pids: [inProcessNone.pid],
      stop: stopping(inProcessNone),
    },
    {
      name: 'layer in-process, all metered',
      endpoint: inProcessMetered.endpoint,
      pids: [inProcessMetered.pid],
      stop: stopping(inProcessMetered),
    },
    {
      name: 'layer own process, --limits none',
      endpoint: ownProcess.endpoint,
      pids: [behindProcess.pid, ownProcess.pid],
      stop: async () => {
        await ownProcess.stop();
        await behindProcess.stop();
      },
    },
  ];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function benchQuotaLayer(options: LayerBenchOptions): Promise<void> {
  const runs = await setups();
  const timing = ['--rate', 'max', '--duration', `${options.seconds}s`, '--warmup', `${options.warmupSeconds}s`];
  console.log(
    `## quota layer overhead (kbench put --rate max --workers 1, ${options.seconds} s measured, ${options.rounds} ` +
      `rounds alternating; each setup its own kinesalite)`,
  );
  // One run that is not counted: the first run after a build or a quiet spell is slow
  // (disk caches, CPU frequency), and it would always be the direct one.
  await options.put(runs[0]?.endpoint ?? '', [
    '--rate',
    'max',
    '--duration',
    '2s',
    '--warmup',
    '1s',
    '--batch',
    '100',
    '--concurrency',
    '8',
  ]);
  for (const { batch, concurrency } of [
    { batch: 500, concurrency: 8 },
    { batch: 1, concurrency: 32 },
  ]) {
    const rates = new Map<string, number[]>(runs.map((r) => [r.name, []]));
    const cpuPerRecord = new Map<string, number[]>(runs.map((r) => [r.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      for (const run of runs) {
        const cpu = (): number => run.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
        const before = cpu();
        const summary = await options.put(run.endpoint, [
          ...timing,
          '--batch',
          String(batch),
          '--concurrency',
          String(concurrency),
        ]);
        // Warmup and measured phase run at about the same rate: records in the whole run.
        const records = summary.put.records_per_s * (options.seconds + options.warmupSeconds);
        rates.get(run.name)?.push(summary.put.records_per_s);
        cpuPerRecord.get(run.name)?.push(((cpu() - before) / records) * 1e6);
      }
    }
    const base = mean(rates.get(runs[0]?.name ?? '') ?? [1]);
    console.log(`--batch ${batch} --concurrency ${concurrency}`);
    for (const run of runs) {
      const xs = rates.get(run.name) ?? [];
      const ratio = mean(xs) / base;
      const verdict =
        run === runs[0]
          ? ''
          : `   ratio ${ratio.toFixed(3)}` +
            `${run.name.includes('none') ? ` (target >= 0.9: ${ratio >= 0.9 ? 'met' : 'NOT met'})` : ''}`;
      const cpu = mean(cpuPerRecord.get(run.name) ?? []);
      console.log(
        `  ${run.name.padEnd(34)} ${xs.map((x) => x.toFixed(0)).join(', ')} records/s (mean ${mean(xs).toFixed(0)}) ` +
          `· server CPU ≈${cpu.toFixed(1)} µs/record${verdict}`,
      );
    }
    console.log('');
  }
  await Promise.all(runs.map((r) => r.stop()));

  const aws = await startKinesalite({ layer: { quota: AWS_SHARD_QUOTA, faults: {} } });
  console.log(
    `## accepted under --limits aws (the embedded default), --batch 50 --concurrency 8, ${options.seconds} s ` +
      `after ${options.warmupSeconds} s warmup`,
  );
  for (const [label, extra] of [
    ['1 shard', ['--shards', '1']],
    ['3 shards, random keys', ['--shards', '3']],
    ['3 shards, one hot key', ['--shards', '3', '--partition-keys', 'hot']],
  ] as const) {
    const summary = await options.put(aws.endpoint, [...timing, '--batch', '50', '--concurrency', '8', ...extra]);
    const perShard = Object.values(summary.put.per_shard)
      .map((s) => s.records_per_s.toFixed(0))
      .join(' / ');
    console.log(`  ${label.padEnd(24)} ${summary.put.records_per_s.toFixed(1)} records/s (per shard ${perShard})`);
  }
  await aws.stop();
  console.log('');
}
