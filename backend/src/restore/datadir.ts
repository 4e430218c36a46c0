// `warden restore <backup> --datadir DIR` of a physical backup: its chain unpacked and prepared in a
// scratch folder, then copied into DIR, which must be empty or absent: never over files that may be
// a server's. DIR is checked (and made, 0700) before any work; a failed or stopped restore leaves
// neither the scratch folder nor a partial DIR. Ownership and starting the server are left to the
// operator, who is told how.
import { constants } from 'node:fs';
import { access, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Chain, lookupBeside, resolveChain } from '../catalog/chain.js';
import { readManifest } from '../catalog/store.js';
import { failureOf, VERIFICATION } from '../classify/failure.js';
import type { Failure, Manifest } from '../contract/manifest.js';
import { runChild } from '../mysql/children.js';
import { evidenceOf } from '../mysql/evidence.js';
import { findPhysicalTool, physicalCopyBackArgs } from '../mysql/physicalTool.js';
import { makeScratchDir } from '../mysql/throwawayServer.js';
import { RestoreUsageError } from './index.js';
import { backupOptions, prepareChain, tailOf, unpackChain } from './physicalChain.js';

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
  const claim = await claimDatadir(datadir);
  let chain: Chain = { links: [{ dir: o.dir, manifest }], problem: null };
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
  let work: string | null = null;
  let restored = false;
  try {
    if (manifest.chain) chain = await resolveChain({ dir: o.dir, manifest }, lookupBeside(o.dir));
    if (chain.problem) return result(failureOf(chain.corrupt ? { class: 'corruption' } : VERIFICATION, chain.problem));
    work = await makeScratchDir();
    const prepared = path.join(work, 'data');
    const unpacked = await unpackChain(chain.links, prepared, signal);
    if ('problem' in unpacked) return result(failureOf(unpacked.evidence ?? VERIFICATION, unpacked.problem));
    const failed = await prepareChain(prepared, unpacked.incrementals, signal);
    if (failed) return result(failureOf({ stderr: failed }, failed));
    const serverOptions = await backupOptions(prepared);
    const tool = await findPhysicalTool('mariadb');
    // The tool refuses a folder that is no longer empty: a file that arrived since the check stops it too.
    const exit = await runChild(tool.path, physicalCopyBackArgs(prepared, datadir), signal);
    if (exit.exitCode !== 0 || exit.signal !== null) {
      return result(failureOf({ tool: tool.name, ...exit }, `mariadb-backup --copy-back failed (${exit.signal ?? `exit ${exit.exitCode}`}): ${tailOf(exit.stderr)}`));
    }
    restored = true;
    return result(null, serverOptions);
  } catch (err) {
    // Every child was stopped and waited for before its caller threw: the folders can go.
    if (signal.aborted) return result(failureOf({ facts: { killedByAgent: true } }, `the restore into ${datadir} was stopped (SIGINT or SIGTERM) before it finished; the scratch folder and anything copied into ${datadir} were removed`));
    return result(failureOf(evidenceOf(err), `the restore into ${datadir} failed: ${(err as Error).message}`));
  } finally {
    if (work) await removeAll(work);
    if (!restored) await releaseDatadir(datadir, claim);
  }
}

/** A folder removed whole; retried, as a file a stopped tool was still closing can make one attempt fail. */
const removeAll = (dir: string) => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });

/** What the restore holds of DIR: the first folder it created (DIR or a parent), or null when DIR was there, empty. */
type DatadirClaim = { created: string | null };

/**
 * DIR is a real folder that is empty, or absent and made now (0700: it will hold every table's
 * data): a symbolic link, a file, a path under a file or an unwritable place is a usage error
 * before anything is unpacked.
 */
async function claimDatadir(datadir: string): Promise<DatadirClaim> {
  const refuse = (why: string, hint = 'Give an empty or absent folder as --datadir.') => new RestoreUsageError(`--datadir ${datadir} ${why}`, hint);
  const found = await lstat(datadir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err.code === 'ENOTDIR' ? refuse('is under a file: a part of its path is not a folder') : refuse(`cannot be examined (${err.code})`);
  });
  if (found?.isSymbolicLink()) throw refuse('is a symbolic link: a restore never writes where a link points', 'Give the real folder (an empty or absent one) as --datadir.');
  if (found && !found.isDirectory()) throw refuse('is not a folder');
  if (found) {
    if ((await readdir(datadir)).length > 0) {
      throw new RestoreUsageError(`${datadir} is not empty: a restore never writes into a datadir that may be a server's`, 'Stop the server and move its datadir aside, or give an empty or absent folder.');
    }
    await access(datadir, constants.W_OK | constants.X_OK).catch(() => {
      throw refuse("is not writable by the agent's user", 'Give a folder the agent may write, or run the restore as its owner.');
    });
    return { created: null };
  }
  try {
    return { created: (await mkdir(datadir, { recursive: true, mode: 0o700 })) ?? null };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST') throw refuse('is under a file: a part of its path is not a folder');
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw refuse(`cannot be created (${code}): its parent is not writable by the agent's user`);
    throw refuse(`cannot be created (${code ?? (err as Error).message})`);
  }
}

/** After a failed restore DIR is as it was: removed when the restore made it, emptied when it was there empty. */
async function releaseDatadir(datadir: string, claim: DatadirClaim): Promise<void> {
  if (claim.created) return removeAll(claim.created);
  const left = await readdir(datadir).catch(() => []);
  await Promise.all(left.map((name) => removeAll(path.join(datadir, name))));
}
