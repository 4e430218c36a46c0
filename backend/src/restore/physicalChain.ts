// Unpacking and preparing physical backups, for `warden restore --datadir` and restore verification:
// each link's stream unpacked (its checksums taken on the way), the full backup prepared, then every
// incremental applied onto it in order.
import { once } from 'node:events';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CatalogEntry } from '../catalog/store.js';
import type { Manifest } from '../contract/manifest.js';
import { createDecompressor } from '../dumpfile/decompress.js';
import { HashTap } from '../dumpfile/stream.js';
import type { FailureEvidence } from '../classify/types.js';
import { collectStderr, killChild, runChild, spawnChild } from '../mysql/children.js';
import { findPhysicalTool, physicalPrepareArgs, streamExtractArgs } from '../mysql/physicalTool.js';
import { storageOf } from '../storage/index.js';

export interface Unpacked {
  bytes: number;
  sha256: string;
  rawBytes: number;
  /** Null when the stored bytes could not be read or decompressed whole. */
  rawSha256: string | null;
  readError: string | null;
  decompressError: string | null;
  /** mbstream -x failed or refused entries, on bytes that were read and decompressed whole. */
  extractError: string | null;
  /** What the stream program said, for the classifier. */
  extractEvidence: FailureEvidence | null;
}

/**
 * `mbstream -x` exits 0 even when it refuses an entry; it says so on stderr, where it prints
 * nothing else without -v. mbstream 10.11 (made to refuse here):
 *   `[00] 2026-12-06 23:38:12 mbstream: invalid filename ../s1.mb` (a path out of the target),
 *   `mbstream: Can't create/write to file './d/b' (Errcode: 20 "Not a directory")` then
 *   `[00] 2026-12-06 23:38:13 mbstream: failed to create file.`
 * The name is the program's argv[0]: the agent runs it by its full path (`/usr/bin/mbstream: …`).
 * xbstream comes from the same source (Percona's xbstream.cc) and prints `xbstream:` the same way.
 */
const STREAM_COMPLAINT = /^(?:\[\d+\] [\d-]+ [\d:]+ )?(?:\S*\/)?(?:mbstream|xbstream):/;

/** Why `-x` failed (its exit, or a complaint it exited 0 after), or null when it unpacked everything. */
export function extractFailure(streamName: string, code: number | null, sig: NodeJS.Signals | null, stderr: string): string | null {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const complaint = lines.find((l) => STREAM_COMPLAINT.test(l));
  if (code === 0 && sig === null && !complaint) return null;
  const status = sig ?? `exit ${code}`;
  return `${streamName} -x failed (${status}): ${(complaint ?? lines.at(-1) ?? '').trim()}`;
}

/** Stored file -> sha256 -> decompressor -> sha256 -> `mbstream -x` into `into`, in one pass. */
export async function unpackStream(stored: string, manifest: Manifest, into: string, signal: AbortSignal): Promise<Unpacked> {
  const streamName = manifest.tool?.name === 'xtrabackup' ? 'xbstream' : 'mbstream';
  const tool = await findPhysicalTool(streamName === 'xbstream' ? 'mysql' : 'mariadb');
  await mkdir(into, { recursive: true });
  signal.throwIfAborted();
  const extract = spawnChild(tool.stream.path, streamExtractArgs(into), ['pipe', 'ignore', 'pipe']);
  const extractErr = collectStderr(extract);
  const extracted = once(extract, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  // On abort the stream program is stopped and waited for below: nothing writes into `into` after.
  const stop = () => killChild(extract, 'SIGKILL');
  signal.addEventListener('abort', stop, { once: true });
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
  signal.removeEventListener('abort', stop);
  signal.throwIfAborted();
  const decompressError = await decoder.failure();
  if (feed.status === 'rejected' && !readError) readError = String(feed.reason);
  const whole = !decompressError && !readError;
  const extractError = whole ? extractFailure(streamName, code, sig, extractErr()) : null;
  const extractEvidence = extractError ? { tool: streamName, exitCode: code, signal: sig, stderr: extractErr() } : null;
  return { bytes: storedTap.bytes, sha256: storedTap.hash.digest('hex'), rawBytes: rawTap.bytes, rawSha256: whole ? rawTap.hash.digest('hex') : null, readError, decompressError, extractError, extractEvidence };
}

/** Why a link could not be unpacked; `evidence` when the stream program said why (else it is the stored file). */
export interface UnpackProblem {
  problem: string;
  evidence: FailureEvidence | null;
}

/** Unpacks one link of a chain into `into`; null when it is the stream its manifest records and unpacked whole. */
async function unpackLink(link: CatalogEntry, into: string, signal: AbortSignal): Promise<UnpackProblem | null> {
  const file = link.manifest.files[0];
  const bad = (problem: string, evidence: FailureEvidence | null = null): UnpackProblem => ({ problem, evidence });
  if (!file) return bad(`backup ${link.manifest.id} records no file`);
  const u = await unpackStream(storageOf(link.dir).join(link.dir, file.name), link.manifest, into, signal);
  const name = `${link.manifest.id}/${file.name}`;
  if (u.readError) return bad(`${name} could not be read: ${u.readError}`);
  if (u.sha256 !== file.sha256) return bad(`${name} has sha256 ${u.sha256}; its manifest says ${file.sha256}`);
  if (u.decompressError) return bad(`${name} does not decompress: ${u.decompressError}`);
  return u.extractError ? bad(`${name}: ${u.extractError}`, u.extractEvidence) : null;
}

/** Unpacks a chain (as resolveChain checked it): the full backup into `datadir`, each incremental into a folder of its own; returns those folders in order. */
export async function unpackChain(links: CatalogEntry[], datadir: string, signal: AbortSignal): Promise<{ incrementals: string[] } | UnpackProblem> {
  const incrementals: string[] = [];
  for (const [i, link] of links.entries()) {
    const into = i === 0 ? datadir : incrementalDir(datadir, i);
    const problem = await unpackLink(link, into, signal);
    if (problem) return problem;
    if (i > 0) incrementals.push(into);
  }
  return { incrementals };
}

/** Where link `index` of a chain is unpacked beside the full backup's datadir: named by where the walk found it, never by a manifest's say. */
export function incrementalDir(datadir: string, index: number): string {
  return path.join(path.dirname(datadir), `incremental-${index}`);
}

/** `--prepare` of the full backup, then of each incremental onto it (each folder removed once applied); a string says what failed. */
export async function prepareChain(datadir: string, incrementals: string[], signal: AbortSignal): Promise<string | null> {
  const tool = await findPhysicalTool('mariadb');
  for (const inc of [undefined, ...incrementals]) {
    const exit = await runChild(tool.path, physicalPrepareArgs(datadir, inc), signal);
    if (exit.exitCode !== 0 || exit.signal !== null) {
      const step = inc ? `mariadb-backup --prepare --incremental-dir=${path.basename(inc)}` : 'mariadb-backup --prepare';
      return `${step} failed (${exit.signal ?? `exit ${exit.exitCode}`}): ${tailOf(exit.stderr)}`;
    }
    if (inc) await rm(inc, { recursive: true, force: true, maxRetries: 3 });
  }
  return null;
}

/** A tool's last lines of stderr, for a message. */
export function tailOf(stderr: string): string {
  return stderr.trim().split('\n').slice(-3).join(' / ');
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
