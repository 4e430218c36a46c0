// Row counts of a server's tables, cheaply: information_schema's estimate for large tables, an
// exact COUNT(*) for the others. A physical backup records them; it reads no rows itself.
import type mysql from 'mysql2/promise';
import { quoteIdent } from './login.js';
import { rows } from './server.js';

export interface CountedTable {
  /** `db.table` */
  name: string;
  rows: number;
  /** `rows` is information_schema's TABLE_ROWS, not a count. */
  estimated: boolean;
}

/** Tables whose estimate is under this are counted exactly: a scan of them takes well under a second. */
export const EXACT_COUNT_BELOW = 100_000;

export async function countTables(conn: mysql.Connection, databases: string[], exactBelow = EXACT_COUNT_BELOW): Promise<CountedTable[]> {
  if (databases.length === 0) return [];
  const tables = await rows(
    conn,
    `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, COALESCE(TABLE_ROWS, 0) AS estimate
       FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (?)
      ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    [databases],
  );
  const out: CountedTable[] = [];
  for (const t of tables) {
    const [db, name, estimate] = [String(t.db), String(t.name), Number(t.estimate)];
    if (estimate >= exactBelow) {
      out.push({ name: `${db}.${name}`, rows: estimate, estimated: true });
      continue;
    }
    const [count] = await rows(conn, `SELECT COUNT(*) AS n FROM ${quoteIdent(db)}.${quoteIdent(name)}`);
    out.push({ name: `${db}.${name}`, rows: Number(count?.n ?? 0), estimated: false });
  }
  return out;
}
