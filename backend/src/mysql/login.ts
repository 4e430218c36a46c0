// Where a restore loads into and as whom: a target's server, the configured scratch server, or a
// throwaway mariadbd. The password only ever goes to mysql2 and to a 0600 defaults file.
import mysql from 'mysql2/promise';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig } from '../config/schema.js';
import { resolvePassword } from './credentials.js';
import { endpointOf, type ServerEndpoint, toServerError } from './server.js';

export interface ServerLogin {
  endpoint: ServerEndpoint;
  user: string;
  password: string | undefined;
  connectTimeoutSeconds: number;
}

export function targetLogin(config: LoadedConfig, target: TargetConfig, env?: NodeJS.ProcessEnv): ServerLogin {
  return {
    endpoint: endpointOf(target),
    user: target.user,
    password: resolvePassword(target, config.file, env),
    connectTimeoutSeconds: target.connectTimeoutSeconds,
  };
}

/** The `verify.scratch` server, when the configuration names one. */
export function scratchLogin(config: LoadedConfig, env?: NodeJS.ProcessEnv): ServerLogin | null {
  const scratch = config.verify.scratch;
  if (!scratch) return null;
  return {
    endpoint: endpointOf(scratch),
    user: scratch.user,
    password: resolvePassword({ ...scratch, name: 'verify.scratch' }, config.file, env),
    connectTimeoutSeconds: 10,
  };
}

/** A connection whose errors read like the mysql client's (`ERROR 1045 (28000): ...`), for the classifier. */
export async function openConnection(login: ServerLogin): Promise<mysql.Connection> {
  const { endpoint } = login;
  try {
    return await mysql.createConnection({
      ...(endpoint.socket ? { socketPath: endpoint.socket } : { host: endpoint.host, port: endpoint.port }),
      user: login.user,
      password: login.password ?? '',
      connectTimeout: login.connectTimeoutSeconds * 1000,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  } catch (err) {
    throw toServerError(err, endpoint);
  }
}

/**
 * Runs one query, mapping failures like `openConnection`. With `timeoutMs`, a query still waiting
 * then (a lock, a stuck server) fails, and mysql2 closes its connection.
 */
export async function query<T>(conn: mysql.Connection, login: ServerLogin, sql: string, params: unknown[] = [], timeoutMs?: number): Promise<T[]> {
  try {
    const [rows] = await conn.query({ sql, values: params, ...(timeoutMs ? { timeout: timeoutMs } : {}) });
    return rows as T[];
  } catch (err) {
    throw toServerError(err, login.endpoint);
  }
}

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
