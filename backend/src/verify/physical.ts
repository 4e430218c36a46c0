// A physical backup's levels. checksum: as for a dump. parse: the stream unpacks whole (mbstream -x
// succeeds, its bytes are the ones recorded, and xtrabackup_checkpoints is there and agrees with
// the manifest). restore: mariadb-backup --prepare (of an incremental: its chain, full backup first),
// a throwaway mariadbd on the prepared datadir, every table counted (exact counts must match; estimates are reported) and CHECK TABLE on a sample.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { lookupBeside, resolveChain } from '../catalog/chain.js';
import type { CatalogEntry } from '../catalog/store.js';
import type { Manifest, ManifestFile } from '../contract/manifest.js';
import { openConnection, type ServerLogin } from '../mysql/login.js';
import { parseCheckpoints } from '../mysql/physicalTool.js';
import { makeScratchDir, startThrowawayServer, type ThrowawayServer } from '../mysql/throwawayServer.js';
import { backupOptions, incrementalDir, prepareChain, type Unpacked, unpackChain, unpackStream } from '../restore/physicalChain.js';
import { inspectTables } from '../restore/tables.js';
import { storageOf } from '../storage/index.js';
import { type FilePass, fileProblems, passFile } from './filePass.js';
import { problem, type VerifyProblem } from './problems.js';

/** Tables CHECK TABLE reads at each restore verification; which ones rotates with the backup. */
export const CHECK_SAMPLE = 20;

export interface PhysicalFound {
  problems: VerifyProblem[];
  notes: string[];
  rawBytes: number;
  restoreSeconds: number | null;
}

export async function verifyPhysical(dir: string, manifest: Manifest, file: ManifestFile, level: 'checksum' | 'parse' | 'restore', signal: AbortSignal): Promise<PhysicalFound> {
  const stored = storageOf(dir).join(dir, file.name);
  if (level === 'checksum') return { problems: fileProblems(file, await passFile(stored, manifest.compression, false, signal)), notes: [], rawBytes: 0, restoreSeconds: null };
  // An incremental without its whole chain unpacks, but can never be restored.
  const chain = manifest.chain ? await resolveChain({ dir, manifest }, lookupBeside(dir)) : null;
  const baseDir = await makeScratchDir();
  const datadir = path.join(baseDir, 'data');
  // This backup is the chain's last link: unpacked where unpackChain would put it.
  const own = manifest.chain && chain ? incrementalDir(datadir, chain.links.length - 1) : datadir;
  let handedOver = false;
  try {
    let unpacked: Unpacked;
    try {
      unpacked = await unpackStream(stored, manifest, own, signal);
    } catch (err) {
      signal.throwIfAborted();
      // The stream program is missing or could not start: the stream was not read.
      return { problems: [problem('decompress', `${file.name} could not be unpacked: ${(err as Error).message}`)], notes: [], rawBytes: 0, restoreSeconds: null };
    }
    const pass: FilePass = { bytes: unpacked.bytes, sha256: unpacked.sha256, sql: null, readError: unpacked.readError, decompressError: unpacked.decompressError };
    const problems = [...(chain?.problem ? [problem('chain', chain.problem)] : []), ...fileProblems(file, pass)];
    if (unpacked.extractError) problems.push(problem('decompress', unpacked.extractError));
    if (unpacked.rawSha256 !== null && unpacked.sha256 === file.sha256 && unpacked.rawSha256 !== file.rawSha256) {
      problems.push(problem('checksum', `${file.name}: the stream inside has sha256 ${unpacked.rawSha256}; the manifest says ${file.rawSha256}`));
    }
    if (problems.length === 0) problems.push(...(await checkpointProblems(own, manifest)));
    if (level === 'parse' || problems.length > 0) return { problems, notes: [], rawBytes: unpacked.rawBytes, restoreSeconds: null };
    handedOver = true; // restorePhysical removes the folder
    return { ...(await restorePhysical(baseDir, datadir, chain?.links.slice(0, -1) ?? [], own, manifest, signal)), rawBytes: unpacked.rawBytes };
  } finally {
    if (!handedOver) await rm(baseDir, { recursive: true, force: true });
  }
}

/** xtrabackup_checkpoints is among the last things the tool streams: without it the stream was cut. */
async function checkpointProblems(datadir: string, manifest: Manifest): Promise<VerifyProblem[]> {
  let text: string;
  try {
    text = await readFile(path.join(datadir, 'xtrabackup_checkpoints'), 'utf8');
  } catch {
    return [problem('trailer', 'the stream unpacks without xtrabackup_checkpoints: it was cut short')];
  }
  const cp = parseCheckpoints(text);
  const { lsn } = manifest;
  if (lsn && (Number(cp.from_lsn) !== lsn.fromLsn || Number(cp.to_lsn) !== lsn.toLsn || Number(cp.last_lsn) !== lsn.lastLsn)) {
    return [problem('manifest', `xtrabackup_checkpoints says from_lsn ${cp.from_lsn}, to_lsn ${cp.to_lsn}, last_lsn ${cp.last_lsn}; the manifest says ${lsn.fromLsn}, ${lsn.toLsn}, ${lsn.lastLsn}`)];
  }
  return [];
}

/** Unpacks the links before this backup (`earlier`, full backup first), prepares the chain with this backup's `own` folder last, and counts. */
async function restorePhysical(baseDir: string, datadir: string, earlier: CatalogEntry[], own: string, manifest: Manifest, signal: AbortSignal): Promise<Omit<PhysicalFound, 'rawBytes'>> {
  const problems: VerifyProblem[] = [];
  const notes: string[] = [];
  if (manifest.tool?.name !== 'mariadb-backup') {
    await rm(baseDir, { recursive: true, force: true });
    return { problems: [problem('restore', `a ${manifest.tool?.name ?? 'physical'} backup needs a server of its own family to restore into; only mariadb-backup backups are restored here`)], notes, restoreSeconds: null };
  }
  let server: ThrowawayServer | null = null;
  let conn: mysql.Connection | null = null;
  const started = performance.now();
  try {
    const unpacked = await unpackChain(earlier, datadir, signal);
    if ('problem' in unpacked) return { problems: [problem('chain', unpacked.problem)], notes, restoreSeconds: null };
    const failed = await prepareChain(datadir, earlier.length > 0 ? [...unpacked.incrementals, own] : [], signal);
    if (failed) return { problems: [problem('restore', failed)], notes, restoreSeconds: null };
    // The backup's own accounts do not matter to a count: nobody but the agent reaches this server.
    // Without grant tables anyone who reaches it reads the backup: only its socket, in a 0700 folder.
    server = await startThrowawayServer({ baseDir, serverArgs: [...(await backupOptions(datadir)), '--skip-grant-tables', '--skip-networking'] });
    const restoreSeconds = (performance.now() - started) / 1000;
    const login: ServerLogin = { endpoint: { socket: server.socket }, user: server.user, password: undefined, connectTimeoutSeconds: 10 };
    conn = await openConnection(login);
    const sample = new Set(checkSample(manifest));
    const same = new Map(manifest.databases.map((d) => [d, d]));
    const reports = [
      ...(await inspectTables(conn, login, manifest.tables.filter((t) => sample.has(t.name)), same, { check: true })),
      ...(await inspectTables(conn, login, manifest.tables.filter((t) => !sample.has(t.name)), same, { check: false })),
    ];
    const estimated = new Set(manifest.tables.filter((t) => t.estimated).map((t) => t.name));
    for (const r of reports) {
      if (r.rows === null) problems.push(problem('missing-table', `${r.name} is not in the restored datadir`, r.name));
      else if (r.rows !== r.expectedRows && estimated.has(r.name)) notes.push(`${r.name}: ${r.rows} rows restored; the manifest's estimate is ${r.expectedRows}`);
      else if (r.rows !== r.expectedRows) problems.push(problem('row-count', `${r.name}: ${r.rows} rows restored; the manifest says ${r.expectedRows}`, r.name));
      if (r.check) problems.push(problem('check-table', `CHECK TABLE ${r.name}: ${r.check}`, r.name));
    }
    return { problems, notes, restoreSeconds };
  } catch (err) {
    signal.throwIfAborted();
    problems.push(problem('restore', err instanceof Error ? err.message : String(err)));
    return { problems, notes, restoreSeconds: null };
  } finally {
    conn?.destroy();
    // The server removes the folder as it stops; without one, the folder goes here.
    if (server) await server.stop();
    else await rm(baseDir, { recursive: true, force: true });
  }
}

/** CHECK_SAMPLE tables, in an order set by the backup's id: every table gets its turn over a series of backups. */
export function checkSample(manifest: Pick<Manifest, 'id' | 'tables'>): string[] {
  const rank = (name: string) => createHash('sha256').update(`${manifest.id}\0${name}`).digest('hex');
  return manifest.tables
    .map((t) => t.name)
    .sort((a, b) => rank(a).localeCompare(rank(b)))
    .slice(0, CHECK_SAMPLE);
}
