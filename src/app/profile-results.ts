/**
 * What put and lag add for load profiles: each interval's target rate, the stages block
 * built from the measured intervals, and the AWS units block. Keeps the commands' own
 * code to a few calls.
 */
import type { PutRunResult, PutInterval } from '../model/put-result.js';
import type { ProducerOptions, RunOptions } from '../config/options.js';
import { buildAwsBlock, type AwsJson } from '../results/aws-units.js';
import { buildStagesBlock, intervalTarget, type StageInterval, type StagesJson } from '../results/stage-summary.js';
import { measuredSeconds, type PutBlock } from '../blocks/put.js';
import { awsLines, stagesLines } from '../console/profile-text.js';

export class ProfileResults {
  private startMicros = 0;
  private readonly intervals: StageInterval[] = [];

  constructor(private readonly options: ProducerOptions & RunOptions) {}

  started(startMicros: number): void {
    this.startMicros = startMicros;
  }

  /** The interval with its target rate; kept when the run has stages. */
  interval(put: PutInterval, lagHistogram?: string): PutInterval {
    const target = intervalTarget(this.options, this.startMicros, put);
    const withTarget = target === undefined ? put : { ...put, targetRecordsPerS: target };
    if (this.options.stages)
      this.intervals.push({ put: withTarget, ...(lagHistogram !== undefined && { lagHistogram }) });
    return withTarget;
  }

  stages(result: PutRunResult, withLag: boolean): StagesJson | undefined {
    if (!this.options.stages) return undefined;
    return buildStagesBlock(this.options.stages, result.schedule.measuredFromMicros, this.intervals, withLag);
  }

  aws(result: PutRunResult, put: PutBlock): AwsJson {
    const counts = result.tally.counts;
    return buildAwsBlock({
      recordSize: this.options.recordSize,
      keys: this.options.keys,
      sent: counts.sent,
      accepted: counts.accepted,
      acceptedBytes: counts.acceptedBytes,
      recordsPerS: put.records_per_s,
      measuredS: measuredSeconds(result),
    });
  }
}

/** The table lines for a summary's stages and aws blocks. */
export function profileText(
  summary: { readonly stages?: StagesJson; readonly aws?: AwsJson },
  withLag: boolean,
): string {
  const lines = [
    ...(summary.stages ? stagesLines(summary.stages, withLag) : []),
    ...(summary.aws ? ['', ...awsLines(summary.aws)] : []),
  ];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
