// The agent's own consistent start: dump processes launched under one short global read lock, the
// binlog coordinates read under it. Per-table runs use it to give every table the same snapshot;
// single-stream runs use it to record coordinates when the dump tool cannot ask the server.
import type mysql from 'mysql2/promise';
import type { Manifest } from '../contract/manifest.js';
import { binlogStatusSql, gtidSql } from '../mysql/dialect.js';
import { connect, rows, type ServerFacts } from '../mysql/server.js';
import type { DumpContext } from './context.js';

/** The global read lock was refused (RELOAD missing, a lock wait): nothing was launched. */
export class GlobalLockError extends Error {
  constructor(override readonly cause: unknown) {
    super(`FLUSH TABLES WITH READ LOCK failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'GlobalLockError';
  }
}

/** How long a launched dump may take to open its snapshot before the lock is let go anyway. */
const SNAPSHOT_WAIT_MS = 60_000;

/** The binary log file, position and GTID position, read with the statements this server knows (mysql/dialect.ts). */
export async function readCoordinates(conn: mysql.Connection, server: Pick<ServerFacts, 'flavor' | 'version'>): Promise<NonNullable<Manifest['binlog']>> {
  const [status] = await rows(conn, binlogStatusSql(server));
  const [g] = await rows(conn, gtidSql(server));
  return { file: status ? String(status.File) : null, position: status ? Number(status.Position) : null, gtid: g?.gtid ? String(g.gtid) : null };
}

/**
 * Starts every dump process under one global read lock, one after the other: each is launched
 * once the one before has opened its snapshot (its transaction shows in INNODB_TRX) or finished.
 * Then the lock is released: writes were held only for that moment, and all processes saw the
 * same data. The binlog position is read under the lock.
 */
export async function consistentStart<T>(ctx: DumpContext, launchers: (() => Promise<T>)[]): Promise<{ outcomes: T[]; binlog: Manifest['binlog'] }> {
  const conn: mysql.Connection = await connect(ctx.target, ctx.password, ctx.endpoint);
  let locked = false;
  const running: Promise<T>[] = [];
  try {
    await conn.query('SET SESSION lock_wait_timeout = 60');
    await conn.query('FLUSH TABLES WITH READ LOCK').catch((err: unknown) => {
      throw new GlobalLockError(err);
    });
    locked = true;
    const binlog = ctx.server.logBin ? await readCoordinates(conn, ctx.server) : null;
    const snapshots = async () => new Set((await rows(conn, 'SELECT trx_mysql_thread_id AS id FROM information_schema.INNODB_TRX')).map((r) => Number(r.id)));
    const seen = await snapshots();
    for (const launch of launchers) {
      let settled = false;
      const p = launch();
      p.then(
        () => (settled = true),
        () => (settled = true),
      );
      running.push(p);
      const deadline = Date.now() + SNAPSHOT_WAIT_MS;
      for (;;) {
        const now = await snapshots();
        const fresh = [...now].filter((id) => !seen.has(id));
        if (fresh.length > 0 || settled) {
          fresh.forEach((id) => seen.add(id));
          break;
        }
        if (Date.now() > deadline || ctx.signal.aborted) {
          ctx.log.warn('a dump process did not open its snapshot in time; tables may differ in time');
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await conn.query('UNLOCK TABLES');
    locked = false;
    return { outcomes: await Promise.all(running), binlog };
  } finally {
    if (locked) await conn.query('UNLOCK TABLES').catch(() => undefined);
    await conn.end().catch(() => undefined);
  }
}
