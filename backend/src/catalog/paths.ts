import { randomBytes } from 'node:crypto';
import { TARGET_NAME } from '../config/schema.js';
import { storageOf } from '../storage/index.js';

/** `20261122T014512.345Z-3fa9`: sorts by start time (UTC); the suffix keeps ids unique. */
export const BACKUP_ID = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{4}$/;

export function newBackupId(now = new Date()): string {
  const iso = now.toISOString(); // 2026-11-22T01:45:12.345Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}T${iso.slice(11, 19).replace(/:/g, '')}.${iso.slice(20, 23)}Z`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function isBackupId(id: string): boolean {
  return BACKUP_ID.test(id);
}

/** Paths are only ever built from names that passed these checks: no traversal is possible. */
export function targetDir(repository: string, target: string): string {
  if (!TARGET_NAME.test(target)) throw new Error(`invalid target name ${JSON.stringify(target)}`);
  return storageOf(repository).join(repository, target);
}

export function backupDir(repository: string, target: string, id: string): string {
  if (!isBackupId(id)) throw new Error(`invalid backup id ${JSON.stringify(id)}`);
  const dir = targetDir(repository, target);
  return storageOf(dir).join(dir, id);
}

export const MANIFEST_FILE = 'manifest.json';
export const LOG_FILE = 'log.jsonl';
/** Where a run's offsite copy stands (contract/manifest.ts, offsiteRecordSchema). */
export const OFFSITE_FILE = 'offsite.json';

const SUFFIX = { zstd: '.zst', gzip: '.gz', none: '' } as const;

export function dumpFileName(compression: keyof typeof SUFFIX): string {
  return `dump.sql${SUFFIX[compression]}`;
}

/** A physical backup's one file: the backup tool's stream (mbstream or xbstream), compressed. */
export function physicalFileName(compression: keyof typeof SUFFIX): string {
  return `backup.mbstream${SUFFIX[compression]}`;
}
