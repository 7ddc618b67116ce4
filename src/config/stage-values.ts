/**
 * The --stages value ("500/s:30s,0-5000/s:2m"): a rate held or ramped for a time, per stage.
 * Parsed and formatted here with the other option values; workload/rate-profile.ts turns
 * stages into a schedule.
 */
import { ValueError } from '../errors/errors.js';
import { formatDurationMs, parseDurationMs } from './values.js';

export interface Stage {
  /** Target records/s at the stage's start and end (equal: a step; different: a ramp). */
  readonly fromPerS: number;
  readonly toPerS: number;
  readonly durationMs: number;
}

/** The most stages one profile may have (a longer list is a mistake, not a workload). */
export const MAX_STAGES = 1000;
/** The highest target rate a stage may have, records/s in total. */
export const MAX_STAGE_RATE = 10_000_000;

const STAGE = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?\/s:(.+)$/;

/** "500/s:30s,3000/s:10s,0-5000/s:2m" -> stages. Throws ValueError saying what is allowed. */
export function parseStages(text: string): Stage[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part === '')) {
    throw new ValueError(`"${text}" is not a list of stages (use e.g. 500/s:30s,3000/s:10s or 0-5000/s:2m)`);
  }
  if (parts.length > MAX_STAGES) throw new ValueError(`has ${parts.length} stages; at most ${MAX_STAGES}`);
  const stages = parts.map(parseStage);
  if (stages.every((stage) => stage.fromPerS === 0 && stage.toPerS === 0)) {
    throw new ValueError(`"${text}" sends nothing (every stage is 0/s)`);
  }
  return stages;
}

function parseStage(text: string): Stage {
  const match = STAGE.exec(text);
  const allowed = 'a stage is <records/s>/s:<time> or <from>-<to>/s:<time>, e.g. 500/s:30s or 0-5000/s:2m';
  if (!match) throw new ValueError(`"${text}" is not a stage (${allowed})`);
  const fromPerS = Number(match[1]);
  const toPerS = match[2] === undefined ? fromPerS : Number(match[2]);
  if (fromPerS > MAX_STAGE_RATE || toPerS > MAX_STAGE_RATE) {
    throw new ValueError(`"${text}": a stage's rate is at most ${MAX_STAGE_RATE} records/s`);
  }
  let durationMs: number;
  try {
    durationMs = parseDurationMs(match[3] ?? '');
  } catch {
    throw new ValueError(`"${text}" has no valid time (${allowed})`);
  }
  if (durationMs <= 0) throw new ValueError(`"${text}": a stage lasts more than 0s`);
  return { fromPerS, toPerS, durationMs };
}

export function formatStages(stages: readonly Stage[]): string {
  return stages
    .map(
      (stage) =>
        `${stage.fromPerS === stage.toPerS ? stage.fromPerS : `${stage.fromPerS}-${stage.toPerS}`}` +
        `/s:${formatDurationMs(stage.durationMs)}`,
    )
    .join(',');
}
