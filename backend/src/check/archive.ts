// The pre-flight of the binlog archiver (targets with `binlog.archive: true`): the server writes a
// binary log worth archiving, the user may stream it, and the archiver's replica id is its own.
import type mysql from 'mysql2/promise';
import type { TargetConfig } from '../config/schema.js';
import { binlogMonitorPrivilege, replicaHostsSql, type Server } from '../mysql/dialect.js';
import { archiverServerId } from '../mysql/replicaId.js';
import { rows, type ServerFacts } from '../mysql/server.js';
import { type Grant, holds, holdsBinlogMonitor } from './grants.js';
import { type Check, fail, ok, warn } from './result.js';

const ID = {
  logBin: 'archive-log-bin',
  format: 'archive-format',
  rowImage: 'archive-row-image',
  grants: 'archive-grants',
  serverId: 'archive-server-id',
} as const;
const IDS: ReadonlySet<string> = new Set(Object.values(ID));

/**
 * Whether a FAIL stops a backup. The archiver's checks do not: a dump needs none of what they
 * check, and a misconfigured archiver is no reason to go without backups.
 */
export const blocksBackup = (c: Check): boolean => c.status === 'FAIL' && !IDS.has(c.name);

export function logBinCheck(logBin: boolean): Check {
  return logBin
    ? ok(ID.logBin, 'the server writes a binary log')
    : fail(ID.logBin, 'config', 'the server writes no binary log (log_bin is OFF): there is nothing to archive', 'Start the server with log_bin (and binlog_format=ROW); it takes a restart.');
}

export function formatCheck(format: string): Check {
  const hint = 'Set binlog_format=ROW in the server configuration (SET GLOBAL binlog_format=ROW applies to new sessions until the restart).';
  switch (format.toUpperCase()) {
    case 'ROW':
      return ok(ID.format, 'ROW');
    case 'MIXED':
      return warn(ID.format, 'MIXED: statements the server judges safe are logged as statements, so a replay runs them again (exact only as far as that judgement holds) and the archive shows no rows for them', hint);
    default:
      return warn(
        ID.format,
        `${format}: a point-in-time replay runs the statements again rather than applying their rows, so NOW(), RAND(), UUID(), UPDATE … LIMIT without ORDER BY and concurrent AUTO_INCREMENT may write other rows than the server did`,
        hint,
      );
  }
}

/** FULL (and MariaDB's FULL_NODUP) log every column of the row before a change. */
export function rowImageCheck(image: string): Check {
  if (/^FULL/i.test(image)) return ok(ID.rowImage, image);
  return warn(
    ID.rowImage,
    `${image}: updates and deletes log only the key (and the changed columns), so the archive replays them but cannot show what a row held before a change, nor undo one`,
    'Set binlog_row_image=FULL to keep whole before-images (the binary logs grow with it).',
  );
}

/** Backtick-quoted `user`@`host`, as GRANT takes it, from CURRENT_USER()'s `user@host`. */
const quoteAccount = (account: string) => {
  const at = account.lastIndexOf('@');
  const q = (s: string) => `\`${s.replace(/`/g, '``')}\``;
  return `${q(account.slice(0, at))}@${q(account.slice(at + 1))}`;
};

/** Streaming needs REPLICATION SLAVE (REPLICATION REPLICA on MariaDB 10.5+); listing the logs needs the monitor privilege. */
export function archiveGrantCheck(grants: Grant[], server: Server, account: string): Check {
  const missing: [string, string][] = [];
  if (!['REPLICATION SLAVE', 'REPLICATION REPLICA'].some((p) => holds(grants, p))) missing.push(['REPLICATION SLAVE', 'to stream the binary logs']);
  if (!holdsBinlogMonitor(grants)) missing.push([binlogMonitorPrivilege(server), 'for SHOW BINARY LOGS and SHOW MASTER STATUS']);
  if (missing.length === 0) return ok(ID.grants, `REPLICATION SLAVE, ${binlogMonitorPrivilege(server)}`);
  return fail(
    ID.grants,
    'privilege',
    `missing: ${missing.map(([p, why]) => `${p} (${why})`).join(', ')}`,
    `GRANT ${missing.map(([p]) => p).join(', ')} ON *.* TO ${quoteAccount(account)};`,
  );
}

/** The ids of the replicas registered with the server, or why they could not be listed. */
export type Replicas = { ids: number[] } | { error: string };

/**
 * The archiver connects as a replica with its own id. A source drops the older of two connections
 * that give one server id, so a replica and the archiver sharing one would keep cutting each other
 * off; the server's own id is taken too. A source whose server_id is 0 refuses every replica (MySQL
 * 8.4 manual, "Replication and Binary Logging Options", server_id); MariaDB did too until it made
 * 1 the default and the minimum (MariaDB commit 1c91569), so only an old one can still have it.
 */
export function serverIdCheck(archiverId: number, serverId: number, replicas: Replicas): Check {
  const hint = 'Set binlog.serverId to an id no server or replica of this replication topology uses, or leave it out for the one derived from the target name.';
  if (serverId === 0) return fail(ID.serverId, 'config', 'the server_id of the server is 0: it refuses every replica, the binlog tool included', 'Give the server a unique nonzero server_id.');
  if (archiverId === serverId) return fail(ID.serverId, 'config', `the archiver's replica id ${archiverId} is the server's own server_id`, hint);
  if ('ids' in replicas && replicas.ids.includes(archiverId)) {
    return fail(ID.serverId, 'config', `the archiver's replica id ${archiverId} is used by a replica of the server, which would disconnect it and be disconnected by it`, hint);
  }
  const seen = 'ids' in replicas ? `${replicas.ids.length} registered replica(s)` : `the replicas, not listed (${replicas.error})`;
  return ok(ID.serverId, `replica id ${archiverId}, distinct from server_id ${serverId} and ${seen}`);
}

async function readReplicas(conn: mysql.Connection, server: Server): Promise<Replicas> {
  try {
    // Registered replicas only: the binlog tools stream without registering.
    return { ids: (await rows(conn, replicaHostsSql(server))).map((r) => Number(r.Server_id ?? r.Server_Id)) };
  } catch (err) {
    // MariaDB 10.5.2+ wants REPLICATION MASTER ADMIN here, which the archiver itself does not need.
    return { error: (err as Error).message };
  }
}

export async function archiveChecks(conn: mysql.Connection, server: ServerFacts, target: TargetConfig, grants: Grant[]): Promise<Check[]> {
  const [v] = await rows(conn, 'SELECT @@GLOBAL.binlog_format AS format, @@GLOBAL.binlog_row_image AS rowImage, @@GLOBAL.server_id AS serverId, CURRENT_USER() AS account');
  return [
    logBinCheck(server.logBin),
    formatCheck(String(v?.format)),
    rowImageCheck(String(v?.rowImage)),
    archiveGrantCheck(grants, server, String(v?.account)),
    serverIdCheck(archiverServerId(target), Number(v?.serverId), await readReplicas(conn, server)),
  ];
}
