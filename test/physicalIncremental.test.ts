// Incremental physical backups with the real mariadb-backup and mbstream against a throwaway MariaDB:
// a full backup and two incrementals taken while the server is written to, their chain recorded,
// kept by retention, prepared in order by `verify --level restore` and by `restore --datadir`, a
// server started on the restored datadir with the source's rows; and a chain whose base was
// deleted: refused by verify and restore, and the next run falls back to a full backup.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, manifestSchema } from '../backend/src/contract/manifest.js';
import { makeScratchDir, startThrowawayServer } from '../backend/src/mysql/throwawayServer.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { writeLoad } from './helpers/writeLoad.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const PASSWORD = 'Incr-Pa55-that-must-never-show-77a1';
const ENV = { PHYS_PW: PASSWORD };
const getServer = useMariaDB({ binlog: true });
const scratch: string[] = [];

beforeAll(async () => {
  const server = getServer();
  await loadSampleShop(server, 'shop');
  await server.exec('CREATE TABLE shop.ticks (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6) NOT NULL, note VARCHAR(40)) ENGINE=InnoDB');
  await server.createUser('phys', PASSWORD, ['RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SELECT ON *.*']);
});

afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(retention?: Record<string, number>) {
  return makeWorkspace([
    targetFor(getServer(), 'shop', { user: 'phys', passwordEnv: 'PHYS_PW', databases: ['shop'], method: 'physical', incremental: { fullEvery: '1d' }, ...(retention ? { retention } : {}) }),
  ]);
}

async function backUp(config: string): Promise<{ dir: string; manifest: Manifest; warnings: string[] }> {
  const r = await runWarden(['backup', '--config', config, '--target', 'shop', '--json'], ENV);
  expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const dir = r.json.dir as string;
  return { dir, manifest: manifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))), warnings: r.json.warnings as string[] };
}

/** Every table's row count and a fingerprint of shop.ticks (the table the load writes to). */
async function contents(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Record<string, string>> {
  const tables = await query("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'shop' AND table_type = 'BASE TABLE' ORDER BY 1");
  const out: Record<string, string> = {};
  for (const { t } of tables) out[String(t)] = String((await query(`SELECT COUNT(*) AS n FROM shop.\`${String(t)}\``))[0]!.n);
  const [f] = await query("SELECT SUM(id) AS s, MAX(id) AS m, SUM(note = 'changed') AS c FROM shop.ticks");
  out.fingerprint = `${String(f!.s)}/${String(f!.m)}/${String(f!.c)}`;
  return out;
}

const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};

describe('incremental physical backups', () => {
  it('takes a full backup and two incrementals under a write load, keeps the chain and restores it into a datadir a server starts on', async () => {
    const server = getServer();
    // keepLast 1 keeps only the newest backup by the policy: its chain must stay for it.
    const ws = workspace({ keepLast: 1 });
    const load = writeLoad(server);
    const full = await backUp(ws.config);
    const inc1 = await backUp(ws.config);
    const written = await load.stop();
    expect(written).toBeGreaterThan(0);
    // After the load, changes an incremental must carry as changed pages: updates, deletes, inserts,
    // flushed to the tablespace (pages still only in the buffer pool reach the backup as redo, not as .delta).
    await server.exec("UPDATE shop.ticks SET note = 'changed' WHERE id % 3 = 0; DELETE FROM shop.ticks WHERE id % 7 = 0; INSERT INTO shop.ticks (at, note) VALUES (NOW(6), 'last'); FLUSH TABLES shop.ticks FOR EXPORT; UNLOCK TABLES");
    const inc2 = await backUp(ws.config);
    const source = await contents((sql) => server.query(sql));

    expect(full.manifest.chain).toBeNull();
    expect(full.manifest.lsn!.fromLsn).toBe(0);
    expect(inc1.manifest.chain).toEqual({ baseId: full.manifest.id, previousId: full.manifest.id, position: 1 });
    expect(inc1.manifest.lsn!.fromLsn).toBe(full.manifest.lsn!.toLsn);
    expect(inc2.manifest.chain).toEqual({ baseId: full.manifest.id, previousId: inc1.manifest.id, position: 2 });
    expect(inc2.manifest.lsn!.fromLsn).toBe(inc1.manifest.lsn!.toLsn);
    // toLsn is the checkpoint the copy started from (it moves only when the server checkpoints); the redo copied goes further.
    expect(inc2.manifest.lsn!.lastLsn).toBeGreaterThan(inc1.manifest.lsn!.lastLsn);
    expect(inc2.manifest.options).toContain(`--incremental-lsn=${inc1.manifest.lsn!.toLsn}`);
    // The stream holds changed pages (.delta files) from the previous backup's LSN on.
    const unpacked = tempDir('warden-incremental-');
    execFileSync('sh', ['-c', 'zstd -dc "$1" | mbstream -x -C "$2"', 'sh', path.join(inc2.dir, 'backup.mbstream.zst'), unpacked]);
    expect(readFileSync(path.join(unpacked, 'xtrabackup_checkpoints'), 'utf8')).toMatch(new RegExp(`backup_type = incremental\nfrom_lsn = ${inc1.manifest.lsn!.toLsn}\n`));
    const files = readdirSync(path.join(unpacked, 'shop'));
    expect(files, files.join(' ')).toContain('ticks.ibd.delta');
    for (const b of [full, inc1, inc2]) expect(b.manifest).toMatchObject({ status: 'success', verification: { level: 'parse', ok: true } });
    // Retention ran after each run: the chain of the newest backup is all still there.
    expect(readdirSync(path.join(ws.repository, 'shop')).filter((d) => !d.startsWith('.')).sort()).toEqual([full.manifest.id, inc1.manifest.id, inc2.manifest.id]);
    const expire = await runWarden(['expire', '--config', ws.config, '--target', 'shop', '--dry-run', '--json']);
    expect(expire.code, expire.stdout + expire.stderr).toBe(0);
    const kept = Object.fromEntries(expire.json.targets[0].kept.map((k: { id: string; reasons: string[] }) => [k.id, k.reasons]));
    expect(kept).toEqual({ [inc2.manifest.id]: ['last', 'newest-success', 'newest-verified'], [inc1.manifest.id]: ['chain'], [full.manifest.id]: ['chain'] });

    // verify --level restore: the chain unpacked in order, prepared, a server started, rows counted.
    const v = await runWarden(['verify', inc2.dir, '--level', 'restore', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ ok: true, level: 'restore', problems: [] });
    const recorded = Object.fromEntries(inc2.manifest.tables.map((t) => [t.name.replace(/^shop\./, ''), String(t.rows)]));
    expect({ ...recorded, fingerprint: source.fingerprint }).toEqual(source);

    // restore --datadir into an absent folder, then a server of our own on it.
    const base = await makeScratchDir();
    const datadir = path.join(base, 'data');
    const r = await runWarden(['restore', inc2.manifest.id, '--config', ws.config, '--datadir', datadir, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, id: inc2.manifest.id, datadir, chain: [full.manifest.id, inc1.manifest.id, inc2.manifest.id] });
    expect(r.json.steps[0]).toMatch(/^chown -R mysql:mysql /);
    expect(readdirSync(datadir)).toEqual(expect.arrayContaining(['ibdata1', 'shop']));
    const restored = await startThrowawayServer({ baseDir: base, serverArgs: [...(r.json.serverOptions as string[]), '--skip-grant-tables'] });
    const conn = await mysql.createConnection({ socketPath: restored.socket, user: 'root' });
    try {
      expect(await contents(async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[])).toEqual(source);
    } finally {
      await conn.end();
      await restored.stop();
    }
  }, 300_000);

  it('never restores into a datadir that is not empty', async () => {
    const ws = workspace();
    const full = await backUp(ws.config);
    const datadir = tempDir('warden-datadir-');
    writeFileSync(path.join(datadir, 'ibdata1'), 'a server of its own');
    const r = await runWarden(['restore', full.dir, '--datadir', datadir, '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toBe(`${datadir} is not empty: a restore never writes into a datadir that may be a server's`);
    expect(readdirSync(datadir)).toEqual(['ibdata1']);
    expect(readFileSync(path.join(datadir, 'ibdata1'), 'utf8')).toBe('a server of its own');
  }, 120_000);

  it('refuses an incremental whose full backup was deleted: verify and restore fail, the next run is full and says why', async () => {
    const ws = workspace();
    const full = await backUp(ws.config);
    await getServer().exec("INSERT INTO shop.ticks (at, note) VALUES (NOW(6), 'after the full')");
    const inc = await backUp(ws.config);
    expect(inc.manifest.chain).toMatchObject({ baseId: full.manifest.id, position: 1 });
    rmSync(full.dir, { recursive: true });

    const v = await runWarden(['verify', inc.dir, '--level', 'restore', '--json']);
    expect(v.code).toBe(1);
    expect(v.json.problems).toEqual([{ kind: 'chain', detail: expect.stringMatching(new RegExp(`^backup ${inc.manifest.id} is an incremental that needs ${full.manifest.id}, which is missing \\(`)) }]);
    const datadir = path.join(tempDir('warden-datadir-'), 'data');
    const r = await runWarden(['restore', inc.dir, '--datadir', datadir, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, class: 'verification', error: { message: expect.stringContaining(`needs ${full.manifest.id}, which is missing`) } });

    const next = await backUp(ws.config);
    expect(next.manifest.chain).toBeNull();
    expect(next.manifest.lsn!.fromLsn).toBe(0);
    expect(next.manifest.options.some((o) => o.startsWith('--incremental-lsn'))).toBe(false);
    expect(next.warnings).toContainEqual(expect.stringMatching(new RegExp(`^a full backup instead of an incremental: backup ${inc.manifest.id} is an incremental that needs ${full.manifest.id}, which is missing`)));
  }, 180_000);
});
