/** kbench completion: the script on stdout, nothing else. */
import type { CompletionOptions } from '../cli/completion-command.js';
import type { CommandIo, CommandOutcome } from './session.js';

export async function completionCommand(options: CompletionOptions, io: CommandIo): Promise<CommandOutcome> {
  io.stdout.write(options.script);
  return { status: 'completed' };
}
