/**
 * A scenario file, checked: every field known, of the right type and in range, each
 * error one line naming the file, line, field and what is allowed. Fields are the mode's
 * flags (see fields.ts); besides them a file may have `description`, `mode`, `matrix`,
 * `thresholds`, `repeat` and `max-regression`. Nothing is run here.
 */
import { UsageError, ValueError } from '../errors/errors.js';
import { parseThreshold, type Threshold } from '../gate/thresholds.js';
import { combineLimits, type RegressionLimits } from '../gate/tolerance.js';
import { allFieldNames, fieldOf, modesWith, type FieldSpec, type ScenarioCatalog } from './fields.js';
import type { PathPart, ScenarioSource } from './scenario-file.js';
import { parseInteger } from '../config/values.js';

/** One value of a field, parsed by the field's flag parser. */
export interface Setting {
  /** As written (a number as its decimal text), for labels and folder names. */
  readonly text: string;
  /** As the flag's parser returns it. */
  readonly value: unknown;
}

export interface MatrixAxis {
  /** A field name, or `mode`. */
  readonly field: string;
  readonly values: readonly Setting[];
}

export interface Scenario {
  readonly file: string;
  readonly description: string | undefined;
  /** Top-level field values by field name; `mode` among them when given. */
  readonly settings: ReadonlyMap<string, Setting>;
  readonly matrix: readonly MatrixAxis[];
  readonly thresholds: readonly Threshold[];
  readonly repeat: number | undefined;
  readonly limits: RegressionLimits;
  /** The modes its cases run, in the order they first appear. */
  readonly modes: readonly string[];
}

export const SCENARIO_KEYS = ['description', 'mode', 'matrix', 'thresholds', 'repeat', 'max-regression'] as const;
export const MAX_CASES = 1000;
export const MAX_REPEAT = 100;

/** `mode` is a field of every scenario; its values are the catalog's modes. */
export const MODE_FIELD = 'mode';

export function validateScenario(source: ScenarioSource, catalog: ScenarioCatalog): Scenario {
  const { data } = source;
  const fail = (path: readonly PathPart[], message: string): never => {
    throw new UsageError(`${source.where(path)}: ${message}`);
  };
  if (!isPlainObject(data)) fail([], `a scenario is a map of fields (e.g. "shards: 3"), not ${describe(data)}`);
  const top = data as Record<string, unknown>;

  // The mode decides which fields exist, so it is checked first.
  const modes: string[] = [];
  const addMode = (path: readonly PathPart[], raw: unknown): Setting => {
    const setting = modeSetting(catalog, raw, (message) => fail(path, message));
    if (!modes.includes(setting.text)) modes.push(setting.text);
    return setting;
  };
  const settings = new Map<string, Setting>();
  if (MODE_FIELD in top) settings.set(MODE_FIELD, addMode([MODE_FIELD], top[MODE_FIELD]));
  const rawMatrix = top['matrix'];
  if (rawMatrix !== undefined && !isPlainObject(rawMatrix)) {
    fail(['matrix'], `matrix is a map of field: [values] (e.g. "shards: [1, 2, 3]"), not ${describe(rawMatrix)}`);
  }
  const matrixEntries = Object.entries((rawMatrix ?? {}) as Record<string, unknown>);
  const modeAxis = matrixEntries.find(([field]) => field === MODE_FIELD);
  if (modeAxis && settings.has(MODE_FIELD))
    fail(['matrix', MODE_FIELD], 'mode is set both at the top level and in matrix: keep one');
  const modeValues = modeAxis
    ? listOf(['matrix', MODE_FIELD], modeAxis[1], fail).map((raw, i) => addMode(['matrix', MODE_FIELD, i], raw))
    : [];
  if (modes.length === 0) modes.push(defaultMode(catalog));

  const checkField = (path: readonly PathPart[], name: string): FieldSpec =>
    fieldFor(catalog, modes, name, (message) => fail(path, message));
  // Once the mode is known, every field is checked and every problem reported, not just the first.
  const problems: string[] = [];
  const attempt = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };

  for (const [key, raw] of Object.entries(top)) {
    if ((SCENARIO_KEYS as readonly string[]).includes(key)) continue;
    attempt(() =>
      settings.set(
        key,
        fieldSetting(checkField([key], key), raw, (message) => fail([key], message)),
      ),
    );
  }

  const matrix: MatrixAxis[] = [];
  for (const [name, raw] of matrixEntries) {
    attempt(() => {
      if (name === MODE_FIELD) {
        matrix.push({ field: MODE_FIELD, values: dedupe(['matrix', name], modeValues, fail) });
        return;
      }
      const field = checkField(['matrix', name], name);
      if (settings.has(name)) fail(['matrix', name], `${name} is set both at the top level and in matrix: keep one`);
      const values = listOf(['matrix', name], raw, fail).map((item, i) =>
        fieldSetting(field, item, (message) =>
          fail(['matrix', name, i], `matrix.${name}[${i}]: ${stripName(message, name)}`),
        ),
      );
      matrix.push({ field: name, values: dedupe(['matrix', name], values, fail) });
    });
  }
  const cases = matrix.reduce((product, axis) => product * axis.values.length, 1);
  if (cases > MAX_CASES) attempt(() => fail(['matrix'], `the matrix makes ${cases} cases; at most ${MAX_CASES}`));

  const description = attempt(() => optionalString(top, 'description', fail));
  const thresholds = attempt(() => thresholdsOf(top['thresholds'], catalog, modes, fail, attempt)) ?? [];
  const repeat =
    top['repeat'] === undefined
      ? undefined
      : attempt(() => repeatOf(top['repeat'], (message) => fail(['repeat'], message)));
  const limits = attempt(() => limitsOf(top['max-regression'], fail));
  // One problem per line, each with its file:line (main prefixes each line "kbench: ").
  if (problems.length > 0 || limits === undefined) throw new UsageError(problems.join('\nkbench: '));

  return { file: source.file, description, settings, matrix, thresholds, repeat, limits, modes };
}

/** The first mode the catalog lists (put) is what a scenario without `mode` runs. */
export function defaultMode(catalog: ScenarioCatalog): string {
  return catalog.modes[0]?.name ?? 'put';
}

function modeSetting(catalog: ScenarioCatalog, raw: unknown, fail: (message: string) => never): Setting {
  const known = catalog.modes.map((mode) => mode.name);
  if (typeof raw !== 'string') return fail(`mode: one of ${known.join(', ')}, not ${describe(raw)}`);
  const unavailable = catalog.unavailable.get(raw);
  if (unavailable !== undefined) return fail(`mode ${raw}: ${unavailable} (available: ${known.join(', ')})`);
  if (!known.includes(raw)) return fail(`mode: "${raw}" is not a mode (use ${known.join(', ')})`);
  return { text: raw, value: raw };
}

/** The field a name refers to, for a scenario running `modes`. */
export function fieldFor(
  catalog: ScenarioCatalog,
  modes: readonly string[],
  name: string,
  fail: (message: string) => never,
): FieldSpec {
  const invocation = catalog.invocationOnly.get(name);
  if (invocation !== undefined) return fail(`${name}: ${invocation}`);
  const owners = modesWith(catalog, name);
  const field = fieldOf(catalog, name);
  if (!field || owners.length === 0) {
    const known = [...SCENARIO_KEYS, ...allFieldNames(catalog)];
    const hint = suggest(name, known);
    return fail(`unknown field "${name}"${hint ? ` (did you mean ${hint}?)` : ''}; allowed: ${known.join(', ')}`);
  }
  if (!owners.some((owner) => modes.includes(owner))) {
    return fail(`${name} applies to mode ${owners.join(' or ')}, and this scenario runs ${modes.join(' and ')}`);
  }
  return field;
}

/** A field's value from a file: a switch takes true/false, any other field a scalar its flag parser accepts. */
export function fieldSetting(field: FieldSpec, raw: unknown, fail: (message: string) => never): Setting {
  if (raw === null || raw === undefined)
    return fail(`${field.name}: has no value (write it as ${field.flag} takes it)`);
  if (field.isSwitch) {
    if (typeof raw !== 'boolean') return fail(`${field.name}: true or false, not ${describe(raw)}`);
    return { text: String(raw), value: raw };
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return fail(`${field.name}: a single value as ${field.flag} takes, not ${describe(raw)}`);
  }
  const text = String(raw);
  try {
    return { text, value: field.parse(text) };
  } catch (error) {
    if (error instanceof ValueError) return fail(`${field.name}: ${error.message}`);
    throw error;
  }
}

function listOf(
  path: readonly PathPart[],
  raw: unknown,
  fail: (path: readonly PathPart[], message: string) => never,
): unknown[] {
  const name = path.join('.');
  if (!Array.isArray(raw)) return fail(path, `${name}: a list of values (e.g. [1, 2, 3]), not ${describe(raw)}`);
  if (raw.length === 0) return fail(path, `${name}: an empty list makes no cases; give at least one value`);
  return raw;
}

function dedupe(
  path: readonly PathPart[],
  values: Setting[],
  fail: (path: readonly PathPart[], message: string) => never,
): Setting[] {
  const seen = new Set<string>();
  for (const value of values) {
    const key = JSON.stringify(value.value);
    if (seen.has(key)) fail(path, `${path.join('.')}: ${value.text} is listed twice`);
    seen.add(key);
  }
  return values;
}

function thresholdsOf(
  raw: unknown,
  catalog: ScenarioCatalog,
  modes: readonly string[],
  fail: (path: readonly PathPart[], message: string) => never,
  /** Runs one item's check, collecting its problem instead of stopping at it. */
  attempt: <T>(check: () => T) => T | undefined,
): Threshold[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    return fail(['thresholds'], `thresholds: a list of strings like "put.records_per_s >= 2500", not ${describe(raw)}`);
  return raw.flatMap((item, i) => {
    const path = ['thresholds', i];
    const threshold = attempt(() => {
      if (typeof item !== 'string')
        return fail(path, `thresholds[${i}]: a string like "put.records_per_s >= 2500", not ${describe(item)}`);
      return checkedThreshold(item, catalog, modes, (message) => fail(path, `thresholds[${i}]: ${message}`));
    });
    return threshold === undefined ? [] : [threshold];
  });
}

/** Parses a threshold and checks its selector against the scenario's fields. */
export function checkedThreshold(
  text: string,
  catalog: ScenarioCatalog,
  modes: readonly string[],
  fail: (message: string) => never,
): Threshold {
  let threshold: Threshold;
  try {
    threshold = parseThreshold(text);
  } catch (error) {
    if (error instanceof ValueError) return fail(error.message);
    throw error;
  }
  for (const [name, value] of threshold.selector) {
    if (name === MODE_FIELD) {
      modeSetting(catalog, value, (message) => fail(`"${text}": ${message}`));
      continue;
    }
    const field = fieldFor(catalog, modes, name, (message) => fail(`"${text}": ${message}`));
    fieldSetting(field, selectorValue(field, value), (message) => fail(`"${text}": ${message}`));
  }
  return threshold;
}

/** A selector's value as a file would hold it: switches are true/false. */
export function selectorValue(field: FieldSpec, text: string): unknown {
  if (!field.isSwitch) return text;
  return text === 'true' ? true : text === 'false' ? false : text;
}

export function repeatOf(raw: unknown, fail: (message: string) => never): number {
  if (typeof raw !== 'number' && typeof raw !== 'string')
    return fail(`repeat: an integer from 1 to ${MAX_REPEAT}, not ${describe(raw)}`);
  try {
    return parseInteger(String(raw), 1, MAX_REPEAT);
  } catch (error) {
    if (error instanceof ValueError) return fail(`repeat: ${error.message}`);
    throw error;
  }
}

function limitsOf(raw: unknown, fail: (path: readonly PathPart[], message: string) => never): RegressionLimits {
  if (raw === undefined) return combineLimits([]);
  let texts: Array<[readonly PathPart[], string]>;
  if (typeof raw === 'string') texts = [[['max-regression'], raw]];
  else if (isPlainObject(raw)) {
    texts = Object.entries(raw as Record<string, unknown>).map(([metric, value]) => {
      const path = ['max-regression', metric];
      if (typeof value !== 'string' && typeof value !== 'number')
        return fail(path, `max-regression.${metric}: a tolerance like 10%, not ${describe(value)}`);
      return [path, `${metric}=${String(value)}`];
    });
  } else {
    return fail(
      ['max-regression'],
      `max-regression: a tolerance like 10%, or a map of metric: tolerance, not ${describe(raw)}`,
    );
  }
  let limits = combineLimits([]);
  for (const [path, text] of texts) {
    try {
      limits = combineLimits([text], limits);
    } catch (error) {
      if (error instanceof ValueError) fail(path, `max-regression: ${error.message}`);
      throw error;
    }
  }
  return limits;
}

function optionalString(
  top: Record<string, unknown>,
  key: string,
  fail: (path: readonly PathPart[], message: string) => never,
): string | undefined {
  const raw = top[key];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') return fail([key], `${key}: a string, not ${describe(raw)}`);
  return raw;
}

function stripName(message: string, name: string): string {
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a wrong value is, in words: "a list", "true (a boolean)". */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'boolean') return `${value} (a boolean)`;
  if (typeof value === 'number') return `${value} (a number)`;
  return `"${String(value)}"`;
}

/** The closest allowed name: the same once case and _/- are ignored, or at most 2 edits away. */
function suggest(name: string, known: readonly string[]): string | undefined {
  const norm = (text: string): string => text.toLowerCase().replace(/_/g, '-');
  const same = known.find((k) => norm(k) === norm(name));
  if (same) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(norm(name), norm(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
