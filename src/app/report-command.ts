/**
 * kbench report: draws report.html again from results folders, `kbench run` folders, or
 * several side by side; and writeFolderReport, which put, lag, merge and run call once
 * their files are written.
 */
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunError, UsageError, errorMessage } from '../errors/errors.js';
import { readChartAssets } from '../results/html/chart-assets.js';
import { reportHtml } from '../results/html/report-html.js';
import { readReportSource, readRun, type ReportData, type ReportSource } from '../results/html/report-source.js';
import { rateChart, type RateRow } from '../console/rate-chart.js';
import { KBENCH_VERSION } from '../runtime/version.js';
import type { CommandIo, CommandOutcome } from './session.js';

export const REPORT_FILE = 'report.html';

export interface ReportOptions {
  readonly dirs: readonly string[];
  /** The page; undefined: report.html in the one folder given. */
  readonly out: string | undefined;
  readonly baseline: string | undefined;
}

export async function reportCommand(options: ReportOptions, io: Pick<CommandIo, 'stdout'>): Promise<CommandOutcome> {
  const [first] = options.dirs;
  if (first === undefined) throw new UsageError('report: give at least one results folder or kbench run folder');
  if (options.out === undefined && options.dirs.length > 1) {
    throw new UsageError(`report: with ${options.dirs.length} folders, say where the page goes with --out FILE`);
  }
  const sources = options.dirs.map((dir) => readReportSource(dir));
  const baseline = options.baseline === undefined ? null : readReportSource(options.baseline, '--baseline');
  const out = options.out ?? path.join(first, REPORT_FILE);
  const size = writeReport(out, reportData(sources, baseline));
  io.stdout.write(`report    ${out} (${(size / 1024).toFixed(0)} KiB)\n`);
  return { status: 'completed' };
}

/**
 * report.html for a folder kbench just wrote. A report that cannot be drawn must not
 * fail a run whose results are safely written: it returns why, for a warning.
 */
export function writeFolderReport(dir: string): string | undefined {
  try {
    writeReport(path.join(dir, REPORT_FILE), reportData([readReportSource(dir)], null));
    return undefined;
  } catch (error) {
    return `could not write ${REPORT_FILE}: ${errorMessage(error)}`;
  }
}

/**
 * The terminal chart of records/s for a results folder kbench just wrote, when `out` is
 * a terminal; '' otherwise, or when the folder cannot be read.
 */
export function terminalRateChart(dir: string, out: NodeJS.WritableStream): string {
  if (!(out as { isTTY?: boolean }).isTTY) return '';
  try {
    return rateChart(readRun(dir, dir).intervals as unknown as readonly RateRow[]);
  } catch {
    return '';
  }
}

function reportData(sources: readonly ReportSource[], baseline: ReportSource | null): ReportData {
  const [only] = sources;
  const title =
    sources.length > 1 || only === undefined
      ? `kbench report: ${sources.length} results`
      : only.kind === 'run'
        ? `kbench run ${only.set.manifest.run_id}`
        : `kbench ${String(only.run.summary['command'])} ${only.run.label}`;
  return { title, generatedAt: new Date().toISOString(), kbenchVersion: KBENCH_VERSION, sources, baseline };
}

/** Writes the page; returns its size in bytes. */
function writeReport(file: string, data: ReportData): number {
  try {
    writeFileSync(file, reportHtml(data, readChartAssets()));
    return statSync(file).size;
  } catch (error) {
    throw new RunError(`cannot write ${file}: ${errorMessage(error)}`);
  }
}
