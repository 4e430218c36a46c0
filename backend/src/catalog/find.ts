// Lookups in the repository by backup id.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { TARGET_NAME } from '../config/schema.js';
import { isBackupId } from './paths.js';

/** The folder of backup `id`, whichever target it belongs to; null when there is none. */
export async function findBackup(repository: string, id: string): Promise<{ target: string; dir: string } | null> {
  if (!isBackupId(id)) return null;
  let targets: string[];
  try {
    targets = (await readdir(repository)).filter((t) => TARGET_NAME.test(t));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  // lstat, not stat: a symlinked target or run folder points outside the repository and is refused.
  const isRealDir = (p: string) =>
    lstat(p).then(
      (s) => s.isDirectory(),
      () => false,
    );
  for (const target of targets) {
    const dir = path.join(repository, target, id);
    if ((await isRealDir(path.join(repository, target))) && (await isRealDir(dir))) return { target, dir };
  }
  return null;
}
