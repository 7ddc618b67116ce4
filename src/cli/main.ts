/**
 * The kbench command line: parses, runs one command, and exits from this one place with
 * a code CI can read (0 ok, 1 the run failed, 2 usage error, 99 a threshold or regression
 * limit failed, 130/143 interrupted).
 */
import { Command, CommanderError } from 'commander';
import { compareCommand } from '../app/compare-command.js';
import { completionCommand } from '../app/completion-command.js';
import { mergeCommand } from '../app/merge-command.js';
import { lagCommand } from '../app/lag-command.js';
import { putCommand } from '../app/put-command.js';
import { reportCommand } from '../app/report-command.js';
import { runScenario } from '../app/run-command.js';
import type { CommandIo, CommandOutcome } from '../app/session.js';
import { ExitCode, RunError, UsageError } from '../errors/errors.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import { defineCompareCommand } from './compare.js';
import { defineCompletionCommand } from './completion-command.js';
import { applyHelp } from './help-text.js';
import { defineMergeCommand } from './merge.js';
import { defineLagCommand } from './lag.js';
import { definePutCommand } from './put.js';
import { defineReportCommand } from './report.js';
import { defineRunCommand } from './run.js';

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export async function main(argv: readonly string[]): Promise<number> {
  const interrupt = new AbortController();
  let signalName: string | undefined;
  const onSignal = (name: NodeJS.Signals): void => {
    if (signalName !== undefined) {
      // A second Ctrl-C: the user does not want to wait for cleanup.
      process.stderr.write('kbench: stopped without cleaning up\n');
      process.exit(SIGNAL_EXIT[name] ?? ExitCode.interrupted);
    }
    signalName = name;
    interrupt.abort(`interrupted by ${name}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal };
  let outcomeCode: number = ExitCode.ok;

  const program = new Command('kbench')
    .description('Load tester for Amazon Kinesis Data Streams')
    .version(KBENCH_VERSION)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      outputError: (text, write) =>
        write(
          `kbench: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')}\n`,
        ),
    });
  /** Runs a command's work and turns how it ended into the exit code. */
  const runWith =
    <O extends object>(work: (options: O, io: CommandIo) => Promise<CommandOutcome>) =>
    async (options: O): Promise<void> => {
      const outcome = await work(options, io);
      // Commands that write results say where (compare writes none).
      const { out } = options as { readonly out?: string };
      const where = out === undefined ? '' : `; results are in ${out}`;
      if (outcome.status === 'stopped') {
        process.stderr.write(
          `kbench: run stopped early: ${outcome.reason}${out === undefined ? '' : `; results so far are in ${out}`}\n`,
        );
        outcomeCode = signalName ? (SIGNAL_EXIT[signalName] ?? ExitCode.interrupted) : ExitCode.runFailed;
      } else if (outcome.status === 'failed') {
        process.stderr.write(`kbench: run failed: ${outcome.reason}${where}\n`);
        outcomeCode = ExitCode.runFailed;
      } else if (outcome.status === 'gate-failed') {
        process.stderr.write(`kbench: FAILED: ${outcome.reason}${where}\n`);
        outcomeCode = ExitCode.gateFailed;
      }
    };
  program.addCommand(definePutCommand(runWith(putCommand)));
  program.addCommand(defineLagCommand(runWith(lagCommand)));
  program.addCommand(defineRunCommand(runWith(runScenario)));
  program.addCommand(defineCompareCommand(runWith(compareCommand)));
  program.addCommand(defineMergeCommand(runWith(mergeCommand)));
  program.addCommand(defineCompletionCommand(() => program, runWith(completionCommand)));
  program.addCommand(defineReportCommand(runWith(reportCommand)));
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  applyHelp(program);

  try {
    await program.parseAsync(argv as string[]);
    return outcomeCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version asked for exit 0; help shown because a command was missing exits 2.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (signalName !== undefined) {
      process.stderr.write(`kbench: interrupted: ${firstLine(error)}\n`);
      return SIGNAL_EXIT[signalName] ?? ExitCode.interrupted;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`kbench: ${error.message}\n`);
      return ExitCode.usage;
    }
    if (error instanceof RunError) {
      process.stderr.write(`kbench: ${error.message}\n`);
      return ExitCode.runFailed;
    }
    // Not a user mistake: a bug. Say so, with the stack when asked for.
    process.stderr.write(
      `kbench: internal ` +
        `error: ${firstLine(error)}${process.env['KBENCH_DEBUG'] ? '' : ' (set KBENCH_DEBUG=1 for details)'}\n`,
    );
    if (process.env['KBENCH_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return ExitCode.runFailed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
