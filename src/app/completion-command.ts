/** kbench completion: the script on stdout, nothing else. */
import type { CommandIo, CommandOutcome } from './session.js';

/** What the cli layer made of `kbench completion <shell>`: the script itself. */
export interface CompletionOptions {
  readonly script: string;
}

export async function completionCommand(options: CompletionOptions, io: CommandIo): Promise<CommandOutcome> {
  io.stdout.write(options.script);
  return { status: 'completed' };
}
