// `warden verify` against real backups damaged in every way a disk, a network or a person does.
// Many-case loops call verifyBackup (what the CLI calls) in-process; the CLI itself is run for
// exit codes, JSON, lookup by id and the restore level.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBackup } from '../backend/src/verify/index.js';
import { loadSampleShop, type SampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import {
  copyBackup,
  editSql,
  fixChecksums,
  flipByte,
  insertsOf,
  readManifest,
  removeTable,
  sqlOf,
  writeManifest,
} from './helpers/backups.js';
import { processes } from './helpers/proc.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();
let shop: SampleShop;
let ws: ReturnType<typeof makeWorkspace>;
/** Backup folders made by the real CLI: zstd and gzip of `shop`, zstd after more rows, per-table. */
const backups = { zstd: '', gzip: '', later: '', perTable: '' };
let zstdId = '';

async function backup(target: string): Promise<{ dir: string; id: string }> {
  const r = await runWarden(['backup', '--config', ws.config, '--target', target, '--json']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return { dir: r.json.dir as string, id: r.json.id as string };
}

beforeAll(async () => {
  const server = getServer();
  shop = await loadSampleShop(server, 'shop');
  ws = makeWorkspace(
    [
      targetFor(server, 'shop', { databases: ['shop'] }),
      targetFor(server, 'shopgz', { databases: ['shop'], compression: 'gzip' }),
      targetFor(server, 'shoppt', { databases: ['shop'], method: 'per-table', parallel: 2 }),
    ],
    { verify: { scratch: { socket: server.socket, user: 'root' } } },
  );
  ({ dir: backups.zstd, id: zstdId } = await backup('shop'));
  backups.gzip = (await backup('shopgz')).dir;
  backups.perTable = (await backup('shoppt')).dir;
  await server.query("INSERT INTO shop.customers (name, email, created_at) VALUES ('late', 'late@example.com', '2025-01-01 00:00:00')");
  backups.later = (await backup('shop')).dir;
  await server.query("DELETE FROM shop.customers WHERE email = 'late@example.com'");
});

type Level = 'checksum' | 'parse' | 'restore';

/** verifyBackup on a folder, returning the kinds of its problems (and the problems). */
async function check(dir: string, level: Level = 'parse') {
  const r = await verifyBackup({ dir, level });
  return { ok: r.ok, kinds: [...new Set(r.problems.map((p) => p.kind))].sort(), problems: r.problems };
}

function dumpFile(dir: string): string {
  return path.join(dir, readManifest(dir).files[0]!.name);
}

describe('warden verify: a good backup', () => {
  it('is valid at checksum and parse level, records the result and shows it in list', async () => {
    for (const level of ['checksum', 'parse'] as const) {
      const r = await runWarden(['verify', backups.zstd, '--level', level, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json).toMatchObject({ ok: true, level, id: zstdId, target: 'shop', problems: [], recorded: true });
      expect(r.json.durationSeconds).toBeGreaterThan(0);
      expect(r.json).not.toHaveProperty('restoreSeconds');
      expect(readManifest(backups.zstd).verification).toMatchObject({ level, ok: true, problems: [], restoreSeconds: null });
    }
    expect((await runWarden(['verify', backups.zstd, '--json'])).json.rawBytes).toBe(readManifest(backups.zstd).rawBytes);
    // The manifest stays private and the run's log says what happened.
    expect(statSync(path.join(backups.zstd, 'manifest.json')).mode & 0o777).toBe(0o600);
    const log = readFileSync(path.join(backups.zstd, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.filter((l) => l.component === 'verify').map((l) => l.msg)).toContain('verify finished: valid');

    const list = await runWarden(['list', '--config', ws.config, '--json']);
    const entry = list.json.backups.find((b: { id: string }) => b.id === zstdId);
    expect(entry.verification).toMatchObject({ level: 'parse', ok: true, problems: 0 });
    const text = await runWarden(['list', '--config', ws.config, '--target', 'shop']);
    expect(text.stdout).toMatch(new RegExp(`${zstdId}.*verified:parse`));
  });

  it('is found by id in the configuration repository, and a copy verifies by its path alone', async () => {
    const byId = await runWarden(['verify', zstdId, '--config', ws.config]);
    expect(byId.code, byId.stdout + byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(/is valid \(level parse/);
    const copy = copyBackup(backups.zstd);
    const r = await runWarden(['verify', copy, '--json'], { WARDEN_CONFIG: path.join(os.tmpdir(), 'no-such-warden.yaml') });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.dir).toBe(copy);
  });

  it('verifies gzip and per-table backups too', async () => {
    expect(await check(backups.gzip)).toMatchObject({ ok: true });
    expect(await check(backups.perTable)).toMatchObject({ ok: true });
    expect(readManifest(backups.perTable).files.map((f) => f.role)).toEqual(expect.arrayContaining(['schema', 'data', 'post']));
  });

  it('exits 2 on usage errors', async () => {
    const badLevel = await runWarden(['verify', backups.zstd, '--level', 'deep', '--json']);
    expect(badLevel.code).toBe(2);
    expect(badLevel.json.error.message).toMatch(/--level must be one of checksum, parse, restore/);
    const noDir = await runWarden(['verify', path.join(os.tmpdir(), 'no-such-backup'), '--json']);
    expect(noDir.code).toBe(2);
    expect(noDir.json.error.message).toMatch(/neither a backup folder nor a backup id/);
    const unknownId = await runWarden(['verify', '20000101T000000.000Z-abcd', '--config', ws.config, '--json']);
    expect(unknownId.code).toBe(2);
    expect(unknownId.json.error.message).toMatch(/no backup 20000101T000000.000Z-abcd/);
    expect((await runWarden(['verify'])).code).toBe(2);
  });
});

describe('warden verify --level parse catches', () => {
  it('a compressed file truncated at any of 10 offsets (zstd), and the checksum level catches it too', async () => {
    const size = statSync(dumpFile(backups.zstd)).size;
    const offsets = Array.from({ length: 10 }, (_, i) => Math.max(1, Math.floor((size * i) / 10) + 7 * i));
    for (const offset of offsets) {
      const copy = copyBackup(backups.zstd);
      truncateSync(dumpFile(copy), offset);
      const parse = await check(copy);
      expect(parse.ok, `offset ${offset}`).toBe(false);
      expect(parse.kinds, `offset ${offset}`).toEqual(['decompress', 'size']);
      expect((await check(copy, 'checksum')).kinds).toEqual(['size']);
    }
  });

  it('a whole compressed stream of a cut dump, its checksums fixed (only parse can tell)', async () => {
    const sql = sqlOf(backups.zstd);
    const cuts = {
      'inside a string': sql.indexOf("'gift wrap", sql.indexOf('INSERT INTO `order_items`')) + 5,
      'between statements': sql.indexOf('UNLOCK TABLES;', sql.indexOf('INSERT INTO `customers`')) + 'UNLOCK TABLES;\n'.length,
      'before the trailer': sql.lastIndexOf('-- Dump completed'),
    };
    for (const [where, at] of Object.entries(cuts)) {
      const copy = copyBackup(backups.zstd);
      editSql(copy, (s) => s.slice(0, at));
      expect((await check(copy, 'checksum')).ok, where).toBe(true);
      const parse = await check(copy);
      expect(parse.ok, where).toBe(false);
      expect(parse.kinds, where).toContain('trailer');
      if (where === 'inside a string') {
        expect(parse.kinds).toContain('cut');
        expect(parse.problems.find((p) => p.kind === 'cut')!.detail).toMatch(/inside a quoted string/);
      }
      if (where === 'between statements') expect(parse.problems.filter((p) => p.kind === 'missing-table').map((p) => p.table)).toContain('shop.orders');
    }
  });

  it('one flipped byte: checksum catches it, and parse alone catches the broken stream when the checksum is made to match', async () => {
    const size = statSync(dumpFile(backups.zstd)).size;
    for (const at of [Math.floor(size / 3), Math.floor(size / 2), size - 10]) {
      const copy = copyBackup(backups.zstd);
      flipByte(dumpFile(copy), at);
      expect((await check(copy, 'checksum')).kinds).toEqual(['checksum']);
      expect((await check(copy)).kinds).toEqual(['checksum', 'decompress']);
      fixChecksums(copy, { raw: false });
      expect((await check(copy, 'checksum')).ok).toBe(true);
      const parse = await check(copy);
      expect(parse.kinds, `byte ${at}`).toEqual(['decompress']);
      expect(parse.problems[0]!.detail).toMatch(/^dump\.sql\.zst: zstd: /);
    }
  });

  it("a table's INSERTs removed", async () => {
    const copy = copyBackup(backups.zstd);
    editSql(copy, (s) => s.replace(insertsOf('order_items'), ''));
    const r = await check(copy);
    expect(r.problems).toEqual([
      { kind: 'row-count', table: 'shop.order_items', detail: `the dump holds 0 rows of shop.order_items; the manifest says ${shop.tables.order_items}` },
    ]);
  });

  it('rows added', async () => {
    const copy = copyBackup(backups.zstd);
    editSql(copy, (s) => s.replace(/^(INSERT INTO `customers` VALUES\s)/m, "$1(1000,'extra','extra@example.com','2025-01-01 00:00:00',0.00),\n"));
    expect((await check(copy)).problems).toEqual([
      { kind: 'row-count', table: 'shop.customers', detail: `the dump holds ${shop.tables.customers! + 1} rows of shop.customers; the manifest says ${shop.tables.customers}` },
    ]);
  });

  it('the trailer removed, or something after it', async () => {
    const removed = copyBackup(backups.zstd);
    editSql(removed, (s) => s.replace(/-- Dump completed on .*\n$/, ''));
    const r = await check(removed);
    expect(r.kinds).toEqual(['trailer']);
    expect(r.problems[0]!.detail).toMatch(/trailer is missing/);

    const after = copyBackup(backups.zstd);
    editSql(after, (s) => `${s}INSERT INTO \`customers\` VALUES (2000,'x','x@example.com','2025-01-01 00:00:00',0.00);\n`);
    const a = await check(after);
    expect(a.kinds).toEqual(['row-count', 'trailer']);
    expect(a.problems.find((p) => p.kind === 'trailer')!.detail).toMatch(/content after/);
  });

  it("a file swapped with another backup's", async () => {
    const copy = copyBackup(backups.zstd);
    writeFileSync(dumpFile(copy), readFileSync(dumpFile(backups.later)));
    const checksum = await check(copy, 'checksum');
    expect(checksum.ok).toBe(false);
    expect(checksum.kinds.some((k) => k === 'checksum' || k === 'size')).toBe(true);
    const parse = await check(copy);
    expect(parse.problems).toContainEqual(expect.objectContaining({ kind: 'row-count', table: 'shop.customers' }));
  });

  it('a missing file, and a leftover partial file', async () => {
    const missing = copyBackup(backups.zstd);
    const name = readManifest(missing).files[0]!.name;
    writeFileSync(path.join(missing, `${name}.partial`), 'half');
    rmSync(path.join(missing, name));
    const r = await check(missing, 'checksum');
    expect(r.kinds).toEqual(['manifest', 'missing-file']);
    expect(r.problems.map((p) => p.detail)).toEqual(
      expect.arrayContaining([`${name} is listed in the manifest but does not exist`, `unexpected ${name}.partial: a write that never finished`]),
    );
  });

  it('a manifest edited by hand: changed rows, a failed status, invalid JSON', async () => {
    const rows = copyBackup(backups.zstd);
    const m = readManifest(rows);
    m.tables.find((t) => t.name === 'shop.orders')!.rows += 5;
    writeManifest(rows, m);
    expect((await check(rows, 'checksum')).problems).toEqual([
      { kind: 'manifest', detail: `rows is ${m.rows} but the tables add up to ${m.rows + 5}` },
    ]);
    m.rows += 5;
    writeManifest(rows, m);
    expect((await check(rows, 'checksum')).ok).toBe(true);
    expect((await check(rows)).problems).toEqual([
      { kind: 'row-count', table: 'shop.orders', detail: `the dump holds ${shop.tables.orders} rows of shop.orders; the manifest says ${shop.tables.orders! + 5}` },
    ]);

    const failed = copyBackup(backups.zstd);
    writeManifest(failed, { ...readManifest(failed), status: 'failed' });
    expect((await check(failed, 'checksum')).problems[0]!.detail).toMatch(/status is failed/);

    const broken = copyBackup(backups.zstd);
    const text = readFileSync(path.join(broken, 'manifest.json'), 'utf8');
    writeFileSync(path.join(broken, 'manifest.json'), text.slice(0, text.length / 2));
    const r = await runWarden(['verify', broken, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, id: null, recorded: false });
    expect(r.json.problems[0].kind).toBe('manifest');
    expect(r.json.problems[0].detail).toMatch(/not valid JSON/);
    expect(readFileSync(path.join(broken, 'manifest.json'), 'utf8')).toBe(text.slice(0, text.length / 2));
  });

  it('a view, routine, trigger or event the manifest lists but the dump lacks', async () => {
    const copy = copyBackup(backups.zstd);
    editSql(copy, (s) => s.replace(/\/\*!50003 CREATE\*\/ \/\*!50017 DEFINER=[^*]*\*\/ \/\*!50003 TRIGGER trg_orders_status[\s\S]*?\*\/;;\n/, ''));
    expect((await check(copy)).problems).toEqual([
      { kind: 'missing-object', table: 'shop.trg_orders_status', detail: 'trigger shop.trg_orders_status is listed in the manifest but not in the dump' },
    ]);
  });

  it('gzip: a truncated file, a flipped byte and removed INSERTs', async () => {
    const size = statSync(dumpFile(backups.gzip)).size;
    for (const offset of [10, Math.floor(size / 2), size - 4]) {
      const copy = copyBackup(backups.gzip);
      truncateSync(dumpFile(copy), offset);
      expect((await check(copy)).kinds, `offset ${offset}`).toEqual(['decompress', 'size']);
    }
    const flipped = copyBackup(backups.gzip);
    flipByte(dumpFile(flipped), Math.floor(size / 2));
    fixChecksums(flipped, { raw: false });
    const f = await check(flipped);
    expect(f.kinds).toEqual(['decompress']);
    expect(f.problems[0]!.detail).toMatch(/^dump\.sql\.gz: gzip: /);

    const removed = copyBackup(backups.gzip);
    editSql(removed, (s) => s.replace(insertsOf('orders'), ''));
    expect((await check(removed)).problems).toEqual([expect.objectContaining({ kind: 'row-count', table: 'shop.orders' })]);
  });

  it('SQL only the grammar refuses, checksums and row counts intact: named by file, byte, table and what was expected', async () => {
    const cases: [string, (s: string) => string, RegExp][] = [
      ['a stray byte between statements', (s) => s.replace('UNLOCK TABLES;\n', 'UNLOCK TABLES;\n)\n'), /^dump\.sql\.zst: byte \d+: expected a token|^dump\.sql\.zst: byte \d+: expected a statement/],
      ['a statement head written twice', (s) => s.replace('INSERT INTO `customers` VALUES', 'INSERT INTO `customers` VALUES INSERT INTO `customers` VALUES'), /in the rows of shop\.customers\): expected "\(" opening the first tuple/],
      ['a value lost from a row', (s) => s.replace(/\(1,'([^']*)','customer1@example\.com',/, "(1,'$1',"), /in the rows of shop\.customers\): expected 5 values in each row \(the columns of shop\.customers\), found 4 values/],
      ['a broken number', (s) => s.replace(/,(-?\d+)\.(\d\d)\),/, ',$1.$2.0),'), /expected "," or "\)" after a value/],
    ];
    for (const [what, edit, detail] of cases) {
      const copy = copyBackup(backups.zstd);
      editSql(copy, edit);
      expect((await check(copy, 'checksum')).ok, what).toBe(true);
      const r = await check(copy);
      expect(r.kinds, what).toEqual(['grammar']);
      expect(r.problems[0]!.detail, what).toMatch(detail);
    }
  });

  it('a corrupt data file of a per-table backup, named', async () => {
    const copy = copyBackup(backups.perTable);
    const data = readManifest(copy).files.find((f) => f.table === 'shop.order_items')!;
    editSql(copy, (s) => s.replace('),\n(', "),\n(99999,1,'SKU-0000',1,1.00,NULL),\n("), data.name);
    expect((await check(copy)).problems).toEqual([expect.objectContaining({ kind: 'row-count', table: 'shop.order_items' })]);
  });

  it('and the good backups still verify after all of it', async () => {
    for (const dir of Object.values(backups)) expect((await check(dir)).ok, dir).toBe(true);
  });
});

describe('warden verify --level restore', () => {
  it('loads a clean backup into a throwaway server, reports the restore time, and leaves nothing behind', async () => {
    const copy = copyBackup(backups.zstd);
    // A temp folder of its own: other test files start scratch servers in the shared one meanwhile.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-vt-'));
    // No configuration: the agent starts its own mariadbd.
    const r = await runWarden(['verify', copy, '--level', 'restore', '--json'], { WARDEN_CONFIG: path.join(os.tmpdir(), 'no-such-warden.yaml'), TMPDIR: tmp });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, level: 'restore', problems: [] });
    expect(r.json.restoreSeconds).toBeGreaterThan(0);
    expect(r.json.restoreSeconds).toBeLessThan(r.json.durationSeconds);
    expect(readManifest(copy).verification).toMatchObject({ level: 'restore', ok: true, restoreSeconds: r.json.restoreSeconds });
    // The scratch server ran in that folder (its files are gone) and no process of it is left.
    expect(readdirSync(tmp).filter((d) => d.startsWith('warden-scratch-'))).toEqual([]);
    expect(processes().filter((p) => p.argv.some((a) => a.includes(tmp)))).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('of a backup missing a table (CREATE and INSERTs removed, checksums fixed) fails and names the table', async () => {
    const copy = copyBackup(backups.zstd);
    editSql(copy, (s) => removeTable(s, 'legacy_notes'));
    expect((await check(copy, 'checksum')).ok).toBe(true);
    // The configured scratch server (the test server) this time.
    const r = await runWarden(['verify', copy, '--level', 'restore', '--config', ws.config, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json.ok).toBe(false);
    expect(r.json.restoreSeconds).toBeGreaterThan(0);
    const missing = r.json.problems.filter((p: { kind: string }) => p.kind === 'missing-table');
    expect(missing.map((p: { table: string }) => p.table)).toEqual(['shop.legacy_notes', 'shop.legacy_notes']);
    expect(missing[1].detail).toBe('shop.legacy_notes is not in the restored database');
    expect(r.json.problems.map((p: { kind: string }) => p.kind)).toEqual(['missing-table', 'missing-table']);
    // The scratch databases are gone again.
    const left = await getServer().query<{ name: string }>("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'warden\\_verify\\_%'");
    expect(left).toEqual([]);
  });
});
