// Pre-flight of a physical target: the backup tool of the server's family, the grants it asks for,
// and the agent on the database host with read access to the datadir, whose files the tool copies.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import os from 'node:os';
import type mysql from 'mysql2/promise';
import type { ServerFacts } from '../mysql/server.js';
import { rows } from '../mysql/server.js';
import { findPhysicalTool, type PhysicalTool, serverSeries, toolSeries } from '../mysql/physicalTool.js';
import { type Grant, holds, holdsBinlogMonitor } from './grants.js';
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
  const checks: Check[] = [physicalGrants(grants, server)];
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

/**
 * What the tool asks of the backup user. mariadb-backup 10.11 (https://mariadb.com/kb/en/mariabackup-overview/,
 * "Authentication and Privileges"; a missing RELOAD ends it with `missing required privilege RELOAD on *.*`):
 * RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR. XtraBackup 8.0 (https://docs.percona.com/percona-xtrabackup/8.0/privileges.html):
 * RELOAD, LOCK TABLES, PROCESS, REPLICATION CLIENT, BACKUP_ADMIN. The agent's row counts need SELECT.
 */
function physicalGrants(grants: Grant[], server: ServerFacts): Check {
  const missing = ['RELOAD', 'PROCESS', 'LOCK TABLES', ...(server.flavor === 'mysql' ? ['BACKUP_ADMIN'] : [])].filter((p) => !holds(grants, p));
  if (!holdsBinlogMonitor(grants)) missing.push(server.flavor === 'mariadb' ? 'BINLOG MONITOR' : 'REPLICATION CLIENT');
  const unreadable = server.databases.filter((db) => !holds(grants, 'SELECT', db));
  if (missing.length === 0 && unreadable.length === 0) return ok('grants', `${server.flavor === 'mariadb' ? 'RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR' : 'RELOAD, PROCESS, LOCK TABLES, BACKUP_ADMIN, REPLICATION CLIENT'}, SELECT`);
  const detail = [...missing.map((p) => `${p} ON *.*`), ...unreadable.map((db) => `SELECT ON \`${db}\`.* (row counts)`)];
  return fail('grants', 'privilege', `missing: ${detail.join(', ')}`, `GRANT ${[...missing, ...(unreadable.length > 0 ? ['SELECT'] : [])].join(', ')} to the backup user (see the README for the full grant).`);
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
