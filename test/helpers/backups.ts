// Damage real backups the ways disks, networks and people do: copies of a backup folder whose
// files and manifest a test then cuts, flips, edits and recompresses.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll } from 'vitest';

const copies: string[] = [];
// Registered on the importing test file's root suite.
afterAll(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a backup folder (removed after the test file); verifying it by path needs no config. */
export function copyBackup(dir: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'warden-copy-'));
  copies.push(root);
  const copy = path.join(root, path.basename(dir));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

export interface ManifestJson {
  status: string;
  compression: 'zstd' | 'gzip' | 'none';
  files: { name: string; role: string; table?: string; bytes: number; sha256: string; rawBytes: number; rawSha256: string }[];
  bytes: number;
  rawBytes: number;
  sha256: string | null;
  rows: number;
  tables: { name: string; rows: number }[];
  objects: Record<string, string[]>;
  verification: { level: string; ok: boolean; problems: { kind: string; table?: string; detail: string }[]; restoreSeconds: number | null } | null;
  [key: string]: unknown;
}

export function readManifest(dir: string): ManifestJson {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ManifestJson;
}

export function writeManifest(dir: string, m: ManifestJson): void {
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function decompress(data: Buffer, compression: ManifestJson['compression']): Buffer {
  if (compression === 'zstd') return execFileSync('zstd', ['-dcq'], { input: data, maxBuffer: 1 << 30 });
  if (compression === 'gzip') return gunzipSync(data);
  return data;
}

export function compress(sql: Buffer, compression: ManifestJson['compression']): Buffer {
  if (compression === 'zstd') return execFileSync('zstd', ['-cq', '-3'], { input: sql, maxBuffer: 1 << 30 });
  if (compression === 'gzip') return gzipSync(sql);
  return sql;
}

/** The SQL of one file of a backup. */
export function sqlOf(dir: string, fileName?: string): string {
  const m = readManifest(dir);
  const name = fileName ?? m.files[0]!.name;
  return decompress(readFileSync(path.join(dir, name)), m.compression).toString('utf8');
}

/** Records the files' current sizes and checksums in the manifest, as if it had been written so. */
export function fixChecksums(dir: string, opts: { raw: boolean } = { raw: true }): void {
  const m = readManifest(dir);
  for (const f of m.files) {
    const data = readFileSync(path.join(dir, f.name));
    f.bytes = data.length;
    f.sha256 = sha256(data);
    if (opts.raw) {
      const sql = decompress(data, m.compression);
      f.rawBytes = sql.length;
      f.rawSha256 = sha256(sql);
    }
  }
  m.bytes = m.files.reduce((n, f) => n + f.bytes, 0);
  m.rawBytes = m.files.reduce((n, f) => n + f.rawBytes, 0);
  m.sha256 = m.files.length === 1 ? m.files[0]!.sha256 : null;
  writeManifest(dir, m);
}

/**
 * Replaces a file's SQL by `edit(sql)`, recompressed into a valid stream, and fixes the manifest's
 * checksums and sizes: only reading the SQL itself can tell something is wrong.
 */
export function editSql(dir: string, edit: (sql: string) => string, fileName?: string): void {
  const m = readManifest(dir);
  const name = fileName ?? m.files[0]!.name;
  const before = sqlOf(dir, name);
  const after = edit(before);
  if (after === before) throw new Error('editSql: the edit changed nothing');
  writeFileSync(path.join(dir, name), compress(Buffer.from(after, 'utf8'), m.compression));
  fixChecksums(dir);
}

/** Flips every bit of the byte at `offset` (negative: from the end). */
export function flipByte(file: string, offset: number): void {
  const data = readFileSync(file);
  const at = offset < 0 ? data.length + offset : offset;
  data[at] = data[at]! ^ 0xff;
  writeFileSync(file, data);
}

/** A table's INSERT statements (mariadb-dump writes one row per line; no raw newline is inside a value). */
export function insertsOf(table: string): RegExp {
  return new RegExp(`^INSERT INTO \`${table}\` VALUES\\s[\\s\\S]*?\\);\\n`, 'gm');
}

/** A table's whole definition and data: DROP, CREATE, and LOCK TABLES through UNLOCK TABLES around its INSERTs. */
export function removeTable(sql: string, table: string): string {
  return sql
    .replace(new RegExp(`^DROP TABLE IF EXISTS \`${table}\`;\\n`, 'm'), '')
    .replace(new RegExp(`^CREATE TABLE \`${table}\` \\([\\s\\S]*?\\n\\)[^;\\n]*;\\n`, 'm'), '')
    .replace(new RegExp(`^LOCK TABLES \`${table}\` WRITE;\\n[\\s\\S]*?^UNLOCK TABLES;\\n`, 'm'), '');
}
