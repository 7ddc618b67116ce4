/**
 * The find-max search as results: summary.json's `find_max` block and find-max.csv (one
 * row per step). Units in every name. Pure. (Its table is console/find-max-text.ts.)
 */
import { stringify } from 'csv-stringify/sync';
import { FIND_MAX_BEHIND_MS, FIND_MAX_BUSY, type FindMaxSettings } from '../config/find-max-settings.js';
import type { FindMaxCriterion, FindMaxResult, StepEvidence } from '../model/find-max-result.js';

export const FIND_MAX_CSV = 'find-max.csv';

export interface FindMaxStepJson {
  readonly step: number;
  readonly target_records_per_s: number;
  readonly accepted_records_per_s: number;
  readonly throttled_pct: number;
  readonly record_latency_p99_ms: number;
  readonly latency_p99_ms: number;
  readonly schedule_behind_max_ms: number;
  readonly event_loop_utilization: number;
  readonly held: boolean;
  readonly broke_on: readonly FindMaxCriterion[];
}

export interface FindMaxJson {
  /** The highest rate every criterion held at; null if none did. */
  readonly max_records_per_s: number | null;
  /** The lowest rate that broke; null if none did. */
  readonly broke_at_records_per_s: number | null;
  /** What broke there: throttled, p99, client. */
  readonly stopped_by: readonly FindMaxCriterion[];
  readonly ended: FindMaxResult['ended'];
  readonly criteria: {
    readonly max_throttled_pct: number;
    readonly max_record_latency_p99_ms: number | null;
    readonly client_schedule_behind_max_ms: number;
    readonly client_event_loop_utilization_max: number;
  };
  readonly start_records_per_s: number;
  readonly step_factor: number;
  readonly precision_pct: number;
  readonly settle_s: number;
  readonly steps: readonly FindMaxStepJson[];
}

function stepJson(s: StepEvidence): FindMaxStepJson {
  return {
    step: s.step,
    target_records_per_s: s.targetPerS,
    accepted_records_per_s: s.acceptedPerS,
    throttled_pct: s.throttledPct,
    record_latency_p99_ms: s.recordP99Ms,
    latency_p99_ms: s.requestP99Ms,
    schedule_behind_max_ms: Math.round(s.behindMaxMs * 1000) / 1000,
    event_loop_utilization: s.eventLoopUtilization,
    held: s.held,
    broke_on: s.brokeOn,
  };
}

export function findMaxJson(result: FindMaxResult, settings: FindMaxSettings): FindMaxJson {
  return {
    max_records_per_s: result.maxPerS,
    broke_at_records_per_s: result.brokeAtPerS,
    stopped_by: result.stoppedBy,
    ended: result.ended,
    criteria: {
      max_throttled_pct: settings.maxThrottledPct,
      max_record_latency_p99_ms: settings.maxP99Ms ?? null,
      client_schedule_behind_max_ms: FIND_MAX_BEHIND_MS,
      client_event_loop_utilization_max: FIND_MAX_BUSY,
    },
    start_records_per_s: settings.startPerS,
    step_factor: settings.stepFactor,
    precision_pct: Math.round(settings.precision * 100_000) / 1000,
    settle_s: settings.settleMs / 1000,
    steps: result.steps.map(stepJson),
  };
}

const COLUMNS = [
  'step',
  'target_records_per_s',
  'accepted_records_per_s',
  'throttled_pct',
  'record_latency_p99_ms',
  'latency_p99_ms',
  'schedule_behind_max_ms',
  'event_loop_utilization',
  'held',
  'broke_on',
] as const satisfies readonly (keyof FindMaxStepJson)[];

export function findMaxCsv(steps: readonly StepEvidence[]): string {
  return stringify([
    COLUMNS,
    ...steps.map(stepJson).map((s) => COLUMNS.map((c) => (c === 'broke_on' ? s.broke_on.join(' ') : String(s[c])))),
  ]);
}
