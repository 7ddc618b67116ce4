/** `kbench completion <shell>`: which shell -> the script to print. No work happens here. */
import { Argument, Command } from 'commander';
import type { CompletionOptions } from '../app/completion-command.js';
import { SHELLS, completionScript, type Shell } from './completion.js';

/** `program` is the whole CLI, read when the command runs, so every command is in the script. */
export function defineCompletionCommand(
  program: () => Command,
  run: (options: CompletionOptions) => Promise<void>,
): Command {
  return new Command('completion')
    .description("print a shell completion script (bash, zsh or fish) for kbench's commands and flags")
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .action(async (shell: Shell) => {
      await run({ script: completionScript(shell, program()) });
    });
}
