/**
 * Client load: how busy one of kbench's own threads was (event-loop delay and utilization).
 * Not the load the producers offer the stream: a saturated client makes latency figures
 * describe kbench, not Kinesis. measure/client-load.ts samples it.
 */

/** One thread's client load over some span. */
export interface ClientLoadSample {
  /** 99th percentile of event-loop delay, ms (timer lateness beyond the sampling period). */
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  /** Busy share of the event loop, 0-1. */
  readonly eventLoopUtilization: number;
}
