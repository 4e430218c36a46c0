// The binlog archive of a target: `<repository>/<target>/binlog/`, one compressed object per
// finished server file, an index of them (`index.json`, replaced in one step after each file), and
// `incoming/`, where the streaming tool writes the file the server is writing now.
import path from 'node:path';
import { z } from 'zod';
import { targetDir } from '../catalog/paths.js';
import { storageOf } from '../storage/index.js';

export const BINLOG_FOLDER = 'binlog';
export const INDEX_FILE = 'index.json';
export const INCOMING_FOLDER = 'incoming';

const time = z.string().nullable();

export const archivedFileSchema = z.object({
  /** The server's name of the file, e.g. `binlog.000042`. */
  name: z.string().regex(/^[^/\\\0]+$/),
  /** Its object in the archive folder. */
  object: z.string().regex(/^[^/\\\0]+$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rawBytes: z.number().int().nonnegative(),
  rawSha256: z.string().regex(/^[0-9a-f]{64}$/),
  events: z.number().int().nonnegative(),
  transactions: z.number().int().nonnegative(),
  firstEventTime: time,
  lastEventTime: time,
  serverId: z.number().int().nullable(),
  gtidsBefore: z.string().nullable(),
  gtidsIn: z.string().nullable(),
  /** The file the server went on with, from the file's Rotate event. */
  nextFile: z.string().nullable(),
  archivedAt: z.string(),
});

export const gapSchema = z.object({
  /** The last file archived before the gap (null: before the first one). */
  after: z.string().nullable(),
  /** The first file archived after it. */
  resumedAt: z.string(),
  detectedAt: z.string(),
  reason: z.string(),
});

/** The file the server is writing, as far as the archive holds it (written at every flush). */
export const currentFileSchema = z.object({
  name: z.string().regex(/^[^/\\\0]+$/),
  /** Bytes up to the last complete event held. */
  bytes: z.number().int().nonnegative(),
  lastEventTime: time,
  gtidsIn: z.string().nullable(),
  flushedAt: z.string(),
  /** The last flush at which the archive held everything the server had written (nothing to replay was missing). */
  caughtUpAt: z.string().nullable().default(null),
});

export const archiveIndexSchema = z.object({
  version: z.literal(1),
  target: z.string(),
  files: z.array(archivedFileSchema),
  gaps: z.array(gapSchema),
  current: currentFileSchema.nullable(),
});

export type ArchivedFile = z.infer<typeof archivedFileSchema>;
export type ArchiveGap = z.infer<typeof gapSchema>;
export type CurrentFile = z.infer<typeof currentFileSchema>;
export type ArchiveIndex = z.infer<typeof archiveIndexSchema>;

export function binlogDir(repository: string, target: string): string {
  return storageOf(repository).join(targetDir(repository, target), BINLOG_FOLDER);
}

/**
 * Where the streaming tool writes: a local folder, since the tool writes files itself. On the
 * POSIX storage it is inside the archive, so it is flushed to the repository's own disk.
 */
export function incomingDir(repository: string, target: string): string {
  return path.join(binlogDir(repository, target), INCOMING_FOLDER);
}

export class ArchiveIndexError extends Error {
  constructor(file: string, why: string) {
    super(`the binlog archive index ${file} is ${why}`);
    this.name = 'ArchiveIndexError';
  }
}

/** The archive's index; an empty one when nothing was archived yet. */
export async function readArchiveIndex(repository: string, target: string): Promise<ArchiveIndex> {
  const storage = storageOf(repository);
  const file = storage.join(binlogDir(repository, target), INDEX_FILE);
  if ((await storage.size(file)) === null) return { version: 1, target, files: [], gaps: [], current: null };
  let json: unknown;
  try {
    json = JSON.parse(await storage.readText(file));
  } catch (err) {
    throw new ArchiveIndexError(file, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = archiveIndexSchema.safeParse(json);
  if (!parsed.success) throw new ArchiveIndexError(file, `not valid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export async function writeArchiveIndex(repository: string, index: ArchiveIndex): Promise<void> {
  const storage = storageOf(repository);
  const dir = binlogDir(repository, index.target);
  await storage.makeFolder(dir);
  await storage.writeText(storage.join(dir, INDEX_FILE), `${JSON.stringify(archiveIndexSchema.parse(index), null, 1)}\n`);
}

/**
 * The file a server writes after `name`: same base, sequence number one up, same width
 * (`binlog.000009` -> `binlog.000010`; MySQL and MariaDB roll over past 999999 with a wider number).
 */
export function nextFileName(name: string): string | null {
  const m = /^(.*\.)(\d+)$/.exec(name);
  if (!m) return null;
  const next = String(Number(m[2]) + 1);
  return m[1] + next.padStart(m[2]!.length, '0');
}

/** Orders a server's binlog file names by sequence number (names of one base). */
export function compareFileNames(a: string, b: string): number {
  const na = /\.(\d+)$/.exec(a)?.[1];
  const nb = /\.(\d+)$/.exec(b)?.[1];
  if (na === undefined || nb === undefined) return a < b ? -1 : a > b ? 1 : 0;
  return Number(na) - Number(nb);
}
