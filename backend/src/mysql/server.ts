import mysql from 'mysql2/promise';
import { gtidSql } from './dialect.js';
import type { TargetConfig } from '../config/schema.js';
import { SYSTEM_DATABASES } from '../config/schema.js';

export interface ServerEndpoint {
  host?: string;
  port?: number;
  socket?: string;
}

export interface ServerFacts {
  version: string;
  flavor: 'mariadb' | 'mysql';
  logBin: boolean;
  /** MariaDB's binlog GTID position or MySQL's executed GTID set, when GTIDs are in use. */
  gtid: string | null;
  /** MySQL's gtid_mode (OFF … ON); null on MariaDB, whose GTIDs are always on. */
  gtidMode: string | null;
  /** The databases this run dumps, resolved from the target's list or the server's. */
  databases: string[];
  /** Base tables (`db.table`) with their engine and sizes, from information_schema. */
  tables: { name: string; engine: string | null; estimatedBytes: number; dataBytes: number }[];
  /** Views (`db.view`) the user can see. */
  views: string[];
}

/** A server or network error, worded like the mysql client so the classifier reads one language. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly errno: number | null,
    readonly osCode: string | null,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export function endpointOf(target: Pick<TargetConfig, 'socket' | 'host' | 'port'>): ServerEndpoint {
  if (target.socket) return { socket: target.socket };
  return { host: target.host ?? '127.0.0.1', port: target.port ?? 3306 };
}

export function describeEndpoint(e: ServerEndpoint): string {
  return e.socket ? `socket ${e.socket}` : `${e.host}:${e.port}`;
}

/** The command-line options that point a client program at the endpoint. */
export function endpointArgs(e: ServerEndpoint): string[] {
  return e.socket ? [`--socket=${e.socket}`, '--protocol=SOCKET'] : [`--host=${e.host}`, `--port=${e.port}`, '--protocol=TCP'];
}

/** Client error numbers for the network failures mysql2 reports as Node error codes. */
const OS_TO_CLIENT: Record<string, [number, string]> = {
  ECONNREFUSED: [2003, "Can't connect to MySQL server"],
  ETIMEDOUT: [2003, "Can't connect to MySQL server (connect timed out)"],
  EHOSTUNREACH: [2003, "Can't connect to MySQL server (host unreachable)"],
  ENETUNREACH: [2003, "Can't connect to MySQL server (network unreachable)"],
  ENOENT: [2002, "Can't connect to local MySQL server through socket"],
  ENOTFOUND: [2005, 'Unknown MySQL server host'],
  EAI_AGAIN: [2005, 'Unknown MySQL server host'],
  ECONNRESET: [2013, 'Lost connection to MySQL server'],
  PROTOCOL_CONNECTION_LOST: [2013, 'Lost connection to MySQL server during query'],
};

export function toServerError(err: unknown, endpoint: ServerEndpoint): ServerError {
  const e = err as { errno?: number; code?: string; sqlState?: string; sqlMessage?: string; message?: string };
  if (typeof e.sqlMessage === 'string' && typeof e.errno === 'number') {
    return new ServerError(`ERROR ${e.errno} (${e.sqlState ?? 'HY000'}): ${e.sqlMessage}`, e.errno, null);
  }
  const mapped = e.code ? OS_TO_CLIENT[e.code] : undefined;
  if (mapped) {
    return new ServerError(`ERROR ${mapped[0]} (HY000): ${mapped[1]} on ${describeEndpoint(endpoint)} (${e.code})`, mapped[0], e.code ?? null);
  }
  return new ServerError(e.message ?? String(err), null, e.code ?? null);
}

export async function connect(target: TargetConfig, password: string | undefined, endpoint = endpointOf(target)): Promise<mysql.Connection> {
  try {
    return await mysql.createConnection({
      ...(endpoint.socket ? { socketPath: endpoint.socket } : { host: endpoint.host, port: endpoint.port }),
      user: target.user,
      password: password ?? '',
      connectTimeout: target.connectTimeoutSeconds * 1000,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
    });
  } catch (err) {
    throw toServerError(err, endpoint);
  }
}

export type Row = Record<string, unknown>;

export async function rows(conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<Row[]> {
  const [result] = await conn.query(sql, params);
  return result as Row[];
}

/** What the run needs to know about the server before dumping, read over an open connection. */
export async function readServerFacts(conn: mysql.Connection, target: TargetConfig, endpoint: ServerEndpoint): Promise<ServerFacts> {
  try {
    const [info] = await rows(conn, 'SELECT VERSION() AS version, @@version_comment AS comment, @@log_bin AS logBin');
    const version = String(info?.version ?? '');
    const flavor = /mariadb/i.test(`${version} ${String(info?.comment ?? '')}`) ? 'mariadb' : 'mysql';
    const logBin = Number(info?.logBin) === 1;
    let gtid: string | null = null;
    const gtidMode = flavor === 'mysql' ? String((await rows(conn, 'SELECT @@GLOBAL.gtid_mode AS mode'))[0]?.mode ?? 'OFF') : null;
    if (logBin) {
      const [g] = await rows(conn, gtidSql({ flavor, version }));
      gtid = g?.gtid ? String(g.gtid) : null;
    }
    const all = (await rows(conn, 'SHOW DATABASES')).map((r) => String(Object.values(r)[0]));
    let databases = target.databases;
    const unknown = databases?.find((d) => !all.includes(d));
    if (unknown) throw new ServerError(`ERROR 1049 (42000): Unknown database '${unknown}'`, 1049, null);
    if (!databases) {
      const excluded = new Set([...SYSTEM_DATABASES, ...(target.excludeDatabases ?? [])]);
      databases = all.filter((d) => !excluded.has(d.toLowerCase()) && !excluded.has(d));
    }
    const objects =
      databases.length === 0
        ? []
        : await rows(
            conn,
            `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine,
                    COALESCE(DATA_LENGTH, 0) AS dataBytes, COALESCE(INDEX_LENGTH, 0) AS indexBytes
               FROM information_schema.TABLES
              WHERE TABLE_SCHEMA IN (?)
              ORDER BY TABLE_SCHEMA, TABLE_NAME`,
            [databases],
          );
    const tables = objects
      .filter((r) => r.type === 'BASE TABLE')
      .map((r) => ({
        name: `${String(r.db)}.${String(r.name)}`,
        engine: r.engine ? String(r.engine) : null,
        estimatedBytes: Number(r.dataBytes) + Number(r.indexBytes),
        dataBytes: Number(r.dataBytes),
      }));
    const views = objects.filter((r) => r.type === 'VIEW').map((r) => `${String(r.db)}.${String(r.name)}`);
    return { version, flavor, logBin, gtid, gtidMode, databases, tables, views };
  } catch (err) {
    throw err instanceof ServerError ? err : toServerError(err, endpoint);
  }
}
