/**
 * The checks on a results folder (--out) before anything starts: not a system folder,
 * its nearest existing parent a writable folder, and not holding an earlier run's results
 * (refused, or with --force only kbench's own files removed). Creates the folder one level
 * at a time: Node's recursive mkdir retries forever on filesystems such as /proc that
 * answer ENOENT to every mkdir.
 */
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { RunError, UsageError, errorMessage } from '../errors/errors.js';

/**
 * Every file (or pattern) any kbench command writes into a results folder, including
 * those of features still to come, so --force can tell kbench's files from the user's.
 */
export const KBENCH_FILES: readonly (string | RegExp)[] = [
  'summary.json',
  'intervals.csv',
  'latency.csv',
  'run.json',
  'run.json.tmp',
  'cases.csv',
  'merge.json',
  'report.html',
  'shard-intervals.csv',
  'find-max.csv',
  '.kbench-write-test',
  /\.hlog$/,
  /\.hgrm$/,
  // Temporary files of atomic writes (name.tmp-<pid>) left by a killed process.
  /\.tmp-\d+$/,
];

/** Folders kbench must never write into: kernel and device filesystems. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

export interface OutputFolderCheck {
  /** The flag that named the folder, for messages: --out. */
  readonly flag: string;
  /** Remove kbench's own files from a non-empty folder instead of refusing it. */
  readonly force: boolean;
}

/** What prepareOutputFolder did: whether the folder is new (a failed start may remove it). */
export interface PreparedFolder {
  readonly created: boolean;
}

export function isKbenchFile(name: string): boolean {
  return KBENCH_FILES.some((pattern) => (typeof pattern === 'string' ? pattern === name : pattern.test(name)));
}

/** Checks (and creates) the results folder; throws UsageError or RunError with one line. */
export function prepareOutputFolder(dir: string, check: OutputFolderCheck): PreparedFolder {
  const shown = dir === '' ? '""' : dir;
  if (dir.trim() === '') throw new UsageError(`${check.flag} is empty: give a folder for the results`);
  const full = path.resolve(dir);
  const system = SYSTEM_FOLDERS.find((root) => full === root || full.startsWith(`${root}/`));
  if (system !== undefined) {
    throw new UsageError(
      `${check.flag} ${shown} is inside ${system}, a system folder where files cannot be written: choose a folder ` +
        `on a disk`,
    );
  }
  const existing = statOrUndefined(full);
  if (existing !== undefined) {
    if (!existing.isDirectory())
      throw new RunError(`results folder ${shown} is not writable: it is a file, not a folder`);
    clearOrRefuse(full, shown, check);
    assertWritable(full, shown);
    return { created: false };
  }
  // Find the nearest existing parent, then create each missing level below it.
  const missing: string[] = [];
  let parent = full;
  for (;;) {
    missing.unshift(parent);
    const up = path.dirname(parent);
    if (up === parent) break;
    parent = up;
    const stat = statOrUndefined(parent);
    if (stat === undefined) continue;
    if (!stat.isDirectory())
      throw new RunError(`results folder ${shown} is not writable: ${parent} is a file, not a folder`);
    assertWritable(parent, shown);
    break;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statOrUndefined(level)?.isDirectory()) continue;
      throw new RunError(`results folder ${shown} cannot be created: ${errorMessage(error)}`);
    }
  }
  return { created: true };
}

function statOrUndefined(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function assertWritable(dir: string, shown: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new RunError(`results folder ${shown} is not writable: ${errorMessage(error)}`);
  }
}

/** A folder holding an earlier run: refused, or with --force emptied of kbench's files only. */
function clearOrRefuse(dir: string, shown: string, check: OutputFolderCheck): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    throw new RunError(`results folder ${shown} cannot be read: ${errorMessage(error)}`);
  }
  if (entries.length === 0) return;
  if (!check.force) {
    const listed = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, ... (${entries.length} entries)` : '');
    throw new UsageError(
      `${check.flag} ${shown} is not empty (${listed}): choose a new folder, or add --force to replace the kbench ` +
        `results in it`,
    );
  }
  const foreign = entries.filter((name) => !isOwnEntry(path.join(dir, name)));
  if (foreign.length > 0) {
    throw new UsageError(
      `--force: ${shown} holds files kbench did not write ` +
        `(${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); kbench removes only its own ` +
        `results: move them or choose another folder`,
    );
  }
  for (const name of entries) {
    try {
      rmSync(path.join(dir, name), { recursive: true, force: true });
    } catch (error) {
      throw new RunError(`--force: cannot remove ${path.join(shown, name)}: ${errorMessage(error)}`);
    }
  }
}

/** A kbench file, or a folder (a case of kbench run) holding only kbench files. */
function isOwnEntry(file: string): boolean {
  const stat = lstatSync(file);
  if (stat.isDirectory()) {
    const inside = readdirSync(file);
    return inside.length > 0 && inside.every((name) => isOwnEntry(path.join(file, name)));
  }
  return stat.isFile() && isKbenchFile(path.basename(file));
}
