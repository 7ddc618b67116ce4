/**
 * Where a verdict's Markdown goes: the --markdown file, and GitHub Actions' job summary
 * when $GITHUB_STEP_SUMMARY names one (appended: other steps write there too).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { RunError, errorMessage } from '../errors/errors.js';
import type { CommandIo } from './session.js';

export interface MarkdownTargets {
  readonly file: string | undefined;
  readonly stepSummary: string | undefined;
}

export function writeGateMarkdown(markdown: string, targets: MarkdownTargets, io: Pick<CommandIo, 'stderr'>): void {
  if (targets.stepSummary) {
    try {
      appendFileSync(targets.stepSummary, markdown);
    } catch (error) {
      // The job summary is a nicety; the verdict and the exit code stand without it.
      io.stderr.write(
        `kbench: could not append to $GITHUB_STEP_SUMMARY (${targets.stepSummary}): ${errorMessage(error)}\n`,
      );
    }
  }
  if (targets.file) {
    try {
      writeFileSync(targets.file, markdown);
    } catch (error) {
      throw new RunError(`--markdown ${targets.file}: cannot write it: ${errorMessage(error)}`);
    }
  }
}
