// Reads what the backup user may do from SHOW GRANTS. Hand-written: no library parses MySQL/MariaDB
// grant statements, and the pre-flight only needs the privilege names per object.
import type mysql from 'mysql2/promise';
import { rows } from '../mysql/server.js';

export interface Grant {
  privileges: Set<string>;
  /** `*` for global grants; the database (possibly a LIKE pattern) otherwise. */
  database: string;
  /** `*` for database-wide grants; a table name otherwise. */
  table: string;
}

const GRANT_RE = /^GRANT\s+(.+?)\s+ON\s+(?:(?:TABLE|FUNCTION|PROCEDURE|PACKAGE(?:\s+BODY)?)\s+)?(\*|`(?:[^`]|``)*`|\S+?)\.(\*|`(?:[^`]|``)*`|\S+)\s+TO\s+/i;
const ROLE_RE = /^GRANT\s+(`[^`]+`(?:@`[^`]*`)?(?:\s*,\s*`[^`]+`(?:@`[^`]*`)?)*)\s+TO\s+/i;

const unquote = (s: string) => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);

export function parseGrant(line: string): Grant | null {
  const m = GRANT_RE.exec(line);
  if (!m) return null;
  // Column grants `SELECT (a, b)` cover only those columns: not a table-wide privilege.
  const privileges = new Set(
    m[1]!
      .replace(/\([^)]*\)/g, '\0')
      .split(',')
      .map((p) => p.trim().toUpperCase())
      .filter((p) => p && !p.includes('\0'))
      .map((p) => (p === 'ALL' ? 'ALL PRIVILEGES' : p)),
  );
  return { privileges, database: unquote(m[2]!), table: unquote(m[3]!) };
}

/** Roles granted to the user (`GRANT role TO user`), whose privileges count too. */
export function parseRoles(line: string): string[] {
  const m = ROLE_RE.exec(line);
  if (!m || /\bON\b/i.test(m[1]!)) return [];
  return m[1]!.split(',').map((r) => r.trim());
}

/** SHOW GRANTS of the current user and of every role granted to it. */
export async function readGrants(conn: mysql.Connection): Promise<Grant[]> {
  const out: Grant[] = [];
  const seen = new Set<string>();
  const queue = ['SHOW GRANTS'];
  while (queue.length > 0) {
    const sql = queue.shift()!;
    for (const r of await rows(conn, sql)) {
      const line = String(Object.values(r)[0]);
      const g = parseGrant(line);
      if (g) out.push(g);
      for (const role of parseRoles(line)) {
        if (!seen.has(role)) {
          seen.add(role);
          queue.push(`SHOW GRANTS FOR ${role}`);
        }
      }
    }
  }
  return out;
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** MySQL database-grant patterns use LIKE wildcards (`shop\_%`). */
function dbMatches(pattern: string, db: string): boolean {
  if (pattern === '*') return true;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`).test(db);
}

/** Does the user hold `privilege` on every table of `database` (global or database-wide grants)? */
export function holds(grants: Grant[], privilege: string, database: string | '*' = '*'): boolean {
  return grants.some(
    (g) =>
      g.table === '*' &&
      (g.database === '*' || (database !== '*' && dbMatches(g.database, database))) &&
      (g.privileges.has(privilege) || g.privileges.has('ALL PRIVILEGES')),
  );
}

/** A privilege on one table (for mysql.proc, which holds MariaDB's routines). */
export function holdsOnTable(grants: Grant[], privilege: string, database: string, table: string): boolean {
  return (
    holds(grants, privilege, database) ||
    grants.some((g) => g.database === database && g.table === table && (g.privileges.has(privilege) || g.privileges.has('ALL PRIVILEGES')))
  );
}

/** May the user read the binary logs' names and positions? SUPER lets it too (measured with MariaDB 10.11). */
export function holdsBinlogMonitor(grants: Grant[]): boolean {
  return ['BINLOG MONITOR', 'REPLICATION CLIENT', 'SUPER'].some((p) => holds(grants, p));
}
