/**
 * Help people can use: every flag in a group (where the load goes, how much load, what
 * records, how long, where results go), a few examples per command, the exit codes and
 * the environment variables kbench reads. Applied to the commands after they are
 * defined, so the flag definitions stay where they are; a test fails when a flag has no
 * group here.
 */
import { Help, Option, type Command } from 'commander';
import { ExitCode } from '../errors/errors.js';

export type HelpGroup = 'target' | 'load' | 'records' | 'timing' | 'output' | 'gate';

/** Group headings, in the order help shows them. */
export const GROUP_HEADINGS: Readonly<Record<HelpGroup, string>> = {
  target: 'Target (where the load goes, which stream):',
  load: 'Load (how much, from how many producers and consumers):',
  records: 'Records (size, batching, partition keys):',
  timing: 'Timing:',
  gate: 'Checks (thresholds, baseline comparison, lag --strict):',
  output: 'Output:',
};

const GROUP_ORDER = Object.values(GROUP_HEADINGS);
const OTHER_HEADING = 'Other:';

/**
 * Every flag of every command, by its long name. Some are not defined on this branch
 * yet (--force, --client, --efo-http, --stages, --find-max*, --max-throttled, --max-p99):
 * listed so that the branches adding them need no change here.
 */
export const FLAG_GROUPS: Readonly<Record<string, HelpGroup>> = {
  // where the load goes
  target: 'target',
  endpoint: 'target',
  region: 'target',
  profile: 'target',
  emulator: 'target',
  'emulator-port': 'target',
  limits: 'target',
  'inject-latency': 'target',
  'inject-errors': 'target',
  shards: 'target',
  stream: 'target',
  'keep-stream': 'target',
  client: 'target',
  'efo-http': 'target',
  // how much load
  rate: 'load',
  concurrency: 'load',
  workers: 'load',
  retries: 'load',
  'retry-backoff': 'load',
  'retry-backoff-max': 'load',
  'producer-id-base': 'load',
  consumer: 'load',
  'poll-interval': 'load',
  'consumers-per-shard': 'load',
  stages: 'load',
  'find-max': 'load',
  'find-max-step': 'load',
  'find-max-settle': 'load',
  'find-max-start': 'load',
  'find-max-precision': 'load',
  'max-throttled': 'load',
  'max-p99': 'load',
  // what records
  'record-size': 'records',
  batch: 'records',
  'partition-keys': 'records',
  // how long
  duration: 'timing',
  warmup: 'timing',
  interval: 'timing',
  drain: 'timing',
  repeat: 'timing',
  // judging the figures
  threshold: 'gate',
  baseline: 'gate',
  'max-regression': 'gate',
  'fail-fast': 'gate',
  strict: 'gate',
  // where results go
  'run-id': 'output',
  out: 'output',
  json: 'output',
  quiet: 'output',
  markdown: 'output',
  force: 'output',
};

/** The group of an option, or undefined when FLAG_GROUPS does not list it. */
export function groupOf(option: Option): HelpGroup | undefined {
  const name = option.long?.slice(2);
  return name === undefined ? undefined : FLAG_GROUPS[name];
}

/** Per command: a command line, and what it does (empty: the line says it). */
const EXAMPLES: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  kbench: [
    ['kbench put --shards 3', 'put throughput on the embedded emulator'],
    ['kbench lag --consumer efo --emulator kinesis-mock', 'put-to-get lag, enhanced fan-out'],
    ['kbench run scenarios/ci-smoke.yaml', 'a scenario file and its thresholds'],
    ['kbench help put', 'the flags of one command'],
    ['source <(kbench completion bash)', 'completion of commands and flags'],
  ],
  put: [
    ['kbench put --shards 3 --duration 60s', 'maximum rate (closed model)'],
    ['kbench put --rate 2000 --batch 100 --record-size 1024', 'fixed rate, PutRecords of 100'],
    ['kbench put --target aws --region eu-west-1 --shards 2', 'AWS: billed per shard-hour'],
    ['kbench put --endpoint http://127.0.0.1:4566 --quiet', 'LocalStack, no progress'],
  ],
  lag: [
    ['kbench lag --rate 100', 'polling, GetRecords every 1 s'],
    ['kbench lag --consumer efo --emulator kinesis-mock', 'enhanced fan-out'],
    ['kbench lag --poll-interval 200ms --consumers-per-shard 2 --strict', ''],
  ],
  run: [
    ['kbench run scenarios/ci-smoke.yaml', ''],
    ['kbench run scenarios/ci-smoke.yaml --duration 10s --repeat 1', 'flags override the file'],
    ['kbench run x.yaml --baseline results/last --max-regression 10%', 'gate on a baseline'],
  ],
  compare: [
    ['kbench compare results/before results/after', ''],
    ['kbench compare a/summary.json b/summary.json --max-regression put.p99_ms=20%', ''],
  ],
  merge: [['kbench merge host-a/results/r1 host-b/results/r1 --out results/r1-merged', '']],
  report: [
    ['kbench report results/r1', 'results/r1/report.html'],
    ['kbench report results/a results/b --out ab.html', 'side by side'],
  ],
  completion: [
    ['source <(kbench completion bash)', 'bash, this shell only'],
    ['kbench completion zsh > "${fpath[1]}/_kbench"', 'zsh, for good'],
    ['kbench completion fish > ~/.config/fish/completions/kbench.fish', ''],
  ],
};

export const EXIT_CODES: ReadonlyArray<readonly [number, string]> = [
  [ExitCode.ok, 'ok'],
  [ExitCode.runFailed, 'the run failed (target unreachable, lag --strict found records missing, ...)'],
  [ExitCode.usage, 'usage error: a bad flag, value or scenario file'],
  [ExitCode.gateFailed, 'a threshold or a --max-regression limit failed'],
  [ExitCode.interrupted, 'interrupted by Ctrl-C (SIGINT); 143 for SIGTERM'],
];

export const ENVIRONMENT: ReadonlyArray<readonly [string, string]> = [
  ['AWS_REGION', '--target aws: the region when --region is not given'],
  ['AWS_PROFILE', '--target aws: the profile when --profile is not given'],
  ['AWS_ACCESS_KEY_ID', '--target aws: credentials, with AWS_SECRET_ACCESS_KEY (and'],
  ['', 'AWS_SESSION_TOKEN), as the AWS CLI reads them'],
  ['AWS_ENDPOINT_URL_KINESIS', '--target aws: another Kinesis endpoint, read by the AWS SDK'],
  ['GITHUB_STEP_SUMMARY', 'run, compare: --markdown is also appended to this file'],
  ['KBENCH_DEBUG', 'set to 1: an internal error prints its stack trace'],
  ['NO_COLOR', 'honoured: kbench never writes colours or escape codes'],
];

function section(title: string, rows: readonly string[]): string {
  return `\n${title}\n${rows.map((row) => `  ${row}`).join('\n')}\n`;
}

function table(rows: ReadonlyArray<readonly [string | number, string]>): string[] {
  const width = Math.max(...rows.map(([key, text]) => (text === '' ? 0 : String(key).length)));
  return rows.map(([key, text]) => (text === '' ? String(key) : `${String(key).padEnd(width)}  ${text}`).trimEnd());
}

/** Help lines fit a 100-column terminal, or a narrower one. */
export function helpWidth(stream: { readonly columns?: number } = process.stdout): number {
  return Math.min(stream.columns && stream.columns > 40 ? stream.columns : 100, 100);
}

/**
 * Groups a command's flags, adds its examples, and (on the top-level command) the exit
 * codes and environment variables. Subcommands get the same layout.
 */
export function applyHelp(command: Command): Command {
  const width = helpWidth();
  command.configureHelp({
    helpWidth: width,
    // Groups in GROUP_ORDER, whatever order the flags were defined in.
    groupItems<T extends Command | Option>(
      unsorted: T[],
      visible: T[],
      getGroup: (item: T) => string,
    ): Map<string, T[]> {
      const grouped = Help.prototype.groupItems.call(
        this,
        unsorted,
        visible,
        getGroup as (item: Command | Option) => string,
      ) as Map<string, T[]>;
      const rank = (heading: string): number => {
        const at = GROUP_ORDER.indexOf(heading);
        return at === -1 ? GROUP_ORDER.length : at;
      };
      return new Map([...grouped].filter(([, items]) => items.length > 0).sort(([a], [b]) => rank(a) - rank(b)));
    },
  });
  // -h and -V with the other flags of no group, after the grouped ones.
  command.addHelpOption(new Option('-h, --help', 'show this help').helpGroup(OTHER_HEADING));
  for (const option of command.options) {
    const group = groupOf(option);
    option.helpGroup(group ? GROUP_HEADINGS[group] : OTHER_HEADING);
  }
  const examples = EXAMPLES[command.name()];
  const isRoot = command.parent === null;
  command.addHelpText('after', () => {
    let text = examples ? section('Examples:', table(examples)) : '';
    if (isRoot) {
      text += section('Exit codes:', table(EXIT_CODES));
      text += section('Environment variables:', table(ENVIRONMENT));
      text += '\nMore: README.md and docs/ (installed with the package), https://github.com/kbench/kbench\n';
    }
    return text;
  });
  for (const sub of command.commands) applyHelp(sub);
  return command;
}
