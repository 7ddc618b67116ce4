/**
 * The folder of a `kbench run`: run.json and cases.csv at the top, one sub-folder per
 * case (and repetition) as `kbench put` writes it. cases.csv gets a row as each case
 * ends and run.json is rewritten then, so a failure in case 5 keeps cases 1-4.
 */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunError, errorMessage } from '../errors/errors.js';
import { ResultsFolder } from './results-folder.js';

export const RUN_FILES = {
  manifest: 'run.json',
  cases: 'cases.csv',
} as const;

export class RunFolder {
  private constructor(private readonly folder: ResultsFolder) {}

  /** Creates the folder and proves it writable before any case runs. */
  static open(dir: string, force = false): RunFolder {
    return new RunFolder(ResultsFolder.open(dir, force));
  }

  get dir(): string {
    return this.folder.dir;
  }

  /** A case's (or repetition's) own results folder. */
  caseDir(name: string): string {
    return path.join(this.folder.dir, name);
  }

  /** Written whole and renamed into place: a reader never sees half a run.json. */
  writeManifest(manifest: unknown): void {
    const file = this.folder.file(RUN_FILES.manifest);
    this.guard(() => {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
    });
  }

  startCases(header: string): void {
    this.guard(() => writeFileSync(this.folder.file(RUN_FILES.cases), header));
  }

  appendCase(row: string): void {
    this.guard(() => appendFileSync(this.folder.file(RUN_FILES.cases), row));
  }

  private guard(write: () => void): void {
    try {
      write();
    } catch (error) {
      throw new RunError(`cannot write to the results folder ${this.folder.dir}: ${errorMessage(error)}`);
    }
  }
}
