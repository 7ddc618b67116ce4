/**
 * What a session (app/session.ts) leaves for the summary once it has cleaned up: the target,
 * the stream and the results folder as they ended. Declared here, beside the summary that
 * reads it, so results/ need not reach up into app/.
 */
import type { TargetInfo } from '../target/target.js';
import type { ResultsFolder } from './results-folder.js';

/** What the session leaves for the summary once it has cleaned up. */
export interface SessionRecord {
  readonly target: TargetInfo;
  readonly stream: {
    readonly name: string;
    readonly shardIds: readonly string[];
    readonly created: boolean;
    readonly deleted: boolean;
  };
  readonly results: ResultsFolder;
  readonly startedAt: Date;
}
