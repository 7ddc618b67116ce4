/**
 * The embedded target's lifecycle: an emulator (kinesalite, or kinesis-mock for enhanced
 * fan-out) in a child process on 127.0.0.1, started on demand and stopped at the end of
 * the run, on Ctrl-C, on errors and on kbench's own death.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { RunError } from '../errors.js';
import { siblingModule } from '../runtime/module-path.js';

/** The emulators kbench can embed. */
export const EMULATORS = ['kinesalite', 'kinesis-mock'] as const;
export type EmulatorName = (typeof EMULATORS)[number];

export interface EmbeddedEmulator {
  readonly name: EmulatorName;
  readonly version: string;
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  readonly shardLimit: number;
  /** RegisterStreamConsumer and SubscribeToShard: kinesis-mock has them, kinesalite not. */
  readonly enhancedFanOut: boolean;
  /** Aborted (with the reason as a string) if the emulator dies on its own mid-run. */
  readonly lost: AbortSignal;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly shardLimit?: number;
  readonly startTimeoutMs?: number;
  /** How long creating or deleting a stream takes (kinesalite simulates it); default 50 ms. */
  readonly streamDelayMs?: number;
}

/** kinesalite's own default is 10; kbench users size 1-3 shards but matrices go higher. */
export const EMBEDDED_SHARD_LIMIT = 100;

export function kinesaliteVersion(): string {
  return packageVersion('kinesalite');
}

function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** How each emulator is started: its child entry, and its package for the version. */
const CHILDREN: Readonly<Record<EmulatorName, { entry: string; packageName: string; enhancedFanOut: boolean }>> = {
  kinesalite: { entry: 'kinesalite-server', packageName: 'kinesalite', enhancedFanOut: false },
  // The npm package kinesis-local is kinesis-mock compiled to JavaScript.
  'kinesis-mock': { entry: 'kinesis-mock-server', packageName: 'kinesis-local', enhancedFanOut: true },
};

export function startKinesalite(options: EmbeddedOptions = {}): Promise<EmbeddedEmulator> {
  return startEmulator('kinesalite', options);
}

export async function startEmulator(name: EmulatorName, options: EmbeddedOptions = {}): Promise<EmbeddedEmulator> {
  const shardLimit = options.shardLimit ?? EMBEDDED_SHARD_LIMIT;
  const spec = CHILDREN[name];
  const entry = siblingModule(import.meta.url, spec.entry);
  const config = { port: options.port ?? 0, shardLimit, streamDelayMs: options.streamDelayMs ?? 50 };
  const child = fork(entry.path, [JSON.stringify(config)], {
    execArgv: entry.execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // kinesis-mock exits on SIGINT by itself: in a process group of its own, a Ctrl-C in
    // the terminal does not reach it, and kbench stops it after cleaning up.
    detached: name === 'kinesis-mock',
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
    const port = await waitForReady(name, child, options.startTimeoutMs ?? 15_000, () => stderr);
    const lost = new AbortController();
    let stopping = false;
    child.once('exit', (code, signal) => {
      if (!stopping) lost.abort(`the embedded emulator exited unexpectedly (${signal ?? `code ${code}`})`);
    });
    return {
      name,
      version: packageVersion(spec.packageName),
      endpoint: `http://127.0.0.1:${port}`,
      port,
      pid: child.pid ?? -1,
      shardLimit,
      enhancedFanOut: spec.enhancedFanOut,
      lost: lost.signal,
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

function waitForReady(name: EmulatorName, child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      cleanup();
      reject(new RunError(`the embedded emulator (${name}) failed to start: ${why}`));
    };
    const onMessage = (message: unknown): void => {
      const m = message as { type?: string; port?: number; message?: string };
      if (m.type === 'ready' && typeof m.port === 'number') {
        cleanup();
        resolve(m.port);
      } else if (m.type === 'error') {
        fail(m.message ?? 'unknown error');
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      const detail = stderr().trim().split('\n').pop();
      fail(`it exited (${signal ?? `code ${code}`})${detail ? `: ${detail}` : ''}`);
    };
    const onError = (error: Error): void => fail(error.message);
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
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
