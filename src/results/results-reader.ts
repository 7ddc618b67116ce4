/**
 * Reads results back for `kbench compare` and `kbench run --baseline`: a summary.json
 * file, a `kbench put` results folder, or a `kbench run` folder (or its run.json), into
 * cases with the summary.json of each completed repetition. A committed baseline needs
 * only run.json and the summary.json files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError, errorMessage } from '../errors/errors.js';
import type { CaseResults, ResultSet } from '../gate/result-set.js';
import { RESULT_FILES } from './results-folder.js';
import { RUN_FILES } from './run-folder.js';
import type { CaseRecord, RunManifest } from './run-manifest.js';
import { SUMMARY_SCHEMA_VERSION } from './summary.js';

export function readResultSet(target: string, role: string): ResultSet {
  const where = `${role} ${target}`;
  if (!existsSync(target)) throw new UsageError(`${where}: no such file or folder`);
  if (statSync(target).isDirectory()) {
    if (existsSync(path.join(target, RUN_FILES.manifest)))
      return fromManifest(path.join(target, RUN_FILES.manifest), where);
    if (existsSync(path.join(target, RESULT_FILES.summary)))
      return fromSummary(path.join(target, RESULT_FILES.summary), where);
    throw new UsageError(
      `${where}: neither a kbench run folder (${RUN_FILES.manifest}) nor a results folder (${RESULT_FILES.summary})`,
    );
  }
  const json = readJson(target, where);
  if ((json as { command?: unknown }).command === 'run') return fromManifest(target, where);
  return fromSummary(target, where);
}

function fromSummary(file: string, where: string): ResultSet {
  const summary = checkedSummary(readJson(file, where), where);
  const runId = String((summary as { run_id?: unknown }).run_id ?? file);
  return { source: file, cases: [{ key: '', label: runId, summaries: [summary] }] };
}

function fromManifest(file: string, where: string): ResultSet {
  const manifest = readJson(file, where) as Partial<RunManifest>;
  if (manifest.command !== 'run' || !Array.isArray(manifest.cases)) {
    throw new UsageError(`${where}: ${file} is not a kbench run.json`);
  }
  if (manifest.schema_version !== 1)
    throw new UsageError(
      `${where}: run.json schema_version ${String(manifest.schema_version)} is not supported (this kbench reads 1)`,
    );
  const dir = path.dirname(file);
  const records: readonly CaseRecord[] = manifest.cases;
  if (!records.every((record) => typeof record.key === 'string' && Array.isArray(record.runs))) {
    throw new UsageError(`${where}: ${file} is not a kbench run.json (a case without key or runs)`);
  }
  const cases: CaseResults[] = records.map((record) => ({
    key: record.key,
    label: record.label,
    summaries: record.runs
      .filter((run) => run.status === 'completed')
      .map((run) => {
        const summaryFile = path.join(dir, run.folder, RESULT_FILES.summary);
        if (!existsSync(summaryFile))
          throw new UsageError(`${where}: ${summaryFile} is missing (run.json lists it as completed)`);
        return checkedSummary(readJson(summaryFile, where), where);
      }),
  }));
  return { source: file, cases };
}

function readJson(file: string, where: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`${where}: cannot read ${file}: ${errorMessage(error).split('\n')[0]}`);
  }
}

export function checkedSummary(json: unknown, where: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new UsageError(`${where}: not a kbench summary.json`);
  const version = (json as { schema_version?: unknown }).schema_version;
  if (version !== SUMMARY_SCHEMA_VERSION) {
    throw new UsageError(
      `${where}: summary.json schema_version ${String(version)} is not supported (this kbench ` +
        `reads ${SUMMARY_SCHEMA_VERSION})`,
    );
  }
  return json as Record<string, unknown>;
}
