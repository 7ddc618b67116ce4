/** Runs the real kbench executable (bin/kbench -> dist/) as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KBENCH_BIN = path.join(REPO_ROOT, 'bin', 'kbench');

export interface KbenchResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KbenchRun {
  readonly child: ChildProcess;
  readonly result: Promise<KbenchResult>;
}

export function startKbench(args: readonly string[], env: NodeJS.ProcessEnv = {}): KbenchRun {
  const child = spawn(process.execPath, [KBENCH_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<KbenchResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

export function runKbench(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<KbenchResult> {
  return startKbench(args, env).result;
}

export function tempDir(prefix = 'kbench-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function readJson<T = Record<string, any>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Waits until `check` is true, polling; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Child pids of a process (Linux /proc), to find the emulator kbench started. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}
