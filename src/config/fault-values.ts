/**
 * Faults the local quota layer can inject, and their flag syntax.
 * - `--inject-latency`: `20ms` (fixed), `10ms-50ms` (uniform), `exp:20ms` (exponential
 *   with that mean), for all data calls, or per side: `writes=20ms,reads=exp:50ms`.
 * - `--inject-errors`: `2%` (spread evenly over the three kinds), or per kind:
 *   `500=1%,503=0.5%,reset=0.1%`.
 */
import { ValueError } from '../errors/errors.js';
import { numberFromText, parseDurationMs } from './values.js';

export type LatencyDistribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly meanMs: number };

/** Writes are PutRecord and PutRecords; reads are GetRecords and GetShardIterator. */
export interface LatencyFaults {
  readonly writes?: LatencyDistribution;
  readonly reads?: LatencyDistribution;
}

/** Percentages (0-100) of data calls answered with each fault instead of being served. */
export interface ErrorFaults {
  /** HTTP 500 InternalFailure. */
  readonly internalFailurePct: number;
  /** HTTP 503 ServiceUnavailable. */
  readonly serviceUnavailablePct: number;
  /** The connection is closed without an answer. */
  readonly connectionResetPct: number;
}

export interface FaultSpec {
  readonly latency?: LatencyFaults;
  readonly errors?: ErrorFaults;
}

export function hasFaults(faults: FaultSpec | undefined): boolean {
  return faults?.latency !== undefined || faults?.errors !== undefined;
}

const LATENCY_ALLOWED =
  'use e.g. 20ms, 10ms-50ms (uniform), exp:20ms (exponential, that mean), or per side: writes=20ms,reads=exp:50ms';

export function parseLatencyFaults(text: string): LatencyFaults {
  const result: { writes?: LatencyDistribution; reads?: LatencyDistribution } = {};
  for (const part of text.split(',')) {
    const trimmed = part.trim().toLowerCase();
    const scoped = /^(writes|reads)=(.*)$/.exec(trimmed);
    const sides: Array<'writes' | 'reads'> = scoped ? [scoped[1] as 'writes' | 'reads'] : ['writes', 'reads'];
    const distribution = parseDistribution(scoped ? (scoped[2] ?? '') : trimmed, text);
    for (const side of sides) {
      if (result[side] !== undefined) throw new ValueError(`"${text}" sets the ${side} latency twice`);
      result[side] = distribution;
    }
  }
  return result;
}

function parseDistribution(text: string, whole: string): LatencyDistribution {
  const duration = (part: string): number => {
    try {
      return parseDurationMs(part);
    } catch {
      throw new ValueError(`"${whole}" is not a latency (${LATENCY_ALLOWED})`);
    }
  };
  if (text.startsWith('exp:')) {
    const meanMs = duration(text.slice(4));
    if (meanMs <= 0) throw new ValueError(`"${whole}": an exponential latency needs a mean above 0`);
    return { kind: 'exponential', meanMs };
  }
  const range = text.split('-');
  if (range.length === 2) {
    const minMs = duration(range[0] ?? '');
    const maxMs = duration(range[1] ?? '');
    if (maxMs < minMs) throw new ValueError(`"${whole}": a latency range goes from low to high`);
    return { kind: 'uniform', minMs, maxMs };
  }
  return { kind: 'fixed', ms: duration(text) };
}

const ERRORS_ALLOWED = 'use e.g. 2% (spread over 500, 503 and reset), or per kind: 500=1%,503=0.5%,reset=0.1%';

export function parseErrorFaults(text: string): ErrorFaults {
  const trimmed = text.trim().toLowerCase();
  const percent = (part: string): number => {
    const match = /^(.*)%$/.exec(part.trim());
    const value = match ? numberFromText(match[1] ?? '') : Number.NaN;
    if (!Number.isFinite(value) || value > 100)
      throw new ValueError(`"${text}" is not an error rate (${ERRORS_ALLOWED})`);
    return value;
  };
  if (!trimmed.includes('=')) {
    const each = percent(trimmed) / 3;
    return checkTotal({ internalFailurePct: each, serviceUnavailablePct: each, connectionResetPct: each }, text);
  }
  const result = { internalFailurePct: 0, serviceUnavailablePct: 0, connectionResetPct: 0 };
  const fields: Readonly<Record<string, keyof ErrorFaults>> = {
    '500': 'internalFailurePct',
    '503': 'serviceUnavailablePct',
    reset: 'connectionResetPct',
  };
  const seen = new Set<string>();
  for (const part of trimmed.split(',')) {
    const [key = '', value = '', ...rest] = part.split('=').map((s) => s.trim());
    const field = fields[key];
    if (field === undefined || rest.length > 0)
      throw new ValueError(`"${text}" is not an error rate (${ERRORS_ALLOWED})`);
    if (seen.has(key)) throw new ValueError(`"${text}" names ${key} twice`);
    seen.add(key);
    result[field] = percent(value);
  }
  return checkTotal(result, text);
}

function checkTotal(faults: ErrorFaults, text: string): ErrorFaults {
  const total = faults.internalFailurePct + faults.serviceUnavailablePct + faults.connectionResetPct;
  if (total > 100) throw new ValueError(`"${text}" adds up to more than 100%`);
  return faults;
}

/** `--inject-latency` as a user would type it. */
export function formatLatencyFaults(latency: LatencyFaults): string {
  const one = (d: LatencyDistribution): string =>
    d.kind === 'fixed' ? `${d.ms}ms` : d.kind === 'uniform' ? `${d.minMs}ms-${d.maxMs}ms` : `exp:${d.meanMs}ms`;
  const { writes, reads } = latency;
  if (writes && reads && one(writes) === one(reads)) return one(writes);
  return [writes && `writes=${one(writes)}`, reads && `reads=${one(reads)}`].filter(Boolean).join(',');
}

/** `--inject-errors` as a user would type it. */
export function formatErrorFaults(errors: ErrorFaults): string {
  const pct = (n: number): string => `${Math.round(n * 1e4) / 1e4}%`;
  return (
    `500=${pct(errors.internalFailurePct)},503=${pct(errors.serviceUnavailablePct)},` +
    `reset=${pct(errors.connectionResetPct)}`
  );
}
