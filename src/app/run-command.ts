/**
 * kbench run: the cases of a scenario one after another, each (and each repetition) a
 * whole command run in its own session, with its own stream and results folder. Results
 * are written as each case ends; at the end the thresholds and the baseline comparison
 * decide the verdict. A case that fails is recorded and the matrix goes on (unless
 * --fail-fast); an interrupt stops it and leaves the remaining cases skipped.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { RunError, UsageError, errorMessage } from '../errors/errors.js';
import { compareResults } from '../gate/compare.js';
import type { CaseResults, ResultSet } from '../gate/result-set.js';
import { evaluateThresholds, type Threshold } from '../gate/thresholds.js';
import type { RegressionLimits } from '../gate/tolerance.js';
import { gateApplies, gateFailures, gatePassed, type GateResult } from '../gate/verdict.js';
import {
  caseColumns,
  casesCsvHeader,
  casesCsvRow,
  optionColumns,
  type CaseRow,
  type CaseStatus,
} from '../results/cases-csv.js';
import { formatCasesTable } from '../console/cases-table.js';
import { formatComparison, formatThresholds, formatValue, formatVerdictLine } from '../console/gate-text.js';
import { gateMarkdown } from '../console/markdown.js';
import { RESULT_FILES } from '../results/results-folder.js';
import { readResultSet } from '../results/results-reader.js';
import { RunFolder } from '../results/run-folder.js';
import {
  runManifest,
  type CaseRecord,
  type RepetitionRecord,
  type RepetitionStatus,
  type RunManifest,
} from '../results/run-manifest.js';
import type { CaseSpec } from '../scenario/matrix.js';
import { writeGateMarkdown } from './gate-output.js';
import type { CommandIo, CommandOutcome } from './session.js';
import { fitWidth } from '../console/fit-width.js';
import { writeFolderReport } from './report-command.js';

export interface PlannedRepetition {
  /** Sub-folder of the run folder. */
  readonly folder: string;
  readonly runId: string;
  readonly run: (io: CommandIo) => Promise<CommandOutcome>;
}

export interface PlannedCase {
  readonly spec: CaseSpec;
  /** The options as the case's summary.json lists them (the same for every repetition but run_id and out). */
  readonly optionsJson: Readonly<Record<string, unknown>>;
  readonly repetitions: readonly PlannedRepetition[];
  readonly selects: (threshold: Threshold) => boolean;
}

export interface RunPlan {
  readonly runId: string;
  readonly out: string;
  /** A non-empty --out: remove kbench's files from it rather than refuse it. */
  readonly force: boolean;
  readonly scenarioFile: string;
  readonly description: string | undefined;
  readonly repeat: number;
  readonly cases: readonly PlannedCase[];
  readonly thresholds: readonly Threshold[];
  readonly limits: RegressionLimits;
  readonly baseline: string | undefined;
  readonly markdown: string | undefined;
  /** $GITHUB_STEP_SUMMARY, when set: the Markdown is appended to it. */
  readonly stepSummary: string | undefined;
  readonly failFast: boolean;
  readonly json: boolean;
}

interface CaseState {
  readonly planned: PlannedCase;
  status: CaseStatus | 'pending';
  error: string | undefined;
  /** usage: the case was refused by the target (more shards than it allows); run: it broke. */
  failure: 'usage' | 'run' | undefined;
  readonly runs: RepetitionRecord[];
  readonly summaries: unknown[];
}

/** Where a case's table goes with --json: only run.json is printed. */
const sink: NodeJS.WritableStream = new Writable({ write: (_chunk, _encoding, done) => done() });

export async function runScenario(plan: RunPlan, io: CommandIo): Promise<CommandOutcome> {
  // A wrong baseline path fails now, not after the whole matrix has run.
  const baseline = plan.baseline === undefined ? undefined : readResultSet(plan.baseline, 'baseline');
  const folder = RunFolder.open(plan.out, plan.force);
  const startedAt = new Date();
  const states: CaseState[] = plan.cases.map((planned) => ({
    planned,
    status: 'pending',
    error: undefined,
    failure: undefined,
    runs: planned.repetitions.map((rep) => ({ folder: rep.folder, run_id: rep.runId, status: 'pending', error: null })),
    summaries: [],
  }));
  const columns = caseColumns(
    optionColumns(plan.cases.map((c) => c.optionsJson)),
    plan.repeat,
    plan.cases.map((c) => c.spec.mode),
  );
  const manifest = (status: RunManifest['status'], gate?: GateResult, endedAt?: Date): RunManifest =>
    runManifest({
      runId: plan.runId,
      scenario: plan.scenarioFile,
      description: plan.description,
      startedAt,
      endedAt,
      repeat: plan.repeat,
      status,
      cases: states.map(caseRecord),
      gate,
    });
  folder.writeManifest(manifest('running'));
  folder.startCases(casesCsvHeader(columns));
  const planned = plannedSeconds(plan.cases);
  if (planned > LONG_RUN_S) {
    io.stderr.write(
      `kbench: WARNING: this scenario plans ${formatHours(planned)} of load (${plan.cases.length} ` +
        `case${plan.cases.length === 1 ? '' : 's'}${plan.repeat > 1 ? ` x ${plan.repeat} repetitions` : ''}, ` +
        `warmup, duration and drain); Ctrl-C stops it, keeping the cases done\n`,
    );
  }

  const out = plan.json ? sink : io.stdout;
  let stop = false;
  for (const state of states) {
    const { spec, repetitions } = state.planned;
    if (stop || io.signal.aborted) {
      // Not started: recorded as skipped, with no per-case rewrite of run.json (on a
      // matrix of a thousand cases those rewrites alone kept a Ctrl-C waiting for many seconds).
      for (const [r, run] of state.runs.entries()) state.runs[r] = { ...run, status: 'skipped' };
      state.status = 'skipped';
      folder.appendCase(casesCsvRow(columns, caseRow(state, plan.repeat)));
      continue;
    }
    for (const [r, rep] of repetitions.entries()) {
      if (stop || io.signal.aborted) {
        state.runs[r] = { ...(state.runs[r] as RepetitionRecord), status: 'skipped' };
        continue;
      }
      const what = spec.params.length > 0 ? `: ${spec.label}` : '';
      const repetition = repetitions.length > 1 ? `, repetition ${r + 1}/${repetitions.length}` : '';
      out.write(`== case ${spec.index}/${states.length}${what} (${rep.folder})${repetition} ==\n`);
      const result = await runRepetition(rep, { ...io, stdout: out }, folder.caseDir(rep.folder));
      state.runs[r] = { folder: rep.folder, run_id: rep.runId, status: result.status, error: result.error ?? null };
      if (result.summary !== undefined) state.summaries.push(result.summary);
      if (result.status === 'failed') {
        state.error ??= result.error;
        state.failure = state.failure === 'usage' || result.usage ? 'usage' : 'run';
      }
      out.write('\n');
    }
    state.status = caseStatus(state.runs);
    if (state.status === 'failed' && state.error !== undefined)
      io.stderr.write(`kbench: ${caseName(spec)} failed: ${state.error}\n`);
    folder.appendCase(casesCsvRow(columns, caseRow(state, plan.repeat)));
    folder.writeManifest(manifest('running'));
    if (state.status === 'failed' && plan.failFast) stop = true;
  }

  const current: ResultSet = { source: folder.dir, cases: states.map(caseResults) };
  const gate: GateResult = {
    thresholds: evaluateThresholds(
      states.map((s) => ({ label: s.planned.spec.label, summaries: s.summaries, selects: s.planned.selects })),
      plan.thresholds,
    ),
    comparison: baseline ? compareResults(baseline, current, plan.limits) : undefined,
    incomplete: io.signal.aborted ? 'the run was interrupted' : undefined,
  };
  const interrupted = io.signal.aborted;
  const failed = states.filter((s) => s.status === 'failed');
  const endedAt = new Date();
  const finalManifest = manifest(
    interrupted ? 'interrupted' : failed.length > 0 ? 'failed' : 'completed',
    gate,
    endedAt,
  );
  folder.writeManifest(finalManifest);
  // The pictures of the run, from the files just written; a failure here only warns.
  const reportProblem = writeFolderReport(folder.dir);
  if (reportProblem !== undefined) io.stderr.write(`kbench: ${reportProblem}\n`);

  const rows = states.map((s) => ({ ...caseRow(s, plan.repeat), label: s.planned.spec.label }));
  if (plan.json) {
    io.stdout.write(`${JSON.stringify(finalManifest, null, 2)}\n`);
  } else {
    io.stdout.write(
      `kbench run ${plan.scenarioFile} · run ${plan.runId} · ${states.length} ` +
        `case${states.length === 1 ? '' : 's'}${plan.repeat > 1 ? ` x ${plan.repeat} repetitions` : ''}\n\n`,
    );
    io.stdout.write(fitWidth(formatCasesTable(rows, plan.repeat)));
    if (gate.thresholds.length > 0) io.stdout.write(fitWidth(`\n${formatThresholds(gate.thresholds)}\n`));
    if (gate.comparison) io.stdout.write(fitWidth(`\n${formatComparison(gate.comparison)}`));
    io.stdout.write(fitWidth(`\n${formatVerdictLine(gate)}results   ${folder.dir}\n`));
  }
  writeGateMarkdown(
    gateMarkdown({ title: `kbench run ${plan.scenarioFile} · run ${plan.runId}`, cases: rows, gate }),
    { file: plan.markdown, stepSummary: plan.stepSummary },
    io,
  );

  if (interrupted) return { status: 'stopped', reason: String(io.signal.reason ?? 'interrupted') };
  const usage = failed.find((s) => s.failure === 'usage');
  if (usage) {
    throw new UsageError(
      `${caseName(usage.planned.spec)}: ${usage.error ?? 'refused'}; the other cases ran, results are in ${folder.dir}`,
    );
  }
  if (failed.length > 0) {
    const [first] = failed;
    return {
      status: 'failed',
      reason:
        `${failed.length} of ${states.length} cases failed ` +
        `(case ${first?.planned.spec.index}: ${first?.error ?? 'unknown'})`,
    };
  }
  if (gateApplies(gate) && !gatePassed(gate)) {
    return { status: 'gate-failed', reason: gateFailures(gate, formatValue).join('; ') };
  }
  return { status: 'completed' };
}

/** A scenario planned to run longer than this is announced before it starts: likely a unit mistake (1h for 1m). */
export const LONG_RUN_S = 24 * 3600;

/** The planned time of every repetition of every case: warmup, duration and a lag case's drain, in seconds. */
export function plannedSeconds(cases: readonly PlannedCase[]): number {
  let total = 0;
  for (const planned of cases) {
    const seconds = (key: string): number => {
      const value = planned.optionsJson[key];
      return typeof value === 'number' && Number.isFinite(value) ? value : 0;
    };
    total += planned.repetitions.length * (seconds('warmup_s') + seconds('duration_s') + seconds('drain_s'));
  }
  return total;
}

function formatHours(seconds: number): string {
  const hours = seconds / 3600;
  return hours >= 48 ? `${Math.round(hours / 24)} days (${Math.round(hours)} h)` : `${Math.round(hours)} h`;
}

/** "case 2 (shards=2)", or "case 1" for a scenario without a matrix (its label says "(single case)"). */
function caseName(spec: CaseSpec): string {
  return spec.params.length > 0 ? `case ${spec.index} (${spec.label})` : `case ${spec.index}`;
}

interface RepetitionResult {
  readonly status: Exclude<RepetitionStatus, 'pending' | 'skipped'>;
  readonly error: string | undefined;
  readonly usage: boolean;
  readonly summary: unknown;
}

async function runRepetition(rep: PlannedRepetition, io: CommandIo, dir: string): Promise<RepetitionResult> {
  try {
    const outcome = await rep.run(io);
    switch (outcome.status) {
      case 'completed':
        return { status: 'completed', error: undefined, usage: false, summary: readSummary(dir) };
      case 'stopped':
        return {
          status: io.signal.aborted ? 'interrupted' : 'failed',
          error: outcome.reason,
          usage: false,
          summary: undefined,
        };
      default:
        return { status: 'failed', error: outcome.reason, usage: false, summary: undefined };
    }
  } catch (error) {
    // A user's or the environment's problem ends this case; anything else is a bug and ends the run.
    if (error instanceof UsageError || error instanceof RunError) {
      return {
        status: io.signal.aborted ? 'interrupted' : 'failed',
        error: errorMessage(error),
        usage: error instanceof UsageError,
        summary: undefined,
      };
    }
    throw error;
  }
}

function readSummary(dir: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dir, RESULT_FILES.summary), 'utf8')) as unknown;
  } catch (error) {
    throw new RunError(`cannot read back ${path.join(dir, RESULT_FILES.summary)}: ${errorMessage(error)}`);
  }
}

function caseStatus(runs: readonly RepetitionRecord[]): CaseStatus {
  if (runs.some((run) => run.status === 'failed')) return 'failed';
  if (runs.some((run) => run.status === 'interrupted')) return 'interrupted';
  if (runs.every((run) => run.status === 'skipped')) return 'skipped';
  if (runs.some((run) => run.status === 'skipped')) return 'interrupted';
  return 'completed';
}

function caseRecord(state: CaseState): CaseRecord {
  const { spec } = state.planned;
  return {
    case: spec.index,
    id: spec.slug,
    key: spec.key,
    label: spec.label,
    mode: spec.mode,
    params: Object.fromEntries(spec.params.map(([field, setting]) => [field, setting.text])),
    status: state.status,
    error: state.error ?? null,
    runs: state.runs,
  };
}

function caseRow(state: CaseState, repeat: number): CaseRow {
  const { spec, optionsJson } = state.planned;
  return {
    index: spec.index,
    id: spec.slug,
    mode: spec.mode,
    status: state.status === 'pending' ? 'skipped' : state.status,
    repetitions: repeat,
    options: optionsJson,
    summaries: state.summaries,
    error: state.error,
  };
}

function caseResults(state: CaseState): CaseResults {
  return { key: state.planned.spec.key, label: state.planned.spec.label, summaries: state.summaries };
}
