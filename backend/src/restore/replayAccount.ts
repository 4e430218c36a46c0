// The account a replay runs as: made for it, allowed to change the new database and nothing else,
// dropped after it. A binary log holds statements that name databases themselves (`DROP DATABASE
// shop`, `TRUNCATE shop.sessions`, DDL on another database under `USE shop`), which --rewrite-db
// does not rename and --database lets through; run with the restore's own login they would change
// the live data. Under this account the server refuses them, and the replay fails instead.
import { randomBytes } from 'node:crypto';
import { failureOf } from '../classify/failure.js';
import type { Failure } from '../contract/manifest.js';
import { replayPrivileges, type Server } from '../mysql/dialect.js';
import { openConnection, query, quoteIdent, type ServerLogin } from '../mysql/login.js';

/** `_` and `%` are wildcards in a GRANT's database name (MySQL and MariaDB manuals, "GRANT"): escaped, it names one database. */
const grantDatabase = (db: string) => quoteIdent(db.replace(/[\\_%]/g, (c) => `\\${c}`));

export class ReplayAccountError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Runs `replay` as a new account confined to `database`, and drops the account after it. */
export async function withReplayAccount<T>(login: ServerLogin, database: string, replay: (confined: ServerLogin) => Promise<T>): Promise<T> {
  const conn = await openConnection(login);
  const user = `warden_replay_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  let host: string | null = null;
  try {
    // The host the server sees this agent connect from: the replay's client connects the same way.
    const [me] = await query<{ host: string; version: string; comment: string }>(conn, login, "SELECT SUBSTRING_INDEX(USER(), '@', -1) AS host, VERSION() AS version, @@version_comment AS comment");
    host = me?.host ?? 'localhost';
    const server: Server = { flavor: /mariadb/i.test(`${me?.version} ${me?.comment}`) ? 'mariadb' : 'mysql', version: me?.version ?? '' };
    try {
      await query(conn, login, 'CREATE USER ?@? IDENTIFIED BY ?', [user, host, password]);
      await query(conn, login, `GRANT ALL PRIVILEGES ON ${grantDatabase(database)}.* TO ?@?`, [user, host]);
      await query(conn, login, `GRANT ${replayPrivileges(server)} ON *.* TO ?@?`, [user, host]);
    } catch (err) {
      throw new ReplayAccountError(
        failureOf(
          { class: 'privilege', rule: 'replay-account', hint: `Restore as a user with CREATE USER and the right to grant ALL on the new database and ${replayPrivileges(server)} (WITH GRANT OPTION).` },
          `a point-in-time restore replays as an account confined to ${database}, and ${login.user} could not make it: ${(err as Error).message}`,
        ),
      );
    }
    return await replay({ ...login, user, password });
  } finally {
    if (host !== null) await query(conn, login, 'DROP USER IF EXISTS ?@?', [user, host]).catch(() => undefined);
    await conn.end().catch(() => undefined);
  }
}
