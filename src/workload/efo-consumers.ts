/**
 * Enhanced fan-out consumers: registered on the stream before the run, deregistered after
 * it whatever happened (a registered consumer costs money on AWS and counts against the
 * stream's limit of 20). kinesalite has no enhanced fan-out; it answers
 * UnknownOperationException, which becomes a usage error naming the way out.
 */
import {
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  RegisterStreamConsumerCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { RunError, UsageError } from '../errors/errors.js';
import { sleepMs } from '../measure/clock.js';
import { describeReadError } from './read-errors.js';

export interface RegisteredConsumer {
  readonly name: string;
  readonly arn: string;
}

export const NO_FAN_OUT_HINT =
  'use --consumer polling, or --emulator kinesis-mock for an embedded emulator that has it';

/**
 * Names of a process's enhanced fan-out consumers: kbench-<run id>-<n>, and with a
 * --producer-id-base other than 0 kbench-<run id>-p<base>-<n>, so that the processes of
 * one run on one stream neither refuse each other's registration nor deregister each
 * other's consumers.
 */
export function consumerNames(runId: string, producerIdBase: number, count: number): string[] {
  const prefix = producerIdBase === 0 ? `kbench-${runId}` : `kbench-${runId}-p${producerIdBase}`;
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

const ACTIVE_POLL_MS = 100;
const ACTIVE_TIMEOUT_MS = 2 * 60_000;

export async function streamArn(client: KinesisClient, streamName: string, signal: AbortSignal): Promise<string> {
  const answer = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }), {
    abortSignal: signal,
  });
  const arn = answer.StreamDescriptionSummary?.StreamARN;
  if (!arn) throw new RunError(`--consumer efo: the target gave no ARN for stream ${streamName}`);
  return arn;
}

/**
 * Registers one consumer per name and waits until each is ACTIVE. Each one registered is
 * added to `registered` at once, so the caller can deregister them even if this fails.
 */
export async function registerConsumers(
  client: KinesisClient,
  arn: string,
  names: readonly string[],
  registered: RegisteredConsumer[],
  signal: AbortSignal,
): Promise<void> {
  for (const name of names) {
    let consumerArn: string | undefined;
    try {
      const answer = await client.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: name }), {
        abortSignal: signal,
      });
      consumerArn = answer.Consumer?.ConsumerARN;
    } catch (error) {
      const errorName = (error as Error).name;
      if (errorName === 'UnknownOperationException' || errorName === 'UnknownOperation') {
        throw new UsageError(
          `--consumer efo: the target has no enhanced fan-out (RegisterStreamConsumer ` +
            `answered ${errorName}); ${NO_FAN_OUT_HINT}`,
        );
      }
      if (errorName === 'LimitExceededException') {
        throw new UsageError(
          `--consumers-per-shard: the stream allows no more registered consumers (${describeReadError(error)})`,
        );
      }
      throw new RunError(`--consumer efo: could not register consumer ${name}: ${describeReadError(error)}`);
    }
    if (!consumerArn) throw new RunError(`--consumer efo: registering ${name} gave no consumer ARN`);
    registered.push({ name, arn: consumerArn });
  }
  for (const consumer of registered) await waitUntilActive(client, consumer, signal);
}

async function waitUntilActive(
  client: KinesisClient,
  consumer: RegisteredConsumer,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const answer = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer.arn }), {
      abortSignal: signal,
    });
    if (answer.ConsumerDescription?.ConsumerStatus === 'ACTIVE') return;
    if (signal.aborted) throw new RunError(`interrupted while consumer ${consumer.name} was being registered`);
    if (Date.now() > deadline) throw new RunError(`consumer ${consumer.name} did not become ACTIVE within 2 minutes`);
    await sleepMs(ACTIVE_POLL_MS, signal);
  }
}

/** Deregisters every consumer; never throws. Returns the ones that could not be deregistered, with why. */
export async function deregisterConsumers(
  client: KinesisClient,
  consumers: readonly RegisteredConsumer[],
): Promise<string[]> {
  const failures: string[] = [];
  for (const consumer of consumers) {
    try {
      await client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumer.arn }));
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') continue;
      failures.push(`${consumer.name}: ${describeReadError(error)}`);
    }
  }
  return failures;
}
