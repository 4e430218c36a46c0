// `warden restore <backup> --datadir DIR` of a physical backup: its chain unpacked and prepared in a
// scratch folder, then copied into DIR, which must be empty or absent: never over files that may be
// a server's. Ownership and starting the server are left to the operator, who is told how.
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Chain, lookupBeside, resolveChain } from '../catalog/chain.js';
import { readManifest } from '../catalog/store.js';
import { failureOf, VERIFICATION } from '../classify/failure.js';
import type { Failure, Manifest } from '../contract/manifest.js';
import { childEnv } from '../mysql/childEnv.js';
import { findPhysicalTool, physicalCopyBackArgs } from '../mysql/physicalTool.js';
import { makeScratchDir } from '../mysql/throwawayServer.js';
import { RestoreUsageError } from './index.js';
import { backupOptions, prepareChain, unpackChain } from './physicalChain.js';

const execFileAsync = promisify(execFile);

export interface DatadirRestoreResult {
  ok: boolean;
  id: string;
  target: string;
  datadir: string;
  /** The backups restored, the full backup first. */
  chain: string[];
  seconds: number;
  /** What the server must be started with (backup-my.cnf: page size, data files, undo tablespaces). */
  serverOptions: string[];
  /** Where the binary log stood at the backup: where a replica or a point-in-time replay goes on. */
  binlog: Manifest['binlog'];
  failure: Failure | null;
}

export async function restoreDatadir(o: { dir: string; datadir: string; signal?: AbortSignal }): Promise<DatadirRestoreResult> {
  const started = performance.now();
  const signal = o.signal ?? new AbortController().signal;
  const manifest = await readManifest(o.dir);
  if (manifest.method !== 'physical') throw new RestoreUsageError(`backup ${manifest.id} is a ${manifest.method} dump, not a physical backup`, 'Load a dump into a database with --target and --database.');
  if (manifest.tool?.name !== 'mariadb-backup') throw new RestoreUsageError(`backup ${manifest.id} was taken by ${manifest.tool?.name ?? 'an unknown tool'}`, 'Only mariadb-backup backups are restored here.');
  const datadir = path.resolve(o.datadir);
  await requireEmpty(datadir);
  const chain: Chain = manifest.chain ? await resolveChain({ dir: o.dir, manifest }, lookupBeside(o.dir)) : { links: [{ dir: o.dir, manifest }], problem: null };
  const result = (failure: Failure | null, serverOptions: string[] = []): DatadirRestoreResult => ({
    ok: failure === null,
    id: manifest.id,
    target: manifest.target,
    datadir,
    chain: chain.links.map((l) => l.manifest.id),
    seconds: (performance.now() - started) / 1000,
    serverOptions,
    binlog: manifest.binlog,
    failure,
  });
  if (chain.problem) return result(failureOf(VERIFICATION, chain.problem));
  const work = await makeScratchDir();
  try {
    const prepared = path.join(work, 'data');
    const unpacked = await unpackChain(chain.links, prepared, signal);
    if ('problem' in unpacked) return result(failureOf(VERIFICATION, unpacked.problem));
    const failed = await prepareChain(prepared, unpacked.incrementals, signal);
    if (failed) return result(failureOf({ stderr: failed }, failed));
    const serverOptions = await backupOptions(prepared);
    const tool = await findPhysicalTool('mariadb');
    await mkdir(datadir, { recursive: true, mode: 0o750 });
    try {
      // The tool refuses a folder that is no longer empty: a file that arrived since the check stops it too.
      await execFileAsync(tool.path, physicalCopyBackArgs(prepared, datadir), { signal, env: childEnv(), maxBuffer: 64 << 20 });
    } catch (err) {
      signal.throwIfAborted();
      const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
      const message = `mariadb-backup --copy-back failed: ${stderr.split('\n').slice(-3).join(' / ') || (err as Error).message}`;
      return result(failureOf({ stderr }, message));
    }
    return result(null, serverOptions);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A datadir is restored into only when it is absent or empty. */
async function requireEmpty(datadir: string): Promise<void> {
  const found = await stat(datadir).catch(() => null);
  if (!found) return;
  if (!found.isDirectory()) throw new RestoreUsageError(`${datadir} is not a folder`, 'Give an empty or absent folder as --datadir.');
  if ((await readdir(datadir)).length > 0) {
    throw new RestoreUsageError(`${datadir} is not empty: a restore never writes into a datadir that may be a server's`, 'Stop the server and move its datadir aside, or give an empty or absent folder.');
  }
}
