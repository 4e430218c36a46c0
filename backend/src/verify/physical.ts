// A physical backup's levels. checksum: as for a dump. parse: the stream unpacks whole (mbstream -x
// succeeds, its bytes are the ones recorded, and xtrabackup_checkpoints is there and agrees with
// the manifest). restore: mariadb-backup --prepare, a throwaway mariadbd on the prepared datadir,
// every table counted (exact counts must match; estimates are reported) and CHECK TABLE on a sample.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type mysql from 'mysql2/promise';
import type { Manifest, ManifestFile } from '../contract/manifest.js';
import { createDecompressor } from '../dumpfile/decompress.js';
import { HashTap } from '../dumpfile/stream.js';
import { childEnv } from '../mysql/childEnv.js';
import { collectStderr, spawnChild } from '../mysql/children.js';
import { openConnection, type ServerLogin } from '../mysql/login.js';
import { findPhysicalTool, parseCheckpoints, physicalPrepareArgs } from '../mysql/physicalTool.js';
import { makeScratchDir, startThrowawayServer, type ThrowawayServer } from '../mysql/throwawayServer.js';
import { inspectTables } from '../restore/tables.js';
import { storageOf } from '../storage/index.js';
import { type FilePass, fileProblems, passFile } from './filePass.js';
import { problem, type VerifyProblem } from './problems.js';

const execFileAsync = promisify(execFile);

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
  const baseDir = await makeScratchDir();
  const datadir = path.join(baseDir, 'data');
  let handedOver = false;
  try {
    let unpacked: Awaited<ReturnType<typeof unpack>>;
    try {
      unpacked = await unpack(stored, manifest, datadir, signal);
    } catch (err) {
      signal.throwIfAborted();
      // The stream program is missing or could not start: the stream was not read.
      return { problems: [problem('decompress', `${file.name} could not be unpacked: ${(err as Error).message}`)], notes: [], rawBytes: 0, restoreSeconds: null };
    }
    const problems = [...fileProblems(file, unpacked.pass), ...unpacked.problems];
    if (unpacked.rawSha256 !== null && unpacked.pass.sha256 === file.sha256 && unpacked.rawSha256 !== file.rawSha256) {
      problems.push(problem('checksum', `${file.name}: the stream inside has sha256 ${unpacked.rawSha256}; the manifest says ${file.rawSha256}`));
    }
    if (problems.length === 0) problems.push(...(await checkpointProblems(datadir, manifest)));
    if (level === 'parse' || problems.length > 0) return { problems, notes: [], rawBytes: unpacked.rawBytes, restoreSeconds: null };
    handedOver = true; // restorePhysical removes the folder
    return { ...(await restorePhysical(baseDir, datadir, manifest, signal)), rawBytes: unpacked.rawBytes };
  } finally {
    if (!handedOver) await rm(baseDir, { recursive: true, force: true });
  }
}

/** Stored file -> sha256 -> decompressor -> sha256 -> `mbstream -x` into `datadir`, in one pass. */
async function unpack(stored: string, manifest: Manifest, datadir: string, signal: AbortSignal) {
  const problems: VerifyProblem[] = [];
  const streamName = manifest.tool?.name === 'xtrabackup' ? 'xbstream' : 'mbstream';
  const tool = await findPhysicalTool(streamName === 'xbstream' ? 'mysql' : 'mariadb');
  await mkdir(datadir);
  const extract = spawnChild(tool.stream.path, ['-x', '-C', datadir], ['pipe', 'ignore', 'pipe']);
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
  if (!decompressError && !readError && (code !== 0 || sig !== null)) problems.push(problem('decompress', `${streamName} -x failed (${sig ?? `exit ${code}`}): ${extractErr().trim().split('\n').pop() ?? ''}`));
  const pass: FilePass = { bytes: storedTap.bytes, sha256: storedTap.hash.digest('hex'), sql: null, readError, decompressError };
  return { pass, problems, rawBytes: rawTap.bytes, rawSha256: decompressError || readError ? null : rawTap.hash.digest('hex') };
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
  if (manifest.lsn && (Number(cp.to_lsn) !== manifest.lsn.toLsn || Number(cp.last_lsn) !== manifest.lsn.lastLsn)) {
    return [problem('manifest', `xtrabackup_checkpoints says to_lsn ${cp.to_lsn}, last_lsn ${cp.last_lsn}; the manifest says ${manifest.lsn.toLsn}, ${manifest.lsn.lastLsn}`)];
  }
  return [];
}

/** backup-my.cnf's [mysqld] options (page size, data files, undo tablespaces): the datadir needs them. */
async function backupOptions(datadir: string): Promise<string[]> {
  const text = await readFile(path.join(datadir, 'backup-my.cnf'), 'utf8');
  return text
    .split('\n')
    .map((l) => /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `--${m[1]}=${m[2]}`);
}

async function restorePhysical(baseDir: string, datadir: string, manifest: Manifest, signal: AbortSignal): Promise<Omit<PhysicalFound, 'rawBytes'>> {
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
    const tool = await findPhysicalTool('mariadb');
    try {
      await execFileAsync(tool.path, physicalPrepareArgs(datadir), { signal, env: childEnv(), maxBuffer: 64 << 20 });
    } catch (err) {
      signal.throwIfAborted();
      const stderr = String((err as { stderr?: string }).stderr ?? '');
      return { problems: [problem('restore', `mariadb-backup --prepare failed: ${stderr.trim().split('\n').slice(-3).join(' / ') || (err as Error).message}`)], notes, restoreSeconds: null };
    }
    // The backup's own accounts do not matter to a count: nobody but the agent reaches this server.
    server = await startThrowawayServer({ baseDir, serverArgs: [...(await backupOptions(datadir)), '--skip-grant-tables'] });
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
