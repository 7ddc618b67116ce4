/**
 * run.json: the machine-readable record of a `kbench run`: the scenario, each case with
 * its parameters, its repetitions' folders and how each ended, and at the end the gate.
 * `kbench compare` and `kbench merge` find a run's cases through it. Rewritten as each
 * case ends. Pure: plain objects in, plain objects out.
 */
import type { ThresholdResult } from '../gate/thresholds.js';
import { formatTolerance } from '../gate/tolerance.js';
import { gatePassed, type GateResult } from '../gate/verdict.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import type { CaseStatus } from './cases-csv.js';

export const RUN_SCHEMA_VERSION = 1;

export type RepetitionStatus = 'completed' | 'failed' | 'interrupted' | 'skipped' | 'pending';

export interface RepetitionRecord {
  readonly folder: string;
  readonly run_id: string;
  readonly status: RepetitionStatus;
  readonly error: string | null;
}

export interface CaseRecord {
  readonly case: number;
  readonly id: string;
  /** Matches the case across runs: "batch=1,shards=2". */
  readonly key: string;
  readonly label: string;
  readonly mode: string;
  /** The matrix values as written in the scenario. */
  readonly params: Readonly<Record<string, string>>;
  readonly status: CaseStatus | 'pending';
  readonly error: string | null;
  readonly runs: readonly RepetitionRecord[];
}

export interface RunManifest {
  readonly schema_version: number;
  readonly kbench: { readonly version: string; readonly node: string };
  readonly command: 'run';
  readonly run_id: string;
  readonly scenario: string;
  readonly description: string | null;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly repeat: number;
  readonly status: 'running' | 'completed' | 'failed' | 'interrupted';
  readonly cases: readonly CaseRecord[];
  readonly gate: Record<string, unknown> | null;
}

export interface ManifestInput {
  readonly runId: string;
  readonly scenario: string;
  readonly description: string | undefined;
  readonly startedAt: Date;
  readonly endedAt: Date | undefined;
  readonly repeat: number;
  readonly status: RunManifest['status'];
  readonly cases: readonly CaseRecord[];
  readonly gate: GateResult | undefined;
}

export function runManifest(input: ManifestInput): RunManifest {
  return {
    schema_version: RUN_SCHEMA_VERSION,
    kbench: { version: KBENCH_VERSION, node: process.version },
    command: 'run',
    run_id: input.runId,
    scenario: input.scenario,
    description: input.description ?? null,
    started_at: input.startedAt.toISOString(),
    ended_at: input.endedAt?.toISOString() ?? null,
    repeat: input.repeat,
    status: input.status,
    cases: input.cases,
    gate: input.gate ? gateJson(input.gate) : null,
  };
}

/** The gate as JSON: for run.json, and `kbench compare --json`. */
export function gateJson(gate: GateResult): Record<string, unknown> {
  const comparison = gate.comparison;
  return {
    passed: gatePassed(gate),
    // Why the gate could not pass whatever the figures (an interrupted run), or null.
    incomplete: gate.incomplete ?? null,
    thresholds: gate.thresholds.map(thresholdJson),
    comparison: comparison
      ? {
          baseline: comparison.baseline,
          current: comparison.current,
          gated: comparison.gated,
          passed: comparison.passed,
          rows: comparison.rows.map((row) => ({
            case: row.case,
            metric: row.metric.name,
            unit: row.metric.unit,
            baseline: row.baseline.median,
            current: row.current?.median ?? null,
            current_min: row.current?.min ?? null,
            current_max: row.current?.max ?? null,
            change_pct: row.changePct === undefined ? null : Math.round(row.changePct * 100) / 100,
            max_regression: row.tolerance ? formatTolerance(row.tolerance, row.metric.unit) : null,
            verdict: row.verdict,
          })),
          missing_cases: comparison.missingCases,
          new_cases: comparison.newCases,
          notes: comparison.notes,
        }
      : null,
  };
}

function thresholdJson(result: ThresholdResult): Record<string, unknown> {
  return {
    case: result.case,
    threshold: result.threshold.text,
    metric: result.threshold.metric.name,
    unit: result.threshold.metric.unit,
    value: result.value?.median ?? null,
    min: result.value?.min ?? null,
    max: result.value?.max ?? null,
    repetitions: result.value?.n ?? 0,
    status: result.status,
  };
}
