/**
 * Shell completion scripts (bash, zsh, fish) generated from the same commander
 * definitions as the help: a flag added to a command completes without a change here.
 * Completes commands, each command's flags, the choices of a flag that has them
 * (--target, --consumer, --emulator), and file names where a file or folder is expected.
 * Pure: returns the script's text.
 */
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface FlagSpec {
  readonly long: string;
  readonly short?: string;
  readonly takesValue: boolean;
  readonly choices: readonly string[];
  /** The value is a file or a folder. */
  readonly path: boolean;
  readonly description: string;
}

interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  /** Positional arguments are files or folders (run, compare, merge). */
  readonly pathArguments: boolean;
}

const PATH_VALUE = /<(dir|file|path|scenario)>/;

function flagSpec(option: Option): FlagSpec | undefined {
  if (!option.long) return undefined;
  return {
    long: option.long,
    ...(option.short !== undefined && { short: option.short }),
    takesValue: option.required || option.optional,
    choices: option.argChoices ?? [],
    path: PATH_VALUE.test(option.flags),
    description: shortDescription(option.description),
  };
}

/** The first clause of a description, without characters the shells' syntax would trip on. */
function shortDescription(text: string): string {
  const first = text.split(/[:;(]/)[0] ?? text;
  return first
    .replace(/['"`$\\[\]]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 70);
}

export function commandSpecs(program: Command): CommandSpec[] {
  return (
    program.commands
      // help and completion complete their own way (a command name, a shell name).
      .filter((command) => command.name() !== 'help' && command.name() !== 'completion')
      .map((command) => ({
        name: command.name(),
        description: shortDescription(command.description()),
        flags: [
          ...command.options.map(flagSpec).filter((spec): spec is FlagSpec => spec !== undefined),
          { long: '--help', short: '-h', takesValue: false, choices: [], path: false, description: 'show help' },
        ],
        pathArguments: command.registeredArguments.length > 0,
      }))
  );
}

export function completionScript(shell: Shell, program: Command): string {
  const commands = commandSpecs(program);
  switch (shell) {
    case 'bash':
      return bashScript(commands);
    case 'zsh':
      return zshScript(commands);
    case 'fish':
      return fishScript(commands);
  }
}

function bashScript(commands: readonly CommandSpec[]): string {
  const choiceCases = new Map<string, string>();
  const pathFlags = new Set<string>();
  for (const command of commands) {
    for (const flag of command.flags) {
      if (flag.choices.length > 0) choiceCases.set(flag.long, flag.choices.join(' '));
      if (flag.path) pathFlags.add(flag.long);
    }
  }
  const valueFlags = [
    ...new Set(
      commands.flatMap((c) =>
        c.flags.filter((f) => f.takesValue && f.choices.length === 0 && !f.path).map((f) => f.long),
      ),
    ),
  ];
  const choiceLines = [...choiceCases]
    .map(([flag, choices]) => `    ${flag}) COMPREPLY=( $(compgen -W "${choices}" -- "\${cur}") ); return 0 ;;`)
    .join('\n');
  const commandLines = commands
    .map((c) => `    ${c.name}) flags="${c.flags.map((f) => f.long).join(' ')}"; files=${c.pathArguments ? 1 : 0} ;;`)
    .join('\n');
  return `# kbench completion for bash. Load it with:
#   source <(kbench completion bash)
# or save it: kbench completion bash > ~/.local/share/bash-completion/completions/kbench
_kbench() {
  local cur prev command
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  command="\${COMP_WORDS[1]}"
  if [[ \${COMP_CWORD} -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(' ')} help completion --help --version" -- "\${cur}") )
    return 0
  fi
  case "\${prev}" in
${choiceLines}
${pathFlags.size > 0 ? `    ${[...pathFlags].join('|')}) COMPREPLY=( $(compgen -f -- "\${cur}") ); return 0 ;;` : ''}
${valueFlags.length > 0 ? `    ${valueFlags.join('|')}) return 0 ;;` : ''}
  esac
  local flags=""
  local files=0
  case "\${command}" in
${commandLines}
    completion) COMPREPLY=( $(compgen -W "${SHELLS.join(' ')}" -- "\${cur}") ); return 0 ;;
    help) COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(' ')}" -- "\${cur}") ); return 0 ;;
  esac
  if [[ "\${cur}" == -* || \${files} -eq 0 ]]; then
    COMPREPLY=( $(compgen -W "\${flags}" -- "\${cur}") )
  else
    COMPREPLY=( $(compgen -f -- "\${cur}") )
  fi
  return 0
}
complete -o filenames -F _kbench kbench
`;
}

function zshScript(commands: readonly CommandSpec[]): string {
  const argument = (flag: FlagSpec): string => {
    const value =
      flag.choices.length > 0
        ? `:value:(${flag.choices.join(' ')})`
        : flag.path
          ? ':path:_files'
          : flag.takesValue
            ? ':value: '
            : '';
    return `'${flag.long}[${flag.description}]${value}'`;
  };
  return `#compdef kbench
# kbench completion for zsh. Load it with:
#   source <(kbench completion zsh)
# or save it as _kbench in a folder of your $fpath.
_kbench() {
  local -a commands
  commands=(
${commands.map((c) => `    '${c.name}:${c.description.replace(/:/g, ' ')}'`).join('\n')}
    'completion:print a shell completion script'
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local command="\${words[2]}"
  shift words
  (( CURRENT-- ))
  case "\${command}" in
${commands
  .map(
    (c) =>
      `    ${c.name})\n      _arguments \\\n` +
      `${c.flags.map((f) => `        ${argument(f)} \\`).join('\n')}\n` +
      `        ${c.pathArguments ? "'*:file:_files'" : "'*: :'"} ;;`,
  )
  .join('\n')}
    completion) _values 'shell' ${SHELLS.join(' ')} ;;
  esac
}
if [[ "\${funcstack[1]}" == _kbench ]]; then _kbench "$@"; else compdef _kbench kbench; fi
`;
}

function fishScript(commands: readonly CommandSpec[]): string {
  const lines = [
    '# kbench completion for fish. Load it with:',
    '#   kbench completion fish | source',
    '# or save it: kbench completion fish > ~/.config/fish/completions/kbench.fish',
    'complete -c kbench -f',
    ...commands.map((c) => `complete -c kbench -n __fish_use_subcommand -a ${c.name} -d '${c.description}'`),
    "complete -c kbench -n __fish_use_subcommand -a completion -d 'print a shell completion script'",
    `complete -c kbench -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'`,
  ];
  for (const command of commands) {
    const when = `-n '__fish_seen_subcommand_from ${command.name}'`;
    if (command.pathArguments) lines.push(`complete -c kbench ${when} -F`);
    for (const flag of command.flags) {
      const short = flag.short ? ` -s ${flag.short.slice(1)}` : '';
      const value =
        flag.choices.length > 0
          ? ` -x -a '${flag.choices.join(' ')}'`
          : flag.path
            ? ' -r -F'
            : flag.takesValue
              ? ' -x'
              : '';
      lines.push(`complete -c kbench ${when} -l ${flag.long.slice(2)}${short}${value} -d '${flag.description}'`);
    }
  }
  return `${lines.join('\n')}\n`;
}
