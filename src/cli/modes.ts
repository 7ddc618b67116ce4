/**
 * The commands a scenario can run, by `mode`: where each one's fields (its flags) come
 * from, how flag values become its options, and what runs them. Adding a mode is one
 * entry here. A mode kbench knows of but a build cannot run goes in UNAVAILABLE_MODES:
 * a scenario asking for it gets a one-line error instead of a crash or a silent skip.
 */
import type { Command } from 'commander';
import { lagCommand } from '../app/lag-command.js';
import { putCommand } from '../app/put-command.js';
import type { CommandIo, CommandOutcome } from '../app/session.js';
import { consumerOptionsJson, producerOptionsJson, sessionOptionsJson } from '../results/summary.js';
import type { ScenarioCatalog } from '../scenario/fields.js';
import { defineLagCommand, lagOptionsFromFlags, type LagFlags } from './lag.js';
import { definePutCommand, putOptionsFromFlags, type PutFlags } from './put.js';
import { INVOCATION_FLAGS, defaultsOf, fieldsOf } from './scenario-fields.js';

/** One case's run, ready to go: its options are built and checked. */
export interface PreparedRun {
  /** The options as its summary.json will list them (units in the names). */
  readonly optionsJson: Readonly<Record<string, unknown>>;
  readonly run: (io: CommandIo) => Promise<CommandOutcome>;
}

export interface Mode {
  readonly name: string;
  /** The command whose flags are this mode's fields; its action never runs. */
  readonly define: () => Command;
  /** Flag values (commander's shape) -> checked options -> a run. Throws UsageError. */
  readonly prepare: (flags: Record<string, unknown>) => PreparedRun;
}

const noAction = async (): Promise<void> => undefined;

export const MODES: readonly Mode[] = [
  {
    name: 'put',
    define: () => definePutCommand(noAction),
    prepare: (flags) => {
      const options = putOptionsFromFlags(flags as unknown as PutFlags);
      return {
        optionsJson: { ...sessionOptionsJson(options), ...producerOptionsJson(options) },
        run: (io) => putCommand(options, io),
      };
    },
  },
  {
    name: 'lag',
    define: () => defineLagCommand(noAction),
    prepare: (flags) => {
      const options = lagOptionsFromFlags(flags as unknown as LagFlags);
      return {
        optionsJson: {
          ...sessionOptionsJson(options),
          ...producerOptionsJson(options),
          ...consumerOptionsJson(options),
        },
        run: (io) => lagCommand(options, io),
      };
    },
  },
];

/** Modes kbench will have, and why this build cannot run them. */
export const UNAVAILABLE_MODES: ReadonlyMap<string, string> = new Map();

export function scenarioCatalog(): ScenarioCatalog {
  return {
    modes: MODES.map((mode) => {
      const command = mode.define();
      return { name: mode.name, fields: fieldsOf(command), defaults: defaultsOf(command) };
    }),
    unavailable: UNAVAILABLE_MODES,
    invocationOnly: INVOCATION_FLAGS,
  };
}

export function modeNamed(name: string): Mode | undefined {
  return MODES.find((mode) => mode.name === name);
}
