// `warden restore` against a throwaway MariaDB: round trips that equal the source table by table,
// refusals that change nothing, and failures with their class.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { copyBackup, flipByte, readManifest } from './helpers/backups.js';
import { tableChecksums } from './helpers/content.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const PASSWORD = 'Rest0re-pass-that-never-shows-91c2';
const getServer = useMariaDB();
let ws: ReturnType<typeof makeWorkspace>;
const backups = { single: '', multi: '', perTable: '' };

async function backup(target: string): Promise<string> {
  const r = await runWarden(['backup', '--config', ws.config, '--target', target, '--json']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json.dir as string;
}

beforeAll(async () => {
  const server = getServer();
  await loadSampleShop(server, 'shop');
  await loadSampleShop(server, 'shop2');
  // shop2 differs from shop, so a restore of the wrong one shows.
  await server.query('DELETE FROM shop2.order_items WHERE id % 3 = 0');
  await server.createUser('restorer', PASSWORD, ['ALL PRIVILEGES ON *.*']);
  ws = makeWorkspace([
    targetFor(server, 'shop', { databases: ['shop'] }),
    targetFor(server, 'both', { databases: ['shop', 'shop2'], compression: 'gzip' }),
    targetFor(server, 'pertable', { databases: ['shop'], method: 'per-table', parallel: 2 }),
    // Where restores go: the same server, as a user with a password.
    targetFor(server, 'dest', { user: 'restorer', passwordEnv: 'DEST_PW', parallel: 3 }),
  ]);
  backups.single = await backup('shop');
  backups.multi = await backup('both');
  backups.perTable = await backup('pertable');
});

function restore(dir: string, database: string, extra: string[] = [], password = PASSWORD) {
  return runWarden(['restore', dir, '--config', ws.config, '--target', 'dest', '--database', database, '--json', ...extra], { DEST_PW: password });
}


/** Views, routines, triggers and events of `db`, by name. */
async function objectsOf(db: string): Promise<string[]> {
  return (
    await getServer().query<{ o: string }>(
      `SELECT CONCAT('view ', TABLE_NAME) AS o FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?
       UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
       UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
       UNION ALL SELECT CONCAT('event ', EVENT_NAME) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?
       ORDER BY 1`,
      [db, db, db, db],
    )
  ).map((r) => r.o);
}

async function databases(): Promise<string[]> {
  return (await getServer().query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY 1')).map((r) => r.name);
}

describe('warden restore', () => {
  it('round-trips a backup into a new database: equal row counts and CHECKSUM TABLE for every table', async () => {
    const source = await tableChecksums(getServer(), 'shop');
    const r = await restore(backups.single, 'shop_copy');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, class: 'none', error: null, sourceDatabase: 'shop', database: 'shop_copy', target: 'dest', backupTarget: 'shop' });
    expect(r.json.seconds).toBeGreaterThan(0);
    // Rows restored per table, counted after the load and compared with the manifest.
    const manifestRows = Object.fromEntries(readManifest(backups.single).tables.map((t) => [t.name, t.rows]));
    for (const t of r.json.tables) {
      expect(t).toMatchObject({ ok: true, restoredAs: t.name.replace(/^shop\./, 'shop_copy.') });
      expect(t.rows).toBe(manifestRows[t.name]);
    }
    expect(r.json.tables).toHaveLength(5);
    expect(await tableChecksums(getServer(), 'shop_copy')).toEqual(source);
    expect(await objectsOf('shop_copy')).toEqual(await objectsOf('shop'));
    // The source is untouched and the password never shows.
    expect(await tableChecksums(getServer(), 'shop')).toEqual(source);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.stderr).toMatch(/restore: [\d.]+ KiB of SQL loaded/);
  });

  it('refuses a database that is not empty unless --force', async () => {
    const before = await tableChecksums(getServer(), 'shop_copy');
    const refused = await restore(backups.single, 'shop_copy');
    expect(refused.code).toBe(2);
    expect(refused.json.ok).toBe(false);
    expect(refused.json.error.message).toMatch(/database "shop_copy" already exists and is not empty/);
    expect(refused.json.error.hint).toMatch(/--force/);
    await getServer().query('DELETE FROM shop_copy.order_items WHERE id <= 10');
    const forced = await restore(backups.single, 'shop_copy', ['--force']);
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(await tableChecksums(getServer(), 'shop_copy')).toEqual(before);
    // An empty database is fine without --force.
    await getServer().query('CREATE DATABASE shop_empty');
    expect((await restore(backups.single, 'shop_empty')).code).toBe(0);
  });

  it('fails with class auth on a wrong password, without showing it', async () => {
    const r = await restore(backups.single, 'shop_auth', [], 'wrong-password-5a1f');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, class: 'auth' });
    expect(r.json.error).toMatchObject({ class: 'auth', code: 1045, retryable: false });
    expect(r.stdout + r.stderr).not.toContain('wrong-password-5a1f');
    expect(await databases()).not.toContain('shop_auth');
  });

  it('needs --source-database for a backup of several databases, and loads only that one', async () => {
    const r = await restore(backups.multi, 'pick');
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/holds 2 databases \(shop, shop2\); choose one with --source-database/);
    expect((await restore(backups.multi, 'pick', ['--source-database', 'nope'])).code).toBe(2);

    const before = await databases();
    const ok = await restore(backups.multi, 'pick', ['--source-database', 'shop2']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(await databases()).toEqual([...before, 'pick'].sort());
    expect(await tableChecksums(getServer(), 'pick')).toEqual(await tableChecksums(getServer(), 'shop2'));
    expect(await objectsOf('pick')).toEqual(await objectsOf('shop2'));
    expect(ok.json.tables.map((t: { name: string }) => t.name.split('.')[0])).toEqual(Array(5).fill('shop2'));
  });

  it('restores a per-table backup: schema, then the data files in parallel, then the triggers', async () => {
    const m = readManifest(backups.perTable);
    expect(m.files.filter((f) => f.role === 'data')).toHaveLength(5);
    const r = await restore(backups.perTable, 'shop_pt', ['--parallel', '2']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await tableChecksums(getServer(), 'shop_pt')).toEqual(await tableChecksums(getServer(), 'shop'));
    expect(await objectsOf('shop_pt')).toEqual(await objectsOf('shop'));
    expect((await restore(backups.perTable, 'shop_pt2', ['--parallel', '0'])).code).toBe(2);
  });

  it('reports a corrupt backup as class verification', async () => {
    const copy = copyBackup(backups.single);
    const file = path.join(copy, readManifest(copy).files[0]!.name);
    flipByte(file, -100);
    const r = await restore(copy, 'shop_bad');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, class: 'verification' });
    expect(r.json.error.message).toMatch(/dump\.sql\.zst is corrupt: zstd: /);
  });

  it('exits 2 on usage and configuration errors', async () => {
    expect((await runWarden(['restore', backups.single, '--config', ws.config, '--target', 'dest'])).code).toBe(2);
    const unknown = await runWarden(['restore', backups.single, '--config', ws.config, '--target', 'nope', '--database', 'x', '--json']);
    expect(unknown.code).toBe(2);
    expect(unknown.json.error.class).toBe('config');
    const system = await restore(backups.single, 'mysql');
    expect(system.code).toBe(2);
    expect(system.json.error.message).toMatch(/system database/);
    const noPassword = await runWarden(['restore', backups.single, '--config', ws.config, '--target', 'dest', '--database', 'x', '--json']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.json.error.message).toMatch(/DEST_PW is not set/);
  });
});
