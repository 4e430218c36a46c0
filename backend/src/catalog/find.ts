// Lookups in the repository by backup id.
import { TARGET_NAME } from '../config/schema.js';
import { storageOf } from '../storage/index.js';
import { isBackupId } from './paths.js';

/** The folder of backup `id`, whichever target it belongs to; null when there is none. */
export async function findBackup(repository: string, id: string): Promise<{ target: string; dir: string } | null> {
  if (!isBackupId(id)) return null;
  const storage = storageOf(repository);
  // Real folders only: a symlinked target or run folder points outside the repository and is refused.
  const targets = (await storage.list(repository)).filter((e) => e.kind === 'folder' && TARGET_NAME.test(e.name));
  for (const { name: target } of targets) {
    const runs = await storage.list(storage.join(repository, target));
    if (runs.some((e) => e.kind === 'folder' && e.name === id)) return { target, dir: storage.join(repository, target, id) };
  }
  return null;
}
