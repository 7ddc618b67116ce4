/**
 * `kbench run <scenario>`: a scenario file plus command-line overrides -> a checked plan
 * of cases, every case's options built (so a bad value in case 5 is refused before case
 * 1 runs). No work happens here.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import type { PlannedCase, RunPlan } from '../app/run-command.js';
import { UsageError } from '../errors/errors.js';
import { parseRegressionLimit, combineLimits } from '../gate/tolerance.js';
import { parseThreshold } from '../gate/thresholds.js';
import { fieldOf, type ScenarioCatalog } from '../scenario/fields.js';
import { checkThresholdsSelect, expandCases, selects, type CaseSpec, type Overrides } from '../scenario/matrix.js';
import { RUN_ID_PATTERN, newRunId } from '../config/options.js';
import { MAX_REPEAT, checkedThreshold, validateScenario, type Setting } from '../scenario/scenario.js';
import { readScenarioFile } from '../scenario/scenario-file.js';
import { integerFlag, repeatableFlag } from './flag-parsers.js';
import { MODES, modeNamed, scenarioCatalog } from './modes.js';
import { INVOCATION_FLAGS, overrideOption } from './scenario-fields.js';

interface RunFlags {
  readonly runId?: string;
  readonly out?: string;
  readonly force?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly repeat?: number;
  readonly threshold: string[];
  readonly baseline?: string;
  readonly maxRegression: string[];
  readonly markdown?: string;
  readonly failFast?: boolean;
  readonly [field: string]: unknown;
}

export function defineRunCommand(run: (plan: RunPlan) => Promise<void>, env: NodeJS.ProcessEnv = process.env): Command {
  const catalog = scenarioCatalog();
  const typed = new Map<string, string>();
  const command = new Command('run')
    .description(
      'run a scenario file: its cases one after another, then thresholds and the baseline comparison (exit 99 when ' +
        "they fail); the modes' flags override the file",
    )
    .argument('<scenario>', 'scenario file: .yaml, .yml or .json (see scenarios/)');
  // Every mode's flags, to override the file: `kbench run x.yaml --duration 10s`.
  const seen = new Set<string>(INVOCATION_FLAGS.keys());
  for (const mode of MODES) {
    for (const option of mode.define().options) {
      const name = option.long?.slice(2);
      if (name === undefined || seen.has(name)) continue;
      seen.add(name);
      command.addOption(overrideOption(option, typed));
    }
  }
  command
    .option(
      '--repeat <n>',
      `run each case n times and judge the median (1-${MAX_REPEAT}; default: the scenario's repeat, else 1)`,
      integerFlag(1, MAX_REPEAT),
    )
    .addOption(
      new Option(
        '--threshold <expr>',
        'a threshold, e.g. "put.records_per_s >= 2500" (repeatable; added to the scenario\'s)',
      )
        .argParser(repeatableFlag(parseThreshold))
        .default([], 'none'),
    )
    .option('--baseline <path>', 'compare with this kbench run folder, results folder or summary.json')
    .addOption(
      new Option(
        '--max-regression <tolerance>',
        'with --baseline: fail when a metric gets worse by more than this, e.g. 10% or put.p99_ms=20% (repeatable)',
      )
        .argParser(repeatableFlag(parseRegressionLimit))
        .default([], "the scenario's"),
    )
    .option('--markdown <file>', 'write the verdict as Markdown (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--fail-fast', 'stop at the first case that fails (default: record it and go on)')
    .option('--run-id <id>', 'run id; case 1 runs as <run id>-c01 (default: UTC time plus a random suffix)')
    .option('--out <dir>', "the run's results folder, one sub-folder per case (default: results/<run id>)")
    .option(
      '--force',
      "a non-empty --out folder: remove the kbench results in it (only kbench's files) instead of refusing it",
    )
    .option('--json', 'print run.json on stdout at the end instead of the tables')
    .option('--quiet', 'no progress on stderr (bars on a terminal, lines in a log)');
  return command.action(async (file: string, flags: RunFlags) => {
    await run(buildPlan(file, flags, command, catalog, typed, env));
  });
}

function buildPlan(
  file: string,
  flags: RunFlags,
  command: Command,
  catalog: ScenarioCatalog,
  typed: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv,
): RunPlan {
  const scenario = validateScenario(readScenarioFile(file), catalog);
  const overrides = overridesFrom(flags, command, catalog, typed);
  const cases = expandCases(scenario, catalog, overrides);
  const thresholds = [
    ...scenario.thresholds,
    ...flags.threshold.map((text) =>
      checkedThreshold(text, catalog, scenario.modes, (message) => {
        throw new UsageError(`--threshold ${message}`);
      }),
    ),
  ];
  checkThresholdsSelect(file, thresholds, cases, catalog);
  const limits = combineLimits(flags.maxRegression, scenario.limits);
  if (flags.maxRegression.length > 0 && flags.baseline === undefined) {
    throw new UsageError('--max-regression needs --baseline <path> (what to compare with)');
  }
  const repeat = flags.repeat ?? scenario.repeat ?? 1;
  const runId = flags.runId ?? newRunId();
  const out = flags.out ?? path.join('results', runId);
  checkRunId(runId, cases.length, repeat);
  return {
    runId,
    out,
    force: flags.force === true,
    scenarioFile: file,
    description: scenario.description,
    repeat,
    cases: cases.map((spec) => planCase(spec, { file, runId, out, repeat, quiet: flags.quiet === true }, catalog)),
    thresholds,
    limits,
    baseline: flags.baseline,
    markdown: flags.markdown,
    stepSummary: env['GITHUB_STEP_SUMMARY'] || undefined,
    failFast: flags.failFast === true,
    json: flags.json === true,
  };
}

/** Flags typed on the command line, as settings of the fields they name. */
function overridesFrom(
  flags: RunFlags,
  command: Command,
  catalog: ScenarioCatalog,
  typed: ReadonlyMap<string, string>,
): Overrides {
  const overrides = new Map<string, Setting>();
  for (const option of command.options) {
    const name = (option.long ?? '').slice(2);
    const field = fieldOf(catalog, name);
    if (!field || command.getOptionValueSource(field.key) !== 'cli') continue;
    const value = flags[field.key];
    overrides.set(name, { text: typed.get(name) ?? String(value), value });
  }
  return overrides;
}

function planCase(
  spec: CaseSpec,
  run: {
    readonly file: string;
    readonly runId: string;
    readonly out: string;
    readonly repeat: number;
    readonly quiet: boolean;
  },
  catalog: ScenarioCatalog,
): PlannedCase {
  const mode = modeNamed(spec.mode);
  if (!mode) throw new UsageError(`${run.file}: mode ${spec.mode} is not available`);
  const repetitions = Array.from({ length: run.repeat }, (_, i) => {
    const suffix = run.repeat > 1 ? `-r${i + 1}` : '';
    const folder = `${spec.slug}${suffix}`;
    const runId = `${run.runId}-${spec.short}${suffix}`;
    try {
      const prepared = mode.prepare({
        ...spec.flags,
        runId,
        out: path.join(run.out, folder),
        json: false,
        quiet: run.quiet,
      });
      return { folder, runId, prepared };
    } catch (error) {
      const which = spec.params.length > 0 ? `case ${spec.index} (${spec.label})` : 'the case';
      if (error instanceof UsageError) throw new UsageError(`${run.file}: ${which}: ${error.message}`);
      throw error;
    }
  });
  return {
    spec,
    optionsJson: repetitions[0]?.prepared.optionsJson ?? {},
    repetitions: repetitions.map(({ folder, runId, prepared }) => ({ folder, runId, run: prepared.run })),
    selects: (threshold) => selects(threshold, spec, catalog),
  };
}

/** Case run ids add "-c01" (and "-r1") to the run id, and must still be valid run ids. */
function checkRunId(runId: string, cases: number, repeat: number): void {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new UsageError(
      `--run-id "${runId}" must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  const suffix = `-c${'0'.repeat(Math.max(2, String(cases).length))}${repeat > 1 ? `-r${repeat}` : ''}`;
  if (!RUN_ID_PATTERN.test(`${runId}${suffix}`)) {
    throw new UsageError(
      `--run-id "${runId}" is too long for kbench run: each case adds "${suffix}", and run ids have at most 100 ` +
        `characters`,
    );
  }
}
