// `warden check`, also run before every backup: one line per check with OK/WARN/FAIL and a hint,
// like `barman check`. A FAIL carries the failure class the run would have ended with.
import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import type mysql from 'mysql2/promise';
import { isFutureDated } from '../catalog/clock.js';
import { listBackups } from '../catalog/store.js';
import { storageOf } from '../storage/index.js';
import { targetDir } from '../catalog/paths.js';
import type { FailureClass } from '../contract/classes.js';
import type { Manifest } from '../contract/manifest.js';
import { classifyFailure } from '../classify/classify.js';
import { ConfigError, type LoadedConfig } from '../config/load.js';
import type { TargetConfig } from '../config/schema.js';
import { resolvePassword } from '../mysql/credentials.js';
import { runtimeDir } from '../mysql/runtimeDir.js';
import { connect, readServerFacts, rows, ServerError, type ServerEndpoint, type ServerFacts } from '../mysql/server.js';
import { binlogMonitorPrivilege, binlogRetentionVariable, coordinatesPlan, toolTakesGlobalLock } from '../mysql/dialect.js';
import { chooseDumpTool, findDumpTools, type DumpTool, which } from '../mysql/tool.js';
import { archiveChecks } from './archive.js';
import { lookUpPhysicalTools, physicalChecks } from './physical.js';
import type { PhysicalTool } from '../mysql/physicalTool.js';
import { type Grant, holds, holdsBinlogMonitor, holdsOnTable, readGrants } from './grants.js';
import { type Check, fail, ok, warn } from './result.js';

export type { Check, CheckStatus } from './result.js';
export { blocksBackup } from './archive.js';

export interface PreflightReport {
  target: string;
  ok: boolean;
  checks: Check[];
  /** What the run needs next, when the checks got that far. */
  facts: { password: string | undefined; tool: DumpTool | null; physicalTool: PhysicalTool | null; server: ServerFacts | null };
}

/** Bytes of stored backup per byte of table data when there is no previous backup to learn from. */
const DEFAULT_STORED_RATIO: Record<TargetConfig['compression'], number> = { zstd: 0.5, gzip: 0.5, none: 1.2 };

/**
 * Bytes of stored physical backup per byte of the server's tables on disk (DATA_LENGTH +
 * INDEX_LENGTH: the pages the tool copies). bench/RESULTS.md measured 0.32 at zstd level 3 (a
 * 449 MB stream stored in 141.6 MB, a tenth of it incompressible BLOBs); 0.5 leaves room for data
 * that compresses less. Uncompressed, the stream is the pages plus small chunk headers.
 */
const PHYSICAL_STORED_RATIO: Record<TargetConfig['compression'], number> = { zstd: 0.5, gzip: 0.5, none: 1.05 };

export interface PreflightOptions {
  config: LoadedConfig;
  target: TargetConfig;
  endpoint: ServerEndpoint;
  env?: NodeJS.ProcessEnv;
}

export async function runPreflight(o: PreflightOptions): Promise<PreflightReport> {
  const { config, target } = o;
  const checks: Check[] = [];
  const facts: PreflightReport['facts'] = { password: undefined, tool: null, physicalTool: null, server: null };
  // A physical target's tool depends on the server's family: it is looked for once that is known.
  const physical = target.method === 'physical';
  const done = () => ({ target: target.name, ok: checks.every((c) => c.status !== 'FAIL'), checks, facts });

  try {
    facts.password = resolvePassword(target, config.file, o.env);
    checks.push(ok('credentials', target.passwordEnv ? `password from $${target.passwordEnv}` : target.passwordFile ? `password from ${target.passwordFile}` : 'no password'));
  } catch (err) {
    checks.push(fail('credentials', 'config', (err as ConfigError).problems?.join('; ') ?? String(err), 'Set the environment variable or fix the password file (mode 0600).'));
    return done();
  }

  try {
    checks.push(ok('runtime', `option files go to ${runtimeDir()}`));
  } catch (err) {
    checks.push(fail('runtime', 'config', (err as ConfigError).problems?.join('; ') ?? String(err), 'Point WARDEN_RUNTIME_DIR at a folder only the agent user can open (mode 0700).'));
    return done();
  }

  // The repository, the tool and the server do not depend on each other: ask them all at once.
  const caught = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
  const physicalTools = physical ? lookUpPhysicalTools() : null;
  const [repository, tool, conn] = await Promise.all([
    repositoryCheck(config, target), // reports its own failure as a check
    physical ? null : findDumpTools(target.tool).catch(caught),
    connect(target, facts.password, o.endpoint).catch(caught),
  ]);
  checks.push(repository);
  if (tool instanceof Error) {
    checks.push(fail('tool', 'not_found', tool.message, 'Install mariadb-client (mariadb-dump) or mysql-client (mysqldump).'));
  } else if (tool) {
    facts.tool = tool[0]!;
    checks.push(ok('tool', `${facts.tool.name}: ${facts.tool.version}`));
  }
  if (target.compression === 'zstd' && !which('zstd')) {
    checks.push(fail('compressor', 'not_found', 'zstd is not installed', 'Install zstd, or set compression: gzip.'));
  }
  if (conn instanceof Error) {
    const c = classifyFailure({ stderr: conn.message });
    checks.push(fail('connection', c.class, conn.message, c.hint));
    return done();
  }
  try {
    try {
      facts.server = await readServerFacts(conn, target, o.endpoint);
    } catch (err) {
      const c = classifyFailure({ stderr: (err as Error).message });
      checks.push(fail(err instanceof ServerError && err.errno === 1049 ? 'databases' : 'connection', c.class, (err as Error).message, c.hint));
      return done();
    }
    const server = facts.server;
    checks.push(ok('connection', `${server.flavor} ${server.version}`));
    // With both installed, the server's own family's tool (mysql/tool.ts).
    if (tool && !(tool instanceof Error) && chooseDumpTool(tool, server.flavor) !== facts.tool) {
      facts.tool = chooseDumpTool(tool, server.flavor);
      checks.splice(checks.findIndex((c) => c.name === 'tool'), 1, ok('tool', `${facts.tool.name}: ${facts.tool.version} (for a ${server.flavor} server)`));
    }
    checks.push(server.databases.length > 0 ? ok('databases', server.databases.join(', ')) : fail('databases', 'config', 'no database to back up', 'List the databases in `databases:` or create one.'));

    const grants = await readGrants(conn);
    let serverTableBytes: number | null = null;
    if (physical) {
      const found = await physicalChecks(conn, server, grants, physicalTools ?? undefined);
      facts.physicalTool = found.tool;
      serverTableBytes = found.tableBytes;
      checks.push(...found.checks);
    }
    // The agent reads the coordinates itself when asked to, or when the tool cannot ask this server.
    const agentReadsCoordinates = target.binlogCoordinates === 'agent' || (facts.tool !== null && coordinatesPlan(facts.tool, server).by === 'agent');
    const toolLocks = facts.tool !== null && toolTakesGlobalLock(facts.tool, server);
    // What the dump tools need and how they write SQL does not concern a copy of the files.
    if (!physical) checks.push(...grantChecks(grants, server, target, agentReadsCoordinates, toolLocks));
    checks.push(await binlogRetentionCheck(conn, server, target));
    if (target.binlog?.archive) checks.push(...(await archiveChecks(conn, server, target, grants)));
    if (!physical) {
      checks.push(consistencyCheck(server, target));
      checks.push(await charsetCheck(conn, server, target));
    }
    checks.push(await definerCheck(conn, server));
    if (!physical) checks.push(await bodyCommentCheck(conn, server));
    // Its estimate reads the repository's runs: nothing to judge when the repository cannot be reached.
    if (repository.status !== 'FAIL') checks.push(await spaceCheck(config, target, server, serverTableBytes));
  } finally {
    await conn.end().catch(() => undefined);
  }
  return done();
}

/** The grants the chosen dump options need; a missing one would make the tool fail or, worse, skip objects silently. */
function grantChecks(grants: Grant[], server: ServerFacts, target: TargetConfig, agentReadsCoordinates: boolean, toolLocks: boolean): Check[] {
  const missing: string[] = [];
  const on = (db: string) => `\`${db}\`.*`;
  for (const db of server.databases) {
    if (!holds(grants, 'SELECT', db)) missing.push(`SELECT ON ${on(db)}`);
    if (server.views.some((v) => v.startsWith(`${db}.`)) && !holds(grants, 'SHOW VIEW', db)) missing.push(`SHOW VIEW ON ${on(db)}`);
    // Without TRIGGER the tool still exits 0, having dropped every trigger: never a clean run.
    if (!holds(grants, 'TRIGGER', db)) missing.push(`TRIGGER ON ${on(db)}`);
    if (!holds(grants, 'EVENT', db)) missing.push(`EVENT ON ${on(db)}`);
  }
  // Routines are read from mysql.proc (MariaDB) or need SHOW_ROUTINE (MySQL 8): otherwise skipped silently.
  const routines =
    server.flavor === 'mariadb'
      ? holdsOnTable(grants, 'SELECT', 'mysql', 'proc') || holds(grants, 'SHOW CREATE ROUTINE')
      : holds(grants, 'SHOW_ROUTINE') || holds(grants, 'SELECT');
  if (!routines) missing.push(server.flavor === 'mariadb' ? 'SELECT ON `mysql`.`proc`' : 'SHOW_ROUTINE ON *.*');
  const coordinates = server.logBin && target.binlogCoordinates !== 'none';
  if (coordinates) {
    if (!holds(grants, 'RELOAD')) missing.push('RELOAD ON *.* (binlog coordinates)');
    if (!holdsBinlogMonitor(grants)) missing.push(`${binlogMonitorPrivilege(server)} ON *.* (binlog coordinates)`);
    // The agent's own read watches the dump open its snapshot in information_schema.INNODB_TRX.
    if (agentReadsCoordinates && !holds(grants, 'PROCESS')) missing.push('PROCESS ON *.* (binlog coordinates read by the agent)');
  }
  if (toolLocks && !holds(grants, 'RELOAD')) missing.push('RELOAD ON *.* (mysqldump 8.0.32+ locks a server with GTIDs itself)');
  if (target.method === 'per-table' && target.consistent) {
    if (!holds(grants, 'RELOAD')) missing.push('RELOAD ON *.* (consistent per-table snapshots)');
    if (!holds(grants, 'PROCESS')) missing.push('PROCESS ON *.* (consistent per-table snapshots)');
  }
  const result: Check[] = [];
  if (missing.length > 0) {
    result.push(
      fail(
        'grants',
        'privilege',
        `missing: ${missing.join(', ')}`,
        `GRANT ${[...new Set(missing.map((m) => m.split(' ON ')[0]!))].join(', ')} to the backup user (see the README for the full grant)` +
          (missing.some((m) => m.includes('binlog coordinates')) ? ', or set binlogCoordinates: none to back up without them.' : '.'),
      ),
    );
  } else {
    result.push(ok('grants', 'SELECT, SHOW VIEW, TRIGGER, EVENT, routines' + (coordinates ? ', binlog coordinates' : '')));
  }
  return result;
}

async function variable(conn: mysql.Connection, name: string): Promise<number | null> {
  const r = await rows(conn, 'SHOW GLOBAL VARIABLES LIKE ?', [name]);
  const v = r[0] ? Number(Object.values(r[0])[1]) : NaN;
  return Number.isFinite(v) ? v : null;
}

/** Binlogs must outlive the gap between two backups, or point-in-time recovery has holes. */
async function binlogRetentionCheck(conn: mysql.Connection, server: ServerFacts, target: TargetConfig): Promise<Check> {
  if (!server.logBin) return ok('binlog', 'binary log off: no point-in-time recovery from this server');
  const retention = binlogRetentionVariable(server);
  const seconds = ((await variable(conn, retention.name)) ?? 0) * retention.secondsPer;
  if (!target.schedule) return ok('binlog', seconds ? `binlogs kept ${Math.round(seconds / 3600)} h` : 'binlogs never expire');
  const [a, b] = new Cron(target.schedule, { paused: true }).nextRuns(2);
  const interval = a && b ? (b.getTime() - a.getTime()) / 1000 : 0;
  if (seconds > 0 && interval > seconds) {
    return warn('binlog', `binlogs expire after ${Math.round(seconds / 3600)} h but backups run every ${Math.round(interval / 3600)} h`, 'Raise binlog_expire_logs_seconds above the backup interval, or back up more often.');
  }
  return ok('binlog', `binlogs kept ${seconds ? `${Math.round(seconds / 3600)} h` : 'forever'}, backups every ${Math.round(interval / 3600)} h`);
}

function consistencyCheck(server: ServerFacts, target: TargetConfig): Check {
  const nonTx = server.tables.filter((t) => t.engine && !/^(InnoDB|RocksDB|TokuDB)$/i.test(t.engine)).map((t) => t.name);
  if (nonTx.length > 0) {
    return warn('consistency', `non-transactional tables are not covered by the snapshot: ${nonTx.slice(0, 10).join(', ')}${nonTx.length > 10 ? ', …' : ''}`, 'Convert them to InnoDB for a consistent backup, or accept that they may differ by the dump duration.');
  }
  if (target.method === 'per-table' && !target.consistent) {
    return warn('consistency', 'per-table mode without `consistent: true`: each table is its own snapshot', 'Set consistent: true (needs RELOAD and PROCESS) for one point in time across tables.');
  }
  return ok('consistency', 'one transactional snapshot (--single-transaction); LOCK TABLES not needed');
}

/** A dump in a narrower character set than the data turns what it cannot represent into `?`. */
async function charsetCheck(conn: mysql.Connection, server: ServerFacts, target: TargetConfig): Promise<Check> {
  const cs = target.characterSet.toLowerCase();
  if (cs === 'utf8mb4' || server.databases.length === 0) return ok('charset', `dump in ${target.characterSet}`);
  const columns = await rows(
    conn,
    `SELECT c.TABLE_SCHEMA AS db, c.TABLE_NAME AS tbl, c.COLUMN_NAME AS col, c.CHARACTER_SET_NAME AS cs
       FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
         ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
      WHERE c.TABLE_SCHEMA IN (?) AND c.CHARACTER_SET_NAME IS NOT NULL AND c.CHARACTER_SET_NAME <> ?
      LIMIT 200`,
    [server.databases, cs],
  );
  const q = (s: unknown) => `\`${String(s).replace(/`/g, '``')}\``;
  for (const c of columns) {
    try {
      const lossy = await rows(
        conn,
        `SELECT 1 FROM ${q(c.db)}.${q(c.tbl)} WHERE BINARY ${q(c.col)} <> BINARY CONVERT(CONVERT(${q(c.col)} USING ${cs}) USING ${String(c.cs)}) LIMIT 1`,
      );
      if (lossy.length > 0) {
        return fail('charset', 'charset', `${String(c.db)}.${String(c.tbl)}.${String(c.col)} (${String(c.cs)}) holds characters ${target.characterSet} cannot represent: the dump would turn them into '?'`, 'Set characterSet: utf8mb4 for this target.');
      }
    } catch (err) {
      const e = err as { sqlMessage?: string; message?: string };
      return fail('charset', 'charset', `cannot convert to ${target.characterSet}: ${e.sqlMessage ?? e.message}`, 'Set characterSet: utf8mb4 for this target.');
    }
  }
  return columns.length > 0
    ? warn('charset', `dump in ${target.characterSet}; ${columns.length} column(s) use another character set (no loss found today)`, 'Prefer characterSet: utf8mb4.')
    : ok('charset', `dump in ${target.characterSet}`);
}

/**
 * Views, routines, triggers and events whose DEFINER account is gone: MySQL 8 refuses to dump
 * such views (1449); MariaDB dumps them, and they restore but fail with 1449 when used.
 */
/**
 * The dump tools wrap triggers and events in `/*!50003 … *\/`; a `/* … *\/` comment in their body
 * ends that wrapper early, and the dump cannot be loaded (ERROR 1064). The backup's parse check
 * fails such a dump; this says which objects before a backup is spent on it.
 */
async function bodyCommentCheck(conn: mysql.Connection, server: ServerFacts): Promise<Check> {
  if (server.databases.length === 0) return ok('object-bodies', 'nothing to check');
  const dbs = server.databases;
  const found = await rows(
    conn,
    `SELECT CONCAT('trigger ', TRIGGER_SCHEMA, '.', TRIGGER_NAME) AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (?) AND ACTION_STATEMENT LIKE '%/*%'
     UNION ALL SELECT CONCAT('event ', EVENT_SCHEMA, '.', EVENT_NAME) FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN (?) AND EVENT_DEFINITION LIKE '%/*%'`,
    [dbs, dbs],
  );
  if (found.length === 0) return ok('object-bodies', 'no trigger or event body holds a /* */ comment');
  return warn(
    'object-bodies',
    `a /* */ comment in the body of ${found.map((r) => String(r.name)).join(', ')} makes the dump unloadable (the dump tool wraps the body in a /*! */ comment it ends)`,
    'Rewrite those comments as -- comments, or remove them (DROP TRIGGER and CREATE TRIGGER again, ALTER EVENT).',
  );
}

async function definerCheck(conn: mysql.Connection, server: ServerFacts): Promise<Check> {
  if (server.databases.length === 0) return ok('definers', 'nothing to check');
  let accounts: Set<string>;
  try {
    accounts = new Set((await rows(conn, "SELECT CONCAT(User, '@', Host) AS a FROM mysql.user")).map((r) => String(r.a)));
  } catch {
    return ok('definers', 'not checked (the backup user cannot read mysql.user)');
  }
  const dbs = server.databases;
  const objects = await rows(
    conn,
    `SELECT 'view' AS kind, CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS name, DEFINER AS definer FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN (?)
     UNION ALL SELECT 'routine', CONCAT(ROUTINE_SCHEMA, '.', ROUTINE_NAME), DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (?)
     UNION ALL SELECT 'trigger', CONCAT(TRIGGER_SCHEMA, '.', TRIGGER_NAME), DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (?)
     UNION ALL SELECT 'event', CONCAT(EVENT_SCHEMA, '.', EVENT_NAME), DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN (?)`,
    [dbs, dbs, dbs, dbs],
  );
  const orphans = objects.filter((o) => !accounts.has(String(o.definer))).map((o) => `${String(o.kind)} ${String(o.name)} (definer ${String(o.definer)})`);
  if (orphans.length === 0) return ok('definers', `${objects.length} object definer(s) exist`);
  return warn('definers', `definer account missing for: ${orphans.join(', ')}`, 'Create the account or redefine the objects (ALTER ... DEFINER); restored as they are, they fail with error 1449 when used.');
}

async function repositoryCheck(config: LoadedConfig, target: TargetConfig): Promise<Check> {
  const dir = targetDir(config.repositoryPath, target.name);
  const storage = storageOf(dir);
  const probe = storage.join(dir, `.write-test-${randomBytes(4).toString('hex')}`);
  try {
    await storage.makeFolder(dir);
    await storage.writeText(probe, 'ok');
    await storage.remove(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const cls: FailureClass = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'disk_full' : 'config';
    if (storage.localFile(dir) === null) {
      // Object storage: the SDK's error names what the server said (NoSuchBucket, AccessDenied, ...).
      return fail('repository', cls, `${dir}: cannot write a probe object: ${e.name}: ${e.message}`, 'Check that the bucket exists, the s3 settings (endpoint, region, forcePathStyle) and that the credentials may write to it.');
    }
    return fail('repository', cls, `${dir}: ${e.code ?? e.message}`, cls === 'disk_full' ? 'Free space in the repository.' : 'Make the repository writable by the agent user (owner, mode, mount).');
  }
  const future = (await listBackups(config.repositoryPath, target.name)).entries.filter((e) => isFutureDated(e.manifest.startedAt));
  if (future.length > 0) {
    return warn(
      'repository',
      `${future.length} run(s) dated in the future: ${future.map((e) => e.manifest.id).join(', ')}`,
      "The host's clock was ahead when they ran: they are kept but never count as the newest backup. Check them, then delete them by hand.",
    );
  }
  return ok('repository', `${config.repositoryPath} is writable`);
}

const formatMiB = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** Growth allowed for between the previous good backup and the next one. */
const GROWTH = 1.1;

/**
 * The next backup's stored size: the previous good backup of the same kind's (plus growth) when
 * there is one, otherwise the data times a typical stored/data ratio for the compression. A dump
 * holds the target's databases' rows; a physical backup copies every table of the server
 * (`serverTableBytes`, data and indexes), and its next run may be a full one, so only a previous
 * full backup tells its size.
 */
export async function estimateNextBackup(config: LoadedConfig, target: TargetConfig, server: Pick<ServerFacts, 'tables'>, serverTableBytes: number | null = null): Promise<number> {
  const physical = target.method === 'physical';
  const comparable = (m: Manifest) => m.status === 'success' && (physical ? m.method === 'physical' && m.chain === null : m.method !== 'physical');
  const previous = (await listBackups(config.repositoryPath, target.name)).entries.find((e) => comparable(e.manifest));
  if (previous) return Math.ceil(previous.manifest.bytes * GROWTH);
  if (physical) return Math.ceil((serverTableBytes ?? server.tables.reduce((n, t) => n + t.estimatedBytes, 0)) * PHYSICAL_STORED_RATIO[target.compression]);
  const dataBytes = server.tables.reduce((n, t) => n + t.dataBytes, 0);
  return Math.ceil(dataBytes * DEFAULT_STORED_RATIO[target.compression]);
}

async function spaceCheck(config: LoadedConfig, target: TargetConfig, server: ServerFacts, serverTableBytes: number | null): Promise<Check> {
  const estimate = await estimateNextBackup(config, target, server, serverTableBytes);
  const factor = config.preflight.freeSpaceFactor;
  const needed = estimate * factor;
  let free: number | null;
  try {
    free = await storageOf(config.repositoryPath).freeBytes(config.repositoryPath);
  } catch (err) {
    return fail('space', 'config', `cannot read free space of ${config.repositoryPath}: ${(err as NodeJS.ErrnoException).code}`, 'Create the repository folder.');
  }
  if (free === null) return ok('space', `needs ~${formatMiB(needed)}; object storage has no free space to check (a bucket quota, if any, fails the upload)`);
  const detail = `needs ~${formatMiB(needed)} (estimate ${formatMiB(estimate)} x safety factor ${factor}), ${formatMiB(free)} free`;
  return free < needed ? fail('space', 'disk_full', detail, 'Free space (warden expire applies the retention policy) or expand the disk.') : ok('space', detail);
}
