// The write loads of the point-in-time section, on a server writing a row-based binary log: one
// table of account movements, a writer at a steady rate, and a bulk writer that makes a given
// volume of binary log with inserts, updates and deletes, its rows made by the server itself
// (MariaDB's sequence engine) so that the client is never what limits it.
import type { TestServer } from '../test/harness/mariadb.js';

export const LEDGER = 'ledger';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `n` rows of movements; `seed` varies their notes. */
const movesSql = (n: number, seed: number) =>
  `INSERT INTO ${LEDGER}.moves (account, amount, status, note, created) ` +
  `SELECT seq % 5000, (seq % 100000) / 100, ELT(1 + seq % 4, 'new', 'paid', 'sent', 'done'), REPEAT(MD5(seq + ${seed}), 3), NOW() FROM ${LEDGER}.seq_1_to_${n}`;

/** The database, its table and `rows` rows to start from. */
export async function createLedger(server: TestServer, rows: number): Promise<void> {
  await server.createDatabase(LEDGER);
  await server.query(`CREATE TABLE ${LEDGER}.moves (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    account INT NOT NULL,
    amount DECIMAL(12,2) NOT NULL,
    status VARCHAR(8) NOT NULL,
    note VARCHAR(200) NOT NULL,
    created DATETIME NOT NULL,
    KEY account (account))`);
  await server.query(movesSql(rows, 0));
}

/** The bytes of binary log the server holds (SHOW BINARY LOGS). */
async function binlogBytes(server: TestServer): Promise<number> {
  const logs = await server.query<{ File_size: string | number }>('SHOW BINARY LOGS');
  return logs.reduce((n, l) => n + Number(l.File_size), 0);
}

/** Inserts `rowsPerSecond` rows a second for `seconds`, a statement every TICK_MS on a fixed schedule. */
export async function steadyWrites(server: TestServer, rowsPerSecond: number, seconds: number): Promise<{ rows: number; late: number }> {
  const TICK_MS = 50;
  const perTick = Math.max(1, Math.round((rowsPerSecond * TICK_MS) / 1000));
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  const start = Date.now();
  let late = 0;
  for (let i = 0; i < ticks; i++) {
    const wait = start + i * TICK_MS - Date.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -TICK_MS) late++;
    await server.query(movesSql(perTick, 1_000_000 + i * perTick));
  }
  return { rows: ticks * perTick, late };
}

export interface BulkResult {
  rounds: number;
  binlogBytes: number;
  seconds: number;
}

/** Rows of one bulk round: inserted, then half of them updated and a tenth deleted. */
export const BULK_ROUND = { inserted: 5000, updated: 2500, deleted: 500 };

/**
 * Writes until the binary log has grown by `bytes`, in rounds of BULK_ROUND (updates log before
 * and after images), each statement a transaction of its own.
 */
export async function bulkWrites(server: TestServer, bytes: number, log: (m: string) => void): Promise<BulkResult> {
  const { inserted, updated, deleted } = BULK_ROUND;
  const started = performance.now();
  const before = await binlogBytes(server);
  const result: BulkResult = { rounds: 0, binlogBytes: 0, seconds: 0 };
  while (result.binlogBytes < bytes) {
    await server.query(movesSql(inserted, 10_000_000 + result.rounds * inserted));
    // INSERT … SELECT takes its ids in one consecutive run (innodb_autoinc_lock_mode 1, the default).
    const [row] = await server.query<{ top: number }>(`SELECT MAX(id) AS top FROM ${LEDGER}.moves`);
    const top = Number(row!.top);
    await server.query(`UPDATE ${LEDGER}.moves SET amount = amount + 1, status = 'done' WHERE id BETWEEN ? AND ?`, [top - inserted + 1, top - inserted + updated]);
    await server.query(`DELETE FROM ${LEDGER}.moves WHERE id BETWEEN ? AND ?`, [top - deleted + 1, top]);
    if (++result.rounds % 10 === 0) {
      result.binlogBytes = (await binlogBytes(server)) - before;
      log(`bulk writes: ${(result.binlogBytes / 1e6).toFixed(0)} of ${(bytes / 1e6).toFixed(0)} MB of binary log`);
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
