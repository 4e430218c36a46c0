import { mkdir } from 'node:fs/promises';
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
 * Takes the per-target lock. proper-lockfile refreshes the lock's mtime while we hold it, so a
 * crashed run's lock goes stale after `staleMs` and the next run takes over instead of waiting forever.
 */
export async function lockTarget(targetDirectory: string, target: string, staleMs = STALE_MS): Promise<() => Promise<void>> {
  await mkdir(targetDirectory, { recursive: true, mode: 0o700 });
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
