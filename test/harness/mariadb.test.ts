import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { loadSampleShop } from './fixtures.js';
import { startMariaDB, useMariaDB, type TestServer } from './mariadb.js';

/** pids of processes whose command line names this datadir */
function serverPids(datadir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(`--datadir=${datadir}`)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

function connectAs(server: TestServer, user: string, password: string): Promise<mysql.Connection> {
  return mysql.createConnection({ host: server.host, port: server.port, user, password });
}

async function errnoOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { errno?: number }).errno;
  }
}

describe('a throwaway MariaDB with the binary log', () => {
  const server = useMariaDB({ binlog: true });

  it('accepts root over TCP with an empty password', async () => {
    const s = server();
    const conn = await connectAs(s, 'root', '');
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        'SELECT CURRENT_USER() AS user, @@port AS port, @@datadir AS datadir, @@log_bin AS logBin, @@character_set_server AS charset',
      );
      expect(rows[0]).toEqual({
        user: 'root@127.0.0.1',
        port: s.port,
        datadir: `${s.datadir}/`,
        logBin: 1,
        charset: 'utf8mb4',
      });
    } finally {
      await conn.end();
    }
  });

  it('runs parameterised queries and multi-statement scripts as root', async () => {
    const s = server();
    expect(await s.query('SELECT CURRENT_USER() AS user, ? AS echoed', ["it's 😀"])).toEqual([
      { user: 'root@localhost', echoed: "it's 😀" },
    ]);
    await s.createDatabase('scratch');
    await s.exec(`
      USE scratch;
      CREATE TABLE t (id INT PRIMARY KEY, label VARCHAR(20));
      INSERT INTO t VALUES (1, 'a;b'), (2, '-- c');
      CREATE PROCEDURE two() BEGIN SELECT 1; SELECT 2; END;
    `);
    expect(await s.query('SELECT id, label FROM scratch.t ORDER BY id')).toEqual([
      { id: 1, label: 'a;b' },
      { id: 2, label: '-- c' },
    ]);
    // exec's USE must not leak into the pool used by query()
    expect(await s.query('SELECT DATABASE() AS db')).toEqual([{ db: null }]);
  });

  it('creates users with exactly the grants asked for, and revokes them', async () => {
    const s = server();
    await s.createDatabase('granted');
    await s.exec(`
      CREATE TABLE granted.visible (id INT PRIMARY KEY);
      CREATE TABLE granted.hidden (id INT PRIMARY KEY);
      INSERT INTO granted.visible VALUES (1), (2);
    `);
    const password = `p'w"d\\;--`;
    await s.createUser('reader', password, ['SELECT ON granted.visible', 'RELOAD ON *.*']);

    expect(await errnoOf(connectAs(s, 'reader', 'wrong'))).toBe(1045);
    const conn = await connectAs(s, 'reader', password);
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM granted.visible');
      expect(rows[0]?.n).toBe(2);
      expect(await errnoOf(conn.query('SELECT * FROM granted.hidden'))).toBe(1142);
      await conn.query('FLUSH TABLES'); // RELOAD
    } finally {
      await conn.end();
    }

    await s.revoke('reader', 'SELECT ON granted.visible');
    const after = await connectAs(s, 'reader', password);
    try {
      expect(await errnoOf(after.query('SELECT * FROM granted.visible'))).toBe(1142);
    } finally {
      await after.end();
    }
  });

  it('recovers committed data after kill() and start()', async () => {
    const s = server();
    await s.createDatabase('durable');
    await s.query('CREATE TABLE durable.t (id INT PRIMARY KEY) ENGINE=InnoDB');
    await s.query('INSERT INTO durable.t VALUES (1), (2), (3)');
    const open = await connectAs(s, 'root', '');
    open.on('error', () => undefined); // the connection dies with the server
    await open.query('BEGIN');
    await open.query('INSERT INTO durable.t VALUES (4)');

    const port = s.port;
    await s.kill();
    expect(s.isRunning()).toBe(false);
    expect(serverPids(s.datadir)).toEqual([]);
    await expect(s.query('SELECT 1')).rejects.toThrow(/not running/);

    await s.start();
    expect(s.isRunning()).toBe(true);
    expect(s.port).toBe(port);
    expect(await s.query('SELECT id FROM durable.t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    open.destroy();
  });

  it('stops cleanly and starts again', async () => {
    const s = server();
    await s.stop();
    expect(s.isRunning()).toBe(false);
    expect(s.errorLog()).toMatch(/Shutdown complete/);
    await s.start();
    expect(await s.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('loads the sample shop with counts that match the server', async () => {
    const s = server();
    const { tables } = await loadSampleShop(s);

    const baseTables = await s.query<{ name: string }>(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_TYPE = 'BASE TABLE'",
    );
    expect(baseTables.map((t) => t.name).sort()).toEqual(Object.keys(tables).sort());
    for (const [table, count] of Object.entries(tables)) {
      const [row] = await s.query<{ n: number }>(`SELECT COUNT(*) AS n FROM shop.\`${table}\``);
      expect(row?.n, table).toBe(count);
    }
    expect(tables.order_items).toBe(5000);
    expect(tables.audit_empty).toBe(0);

    // Compare bytes: utf8mb4_general_ci treats every emoji as equal to every other in = and LIKE.
    const [emoji] = await s.query<{ name: string; hex: string }>('SELECT name, HEX(name) AS hex FROM shop.customers WHERE id = 7');
    expect(emoji?.name).toBe('Emoji 😀🎉👩‍💻 #7');
    expect(emoji?.hex).toBe(Buffer.from('Emoji 😀🎉👩‍💻 #7').toString('hex').toUpperCase());
    const [blob] = await s.query<{ payload: Buffer }>('SELECT payload FROM shop.orders WHERE id = 1');
    expect([...blob!.payload.subarray(0, 4)]).toEqual([0x00, 0x27, 0x5c, 0x0a]);
    const [engine] = await s.query<{ engine: string }>(
      "SELECT ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'legacy_notes'",
    );
    expect(engine?.engine).toBe('MyISAM');
    const notes = await s.query<{ body: string | null }>('SELECT body FROM shop.legacy_notes ORDER BY id');
    expect(notes.map((n) => n.body)).toContain("values ('a'),('b') look like rows: '),('");

    const routines = await s.query<{ name: string }>(
      "SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'shop' ORDER BY name",
    );
    expect(routines.map((r) => r.name)).toEqual(['fn_order_total', 'sp_customer_orders']);
    expect(await s.query("SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'shop'")).toEqual([
      { name: 'trg_orders_status' },
    ]);
    expect(await s.query("SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'shop'")).toEqual([
      { name: 'ev_purge_audit' },
    ]);
    const [totals] = await s.query<{ n: number }>('SELECT COUNT(*) AS n FROM shop.v_customer_totals');
    expect(totals?.n).toBe(tables.customers);
    const [viaFunction] = await s.query<{ total: string }>('SELECT shop.fn_order_total(1) AS total');
    const [viaView] = await s.query<{ total: string }>(
      'SELECT SUM(qty * unit_price) AS total FROM shop.order_items WHERE order_id = 1',
    );
    expect(viaFunction?.total).toBe(viaView?.total);
  });
});

const HARNESS = fileURLToPath(new URL('./mariadb.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD_SCRIPT = `
const { startMariaDB } = await import(process.argv[1]);
const s = await startMariaDB();
console.log(JSON.stringify({ baseDir: s.baseDir, datadir: s.datadir }));
if (process.argv[2] === 'exit') process.exit(0);
setInterval(() => {}, 1000);
`;

/** Starts a server in another Node process, so the test can kill that process under it. */
function startInChild(mode: 'wait' | 'exit'): Promise<{ child: ChildProcess; baseDir: string; datadir: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD_SCRIPT, HARNESS, mode], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve({ child, ...JSON.parse(line) });
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before reporting: ${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('cleanup', () => {
  it('removes the temp dir and leaves no mariadbd behind, idempotently', async () => {
    const s = await startMariaDB();
    expect(await s.query('SELECT @@log_bin AS logBin')).toEqual([{ logBin: 0 }]);
    expect(serverPids(s.datadir)).toHaveLength(1);
    expect(fs.existsSync(s.baseDir)).toBe(true);

    await s.cleanup();
    expect(fs.existsSync(s.baseDir)).toBe(false);
    expect(serverPids(s.datadir)).toEqual([]);
    await expect(s.cleanup()).resolves.toBeUndefined();
    await expect(s.start()).rejects.toThrow(/cleaned up/);
  });

  it('reaps the server when the owning process is terminated by a signal', async () => {
    const { child, baseDir, datadir } = await startInChild('wait');
    expect(serverPids(datadir)).toHaveLength(1);
    child.kill('SIGTERM');
    await exited(child);
    expect(child.signalCode).toBe('SIGTERM');
    expect(serverPids(datadir)).toEqual([]);
    expect(fs.existsSync(baseDir)).toBe(false);
  });

  it('reaps the server of a SIGKILLed owner, and the next owner sweeps its dir', async () => {
    const killed = await startInChild('wait');
    killed.child.kill('SIGKILL');
    await exited(killed.child);
    await eventually(() => serverPids(killed.datadir).length === 0);
    expect(fs.existsSync(killed.baseDir)).toBe(true);

    const next = await startInChild('exit');
    await exited(next.child);
    expect(next.child.exitCode).toBe(0);
    expect(fs.existsSync(killed.baseDir)).toBe(false);
    expect(fs.existsSync(next.baseDir)).toBe(false);
    expect(serverPids(next.datadir)).toEqual([]);
  });
});
