// Ways to hold a dump still midway, so tests can kill, stop or race it deterministically.
import mysql from 'mysql2/promise';
import type { TestServer } from '../harness/mariadb.js';
import { waitFor } from './proc.js';

/**
 * Takes a write lock on `db.table` from its own connection: a dump reaching that table waits on
 * its metadata lock (tables before it are already written). Call the result to release.
 */
export async function lockTable(server: TestServer, table: string): Promise<() => Promise<void>> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
  await conn.query(`LOCK TABLES ${table} WRITE`);
  return () => conn.end();
}

/** Waits until `count` sessions (dumps) are blocked on the metadata lock of `table`. */
export function waitForLockWait(server: TestServer, table: string, timeoutMs = 30_000, count = 1): Promise<true> {
  const name = table.split('.').pop()!;
  return waitFor(
    async () => {
      const rows = await server.query<{ State: string | null; Info: string | null }>('SHOW FULL PROCESSLIST');
      return rows.filter((p) => /metadata lock/i.test(p.State ?? '') && (p.Info ?? '').includes(name)).length >= count;
    },
    timeoutMs,
    `a session to wait for the lock on ${table}`,
  );
}
