import { mkdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export class TargetBusyError extends Error {
  constructor(readonly target: string) {
    super(`another backup of target "${target}" is running; two runs of one target never overlap`);
    this.name = 'TargetBusyError';
  }
}

const STALE_MS = 30_000;
const lockOptions = (targetDirectory: string, staleMs: number) => ({
  lockfilePath: path.join(targetDirectory, '.lock'),
  stale: staleMs,
  realpath: false,
});

/**
 * Whether a lock that looks stale by this host's clock is still refreshed by its holder. The lock's
 * mtime is the holder's clock: on a repository shared by hosts whose clocks differ by more than
 * `staleMs`, a live lock looks stale. A live holder refreshes it every `staleMs / 3`: watch it for
 * one such period before taking it over (only runs after a crash pay this wait).
 */
async function refreshedByItsHolder(lockPath: string, staleMs: number): Promise<boolean> {
  const first = await stat(lockPath).catch(() => null);
  if (!first || Date.now() - first.mtimeMs <= staleMs) return false;
  await sleep(Math.floor(staleMs / 3) + 1000);
  const second = await stat(lockPath).catch(() => null);
  return second !== null && second.mtimeMs !== first.mtimeMs;
}

/**
 * Takes the per-target lock. proper-lockfile refreshes the lock's mtime while we hold it, so a
 * crashed run's lock goes stale after `staleMs` and the next run takes over instead of waiting
 * forever; a lock its holder still refreshes is never taken, whatever the clocks say.
 */
export async function lockTarget(targetDirectory: string, target: string, staleMs = STALE_MS): Promise<() => Promise<void>> {
  await mkdir(targetDirectory, { recursive: true, mode: 0o700 });
  if (await refreshedByItsHolder(lockOptions(targetDirectory, staleMs).lockfilePath, staleMs)) throw new TargetBusyError(target);
  try {
    return await lockfile.lock(targetDirectory, { ...lockOptions(targetDirectory, staleMs), update: Math.floor(staleMs / 3), retries: 0 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new TargetBusyError(target);
    throw err;
  }
}

/** Whether a live run (of this or another process) holds the target's lock; a stale lock is not held. */
export function isTargetLocked(targetDirectory: string): Promise<boolean> {
  return lockfile.check(targetDirectory, lockOptions(targetDirectory, STALE_MS));
}
