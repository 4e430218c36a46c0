// Pre-flight of a physical target: the backup tool of the server's family, the grants it asks for,
// and the agent on the database host with read access to the datadir, whose files the tool copies.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import os from 'node:os';
import type mysql from 'mysql2/promise';
import type { ServerFacts } from '../mysql/server.js';
import { rows } from '../mysql/server.js';
import { findPhysicalTool, type PhysicalTool, serverSeries, toolSeries } from '../mysql/physicalTool.js';
import { type Grant, holds, holdsBinlogMonitor, holdsOnTable } from './grants.js';
import { type Check, fail, ok, warn } from './result.js';

/** Each family's tool looked up (its --version run) at once, while the pre-flight connects: the server's family picks one after. */
export function lookUpPhysicalTools(): Record<'mariadb' | 'mysql', Promise<PhysicalTool>> {
  const found = { mariadb: findPhysicalTool('mariadb'), mysql: findPhysicalTool('mysql') };
  for (const p of Object.values(found)) p.catch(() => undefined); // the one not used may fail unseen
  return found;
}

/** `tableBytes`: every table of the server on disk (data and indexes), which the tool copies. */
export async function physicalChecks(
  conn: mysql.Connection,
  server: ServerFacts,
  grants: Grant[],
  tools = lookUpPhysicalTools(),
): Promise<{ checks: Check[]; tool: PhysicalTool | null; tableBytes: number }> {
  const checks: Check[] = [physicalGrantsCheck(grants, server)];
  let tool: PhysicalTool | null = null;
  try {
    tool = await tools[server.flavor];
    const mismatch = seriesMismatch(tool, server);
    checks.push(mismatch ?? ok('tool', `${tool.name}: ${tool.version} (for a ${server.flavor} server ${server.version})`));
  } catch (err) {
    const hint = server.flavor === 'mariadb' ? 'Install mariadb-backup (it brings mbstream) on the database host.' : 'Install Percona XtraBackup (xtrabackup, xbstream) on the database host.';
    checks.push(fail('tool', 'not_found', (err as Error).message, hint));
  }
  // One round trip. The sum counts only the tables this user can see: the grants check above asks for SELECT on the target's databases.
  const [info] = await rows(
    conn,
    `SELECT @@datadir AS datadir, @@hostname AS host,
            (SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE') AS tableBytes`,
  );
  checks.push(await datadirCheck(String(info?.datadir ?? ''), String(info?.host ?? '')));
  return { checks, tool, tableBytes: Number(info?.tableBytes ?? 0) };
}

/**
 * The tool reads the server's own redo log and data files, whose formats change between series, so
 * it must be of the server's series (major.minor). MariaDB ships mariadb-backup with each server
 * release, "tightly connected to the storage engines" and tested against that server
 * (https://mariadb.com/kb/en/mariabackup-overview/, "MariaDB Backup Releases"); Percona says to use
 * the XtraBackup of the server's version series and stops otherwise
 * (https://docs.percona.com/percona-xtrabackup/8.4/server-backup-version-comparison.html).
 */
export function seriesMismatch(tool: Pick<PhysicalTool, 'name' | 'version' | 'flavor'>, server: Pick<ServerFacts, 'version' | 'flavor'>): Check | null {
  const wanted = serverSeries(server.version);
  const has = toolSeries(tool.version);
  if (wanted !== null && has === wanted) return null;
  const pkg = server.flavor === 'mariadb' ? `mariadb-backup ${wanted ?? ''} (the package of the same MariaDB release as the server)` : `Percona XtraBackup ${wanted ?? ''} (percona-xtrabackup-${wanted?.replace('.', '') ?? ''})`;
  const what = has === null ? `${tool.name} does not say which server series it was built for (${JSON.stringify(tool.version)})` : `${tool.name} is built for ${server.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${has}; the server is ${server.version}`;
  return fail('tool', 'config', `${what}: a physical backup needs the tool of the server's own series`, `Install ${pkg.replace(/ {2}/g, ' ')} on the database host.`);
}

/** What a physical tool needs of the backup user: global privileges, and SELECT on single tables. */
export interface PhysicalGrants {
  global: string[];
  tables: { database: string; table: string }[];
}

/**
 * What the tool asks of the backup user, by server, with the agent's SELECT for row counts beside.
 * - mariadb-backup 10.11 (https://mariadb.com/kb/en/mariabackup-overview/, "Authentication and
 *   Privileges"; run here: a missing RELOAD ends it with `missing required privilege RELOAD on *.*`):
 *   RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR (REPLICATION CLIENT's name since 10.5).
 * - XtraBackup 8.0 and 8.4 for MySQL 8.0+ (https://docs.percona.com/percona-xtrabackup/8.0/privileges.html,
 *   its minimal grant; not run here): BACKUP_ADMIN (LOCK INSTANCE FOR BACKUP, performance_schema.log_status),
 *   PROCESS, RELOAD, LOCK TABLES, REPLICATION CLIENT, and SELECT on performance_schema.log_status.
 * - XtraBackup 2.4 for MySQL 5.7 (https://docs.percona.com/percona-xtrabackup/2.4/using_xtrabackup/privileges.html):
 *   RELOAD, LOCK TABLES, PROCESS, REPLICATION CLIENT; 5.7 has no BACKUP_ADMIN.
 */
export function physicalGrantsNeeded(server: Pick<ServerFacts, 'flavor' | 'version'>): PhysicalGrants {
  if (server.flavor === 'mariadb') return { global: ['RELOAD', 'PROCESS', 'LOCK TABLES', 'BINLOG MONITOR'], tables: [] };
  const [major = 0] = server.version.split('.').map(Number);
  if (major < 8) return { global: ['RELOAD', 'PROCESS', 'LOCK TABLES', 'REPLICATION CLIENT'], tables: [] };
  return { global: ['RELOAD', 'PROCESS', 'LOCK TABLES', 'REPLICATION CLIENT', 'BACKUP_ADMIN'], tables: [{ database: 'performance_schema', table: 'log_status' }] };
}

export function physicalGrantsCheck(grants: Grant[], server: Pick<ServerFacts, 'flavor' | 'version' | 'databases'>): Check {
  const needed = physicalGrantsNeeded(server);
  // BINLOG MONITOR and REPLICATION CLIENT are one privilege under two names (check/grants.ts).
  const binlog = (p: string) => p === 'BINLOG MONITOR' || p === 'REPLICATION CLIENT';
  const missing = needed.global.filter((p) => (binlog(p) ? !holdsBinlogMonitor(grants) : !holds(grants, p)));
  const tables = needed.tables.filter((t) => !holdsOnTable(grants, 'SELECT', t.database, t.table));
  const unreadable = server.databases.filter((db) => !holds(grants, 'SELECT', db));
  if (missing.length === 0 && tables.length === 0 && unreadable.length === 0) {
    return ok('grants', [...needed.global, ...needed.tables.map((t) => `SELECT ON ${t.database}.${t.table}`), 'SELECT'].join(', '));
  }
  const detail = [...missing.map((p) => `${p} ON *.*`), ...tables.map((t) => `SELECT ON ${t.database}.${t.table}`), ...unreadable.map((db) => `SELECT ON \`${db}\`.* (row counts)`)];
  const grantsToRun = [
    ...(missing.length > 0 || unreadable.length > 0 ? [`GRANT ${[...missing, ...(unreadable.length > 0 ? ['SELECT'] : [])].join(', ')} ON *.*`] : []),
    ...tables.map((t) => `GRANT SELECT ON ${t.database}.${t.table}`),
  ];
  return fail('grants', 'privilege', `missing: ${detail.join(', ')}`, `${grantsToRun.join('; ')} to the backup user (see the README for the full grant).`);
}

/** The tool reads the server's files where the server says they are: this host must have them, readable. */
export async function datadirCheck(datadir: string, serverHost: string): Promise<Check> {
  try {
    await access(datadir, constants.R_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return fail('datadir', 'config', `the server's datadir ${datadir} is not on this machine (the server runs on ${serverHost})`, 'Run the agent on the database host: a physical backup copies the server\'s own files.');
    }
    return fail('datadir', 'config', `the agent cannot read the server's datadir ${datadir} (${code})`, 'Let the agent\'s user read the datadir (for example, add it to the mysql group), or run the agent as the server\'s user.');
  }
  if (serverHost && serverHost !== os.hostname()) {
    return warn('datadir', `${datadir} is readable here, but the server says it runs on ${serverHost} and this is ${os.hostname()}`, 'Run the agent on the database host: a datadir of the same name on another machine is not the server\'s.');
  }
  return ok('datadir', `${datadir} is readable on this host`);
}
