/** The first call to a target just opened: "nothing listens there" fails now with a clear message, not mid-run. */
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { RunError } from '../errors/errors.js';
import { describeSdkError, type Target } from './target.js';

/** One cheap call; `signal` (Ctrl-C, SIGTERM) ends it, however long it waits. */
export async function checkReachable(target: Target, signal?: AbortSignal): Promise<Target> {
  const client = target.createClient(1);
  try {
    await client.send(new ListStreamsCommand({ Limit: 1 }), signal ? { abortSignal: signal } : {});
    return target;
  } catch (error) {
    if (signal?.aborted) throw new RunError(`stopped before the run started: ${String(signal.reason)}`);
    throw new RunError(`cannot reach the Kinesis endpoint ${target.info.endpoint}: ${describeSdkError(error)}`);
  } finally {
    client.destroy();
  }
}
