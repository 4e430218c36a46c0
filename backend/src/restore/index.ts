// `warden restore`: loads a backup into a new database on a server, then counts what arrived.
// The CLI, the API and restore verification all come through here.
import type mysql from 'mysql2/promise';
import type { Failure, Manifest, ManifestFile } from '../contract/manifest.js';
import { readManifest } from '../catalog/store.js';
import { storageOf } from '../storage/index.js';
import { SYSTEM_DATABASES } from '../config/schema.js';
import { LoadProgress, loadFile } from './load.js';
import type { ObjectReport } from './rewrite.js';
import { openConnection, query, quoteIdent, type ServerLogin } from '../mysql/login.js';
import { restorePhases, runPhases } from './plan.js';
import { expectedTables, inspectTables, type TableReport } from './tables.js';
import { splitTableName } from '../catalog/names.js';
import { evidenceOf } from '../mysql/evidence.js';
import { failureOf, VERIFICATION } from '../classify/failure.js';

export { LoadProgress } from './load.js';
export type { TableReport } from './tables.js';

/** A request that cannot be carried out as asked (exit code 2); nothing was changed. */
export class RestoreUsageError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'RestoreUsageError';
  }
}

const IDENTIFIER = /^[^`/\\.\0]{1,64}$/;

export function checkDatabaseName(name: string): void {
  if (!IDENTIFIER.test(name) || name !== name.trim()) {
    throw new RestoreUsageError(`"${name}" is not a usable database name`, 'Use 1 to 64 characters without backticks, slashes, dots or NUL.');
  }
  if (SYSTEM_DATABASES.includes(name.toLowerCase())) {
    throw new RestoreUsageError(`"${name}" is a system database`, 'Restore into a database of your own.');
  }
}

/** Which database of the backup to load: the only one, or the one named by --source-database. */
export function chooseSourceDatabase(manifest: Pick<Manifest, 'databases' | 'id'>, wanted?: string): string {
  if (wanted !== undefined) {
    if (!manifest.databases.includes(wanted)) {
      throw new RestoreUsageError(`backup ${manifest.id} has no database "${wanted}"`, `It holds: ${manifest.databases.join(', ')}.`);
    }
    return wanted;
  }
  if (manifest.databases.length !== 1) {
    throw new RestoreUsageError(
      `backup ${manifest.id} holds ${manifest.databases.length} databases (${manifest.databases.join(', ')}); choose one with --source-database`,
      'A restore loads one database under a new name.',
    );
  }
  return manifest.databases[0]!;
}

export interface LoadBackupOptions {
  dir: string;
  manifest: Manifest;
  login: ServerLogin;
  /** Source database → the name it is loaded as; the backup's other databases are skipped. */
  databases: ReadonlyMap<string, string>;
  parallel: number;
  progress?: LoadProgress;
  signal?: AbortSignal;
  /** Views, triggers, routines and events that named databases of the backup (rewrite.ts). */
  onObject?: (o: ObjectReport) => void;
}

/** Loads the files of a backup in order (schema, data in parallel, post); null when all went in. */
export async function loadBackup(o: LoadBackupOptions): Promise<Failure | null> {
  const tables = new Set(o.manifest.tables.map((t) => t.name).filter((t) => o.databases.has(splitTableName(t, o.databases.keys())[0])));
  const only = o.databases.size === 1 ? [...o.databases.values()][0] : undefined;
  const progress = o.progress ?? new LoadProgress();
  const phases = restorePhases(o.manifest, tables);
  if (phases.length === 0) return failureOf(VERIFICATION, `backup ${o.manifest.id} lists no files to load`);
  return runPhases(phases, o.parallel, (file: ManifestFile) =>
    loadFile({
      path: storageOf(o.dir).join(o.dir, file.name),
      file,
      compression: o.manifest.compression,
      login: o.login,
      databases: o.databases,
      // Once the schema is in, per-table files may name bare tables: start the client in their database.
      defaultDatabase: file.role === 'data' && file.table ? o.databases.get(splitTableName(file.table, o.databases.keys())[0]) : file.role === 'post' ? only : undefined,
      progress,
      signal: o.signal,
      backupDatabases: o.manifest.databases,
      onObject: o.onObject,
    }),
  );
}

export interface RestoreRequest {
  dir: string;
  login: ServerLogin;
  /** The new database name. */
  database: string;
  sourceDatabase?: string;
  /** Load into an existing database even if it holds something. */
  force: boolean;
  parallel: number;
  progress?: LoadProgress;
  signal?: AbortSignal;
}

export interface RestoreResult {
  ok: boolean;
  id: string;
  target: string;
  sourceDatabase: string;
  database: string;
  seconds: number;
  tables: TableReport[];
  failure: Failure | null;
  /** What the restore changed or could not change in the objects it loaded (renamed references, …). */
  warnings: string[];
  /**
   * After a failed load: `dropped` when the restore had created the database itself and removed it
   * again, `half-loaded` when it loaded into a database that already existed (--force).
   */
  leftover: 'dropped' | 'half-loaded' | null;
  /** The database existed before the restore (it was empty, or --force). */
  existed: boolean;
}

/** Whether `db` exists and holds tables, views, routines or events. */
async function isNonEmpty(conn: mysql.Connection, login: ServerLogin, db: string): Promise<boolean> {
  const [row] = await query<{ n: string | number }>(
    conn,
    login,
    `SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
          + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS n`,
    [db, db, db],
  );
  return Number(row?.n ?? 0) > 0;
}

async function exists(conn: mysql.Connection, login: ServerLogin, db: string): Promise<boolean> {
  const rows = await query(conn, login, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db]);
  return rows.length > 0;
}

function objectWarnings(o: ObjectReport, source: string, target: string): string[] {
  const out: string[] = [];
  if (o.renamed.length > 0) out.push(`${o.kind} ${o.name}: references to ${o.renamed.join(', ')} now name ${target}`);
  if (o.foreign.length > 0) {
    out.push(`${o.kind} ${o.name} names ${o.foreign.join(', ')}, which this restore of ${source} does not load: it still reads or writes the original`);
  }
  if (o.kind === 'event') out.push(`event ${o.name} was restored DISABLED: enable it (ALTER EVENT … ENABLE) if the copy should run it`);
  return out;
}

/**
 * A failed load never leaves a database that looks restored: one the restore created itself is
 * dropped; one that existed before (--force) is left and said to be half loaded.
 */
export async function leaveNoHalfLoad(conn: mysql.Connection, login: ServerLogin, db: string, existed: boolean, failure: Failure): Promise<'dropped' | 'half-loaded'> {
  if (existed) {
    failure.message += `; database ${db} existed before and is now half loaded: drop it or restore into another`;
    return 'half-loaded';
  }
  await query(conn, login, `DROP DATABASE IF EXISTS ${quoteIdent(db)}`);
  failure.message += `; the half-loaded database ${db} was dropped`;
  return 'dropped';
}

/**
 * Restores one database of a backup under a new name. Usage problems throw RestoreUsageError
 * before anything is touched; every other failure comes back classified in the result.
 */
export async function restoreBackup(r: RestoreRequest): Promise<RestoreResult> {
  const manifest = await readManifest(r.dir);
  if (manifest.status !== 'success' && manifest.status !== 'partial') {
    throw new RestoreUsageError(`backup ${manifest.id} is ${manifest.status}, not a backup that can be restored`, 'Pick a successful backup (warden list).');
  }
  if (manifest.method === 'physical') {
    throw new RestoreUsageError(`backup ${manifest.id} is a physical backup: it is not loaded into a database`, 'Pick a logical backup (warden list); physical backups are proven by warden verify --level restore.');
  }
  const sourceDatabase = chooseSourceDatabase(manifest, r.sourceDatabase);
  checkDatabaseName(r.database);
  const started = performance.now();
  const result: RestoreResult = {
    ok: false,
    id: manifest.id,
    target: manifest.target,
    sourceDatabase,
    database: r.database,
    seconds: 0,
    tables: [],
    failure: null,
    warnings: [],
    leftover: null,
    existed: true,
  };
  const databases = new Map([[sourceDatabase, r.database]]);
  let conn: mysql.Connection | null = null;
  let existed = true;
  try {
    conn = await openConnection(r.login);
    if (!r.force && (await isNonEmpty(conn, r.login, r.database))) {
      throw new RestoreUsageError(`database "${r.database}" already exists and is not empty`, 'Choose another --database, or pass --force to load over it.');
    }
    existed = await exists(conn, r.login, r.database);
    const onObject = (o: ObjectReport) => result.warnings.push(...objectWarnings(o, sourceDatabase, r.database));
    result.failure = await loadBackup({ dir: r.dir, manifest, login: r.login, databases, parallel: r.parallel, progress: r.progress, signal: r.signal, onObject });
    if (result.failure) result.leftover = await leaveNoHalfLoad(conn, r.login, r.database, existed, result.failure);
    if (!result.failure) result.tables = await inspectTables(conn, r.login, expectedTables(manifest), databases, { check: false });
    const off = result.tables.filter((t) => !t.ok);
    if (!result.failure && off.length > 0) {
      result.failure = failureOf(
        VERIFICATION,
        `restored row counts differ from the manifest: ${off.map((t) => `${t.name} ${t.rows ?? 'missing'} (expected ${t.expectedRows})`).join(', ')}`,
      );
    }
  } catch (err) {
    if (err instanceof RestoreUsageError) throw err;
    result.failure = failureOf(evidenceOf(err), err instanceof Error ? err.message : String(err));
    if (conn && result.leftover === null) result.leftover = await leaveNoHalfLoad(conn, r.login, r.database, existed, result.failure).catch(() => 'half-loaded' as const);
  } finally {
    await conn?.end().catch(() => undefined);
  }
  result.seconds = (performance.now() - started) / 1000;
  result.ok = result.failure === null;
  result.existed = existed;
  return result;
}
