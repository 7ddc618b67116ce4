/**
 * A checked scenario, with the command line's overrides, into cases: the cartesian
 * product of the matrix (first axis outermost), each case with its mode and the flag
 * values its mode's options are built from. Pure.
 */
import { UsageError, ValueError } from '../errors/errors.js';
import type { Threshold } from '../gate/thresholds.js';
import type { ModeSpec, ScenarioCatalog } from './fields.js';
import {
  MODE_FIELD,
  defaultMode,
  fieldFor,
  selectorValue,
  type MatrixAxis,
  type Scenario,
  type Setting,
} from './scenario.js';

export interface CaseSpec {
  /** 1, 2, ... in run order. */
  readonly index: number;
  readonly mode: string;
  /** This case's matrix values, in matrix order. */
  readonly params: ReadonlyArray<readonly [field: string, setting: Setting]>;
  /** Identifies the case across runs whatever the matrix order: "batch=1,shards=2"; "" without a matrix. */
  readonly key: string;
  /** For people: "shards=2 batch=1", or "(single case)". */
  readonly label: string;
  /** Folder name: "c01-shards-2-batch-1". */
  readonly slug: string;
  /** "c01": short, for stream names and run ids. */
  readonly short: string;
  /** Flag values by key, as commander would hold them: the mode's defaults, then the file, then the command line. */
  readonly flags: Readonly<Record<string, unknown>>;
}

/** Values given on the command line, by field name: they replace the file's, matrix axes included. */
export type Overrides = ReadonlyMap<string, Setting>;

export function expandCases(scenario: Scenario, catalog: ScenarioCatalog, overrides: Overrides): CaseSpec[] {
  for (const name of overrides.keys()) {
    fieldFor(catalog, scenario.modes, name, (message) => {
      throw new UsageError(`--${name}: ${message.replace(/^[\w-]+: /, '')}`);
    });
  }
  // An overridden axis collapses to the command line's one value, and stays a parameter
  // of the case, so the case still matches the same case of a full run (compare).
  const axes = scenario.matrix.map((axis): MatrixAxis => {
    const override = overrides.get(axis.field);
    return override ? { field: axis.field, values: [override] } : axis;
  });
  const settings = new Map([...scenario.settings, ...overrides]);
  const combos = cartesian(axes);
  const width = String(combos.length).length < 2 ? 2 : String(combos.length).length;
  return combos.map((params, i) => {
    const all = new Map([...settings, ...params]);
    const mode = String(all.get(MODE_FIELD)?.value ?? defaultMode(catalog));
    const spec = catalog.modes.find((m) => m.name === mode);
    if (!spec) throw new UsageError(`${scenario.file}: mode ${mode} is not available`);
    const short = `c${String(i + 1).padStart(width, '0')}`;
    return {
      index: i + 1,
      mode,
      params,
      key: [...params]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([field, s]) => `${field}=${s.text}`)
        .join(','),
      label: params.length > 0 ? params.map(([field, s]) => `${field}=${s.text}`).join(' ') : '(single case)',
      slug: [short, ...params.map(([field, s]) => `${field}-${s.text}`)]
        .join('-')
        .replace(/[^A-Za-z0-9._-]/g, '_')
        .slice(0, 120),
      short,
      flags: flagsFor(scenario.file, spec, all),
    };
  });
}

function cartesian(axes: readonly MatrixAxis[]): Array<Array<readonly [string, Setting]>> {
  let combos: Array<Array<readonly [string, Setting]>> = [[]];
  for (const axis of axes) {
    combos = combos.flatMap((combo) => axis.values.map((value) => [...combo, [axis.field, value] as const]));
  }
  return combos;
}

/**
 * The mode's defaults, overlaid with every setting that is one of its fields, read by
 * this mode's own parser (two modes may share a flag name, each with its own rules).
 */
function flagsFor(file: string, mode: ModeSpec, settings: ReadonlyMap<string, Setting>): Record<string, unknown> {
  const flags: Record<string, unknown> = { ...mode.defaults };
  for (const field of mode.fields) {
    const setting = settings.get(field.name);
    if (!setting) continue;
    try {
      flags[field.key] = field.isSwitch ? setting.value : field.parse(setting.text);
    } catch (error) {
      if (error instanceof ValueError)
        throw new UsageError(`${file}: ${field.name} (mode ${mode.name}): ${error.message}`);
      throw error;
    }
  }
  return flags;
}

/** Whether a threshold's `{field=value}` selector picks a case. */
export function selects(threshold: Threshold, spec: CaseSpec, catalog: ScenarioCatalog): boolean {
  return threshold.selector.every(([name, text]) => {
    if (name === MODE_FIELD) return spec.mode === text;
    const field = catalog.modes.find((m) => m.name === spec.mode)?.fields.find((f) => f.name === name);
    if (!field) return false;
    const raw = selectorValue(field, text);
    const value = typeof raw === 'boolean' ? raw : field.parse(String(raw));
    return JSON.stringify(value) === JSON.stringify(spec.flags[field.key]);
  });
}

/** A threshold whose selector picks no case is a typo, not a pass. */
export function checkThresholdsSelect(
  file: string,
  thresholds: readonly Threshold[],
  cases: readonly CaseSpec[],
  catalog: ScenarioCatalog,
): void {
  for (const threshold of thresholds) {
    if (!cases.some((spec) => selects(threshold, spec, catalog))) {
      throw new UsageError(
        `${file}: threshold "${threshold.text}" selects none of the cases (${cases.map((c) => c.label).join('; ')})`,
      );
    }
  }
}
