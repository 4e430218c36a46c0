// Unpacking and preparing physical backups, for `warden restore --datadir` and restore verification:
// each link's stream unpacked (its checksums taken on the way), the full backup prepared, then every
// incremental applied onto it in order.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { CatalogEntry } from '../catalog/store.js';
import type { Manifest } from '../contract/manifest.js';
import { createDecompressor } from '../dumpfile/decompress.js';
import { HashTap } from '../dumpfile/stream.js';
import { childEnv } from '../mysql/childEnv.js';
import { collectStderr, spawnChild } from '../mysql/children.js';
import { findPhysicalTool, physicalPrepareArgs } from '../mysql/physicalTool.js';
import { storageOf } from '../storage/index.js';

const execFileAsync = promisify(execFile);

export interface Unpacked {
  bytes: number;
  sha256: string;
  rawBytes: number;
  /** Null when the stored bytes could not be read or decompressed whole. */
  rawSha256: string | null;
  readError: string | null;
  decompressError: string | null;
  /** mbstream -x failed on bytes that were read and decompressed whole. */
  extractError: string | null;
}

/** Stored file -> sha256 -> decompressor -> sha256 -> `mbstream -x` into `into`, in one pass. */
export async function unpackStream(stored: string, manifest: Manifest, into: string, signal: AbortSignal): Promise<Unpacked> {
  const streamName = manifest.tool?.name === 'xtrabackup' ? 'xbstream' : 'mbstream';
  const tool = await findPhysicalTool(streamName === 'xbstream' ? 'mysql' : 'mariadb');
  await mkdir(into, { recursive: true });
  const extract = spawnChild(tool.stream.path, ['-x', '-C', into], ['pipe', 'ignore', 'pipe']);
  const extractErr = collectStderr(extract);
  const extracted = once(extract, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const reader = storageOf(stored).read(stored, { signal });
  const storedTap = new HashTap();
  const rawTap = new HashTap();
  const decoder = createDecompressor(manifest.compression);
  let readError: string | null = null;
  const [feed] = await Promise.allSettled([
    pipeline(reader, storedTap, decoder.input).catch((err: unknown) => {
      readError ??= (err as Error).message;
      decoder.abort();
      throw err;
    }),
    pipeline(decoder.output, rawTap, extract.stdin!),
  ]);
  const [code, sig] = await extracted;
  signal.throwIfAborted();
  const decompressError = await decoder.failure();
  if (feed.status === 'rejected' && !readError) readError = String(feed.reason);
  const whole = !decompressError && !readError;
  const extractError = whole && (code !== 0 || sig !== null) ? `${streamName} -x failed (${sig ?? `exit ${code}`}): ${extractErr().trim().split('\n').pop() ?? ''}` : null;
  return { bytes: storedTap.bytes, sha256: storedTap.hash.digest('hex'), rawBytes: rawTap.bytes, rawSha256: whole ? rawTap.hash.digest('hex') : null, readError, decompressError, extractError };
}

/** Unpacks one link of a chain into `into`; a string says why it is not the stream its manifest records. */
async function unpackLink(link: CatalogEntry, into: string, signal: AbortSignal): Promise<string | null> {
  const file = link.manifest.files[0];
  if (!file) return `backup ${link.manifest.id} records no file`;
  const u = await unpackStream(storageOf(link.dir).join(link.dir, file.name), link.manifest, into, signal);
  const name = `${link.manifest.id}/${file.name}`;
  if (u.readError) return `${name} could not be read: ${u.readError}`;
  if (u.sha256 !== file.sha256) return `${name} has sha256 ${u.sha256}; its manifest says ${file.sha256}`;
  if (u.decompressError) return `${name} does not decompress: ${u.decompressError}`;
  return u.extractError ? `${name}: ${u.extractError}` : null;
}

/** Unpacks a chain: the full backup into `datadir`, each incremental into a folder of its own; returns those folders in order. */
export async function unpackChain(links: CatalogEntry[], datadir: string, signal: AbortSignal): Promise<{ incrementals: string[] } | { problem: string }> {
  const incrementals: string[] = [];
  for (const [i, link] of links.entries()) {
    const into = i === 0 ? datadir : incrementalDir(datadir, link.manifest);
    const problem = await unpackLink(link, into, signal);
    if (problem) return { problem };
    if (i > 0) incrementals.push(into);
  }
  return { incrementals };
}

/** Where an incremental of the chain is unpacked beside the full backup's datadir. */
export function incrementalDir(datadir: string, manifest: Manifest): string {
  return path.join(path.dirname(datadir), `incremental-${manifest.chain?.position ?? 0}`);
}

/** `--prepare` of the full backup, then of each incremental onto it (each folder removed once applied); a string says what failed. */
export async function prepareChain(datadir: string, incrementals: string[], signal: AbortSignal): Promise<string | null> {
  const tool = await findPhysicalTool('mariadb');
  for (const inc of [undefined, ...incrementals]) {
    try {
      await execFileAsync(tool.path, physicalPrepareArgs(datadir, inc), { signal, env: childEnv(), maxBuffer: 64 << 20 });
    } catch (err) {
      signal.throwIfAborted();
      const stderr = String((err as { stderr?: string }).stderr ?? '');
      const step = inc ? `mariadb-backup --prepare --incremental-dir=${path.basename(inc)}` : 'mariadb-backup --prepare';
      return `${step} failed: ${stderr.trim().split('\n').slice(-3).join(' / ') || (err as Error).message}`;
    }
    if (inc) await rm(inc, { recursive: true, force: true });
  }
  return null;
}

/** backup-my.cnf's [mysqld] options (page size, data files, undo tablespaces): the datadir needs them. */
export async function backupOptions(datadir: string): Promise<string[]> {
  const text = await readFile(path.join(datadir, 'backup-my.cnf'), 'utf8');
  return text
    .split('\n')
    .map((l) => /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && isLayoutOption(m[1]!, m[2]!))
    .map((m) => `--${m[1]}=${m[2]}`);
}

/**
 * backup-my.cnf comes with the backup, so whoever can write a backup writes it: only the options
 * that describe the InnoDB files' layout go to a server, with plain values (no path out of the
 * datadir). Anything else (init_file, plugin_load_add, log_error, datadir, …) would let a backup
 * run code or write files where the server starts.
 */
const LAYOUT_OPTIONS = new Set([
  'innodb_checksum_algorithm',
  'innodb_compression_level',
  'innodb_data_file_path',
  'innodb_log_file_size',
  'innodb_log_files_in_group',
  'innodb_page_size',
  'innodb_undo_directory',
  'innodb_undo_tablespaces',
]);

function isLayoutOption(key: string, value: string): boolean {
  if (key === 'innodb_undo_directory') return value === '.' || value === './';
  return LAYOUT_OPTIONS.has(key) && /^[A-Za-z0-9_.:]+$/.test(value) && !value.includes('..');
}
