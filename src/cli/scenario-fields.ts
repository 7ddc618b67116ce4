/**
 * A command's commander options as scenario fields: the same names (without `--`), the
 * same parsers and choices, the same defaults. So `record-size: 31` in a file and
 * `--record-size 31` on the command line are refused with the same words.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { FieldSpec } from '../scenario/fields.js';
import { ValueError } from '../errors/errors.js';

/** Flags about one invocation rather than a workload: kbench run takes them on its command line. */
export const INVOCATION_FLAGS: ReadonlyMap<string, string> = new Map([
  ['run-id', 'give it on the command line (kbench run FILE --run-id ID): each case adds its own suffix'],
  ['out', 'give it on the command line (kbench run FILE --out DIR): cases get sub-folders'],
  ['force', 'give it on the command line (kbench run FILE --force)'],
  ['json', 'give it on the command line (kbench run FILE --json)'],
  ['quiet', 'give it on the command line (kbench run FILE --quiet)'],
]);

export function fieldsOf(command: Command): FieldSpec[] {
  return command.options
    .filter((option) => option.long !== undefined && !INVOCATION_FLAGS.has(option.long.slice(2)))
    .map((option) => ({
      name: (option.long ?? '').slice(2),
      key: option.attributeName(),
      flag: option.flags,
      isSwitch: option.isBoolean(),
      parse: valueParser(option),
    }));
}

export function defaultsOf(command: Command): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const option of command.options) {
    if (option.defaultValue !== undefined) defaults[option.attributeName()] = option.defaultValue;
  }
  return defaults;
}

/** The option's own parser (choices included), throwing ValueError as the scenario expects. */
function valueParser(option: Option): (text: string) => unknown {
  return (text) => {
    if (option.argChoices && !option.argChoices.includes(text)) {
      throw new ValueError(`"${text}" is not one of ${option.argChoices.join(', ')}`);
    }
    if (!option.parseArg) return text;
    try {
      return option.parseArg(text, undefined);
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw new ValueError(error.message);
      throw error;
    }
  };
}

/**
 * A copy of an option for another command, without its default (a flag given to kbench
 * run overrides the scenario only when it is given), recording the text as typed.
 */
export function overrideOption(option: Option, typed: Map<string, string>): Option {
  const copy = new Option(option.flags, option.description);
  if (option.isBoolean()) return copy;
  if (option.argChoices) copy.argChoices = [...option.argChoices];
  const parse = option.parseArg;
  const name = (option.long ?? '').slice(2);
  return copy.argParser((text: string, previous: unknown) => {
    typed.set(name, text);
    return parse ? parse(text, previous) : text;
  });
}
