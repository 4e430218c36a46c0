// Which storage holds a location: an absolute path is on a POSIX file system, `s3://bucket/prefix`
// on S3-compatible object storage reached with the configuration's `s3` settings.
import path from 'node:path';
import { PosixStorage } from './posix.js';
import type { S3Settings, S3Storage } from './s3.js';
import { S3_SCHEME, type Storage } from './types.js';

export type { FileDigest, PendingFile, Storage, StorageEntry } from './types.js';
export type { S3Settings } from './s3.js';
export { PARTIAL_SUFFIX, S3_SCHEME } from './types.js';

const posix = new PosixStorage();
let objectStorage: S3Storage | undefined;

/**
 * How s3:// locations are reached from now on: the loaded configuration's `s3`. The SDK is loaded
 * only here, so a run on a local repository never pays for its megabytes.
 */
export async function useObjectStorage(settings: S3Settings): Promise<void> {
  const { S3Storage } = await import('./s3.js');
  objectStorage = new S3Storage(settings);
}

/** The same, unless object storage is configured already (a worker thread configures its own). */
export async function ensureObjectStorage(settings: S3Settings): Promise<void> {
  if (!objectStorage) await useObjectStorage(settings);
}

/** Makes the repository of a loaded configuration reachable: every surface calls it once it has the configuration. */
export async function useRepository(config: { repositoryPath: string; s3: S3Settings }): Promise<void> {
  if (config.repositoryPath.startsWith(S3_SCHEME)) await useObjectStorage(config.s3);
}

export function storageOf(location: string): Storage {
  if (path.isAbsolute(location)) return posix;
  if (location.startsWith(S3_SCHEME)) {
    if (!objectStorage) throw new Error(`${location}: object storage is not configured (the configuration's s3 settings)`);
    return objectStorage;
  }
  throw new Error(`no storage holds ${JSON.stringify(location)}: give an absolute path or s3://bucket/prefix`);
}
