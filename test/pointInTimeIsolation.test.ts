// A binary log holds statements that name databases themselves: `TRUNCATE shop.sessions` or DDL on
// another database under `USE shop`. --rewrite-db does not rename them and --database lets them
// through, so a replay run with the restore's own login would change the live data. The replay
// runs as an account confined to the new database: the server refuses them, the restore fails,
// and the live databases are as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMariaDB } from './harness/mariadb.js';
import { archiveCaughtUp } from './helpers/binlogArchive.js';
import { makeWorkspace, runWarden, type Running, startWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB({ binlog: true });
const q = (sql: string) => getServer().query(sql);
let ws: ReturnType<typeof makeWorkspace>;
let archiver: Running;
let T: string;

beforeAll(async () => {
  await getServer().exec(
    'CREATE DATABASE shop; CREATE TABLE shop.sessions (id INT PRIMARY KEY); INSERT INTO shop.sessions VALUES (1), (2); CREATE DATABASE other; CREATE TABLE other.audit (id INT PRIMARY KEY); INSERT INTO other.audit VALUES (7);',
  );
  ws = makeWorkspace([targetFor(getServer(), 'shop', { databases: ['shop'], verifyAfterBackup: 'none', binlog: { archive: true, flushSeconds: 1 } })]);
  archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop']);
  const backup = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
  expect(backup.code, backup.stderr).toBe(0);
  // Under USE shop: a statement on the source by its full name, and DDL on another database.
  await getServer().exec('USE shop; TRUNCATE TABLE shop.sessions; DROP TABLE other.audit;');
  // The live data moves on. Tens of megabytes after the refused statement: the binlog tool is still
  // writing when the client quits on it, and its broken pipe must not hide the client's reason.
  await getServer().exec(
    "INSERT INTO shop.sessions VALUES (10), (11), (12); CREATE TABLE other.audit (id INT PRIMARY KEY); INSERT INTO other.audit VALUES (8); CREATE TABLE shop.bulk (id INT AUTO_INCREMENT PRIMARY KEY, pad VARCHAR(1000)); INSERT INTO shop.bulk (pad) SELECT REPEAT('x', 1000) FROM shop.seq_1_to_30000;",
  );
  T = new Date(Date.now() + 1000).toISOString();
  await archiveCaughtUp(getServer(), ws.repository, 'shop', Date.parse(T));
}, 120_000);

afterAll(async () => {
  archiver?.child.kill('SIGTERM');
  await archiver?.done;
});

describe('a point-in-time restore', () => {
  it('lists, in its dry run, the statements that name databases themselves', async () => {
    const r = await runWarden(['restore', '--config', ws.config, '--target', 'shop', '--to', T, '--database', 'shop_before', '--dry-run', '--json']);
    expect(r.code, r.stdout).toBe(0);
    const texts = r.json.plan.statements.map((st: { database: string; text: string }) => `${st.database}: ${st.text}`);
    expect(texts).toEqual(expect.arrayContaining([expect.stringMatching(/^shop: TRUNCATE TABLE shop\.sessions/), expect.stringMatching(/^shop: DROP TABLE `?other`?\.`?audit/)]));
  });

  it('changes no database but the new one, even when the binary log names others', async () => {
    const r = await runWarden(['restore', '--config', ws.config, '--target', 'shop', '--to', T, '--database', 'shop_before', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json, JSON.stringify(r.json.error)).toMatchObject({ ok: false, class: 'privilege', leftover: 'dropped' });
    expect(r.json.error.message).toMatch(/denied/i);
    // The live databases are as the live writes left them.
    expect(await q('SELECT id FROM shop.sessions ORDER BY id')).toEqual([{ id: 10 }, { id: 11 }, { id: 12 }]);
    expect(await q('SELECT id FROM other.audit')).toEqual([{ id: 8 }]);
    expect(await q("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_before'")).toEqual([]);
    // The account the replay ran as is gone.
    expect(await q("SELECT User FROM mysql.user WHERE User LIKE 'warden\\_replay\\_%'")).toEqual([]);
  });
});
