/**
 * A server kbench runs in a child process of its own (the emulator, the quota layer), so
 * its CPU work never shares kbench's event loop. The child says {type: "ready", port}
 * over IPC once it listens; it stops on "stop", and exits by itself when the IPC channel
 * closes (kbench exited, crashed or was killed), so it never outlives kbench.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { RunError } from '../errors/errors.js';
import { siblingModule } from '../runtime/module-path.js';

export interface ChildServer {
  readonly port: number;
  /** The whole ready message, for anything else the child reports. */
  readonly ready: Readonly<Record<string, unknown>>;
  readonly pid: number;
  /** Aborted (with the reason as a string) if the child dies on its own mid-run. */
  readonly lost: AbortSignal;
  /** Sends `message` and waits for the child's answer of type `replyType`. */
  ask(message: string, replyType: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface ChildServerSpec {
  /** The entry module, relative to `fromUrl`, without extension. */
  readonly entry: string;
  readonly fromUrl: string;
  /** Passed to the child as its one JSON argument. */
  readonly config: unknown;
  /** Names the child in errors: "the embedded emulator (kinesalite)". */
  readonly name: string;
  readonly startTimeoutMs: number;
  /** In a process group of its own, so a Ctrl-C in the terminal does not reach it. */
  readonly detached?: boolean;
}

export async function startChildServer(spec: ChildServerSpec): Promise<ChildServer> {
  const entry = siblingModule(spec.fromUrl, spec.entry);
  const child = fork(entry.path, [JSON.stringify(spec.config)], {
    execArgv: entry.execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    detached: spec.detached === true,
  });
  // Belt and braces: the child also exits when the IPC channel closes.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });

  try {
    const ready = await waitForReady(child, spec, () => stderr);
    const port = ready['port'] as number;
    const lost = new AbortController();
    let stopping = false;
    child.once('exit', (code, signal) => {
      if (!stopping) lost.abort(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`})`);
    });
    return {
      port,
      ready,
      pid: child.pid ?? -1,
      lost: lost.signal,
      ask: (message, replyType, timeoutMs = 5000) => ask(child, message, replyType, timeoutMs),
      stop: () => {
        stopping = true;
        return stopChild(child).finally(() => process.off('exit', killOnExit));
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    throw error;
  }
}

function waitForReady(
  child: ChildProcess,
  spec: ChildServerSpec,
  stderr: () => string,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      cleanup();
      reject(new RunError(`${spec.name} failed to start: ${why}`));
    };
    const onMessage = (message: unknown): void => {
      const m = message as { type?: string; port?: number; message?: string };
      if (m.type === 'ready' && typeof m.port === 'number') {
        cleanup();
        resolve(m as Record<string, unknown>);
      } else if (m.type === 'error') {
        fail(m.message ?? 'unknown error');
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      const detail = stderr().trim().split('\n').pop();
      fail(`it exited (${signal ?? `code ${code}`})${detail ? `: ${detail}` : ''}`);
    };
    const onError = (error: Error): void => fail(error.message);
    const timer = setTimeout(() => fail(`no answer within ${spec.startTimeoutMs} ms`), spec.startTimeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

function ask(
  child: ChildProcess,
  message: string,
  replyType: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: unknown): void => {
      const r = reply as Record<string, unknown>;
      if (r['type'] !== replyType) return;
      cleanup();
      resolve(r);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new RunError(`no answer to "${message}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send('stop');
    else child.kill('SIGTERM');
  });
}
