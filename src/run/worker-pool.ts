/**
 * The plumbing every set of worker threads shares (kbench's producers, kbench lag's
 * consumers): start them from one entry module, wait until each says it is ready, send a
 * request to all of them and gather one answer from each, and notice a worker that fails
 * or exits before it answered, so that the main thread never waits for a dead thread.
 */
import { Worker } from 'node:worker_threads';
import { RunError } from '../errors/errors.js';
import { siblingModule } from '../runtime/module-path.js';

/** Collects one answer of a given kind from every worker. */
export class Gather<T> {
  private readonly answers: Array<T | undefined>;
  private waiting = 0;
  private resolve: ((answers: T[]) => void) | undefined;

  constructor(private readonly size: number) {
    this.answers = new Array<T | undefined>(size);
  }

  start(): Promise<T[]> {
    this.answers.fill(undefined);
    this.waiting = this.size;
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  put(index: number, answer: T): void {
    if (this.answers[index] !== undefined || !this.resolve) return;
    this.answers[index] = answer;
    this.waiting -= 1;
    if (this.waiting === 0) {
      const resolve = this.resolve;
      this.resolve = undefined;
      resolve(this.answers as T[]);
    }
  }

  /** A worker that is gone answers nothing: give up on everything pending. */
  fail(): void {
    this.resolve = undefined;
  }
}

export interface WorkerPoolHandlers<From> {
  readonly onMessage: (index: number, message: From) => void;
  /** A worker threw (its thread ends): the run cannot be trusted to go on. */
  readonly onError: (error: Error) => void;
}

/** Every worker's first message, once it has loaded and built its clients. */
export interface ReadyMessage {
  readonly type: 'ready';
}

type Heard<From> = { readonly index: number; readonly message: From } | { readonly error: Error };

export class WorkerPool<To, From> {
  /** Resolves when every worker has exited. */
  readonly exited: Promise<void>;
  /** One per worker: resolves when that worker has exited. */
  readonly exits: readonly Promise<void>[];
  private failure: Error | undefined;
  /** Resolves when a worker first fails. */
  private readonly failed: Promise<Error>;
  private onFailed: (error: Error) => void = () => undefined;
  private handlers: WorkerPoolHandlers<From> | undefined;
  /** What the workers said before anyone listened (nothing is dropped). */
  private readonly heard: Heard<From>[] = [];

  /**
   * Starts one worker per entry of `inits` (each its workerData) from the sibling module
   * `entry`, and resolves once every one has said it is ready. Messages after "ready" are
   * kept until `listen` is called.
   */
  static async start<To, From>(
    what: string,
    fromUrl: string,
    entry: string,
    inits: readonly unknown[],
  ): Promise<WorkerPool<To, From>> {
    const module = siblingModule(fromUrl, entry);
    const workers = inits.map((workerData) => new Worker(module.path, { execArgv: module.execArgv, workerData }));
    const ready = workers.map((worker) => waitForReady(what, worker));
    const pool = new WorkerPool<To, From>(what, workers);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    return pool;
  }

  private constructor(
    private readonly what: string,
    private readonly workers: readonly Worker[],
  ) {
    this.failed = new Promise((resolve) => {
      this.onFailed = resolve;
    });
    this.exits = workers.map((worker, index) => {
      worker.on('message', (message: From) => {
        if ((message as Partial<ReadyMessage>).type === 'ready') return;
        this.hear({ index, message });
      });
      worker.on('error', (error) => {
        this.failure ??= error;
        this.onFailed(error);
        this.hear({ error });
      });
      return new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    });
    this.exited = Promise.all(this.exits).then(() => undefined);
  }

  /** From now on, messages and failures go to `handlers` (those heard before first). */
  listen(handlers: WorkerPoolHandlers<From>): void {
    this.handlers = handlers;
    for (const heard of this.heard.splice(0)) this.hear(heard);
  }

  private hear(heard: Heard<From>): void {
    if (!this.handlers) this.heard.push(heard);
    else if ('error' in heard) this.handlers.onError(heard.error);
    else this.handlers.onMessage(heard.index, heard.message);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Why a worker failed, as the run's one-line reason. */
  failedBecause(error: Error): string {
    return `a ${this.what} worker failed: ${error.message}`;
  }

  post(index: number, message: To): void {
    this.workers[index]?.postMessage(message);
  }

  broadcast(message: To): void {
    for (const worker of this.workers) worker.postMessage(message);
  }

  /** Sends a request to every worker and waits for all their answers (or a failure). */
  ask<T>(gather: Gather<T>, message: To): Promise<T[]> {
    const answers = gather.start();
    this.broadcast(message);
    return new Promise((resolve, reject) => {
      void answers.then(resolve);
      const giveUp = (): void => {
        gather.fail();
        reject(new RunError(this.failure ? this.failedBecause(this.failure) : `a ${this.what} worker exited early`));
      };
      // A failed worker never answers; and workers exit after their last answer, so all
      // gone before answering means one exited early.
      void this.failed.then(giveUp);
      void this.exited.then(giveUp);
    });
  }

  /** Ends every worker still running (after a failure: nothing more is asked of them). */
  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

function waitForReady(what: string, worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Partial<ReadyMessage>): void => {
      if (message.type !== 'ready') return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', (error) => reject(new RunError(`a ${what} worker failed to start: ${error.message}`)));
    worker.once('exit', (code) => reject(new RunError(`a ${what} worker exited during start-up (code ${code})`)));
  });
}
