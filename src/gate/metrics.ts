/**
 * The figures thresholds, comparisons and cases.csv speak about: one name each, where it
 * lives in summary.json, its unit, and which way is better. One list, so a threshold, a
 * compare row and a cases.csv column can never disagree about what a name means.
 *
 * The lag metrics are here before `kbench lag` is (issue 3 fixes their summary.json
 * paths): they read as "not measured" until a summary has a `lag` block.
 */

export type Better = 'higher' | 'lower' | 'neither';

/** The summary.json block a metric lives in; a summary without that block did not measure it. */
export type MetricBlock = 'put' | 'lag';

export interface Metric {
  /** What users write: `put.records_per_s`, `lag.p99_ms`. */
  readonly name: string;
  /** Where it is in summary.json (dotted), or a description when derived. */
  readonly path: string;
  readonly unit: string;
  readonly better: Better;
  readonly block: MetricBlock;
  /** A headline column of cases.csv, units in the name; undefined: not a headline. */
  readonly column?: string;
  /** A global --max-regression applies to it (the noisiest tails and counts that only inform do not). */
  readonly gated: boolean;
  /** The value in one summary.json; undefined when absent or not a finite number. */
  readonly read: (summary: unknown) => number | undefined;
}

interface MetricDef {
  readonly name: string;
  readonly path: string;
  readonly unit: string;
  readonly better: Better;
  readonly column?: string;
  readonly gated?: boolean;
  readonly read?: (summary: unknown) => number | undefined;
}

/** The value at a dotted path of parsed JSON, when it is a finite number. */
export function numberAt(json: unknown, path: string): number | undefined {
  let node: unknown = json;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'number' && Number.isFinite(node) ? node : undefined;
}

/** The busiest shard's share of accepted records: 100/shards when keys spread evenly, 100 with one hot key. */
function hottestShardPct(summary: unknown): number | undefined {
  const perShard = (summary as { put?: { per_shard?: unknown } } | null)?.put?.per_shard;
  if (typeof perShard !== 'object' || perShard === null) return undefined;
  const shares = Object.keys(perShard).map((shard) => numberAt(perShard, `${shard}.share_pct`));
  const known = shares.filter((share): share is number => share !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

const LATENCY_FIELDS = [
  ['p50', true],
  ['p90', true],
  ['p99', true],
  ['p999', false],
  ['max', false],
] as const;

const latency = (
  block: MetricBlock,
  prefix: string,
  path: string,
  columns: readonly string[],
  columnPrefix: string,
  gatedFields: (field: string) => boolean = () => true,
): MetricDef[] =>
  LATENCY_FIELDS.map(([field, gated]) => ({
    name: `${block}.${prefix}${field}_ms`,
    path: `${block}.${path}.${field}`,
    unit: 'ms',
    better: 'lower' as const,
    gated: gated && gatedFields(field),
    ...(columns.includes(field) && { column: `${columnPrefix}${field}_ms` }),
  }));

const DEFINITIONS: ReadonlyArray<readonly [MetricBlock, readonly MetricDef[]]> = [
  [
    'put',
    [
      { name: 'put.records_per_s', path: 'put.records_per_s', unit: 'records/s', better: 'higher', column: 'put_records_per_s', gated: true },
      { name: 'put.mib_per_s', path: 'put.mib_per_s', unit: 'MiB/s', better: 'higher', column: 'put_mib_per_s', gated: true },
      { name: 'put.throttled_pct', path: 'put.throttled_pct', unit: '%', better: 'lower', column: 'put_throttled_pct', gated: true },
      // Request latency is "put latency": what a PutRecord(s) call costs the caller.
      ...latency('put', '', 'latency_ms', ['p50', 'p99'], 'put_latency_'),
      // Record latency differs from request latency only by retries and batching: its
      // p99 is gated (throttling shows there), the rest would count one change twice.
      ...latency('put', 'record_', 'record_latency_ms', ['p99'], 'put_record_latency_', (field) => field === 'p99'),
      { name: 'put.accepted', path: 'put.records.accepted', unit: 'records', better: 'neither' },
      { name: 'put.failed', path: 'put.records.failed', unit: 'records', better: 'lower', column: 'put_failed_records', gated: true },
      { name: 'put.errors', path: 'put.records.errors', unit: 'attempts', better: 'lower', gated: true },
      { name: 'put.hottest_shard_pct', path: 'the largest put.per_shard.*.share_pct', unit: '%', better: 'lower', column: 'put_hottest_shard_pct', read: hottestShardPct },
    ],
  ],
  [
    'lag',
    [
      ...latency('lag', '', 'latency_ms', ['p50', 'p99'], 'lag_'),
      { name: 'lag.produced', path: 'lag.records.produced', unit: 'records', better: 'neither' },
      { name: 'lag.received', path: 'lag.records.received', unit: 'records', better: 'neither' },
      { name: 'lag.duplicates', path: 'lag.records.duplicates', unit: 'records', better: 'lower', gated: true },
      { name: 'lag.missing', path: 'lag.records.missing', unit: 'records', better: 'lower', column: 'lag_missing_records', gated: true },
    ],
  ],
];

export const METRICS: readonly Metric[] = DEFINITIONS.flatMap(([block, defs]) =>
  defs.map(
    (def): Metric => ({
      name: def.name,
      path: def.path,
      unit: def.unit,
      better: def.better,
      block,
      ...(def.column !== undefined && { column: def.column }),
      gated: def.gated ?? false,
      read: def.read ?? ((summary) => numberAt(summary, def.path)),
    }),
  ),
);

/** cases.csv's headline figures, in this order. */
export const HEADLINE_METRICS: readonly Metric[] = METRICS.filter((metric) => metric.column !== undefined);

/** A metric by its name, or by its summary.json path (`put.latency_ms.p99` = `put.p99_ms`). */
export function findMetric(name: string): Metric | undefined {
  return METRICS.find((metric) => metric.name === name) ?? METRICS.find((metric) => metric.path === name);
}

export function metricNames(): string {
  return METRICS.map((metric) => metric.name).join(', ');
}

/** Whether a summary has the block a metric lives in (a put run has no lag figures). */
export function hasBlock(summary: unknown, block: MetricBlock): boolean {
  const value = (summary as Record<string, unknown> | null)?.[block];
  return typeof value === 'object' && value !== null;
}
