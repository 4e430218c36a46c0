// Commands name a backup by its folder (a copy anywhere works) or by its id in the repository.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { findBackup } from '../catalog/find.js';
import { isBackupId } from '../catalog/paths.js';
import { S3_SCHEME } from '../storage/index.js';

export class BackupNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupNotFoundError';
  }
}

/**
 * The backup's folder; `repository` (which loads the configuration) is asked for only when `arg` is
 * an id and not a folder, or a folder on object storage, reachable only with the configuration.
 */
export async function locateBackup(arg: string, repository: () => Promise<string>): Promise<string> {
  if (arg.startsWith(S3_SCHEME)) {
    await repository();
    return arg.replace(/\/+$/, '');
  }
  const isDir = await stat(arg).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) return path.resolve(arg);
  if (!isBackupId(arg)) throw new BackupNotFoundError(`${arg} is neither a backup folder nor a backup id`);
  const repo = await repository();
  const found = await findBackup(repo, arg);
  if (!found) throw new BackupNotFoundError(`no backup ${arg} in the repository ${repo}`);
  return found.dir;
}
