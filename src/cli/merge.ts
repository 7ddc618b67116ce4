/** `kbench merge DIR...`: arguments -> MergeOptions. No work happens here. */
import { Command } from 'commander';
import type { MergeOptions } from '../app/merge-command.js';

export function defineMergeCommand(run: (options: MergeOptions) => Promise<void>): Command {
  return new Command('merge')
    .description(
      'merge the results folders of several kbench put (or lag) processes of one run (same --run-id, e.g. one per ' +
        'host): histograms added, rates summed per interval',
    )
    .argument('<dirs...>', 'two or more kbench put results folders, or two or more kbench lag results folders')
    .option('--out <dir>', 'the merged results folder (default: results/<run id>-merged)')
    .option(
      '--force',
      "a non-empty --out folder: remove the kbench results in it (only kbench's files) instead of refusing it",
    )
    .option('--json', 'print the merged summary.json on stdout instead of the table')
    .action(async (dirs: string[], flags: { out?: string; force?: boolean; json?: boolean }) => {
      await run({ dirs, out: flags.out, force: flags.force === true, json: flags.json === true });
    });
}
