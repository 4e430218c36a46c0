// The agent's private runtime folder: option files with passwords, and a record of each child
// process. Nothing lands in a shared temporary folder under a guessable name, and what a killed
// agent left behind (kill -9, power loss) is swept by the next one.
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config/load.js';

/** A runtime folder that is not private is a deployment problem: exit 2, class config. */
function notPrivate(dir: string, why: string): ConfigError {
  return new ConfigError(dir, [`the runtime folder ${why}: set WARDEN_RUNTIME_DIR to a folder only this user can open`]);
}

/** `<agent pid>-<anything>`: the agent that wrote an entry, to tell whether it still runs. */
const ENTRY = /^(\d+)-/;

let cached: string | null = null;

function defaultDir(env: NodeJS.ProcessEnv): string {
  if (env.WARDEN_RUNTIME_DIR) return path.resolve(env.WARDEN_RUNTIME_DIR);
  // $XDG_RUNTIME_DIR is per user, 0700 and emptied at logout; else a per-user folder in tmp.
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'warden');
  return path.join(os.tmpdir(), `warden-${os.userInfo().uid}`);
}

/** Only ours: a real folder (not a link someone planted in /tmp), owned by us, closed to others. */
function checkPrivate(dir: string): void {
  const s = lstatSync(dir);
  if (!s.isDirectory()) throw notPrivate(dir, 'is not a folder (or is a symbolic link)');
  if (s.uid !== os.userInfo().uid) throw notPrivate(dir, `belongs to uid ${s.uid}, not to this user`);
  if ((s.mode & 0o077) !== 0) throw notPrivate(dir, `is open to others (mode ${(s.mode & 0o777).toString(8)})`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ChildRecord {
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): a reused pid has another. */
  startTicks: string;
  file: string;
}

/** A process's start time, so that a record is never taken for a later process with the same pid. */
export function startTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Removes what dead agents left: option files, and child processes that outlived them (killed). */
export function sweepStale(dir: string): void {
  for (const name of readdirSync(dir)) {
    const owner = Number(ENTRY.exec(name)?.[1]);
    if (!owner || owner === process.pid || isAlive(owner)) continue;
    const file = path.join(dir, name);
    if (name.endsWith('.child')) {
      try {
        const rec = JSON.parse(readFileSync(file, 'utf8')) as ChildRecord;
        if (startTicks(rec.pid) === rec.startTicks) process.kill(-rec.pid, 'SIGKILL');
      } catch {
        // gone already, or not ours to kill
      }
    }
    rmSync(file, { recursive: true, force: true });
  }
}

/** The runtime folder, made private and swept on first use in this process. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (cached) return cached;
  const dir = defaultDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivate(dir);
  sweepStale(dir);
  cached = dir;
  return dir;
}
