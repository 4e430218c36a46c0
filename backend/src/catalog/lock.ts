// One run of a target at a time, across processes and hosts: the target folder's lock
// (storage/types.ts states what the lock guarantees).
import { type Storage, storageOf } from '../storage/index.js';

export class TargetBusyError extends Error {
  constructor(readonly target: string) {
    super(`another backup of target "${target}" is running; two runs of one target never overlap`);
    this.name = 'TargetBusyError';
  }
}

/** The repository cannot be reached to take the lock (a missing bucket or folder, credentials, the network): no run starts. */
export class RepositoryUnavailableError extends Error {
  constructor(targetDirectory: string, cause: unknown) {
    const why = cause instanceof Error ? `${(cause as NodeJS.ErrnoException).code ?? cause.name}: ${cause.message}` : String(cause);
    super(`cannot take the lock of ${targetDirectory}: ${why}`, { cause });
    this.name = 'RepositoryUnavailableError';
  }
}

/** Takes the target's lock, or says who has it; resolves with the release. */
export async function lockTarget(targetDirectory: string, target: string, storage: Storage = storageOf(targetDirectory)): Promise<() => Promise<void>> {
  try {
    return await storage.lock(targetDirectory);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new TargetBusyError(target);
    throw new RepositoryUnavailableError(targetDirectory, err);
  }
}

/**
 * Whether a live run (of this or another process, maybe on another host) holds the target's lock;
 * `observe` before deleting anything on the strength of the answer (storage/types.ts).
 */
export function isTargetLocked(targetDirectory: string, opts: { observe?: boolean } = {}): Promise<boolean> {
  return storageOf(targetDirectory).isLocked(targetDirectory, opts);
}
