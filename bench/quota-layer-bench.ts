/**
 * The quota layer's cost, for npm run bench: kbench put straight to kinesalite next to
 * kbench put through the layer, each against its own emulator, alternating in each round.
 * - in-process, --limits none: the layer the embedded target runs (in kinesalite's process)
 *   with nothing to enforce; calls go straight to kinesalite's handler.
 * - in-process, quotas far above the load: every record is metered (parsed, hashed to its
 *   shard, taken from token buckets) and nothing is throttled: the cost of enforcing.
 * - own process, --limits none: the layer kbench puts in front of an --endpoint, which
 *   forwards every call over HTTP (and the design the embedded target does not use).
 * Then the accepted rates under AWS's quotas, which should be the quotas, not the machine.
 */
import { AWS_SHARD_QUOTA, type ShardQuota } from '../src/scenario/quota-values.js';
import { startKinesalite, type EmbeddedEmulator } from '../src/target/embedded.js';
import { startQuotaLayerProcess } from '../src/target/quota-layer-process.js';

export interface LayerBenchOptions {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  /** Runs kbench put (3 shards) against `endpoint` with `extra` flags; returns its summary.json. */
  readonly put: (endpoint: string, extra: string[]) => Promise<{ put: { records_per_s: number; per_shard: Record<string, { records_per_s: number }> } }>;
}

const FAR_ABOVE: ShardQuota = { writeRecordsPerS: 1e7, writeMibPerS: 1e5, readCallsPerS: 1e5, readMibPerS: 1e5, iteratorCallsPerS: 1e5 };

interface Setup {
  readonly name: string;
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function setups(): Promise<Setup[]> {
  const direct = await startKinesalite();
  const inProcessNone = await startKinesalite({ layer: { quota: null, faults: {} } });
  const inProcessMetered = await startKinesalite({ layer: { quota: FAR_ABOVE, faults: {} } });
  const behindProcess = await startKinesalite();
  const ownProcess = await startQuotaLayerProcess({ upstream: behindProcess.endpoint, quota: null, faults: {} });
  const stopping = (e: EmbeddedEmulator) => () => e.stop();
  return [
    { name: 'direct to kinesalite', endpoint: direct.endpoint, stop: stopping(direct) },
    { name: 'layer in-process, --limits none', endpoint: inProcessNone.endpoint, stop: stopping(inProcessNone) },
    { name: 'layer in-process, all metered', endpoint: inProcessMetered.endpoint, stop: stopping(inProcessMetered) },
    { name: 'layer own process, --limits none', endpoint: ownProcess.endpoint, stop: async () => { await ownProcess.stop(); await behindProcess.stop(); } },
  ];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function benchQuotaLayer(options: LayerBenchOptions): Promise<void> {
  const runs = await setups();
  const timing = ['--rate', 'max', '--duration', `${options.seconds}s`, '--warmup', `${options.warmupSeconds}s`];
  console.log(`quota layer overhead: kbench put --rate max, ${options.seconds} s measured, ${options.rounds} rounds, alternating`);
  for (const { batch, concurrency } of [
    { batch: 500, concurrency: 8 },
    { batch: 1, concurrency: 32 },
  ]) {
    const rates = new Map<string, number[]>(runs.map((r) => [r.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      for (const run of runs) {
        const summary = await options.put(run.endpoint, [...timing, '--batch', String(batch), '--concurrency', String(concurrency)]);
        rates.get(run.name)?.push(summary.put.records_per_s);
      }
    }
    const base = mean(rates.get(runs[0]?.name ?? '') ?? [1]);
    console.log(`--batch ${batch} --concurrency ${concurrency}`);
    for (const run of runs) {
      const xs = rates.get(run.name) ?? [];
      const ratio = mean(xs) / base;
      const verdict = run === runs[0] ? '' : `   ratio ${ratio.toFixed(3)}${run.name.includes('none') ? ` (target >= 0.9: ${ratio >= 0.9 ? 'met' : 'NOT met'})` : ''}`;
      console.log(`  ${run.name.padEnd(34)} ${xs.map((x) => x.toFixed(0)).join(', ')} records/s (mean ${mean(xs).toFixed(0)})${verdict}`);
    }
    console.log('');
  }
  await Promise.all(runs.map((r) => r.stop()));

  const aws = await startKinesalite({ layer: { quota: AWS_SHARD_QUOTA, faults: {} } });
  console.log(`accepted under --limits aws (the embedded default), --batch 50 --concurrency 8, ${options.seconds} s after ${options.warmupSeconds} s warmup`);
  for (const [label, extra] of [
    ['1 shard', ['--shards', '1']],
    ['3 shards, random keys', ['--shards', '3']],
    ['3 shards, one hot key', ['--shards', '3', '--partition-keys', 'hot']],
  ] as const) {
    const summary = await options.put(aws.endpoint, [...timing, '--batch', '50', '--concurrency', '8', ...extra]);
    const perShard = Object.values(summary.put.per_shard).map((s) => s.records_per_s.toFixed(0)).join(' / ');
    console.log(`  ${label.padEnd(24)} ${summary.put.records_per_s.toFixed(1)} records/s (per shard ${perShard})`);
  }
  await aws.stop();
  console.log('');
}
