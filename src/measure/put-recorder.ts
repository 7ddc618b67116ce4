/**
 * Routes each producer observation into the current interval's tally and, when the record
 * was scheduled inside the measured phase, into the run's tally. Phase membership is
 * decided by the intended send time, so answers that arrive after the end of the measured
 * phase still count for it, and warmup answers that arrive late never do. Throughput is
 * the exception: it counts acknowledgements by when they came (acceptedInPhase), because
 * a stream's rate is what it took per second, wherever the records were first sent.
 */
import { recordMicros } from './histogram.js';
import { PutTally } from './put-tally.js';

export class PutRecorder {
  /** The measured phase only. */
  readonly run = new PutTally();
  /** Everything since the last rollover, all phases. */
  private current = new PutTally();
  private spare = new PutTally();

  constructor(
    private readonly measuredFromMicros: number,
    private measuredUntilMicros: number,
  ) {}

  /** The latest intended time of a record counted as sent in the measured phase. */
  private lastMeasuredSentMicros = Number.NEGATIVE_INFINITY;

  /**
   * Ends the measured phase early (an interrupted run), at `atMicros` or just after the last
   * record already counted as sent in it, whichever is later. A stop decided on another
   * thread arrives late, and records sent meanwhile were counted as sent in the phase: cut
   * before them, their answers would be left out and they would show as unfinished.
   */
  cutMeasuredPhase(atMicros: number): void {
    const cut = Math.max(atMicros, this.lastMeasuredSentMicros + 1);
    if (cut < this.measuredUntilMicros) this.measuredUntilMicros = Math.max(cut, this.measuredFromMicros);
  }

  get measuredUntil(): number {
    return this.measuredUntilMicros;
  }

  private measured(intendedMicros: number): boolean {
    return intendedMicros >= this.measuredFromMicros && intendedMicros < this.measuredUntilMicros;
  }

  /** Whether an acknowledgement at `answeredMicros` falls in the measured phase (throughput). */
  private duringPhase(answeredMicros: number): boolean {
    return answeredMicros >= this.measuredFromMicros && answeredMicros <= this.measuredUntilMicros;
  }

  sent(intendedMicros: number, records: number): void {
    this.current.counts.sent += records;
    if (this.measured(intendedMicros)) {
      this.run.counts.sent += records;
      if (intendedMicros > this.lastMeasuredSentMicros) this.lastMeasuredSentMicros = intendedMicros;
    }
  }

  /** A request answered with HTTP 200 (PutRecords may still hold rejected records). */
  requestAnswered(intendedMicros: number, latencyMicros: number): void {
    this.current.counts.requests += 1;
    recordMicros(this.current.requestLatency, latencyMicros);
    if (this.measured(intendedMicros)) {
      this.run.counts.requests += 1;
      recordMicros(this.run.requestLatency, latencyMicros);
    }
  }

  /** A whole request rejected: throttled (HTTP 400) or failed (network, 5xx, other). */
  requestRejected(intendedMicros: number, records: number, throttled: boolean): void {
    const apply = (tally: PutTally): void => {
      tally.counts.requests += 1;
      if (throttled) {
        tally.counts.requestsThrottled += 1;
        tally.counts.throttled += records;
      } else {
        tally.counts.requestsFailed += 1;
        tally.counts.errors += records;
      }
    };
    apply(this.current);
    if (this.measured(intendedMicros)) apply(this.run);
  }

  /** `records` accepted, `latencyMicros` after their first intended send. */
  accepted(intendedMicros: number, latencyMicros: number, records: number, bytes: number): void {
    this.addAccepted(this.current, latencyMicros, records, bytes);
    if (this.measured(intendedMicros)) this.addAccepted(this.run, latencyMicros, records, bytes);
    if (this.duringPhase(intendedMicros + latencyMicros)) {
      this.run.counts.acceptedInPhase += records;
      this.run.counts.acceptedBytesInPhase += bytes;
    }
  }

  private addAccepted(tally: PutTally, latencyMicros: number, records: number, bytes: number): void {
    tally.counts.accepted += records;
    tally.counts.acceptedBytes += bytes;
    recordMicros(tally.recordLatency, latencyMicros, records);
  }

  /** Which shard took an accepted record, acknowledged at `answeredMicros` (one map update per record). */
  shardAccepted(intendedMicros: number, shardId: string, answeredMicros: number): void {
    addShard(this.current.perShard, shardId);
    if (this.measured(intendedMicros)) addShard(this.run.perShard, shardId);
    if (this.duringPhase(answeredMicros)) addShard(this.run.perShardInPhase, shardId);
  }

  /** Records rejected inside a 200 PutRecords answer. */
  recordsRejected(intendedMicros: number, throttled: number, errors: number): void {
    this.current.counts.throttled += throttled;
    this.current.counts.errors += errors;
    if (this.measured(intendedMicros)) {
      this.run.counts.throttled += throttled;
      this.run.counts.errors += errors;
    }
  }

  retried(intendedMicros: number, records: number): void {
    this.current.counts.retried += records;
    if (this.measured(intendedMicros)) this.run.counts.retried += records;
  }

  /** Records given up on: never accepted. */
  failed(intendedMicros: number, records: number): void {
    this.current.counts.failed += records;
    if (this.measured(intendedMicros)) this.run.counts.failed += records;
  }

  /**
   * Hands the current interval's tally to `use` and starts a new one. The tally is reused
   * afterwards, so `use` must copy what it keeps.
   */
  rollover<T>(use: (interval: PutTally) => T): T {
    const finished = this.current;
    this.current = this.spare;
    this.spare = finished;
    const result = use(finished);
    finished.reset();
    return result;
  }
}

function addShard(counts: Map<string, number>, shardId: string): void {
  counts.set(shardId, (counts.get(shardId) ?? 0) + 1);
}
