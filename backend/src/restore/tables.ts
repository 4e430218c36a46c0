// What a restore put on the server, table by table: rows counted with COUNT(*), optionally
// CHECK TABLE, compared with the manifest.
import type mysql from 'mysql2/promise';
import { splitTableName } from '../catalog/names.js';
import type { Manifest } from '../contract/manifest.js';
import { type ServerLogin, query, quoteIdent } from '../mysql/login.js';

export interface TableReport {
  /** `db.table` as in the manifest. */
  name: string;
  /** `db.table` it was restored as. */
  restoredAs: string;
  expectedRows: number;
  /** Null when the table is not there. */
  rows: number | null;
  /** CHECK TABLE's verdict when asked for: null for OK, else what it said. */
  check?: string | null;
  ok: boolean;
}

const NO_SUCH_TABLE = 1146;

export async function inspectTables(
  conn: mysql.Connection,
  login: ServerLogin,
  tables: { name: string; rows: number }[],
  databases: ReadonlyMap<string, string>,
  opts: { check: boolean },
): Promise<TableReport[]> {
  const reports: TableReport[] = [];
  for (const t of tables) {
    const [db, table] = splitTableName(t.name, databases.keys());
    const newDb = databases.get(db);
    if (newDb === undefined) continue;
    const ident = `${quoteIdent(newDb)}.${quoteIdent(table)}`;
    const report: TableReport = { name: t.name, restoredAs: `${newDb}.${table}`, expectedRows: t.rows, rows: null, ok: false };
    try {
      const [count] = await query<{ n: string | number }>(conn, login, `SELECT COUNT(*) AS n FROM ${ident}`);
      report.rows = Number(count?.n ?? 0);
    } catch (err) {
      if ((err as { errno?: number }).errno !== NO_SUCH_TABLE) throw err;
    }
    if (opts.check && report.rows !== null) {
      const verdict = await query<{ Msg_type: string; Msg_text: string }>(conn, login, `CHECK TABLE ${ident}`);
      const bad = verdict.filter((r) => /error|corrupt/i.test(r.Msg_type) || (r.Msg_type.toLowerCase() === 'status' && r.Msg_text !== 'OK'));
      report.check = bad.length === 0 ? null : bad.map((r) => `${r.Msg_type}: ${r.Msg_text}`).join('; ');
    }
    report.ok = report.rows === t.rows && !report.check;
    reports.push(report);
  }
  return reports;
}

/** Tables the manifest says were dumped (a partial run's failed or pending tables are not in the files). */
export function expectedTables(manifest: Manifest): Manifest['tables'] {
  return manifest.tables.filter((t) => t.status === undefined || t.status === 'done');
}
