// Every program the agent runs (dump tools, zstd, the client): a scrubbed environment, its own
// process group, and no life after the agent's. On Linux `setpriv --pdeathsig SIGKILL` has the
// kernel kill it when the agent dies, even by kill -9; a record in the runtime folder lets the
// next agent kill what survived elsewhere (runtimeDir.ts), and the agent kills its groups on exit.
import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { childEnv } from './childEnv.js';
import { type ChildRecord, runtimeDir, startTicks } from './runtimeDir.js';
import { isExecutable, which } from './tool.js';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

let setpriv: string | null | undefined;

/** setpriv from util-linux, when it is here and can set a parent-death signal (Linux). */
function pdeathsigWrapper(): string | null {
  setpriv ??= process.platform === 'linux' ? which('setpriv') : null;
  return setpriv;
}

function recordFile(pid: number): string {
  return path.join(runtimeDir(), `${process.pid}-${pid}.child`);
}

/** Kills the child's whole process group (what it started too); the child alone if it has none. */
export function killChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Kills every child still running: on shutdown, and as the agent exits for any reason. */
export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) killChild(child, signal);
}

export function spawnChild(file: string, args: readonly string[], stdio: StdioOptions): ChildProcess {
  const wrapper = isExecutable(file) ? pdeathsigWrapper() : null;
  // setpriv execs the program: the pid, signals and exit status stay the program's own.
  const child = wrapper
    ? spawn(wrapper, ['--pdeathsig', 'SIGKILL', '--', file, ...args], { stdio, env: childEnv(), detached: true })
    : spawn(file, [...args], { stdio, env: childEnv(), detached: true });
  const pid = child.pid;
  if (pid === undefined) return child; // spawn failed; its 'error' event says why
  live.add(child);
  const record: ChildRecord = { pid, startTicks: startTicks(pid) ?? '', file };
  writeFileSync(recordFile(pid), JSON.stringify(record), { mode: 0o600 });
  child.once('exit', () => {
    live.delete(child);
    rmSync(recordFile(pid), { force: true });
  });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => killAllChildren());
  }
  return child;
}

const STDERR_LIMIT = 16_384;

/** Keeps the last bytes of a child's stderr for classification and the log. */
export function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    text = (text + s).slice(-STDERR_LIMIT);
  });
  return () => text;
}

export interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs a program to its end with its stderr kept. On abort its process group is stopped (SIGTERM,
 * then SIGKILL after `graceMs`) and waited for, so nothing it started still writes when the caller
 * cleans up after it; the promise then rejects with the signal's reason.
 */
export async function runChild(file: string, args: readonly string[], signal: AbortSignal, graceMs = 5000): Promise<ChildExit> {
  signal.throwIfAborted();
  const child = spawnChild(file, args, ['ignore', 'ignore', 'pipe']);
  const stderr = collectStderr(child);
  const closed = new Promise<ChildExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, sig) => resolve({ exitCode, signal: sig, stderr: stderr() }));
  });
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    killChild(child, 'SIGTERM');
    timer = setTimeout(() => killChild(child, 'SIGKILL'), graceMs);
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    const exit = await closed;
    signal.throwIfAborted();
    return exit;
  } finally {
    signal.removeEventListener('abort', stop);
    clearTimeout(timer);
  }
}
