/** `kbench report DIR...`: arguments -> ReportOptions. No work happens here. */
import { Command } from 'commander';
import type { ReportOptions } from '../app/report-command.js';

export function defineReportCommand(run: (options: ReportOptions) => Promise<void>): Command {
  return new Command('report')
    .description(
      'draw report.html (charts of throughput, latency, lag and percentile distributions; opens from disk) from ' +
        'results folders or kbench run folders',
    )
    .argument(
      '<dirs...>',
      'one or more kbench results folders (put, lag, merge) or kbench run folders; several are drawn side by side',
    )
    .option('--out <file>', 'the page (default: report.html in the one folder given; required with several)')
    .option('--baseline <dir>', 'a results or run folder whose curves are drawn beside the current ones')
    .action(async (dirs: string[], flags: { out?: string; baseline?: string }) => {
      await run({ dirs, out: flags.out, baseline: flags.baseline });
    });
}
