/**
 * What a scenario file may say, described without commander: each command (mode) has
 * fields, and a field is one of its flags without the `--` (`record-size: 100` is
 * `--record-size 100`), parsed by the flag's own parser so a file and a flag are held
 * to the same rules and say the same thing about what is allowed. The CLI builds this
 * catalog from its commands (src/cli/modes.ts).
 */

export interface FieldSpec {
  /** `record-size`: the flag's long name without `--`. */
  readonly name: string;
  /** `recordSize`: where commander puts the flag's value, and the mode's options read it. */
  readonly key: string;
  /** `--record-size <bytes>`, for messages. */
  readonly flag: string;
  /** A flag without a value (`--keep-stream`): true or false in a file. */
  readonly isSwitch: boolean;
  /** The flag's parser: text -> value, or a ValueError saying what is allowed. */
  readonly parse: (text: string) => unknown;
}

export interface ModeSpec {
  /** `put`: the command whose flags are the fields. */
  readonly name: string;
  readonly fields: readonly FieldSpec[];
  /** The command's defaults, by key. */
  readonly defaults: Readonly<Record<string, unknown>>;
}

export interface ScenarioCatalog {
  readonly modes: readonly ModeSpec[];
  /** Modes kbench knows of that this build cannot run, with the reason. */
  readonly unavailable: ReadonlyMap<string, string>;
  /** Flags that belong to one invocation, not to a workload (`--out`), with what to do instead. */
  readonly invocationOnly: ReadonlyMap<string, string>;
}

export function fieldOf(catalog: ScenarioCatalog, name: string): FieldSpec | undefined {
  for (const mode of catalog.modes) {
    const field = mode.fields.find((f) => f.name === name);
    if (field) return field;
  }
  return undefined;
}

/** The modes that have a field. */
export function modesWith(catalog: ScenarioCatalog, name: string): string[] {
  return catalog.modes.filter((mode) => mode.fields.some((f) => f.name === name)).map((mode) => mode.name);
}

export function allFieldNames(catalog: ScenarioCatalog): string[] {
  return [...new Set(catalog.modes.flatMap((mode) => mode.fields.map((f) => f.name)))];
}
