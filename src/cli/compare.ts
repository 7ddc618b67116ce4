/** `kbench compare BASELINE CURRENT`: flags -> CompareOptions. No work happens here. */
import { Command, Option } from 'commander';
import type { CompareOptions } from '../app/compare-command.js';
import { combineLimits, parseRegressionLimit } from '../gate/tolerance.js';
import { repeatableFlag } from './flag-parsers.js';

interface CompareFlags {
  readonly maxRegression: string[];
  readonly markdown?: string;
  readonly json?: boolean;
}

export function defineCompareCommand(
  run: (options: CompareOptions) => Promise<void>,
  env: NodeJS.ProcessEnv = process.env,
): Command {
  return new Command('compare')
    .description(
      'compare two results, metric by metric (medians over repetitions), and gate on --max-regression (exit 99)',
    )
    .argument('<baseline>', 'a kbench run folder (or its run.json), a results folder, or a summary.json')
    .argument('<current>', 'the same, for the result to judge')
    .addOption(
      new Option(
        '--max-regression <tolerance>',
        'fail when a metric gets worse by more than this: 10% for every gated metric, put.p99_ms=20% for one, ' +
          'put.throttled_pct=1 in its unit, put.p90_ms=off (repeatable)',
      )
        .argParser(repeatableFlag(parseRegressionLimit))
        .default([], 'none: compare only informs'),
    )
    .option('--markdown <file>', 'write the comparison as Markdown (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--json', 'print the comparison as JSON instead of the table')
    .action(async (baseline: string, current: string, flags: CompareFlags) => {
      await run({
        baseline,
        current,
        limits: combineLimits(flags.maxRegression),
        markdown: flags.markdown,
        stepSummary: env['GITHUB_STEP_SUMMARY'] || undefined,
        json: flags.json === true,
      });
    });
}
