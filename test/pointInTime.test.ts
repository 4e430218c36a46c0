// Point-in-time recovery against a real MariaDB with its binary log on, archived by `warden binlog`:
// rows written, a full backup, more rows (across binlog files, with DDL), a time T noted with its
// GTID and position, more rows, then the accident (DELETE without WHERE). A restore to T, to the
// GTID and to the position each reproduces exactly the tables as they were at T.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMariaDB } from './harness/mariadb.js';
import { archiveCaughtUp, readArchiveIndexOf } from './helpers/binlogArchive.js';
import { makeWorkspace, runWarden, type Running, startWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB({ binlog: true });
const TABLES = ['orders', 'customers', 'notes'];
let ws: ReturnType<typeof makeWorkspace>;
let archiver: Running;
/** What the tables were at T: CHECKSUM TABLE and row counts. */
let atT: Record<string, { checksum: string; rows: number }>;
let T: Date;
let gtidAtT: string;
let positionAtT: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const q = (sql: string, params?: unknown[]) => getServer().query(sql, params);

async function snapshot(db: string) {
  const out: Record<string, { checksum: string; rows: number }> = {};
  const tables = (await q('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [db])).map((r: { t: string }) => r.t);
  for (const t of tables) {
    const [c] = await q(`CHECKSUM TABLE \`${db}\`.\`${t}\` EXTENDED`);
    const [n] = await q(`SELECT COUNT(*) AS n FROM \`${db}\`.\`${t}\``);
    out[t] = { checksum: String(c.Checksum), rows: Number(n.n) };
  }
  return out;
}

/** Waits until the wall clock is in a second no event was written in, and returns that second. */
async function quietSecond(): Promise<Date> {
  const next = Math.floor(Date.now() / 1000) + 1;
  await sleep(next * 1000 - Date.now() + 50);
  return new Date(next * 1000);
}

async function writeSome(tag: string, n: number) {
  for (let i = 0; i < n; i++) {
    await q('INSERT INTO shop.orders (customer, amount, note) VALUES (?, ?, ?)', [1 + (i % 3), i * 1.5, `${tag}-${i}`]);
  }
  await q("UPDATE shop.orders SET amount = amount + 1 WHERE id % 4 = 0");
  await q('DELETE FROM shop.orders WHERE id % 7 = 0');
  // A multi-statement transaction: one GTID, one commit time.
  await getServer().exec(`BEGIN; INSERT INTO shop.customers (name) VALUES ('${tag}-c'); UPDATE shop.customers SET visits = visits + 1; COMMIT;`);
}

const index = () => readArchiveIndexOf(ws.repository, 'shop')!;

/** Until the archive holds everything the server has written. */
const caughtUp = () => archiveCaughtUp(getServer(), ws.repository, 'shop', Date.now() - 1500);

const restore = (args: string[]) => runWarden(['restore', '--config', ws.config, '--target', 'shop', '--json', ...args]);

beforeAll(async () => {
  await getServer().createDatabase('shop');
  await q('CREATE TABLE shop.customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, visits INT NOT NULL DEFAULT 0)');
  await q('CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(10,2), note TEXT)');
  await q("INSERT INTO shop.customers (name) VALUES ('ann'), ('bob'), ('cy')");
  ws = makeWorkspace([targetFor(getServer(), 'shop', { databases: ['shop'], verifyAfterBackup: 'none', binlog: { archive: true, flushSeconds: 1 } })]);
  archiver = startWarden(['binlog', '--config', ws.config, '--target', 'shop']);
  await writeSome('before-backup', 20);

  const backup = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
  expect(backup.code, backup.stderr).toBe(0);
  expect(backup.json.binlog.file).toMatch(/^binlog\./);

  // After the backup: rows, a new binlog file, DDL (unqualified, in the database), more rows.
  await writeSome('after-backup', 15);
  await q('FLUSH BINARY LOGS');
  await getServer().exec(
    "USE shop; CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(100)); INSERT INTO notes (body) VALUES ('made after the backup'), ('and kept'); ALTER TABLE customers ADD COLUMN tier CHAR(1) DEFAULT NULL;",
  );
  await writeSome('before-T', 10);
  await q('FLUSH BINARY LOGS');
  await writeSome('just-before-T', 5);

  // T: a second in which nothing is written; the state now is the state at T.
  T = await quietSecond();
  atT = await snapshot('shop');
  gtidAtT = (await q('SELECT @@GLOBAL.gtid_binlog_pos AS g'))[0].g;
  const [status] = await q('SHOW MASTER STATUS');
  positionAtT = `${status.File}:${status.Position}`;
  await quietSecond();

  // After T: more writes, then the accident.
  await writeSome('after-T', 10);
  await q("INSERT INTO shop.notes (body) VALUES ('after T')");
  await q('DELETE FROM shop.orders');
  await caughtUp();
}, 120_000);

afterAll(async () => {
  archiver?.child.kill('SIGTERM');
  await archiver?.done;
});

describe('warden restore to a point in time', () => {
  it('--to T reproduces every table as it was at T, the accident and what came after left out', async () => {
    expect(TABLES.every((t) => t in atT)).toBe(true);
    expect((await snapshot('shop')).orders!.rows).toBe(0);
    const r = await restore(['--to', T.toISOString(), '--database', 'shop_at_t']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await snapshot('shop_at_t')).toEqual(atT);
    expect(r.json.replayed.files.length).toBeGreaterThanOrEqual(3);
    expect(r.json.replayed.transactions).toBeGreaterThan(30);
    expect(Date.parse(r.json.replayed.lastEventTime)).toBeLessThanOrEqual(T.getTime());
    expect(r.json.replayed.lastGtid).toBe(gtidAtT);
    expect(r.json.plan.point).toEqual({ kind: 'time', value: T.toISOString() });
    expect(r.json.tables).toContainEqual({ name: 'shop_at_t.notes', rows: 2 });
    // The source database and its binary log are untouched by the replay.
    expect((await snapshot('shop')).orders!.rows).toBe(0);
  });

  it('--to-gtid and --to-position reach the same state', async () => {
    const byGtid = await restore(['--to-gtid', gtidAtT, '--database', 'shop_at_gtid']);
    expect(byGtid.code, byGtid.stdout + byGtid.stderr).toBe(0);
    expect(await snapshot('shop_at_gtid')).toEqual(atT);
    const byPosition = await restore(['--to-position', positionAtT, '--database', 'shop_at_pos']);
    expect(byPosition.code, byPosition.stdout + byPosition.stderr).toBe(0);
    expect(await snapshot('shop_at_pos')).toEqual(atT);
    expect(byPosition.json.replayed.lastGtid).toBe(gtidAtT);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const r = await runWarden(['restore', '--config', ws.config, '--target', 'shop', '--to', T.toISOString(), '--database', 'shop_dry', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nothing was changed/);
    expect(r.stdout).toMatch(/load backup \d{8}T/);
    expect(r.stdout).toMatch(/replay \d+ binlog file\(s\)/);
    // The DDL after the backup is listed, where and in which database it ran.
    expect(r.stdout).toMatch(/statements logged as SQL in the stretch/);
    expect(r.stdout).toMatch(/binlog\.\d+:\d+ in shop: CREATE TABLE notes/);
    expect(r.stdout).toMatch(/in shop: ALTER TABLE customers ADD COLUMN tier/);
    expect(await q("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_dry'")).toEqual([]);
  });

  it('refuses points it cannot reach, before touching anything', async () => {
    const tooLate = await restore(['--to', new Date(Date.now() + 3_600_000).toISOString(), '--database', 'shop_late']);
    expect(tooLate.code).toBe(2);
    expect(tooLate.json.error.message).toMatch(/after what the binlog archive is known to hold/);
    const tooEarly = await restore(['--to', '2001-01-01T00:00:00Z', '--database', 'shop_early']);
    expect(tooEarly.code).toBe(2);
    expect(tooEarly.json.error.message).toMatch(/no good full backup/);
    const unknownGtid = await restore(['--to-gtid', '7-7-7', '--database', 'shop_gtid']);
    expect(unknownGtid.code).toBe(2);
    const both = await restore(['--to', T.toISOString(), '--to-gtid', gtidAtT, '--database', 'shop_both']);
    expect(both.code).toBe(2);
    expect(await q("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'shop\\_%' AND SCHEMA_NAME NOT IN ('shop_at_t', 'shop_at_gtid', 'shop_at_pos')")).toEqual([]);
  });

  it('warden verify --binlog: every file read back, no gap, and at level restore a replay to a random moment matches the rows the binary logs say', async () => {
    const r = await runWarden(['verify', '--binlog', '--config', ws.config, '--target', 'shop', '--level', 'restore', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, class: 'none', problems: [] });
    expect(r.json.files).toBe(index().files.length);
    expect(r.json.from.file).toMatch(/^binlog\./);
    const pitr = r.json.pointInTime;
    expect(pitr.database).toMatch(/^warden_verify_pitr_[0-9a-f]{8}$/);
    // Orders and customers change only by rows: their counts are checked; notes was created by a statement.
    const checked = pitr.tables.filter((t: { expected: number | null }) => t.expected !== null).map((t: { table: string }) => t.table);
    expect(checked).toEqual(expect.arrayContaining(['customers', 'orders']));
    for (const t of pitr.tables) if (t.expected !== null) expect(t.rows, t.table).toBe(t.expected);
  });

  it('stops at a damaged archive or a gap: classified, and no half-replayed database is left', async () => {
    archiver.child.kill('SIGTERM');
    await archiver.done;
    const dir = path.join(ws.repository, 'shop', 'binlog');
    const good = readFileSync(path.join(dir, 'index.json'), 'utf8');
    const middle = index().files[1]!;

    // One flipped byte in an archived file between the backup and T.
    const object = path.join(dir, middle.object);
    const bytes = readFileSync(object);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    writeFileSync(object, flipped);
    const damaged = await restore(['--to', T.toISOString(), '--database', 'shop_damaged']);
    const verified = await runWarden(['verify', '--binlog', '--config', ws.config, '--target', 'shop', '--level', 'checksum', '--json']);
    writeFileSync(object, bytes);
    expect(verified.code).toBe(1);
    expect(verified.json).toMatchObject({ ok: false, class: 'verification' });
    expect(verified.json.problems).toContainEqual(expect.objectContaining({ table: middle.name }));
    expect(damaged.code, damaged.stdout).toBe(1);
    expect(damaged.json.class).toBe('corruption');
    expect(damaged.json.error.message).toContain(middle.name);
    expect(damaged.json.leftover).toBe('dropped');
    expect(await q("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_damaged'")).toEqual([]);

    // The archive lost the file after the backup's (as if purged before it was archived).
    const lost = index();
    lost.gaps.push({ after: lost.files[0]!.name, resumedAt: lost.files[1]!.name, detectedAt: new Date().toISOString(), reason: 'purged before it was archived' });
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify(lost));
    const gap = await restore(['--to', T.toISOString(), '--database', 'shop_gap']);
    const gapVerified = await runWarden(['verify', '--binlog', '--config', ws.config, '--target', 'shop', '--json']);
    writeFileSync(path.join(dir, 'index.json'), good);
    expect(gapVerified.code).toBe(1);
    expect(gapVerified.json).toMatchObject({ ok: false, class: 'binlog_gap', problems: [{ kind: 'gap' }] });
    expect(gap.code).toBe(1);
    expect(gap.json).toMatchObject({ ok: false, class: 'binlog_gap' });
    expect(gap.json.error.message).toMatch(/gap between binlog\.\d+ and binlog\.\d+/);
    expect(await q("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_gap'")).toEqual([]);
  });
});
