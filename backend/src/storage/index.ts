// Which storage holds a location. Locations name their storage: today every one is a path on a
// POSIX file system; object storage will be told apart by its scheme (s3://) and plug in here.
import path from 'node:path';
import { PosixStorage } from './posix.js';
import type { Storage } from './types.js';

export type { FileDigest, PendingFile, Storage, StorageEntry } from './types.js';
export { PARTIAL_SUFFIX } from './posix.js';

const posix = new PosixStorage();

export function storageOf(location: string): Storage {
  if (path.isAbsolute(location)) return posix;
  throw new Error(`no storage holds ${JSON.stringify(location)}: this version keeps backups in a local folder (an absolute path)`);
}
