/**
 * What a gate looks at: cases, each with the summary.json of every repetition that
 * completed. A single `kbench put` run is one case; a `kbench run` folder has one per
 * matrix case. Plain parsed JSON: the gate reads figures by metric, never by type.
 */

export interface CaseResults {
  /** Matches a case across runs: the matrix values, e.g. "batch=1,shards=2"; "" for a single run. */
  readonly key: string;
  /** For people: "batch=1 shards=2", or the run id. */
  readonly label: string;
  /** Completed repetitions only. */
  readonly summaries: readonly unknown[];
}

export interface ResultSet {
  /** Where it was read from, for messages. */
  readonly source: string;
  readonly cases: readonly CaseResults[];
}
