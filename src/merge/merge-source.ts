/** One results folder being merged: where it was read from, and its summary.json. */
import type { SummaryJson } from '../results/summary.js';

export interface MergeSource {
  /** Where it was read from, for messages. */
  readonly dir: string;
  readonly summary: SummaryJson;
}
