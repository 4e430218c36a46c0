// `restore` level: load the backup into scratch databases (the configured scratch server, else a
// throwaway mariadbd), CHECK TABLE and count every table, and time the load: that time is the RTO.
import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import type { Manifest } from '../contract/manifest.js';
import type { LoadedConfig } from '../config/load.js';
import { startThrowawayServer, type ThrowawayServer } from '../mysql/throwawayServer.js';
import { loadBackup } from '../restore/index.js';
import { openConnection, query, quoteIdent, scratchLogin, type ServerLogin } from '../mysql/login.js';
import { expectedTables, inspectTables } from '../restore/tables.js';
import { problem, type VerifyProblem } from './problems.js';

export interface RestoreStageOptions {
  config?: LoadedConfig;
  /** Files loaded at once for per-table backups. */
  parallel: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface RestoreStageResult {
  problems: VerifyProblem[];
  restoreSeconds: number | null;
}

/** How long dropping a scratch database may take before the verification gives up on it. */
const CLEANUP_TIMEOUT_MS = 5000;

/** The configured scratch server, else a throwaway mariadbd; `stop` removes the throwaway. */
export async function scratchServer(config: LoadedConfig | undefined, env: NodeJS.ProcessEnv | undefined): Promise<{ login: ServerLogin; throwaway: boolean; stop: () => Promise<void> }> {
  const login = config ? scratchLogin(config, env) : null;
  if (login) return { login, throwaway: false, stop: async () => undefined };
  const server: ThrowawayServer = await startThrowawayServer();
  return { login: { endpoint: { socket: server.socket }, user: server.user, password: undefined, connectTimeoutSeconds: 10 }, throwaway: true, stop: () => server.stop() };
}

/** One scratch name per database of the backup, unlikely to meet anything on a shared scratch server. */
function scratchNames(databases: string[]): Map<string, string> {
  const tag = randomBytes(4).toString('hex');
  return new Map(databases.map((db, i) => [db, databases.length === 1 ? `warden_verify_${tag}` : `warden_verify_${tag}_${i + 1}`]));
}

export async function restoreStage(dir: string, manifest: Manifest, opts: RestoreStageOptions): Promise<RestoreStageResult> {
  const problems: VerifyProblem[] = [];
  let restoreSeconds: number | null = null;
  let scratch: Awaited<ReturnType<typeof scratchServer>> | null = null;
  let conn: mysql.Connection | null = null;
  const databases = scratchNames(manifest.databases);
  try {
    scratch = await scratchServer(opts.config, opts.env);
    const { login } = scratch;
    conn = await openConnection(login);
    const started = performance.now();
    const failure = await loadBackup({ dir, manifest, login, databases, parallel: opts.parallel, signal: opts.signal });
    restoreSeconds = (performance.now() - started) / 1000;
    if (failure) {
      problems.push(problem('restore', `[${failure.class}] ${failure.message}`));
    } else {
      for (const t of await inspectTables(conn, login, expectedTables(manifest), databases, { check: true })) {
        if (t.rows === null) problems.push(problem('missing-table', `${t.name} is not in the restored database`, t.name));
        else if (t.rows !== t.expectedRows) problems.push(problem('row-count', `${t.name}: ${t.rows} rows restored; the manifest says ${t.expectedRows}`, t.name));
        if (t.check) problems.push(problem('check-table', `CHECK TABLE ${t.restoredAs}: ${t.check}`, t.name));
      }
    }
  } catch (err) {
    problems.push(problem('restore', err instanceof Error ? err.message : String(err)));
  } finally {
    // The throwaway server goes whole; on a shared scratch server, drop what we loaded. A scratch
    // server that holds the drop (a global read lock) must not hold the verification with it.
    if (conn && scratch && !scratch.throwaway) await dropScratch(conn, scratch.login, databases.values(), problems);
    conn?.destroy();
    await scratch?.stop();
  }
  return { problems, restoreSeconds };
}

/** Drops what a verification loaded on a shared scratch server; a drop that cannot finish is a problem to report. */
export async function dropScratch(conn: mysql.Connection, login: ServerLogin, databases: Iterable<string>, problems: VerifyProblem[]): Promise<void> {
  for (const db of databases) {
    await query(conn, login, `DROP DATABASE IF EXISTS ${quoteIdent(db)}`, [], CLEANUP_TIMEOUT_MS).catch((err: Error) =>
      problems.push(problem('restore', `the scratch database ${db} could not be dropped (${err.message}): drop it by hand`)),
    );
  }
}
