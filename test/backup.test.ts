// `warden backup` against a throwaway MariaDB: clean round trips and failures that publish nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop, type SampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { dumpProcessFor, processes, waitFor } from './helpers/proc.js';
import { tableChecksums } from './helpers/content.js';
import { makeWorkspace, runWarden, startWarden, targetFor } from './helpers/warden.js';

const PASSWORD = 'Pa55-w0rd-that-must-never-show-7f3a';
const FAST_RETRY = { maxAttempts: 3, baseDelaySeconds: 0.05, maxDelaySeconds: 0.2 };
const NO_RETRY = { maxAttempts: 1 };
const getServer = useMariaDB({ binlog: true });
let shop: SampleShop;

beforeAll(async () => {
  const server = getServer();
  shop = await loadSampleShop(server, 'shop');
  await server.createUser('backup', PASSWORD, [
    'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR ON *.*',
  ]);
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function decompress(file: string): Buffer {
  if (file.endsWith('.zst')) return execFileSync('zstd', ['-dc', file], { maxBuffer: 1 << 30 });
  if (file.endsWith('.gz')) return execFileSync('gzip', ['-dc', file], { maxBuffer: 1 << 30 });
  return readFileSync(file);
}

/** Files of a run folder; a failed run must hold no dump and no partial file. */
function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

function onlyRunDir(repository: string, target: string): string {
  const ids = readdirSync(path.join(repository, target)).filter((d) => !d.startsWith('.'));
  expect(ids).toHaveLength(1);
  return path.join(repository, target, ids[0]!);
}


describe('warden backup', () => {
  it('takes a clean backup that round-trips into a new schema', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { user: 'backup', passwordEnv: 'SHOP_PW', databases: ['shop'] })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { SHOP_PW: PASSWORD });
    expect(r.stderr).not.toContain(PASSWORD);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = r.json;
    expect(out).toMatchObject({ ok: true, target: 'shop', status: 'success', class: 'none', compression: 'zstd' });
    expect(out.id).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{4}$/);
    expect(out.tool.name).toMatch(/mariadb-dump|mysqldump/);
    expect(out.tool.version).toMatch(/\d+\.\d+/);
    expect(out.server.version).toMatch(/MariaDB/);
    expect(out.durationSeconds).toBeGreaterThan(0);

    // Rows counted while streaming equal the source's.
    const rows = Object.fromEntries(out.tables.map((t: { name: string; rows: number }) => [t.name, t.rows]));
    expect(rows).toEqual(Object.fromEntries(Object.entries(shop.tables).map(([t, n]) => [`shop.${t}`, n])));
    expect(out.rows).toBe(Object.values(shop.tables).reduce((a, b) => a + b, 0));

    // The binlog coordinates of the snapshot are recorded.
    expect(out.binlog.file).toMatch(/^binlog\.\d+$/);
    expect(out.binlog.position).toBeGreaterThan(0);
    expect(out.binlog.gtid).toMatch(/^\d+-\d+-\d+/);

    // Checksums, sizes and permissions of what was published.
    expect(filesIn(out.dir)).toEqual(['dump.sql.zst', 'log.jsonl', 'manifest.json']);
    expect(sha256(out.path)).toBe(out.sha256);
    expect(statSync(out.path).size).toBe(out.bytes);
    const raw = decompress(out.path);
    expect(raw.length).toBe(out.rawBytes);
    expect(createHash('sha256').update(raw).digest('hex')).toBe(out.rawSha256);
    for (const f of filesIn(out.dir)) expect(statSync(path.join(out.dir, f)).mode & 0o777, f).toBe(0o600);
    expect(statSync(out.dir).mode & 0o777).toBe(0o700);
    expect(statSync(ws.repository).mode & 0o777).toBe(0o700);

    const manifest = JSON.parse(readFileSync(path.join(out.dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ id: out.id, status: 'success', sha256: out.sha256, bytes: out.bytes });
    expect(manifest.objects.view).toContain('shop.v_customer_totals');
    expect(manifest.objects.trigger.length).toBeGreaterThan(0);
    expect(manifest.objects.procedure.length + manifest.objects.function.length).toBeGreaterThanOrEqual(2);
    expect(manifest.objects.event.length).toBeGreaterThan(0);
    expect(manifest.options.join(' ')).toContain('--single-transaction');
    expect(manifest.options.join(' ')).not.toContain(PASSWORD);

    // Load into a new schema and compare every table's rows and content checksum.
    const sql = raw
      .toString('utf8')
      .replace(/^CREATE DATABASE .*`shop`.*;$/m, '')
      .replace(/^USE `shop`;$/m, 'USE `shop_copy`;');
    await server.query('CREATE DATABASE shop_copy');
    execFileSync('mariadb', ['-h127.0.0.1', `-P${server.port}`, '-uroot', 'shop_copy'], { input: sql, maxBuffer: 1 << 30 });
    expect(await tableChecksums(getServer(), 'shop_copy')).toEqual(await tableChecksums(getServer(), 'shop'));

    // The run's log is JSON lines without secrets.
    const log = readFileSync(path.join(out.dir, 'log.jsonl'), 'utf8');
    expect(log).not.toContain(PASSWORD);
    expect(log.trim().split('\n').map((l) => JSON.parse(l).msg)).toContain('backup finished');
  });

  it.each(['gzip', 'none'] as const)('stores %s-compressed backups with matching checksums', async (compression) => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'], compression })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(path.basename(r.json.path)).toBe(compression === 'gzip' ? 'dump.sql.gz' : 'dump.sql');
    expect(sha256(r.json.path)).toBe(r.json.sha256);
    const raw = decompress(r.json.path);
    expect(createHash('sha256').update(raw).digest('hex')).toBe(r.json.rawSha256);
    expect(raw.toString('utf8')).toMatch(/-- Dump completed/);
  });

  it('never shows the password on any command line', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { user: 'backup', passwordEnv: 'SHOP_PW', databases: ['shop'] })]);
    const run = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { SHOP_PW: PASSWORD });
    run.child.stdin!.end();
    let sawDump = false;
    let finished = false;
    void run.done.then(() => (finished = true));
    while (!finished) {
      const all = processes();
      sawDump ||= all.some((p) => /(mariadb-dump|mysqldump)$/.test(p.argv[0] ?? '') && p.argv.includes(`--port=${server.port}`));
      const leaking = all.filter((p) => p.argv.join(' ').includes(PASSWORD));
      expect(leaking).toEqual([]);
      await new Promise((r) => setTimeout(r, 5));
    }
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(sawDump).toBe(true);
  });

  it('fails with class auth on a wrong password and publishes nothing', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { user: 'backup', passwordEnv: 'SHOP_PW', databases: ['shop'] })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { SHOP_PW: 'wrong-password' });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, status: 'failed', class: 'auth', path: null });
    expect(r.json.error).toMatchObject({ class: 'auth', code: 1045, retryable: false });
    expect(r.json.error.hint.length).toBeGreaterThan(10);
    expect(r.stdout + r.stderr).not.toContain('wrong-password');
    expect(filesIn(onlyRunDir(ws.repository, 'shop'))).toEqual(['log.jsonl', 'manifest.json']);
  });

  it('fails with class connection when the server is unreachable, after its retries', async () => {
    const ws = makeWorkspace([{ name: 'gone', host: '127.0.0.1', port: 1, user: 'root', databases: ['shop'] }], { retry: FAST_RETRY });
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'gone', '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, status: 'failed', class: 'connection' });
    expect(r.json.error).toMatchObject({ code: 2003, retryable: true });
    const manifest = JSON.parse(readFileSync(path.join(r.json.dir, 'manifest.json'), 'utf8'));
    expect(manifest.attempts.map((a: { class: string }) => a.class)).toEqual(['connection', 'connection', 'connection']);
    expect(filesIn(onlyRunDir(ws.repository, 'gone'))).toEqual(['log.jsonl', 'manifest.json']);
  });

  it('fails with class killed when the dump dies midway, refuses a concurrent run, and leaves no partial file', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'] })], { retry: NO_RETRY });
    const release = await lockTable(server, 'shop.orders');
    try {
      const run = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
      run.child.stdin!.end();
      await waitForLockWait(server, 'shop.orders');
      // Midway: the partial file exists (zstd creates it as it starts), the published name does not.
      await waitFor(() => readdirSync(onlyRunDir(ws.repository, 'shop')).includes('dump.sql.zst.partial'), 10_000, 'the partial file');
      expect(readdirSync(onlyRunDir(ws.repository, 'shop'))).not.toContain('dump.sql.zst');

      const second = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
      expect(second.code).toBe(1);
      expect(second.json.error.message).toMatch(/another backup of target "shop" is running/);

      const dump = dumpProcessFor(server.port);
      expect(dump).toBeDefined();
      process.kill(dump!.pid, 'SIGKILL');
      const r = await run.done;
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ ok: false, status: 'failed', class: 'killed', path: null });
      expect(filesIn(r.json.dir)).toEqual(['log.jsonl', 'manifest.json']);
    } finally {
      await release();
    }
  });

  it('records a run stopped by SIGTERM as interrupted', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'] })], { retry: NO_RETRY });
    const release = await lockTable(server, 'shop.orders');
    try {
      const run = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
      run.child.stdin!.end();
      await waitForLockWait(server, 'shop.orders');
      run.child.kill('SIGTERM');
      const r = await run.done;
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ ok: false, status: 'interrupted', class: 'killed' });
      expect(filesIn(r.json.dir)).toEqual(['log.jsonl', 'manifest.json']);
      await waitFor(() => !dumpProcessFor(server.port), 10_000, 'the dump process to end');
    } finally {
      await release();
    }
  });

  it('lists backups newest first, with failures and their class', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'], compression: 'none' }), { name: 'gone', host: '127.0.0.1', port: 1, user: 'root' }], { retry: NO_RETRY });
    const first = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    const failed = await runWarden(['backup', '--config', ws.config, '--target', 'gone', '--json']);
    const second = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.code).toBe(0);
    expect(list.json.backups.map((b: { id: string }) => b.id)).toEqual([second.json.id, failed.json.id, first.json.id]);
    expect(list.json.backups[1]).toMatchObject({ target: 'gone', status: 'failed', class: 'connection' });
    const one = await runWarden(['list', '--config', ws.config, '--target', 'shop']);
    expect(one.stdout.trim().split('\n')).toHaveLength(2);
    expect(one.stdout).toContain(second.json.id);
  });

  it('exits 2 with the key named on a bad configuration or an unknown target', async () => {
    const ws = makeWorkspace([{ name: 'x', user: 'root', port: 70000 } as never]);
    const bad = await runWarden(['backup', '--config', ws.config, '--target', 'x', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error.class).toBe('config');
    expect(bad.json.error.problems[0]).toMatch(/targets\[0\]\.port/);
    const server = getServer();
    const ok = makeWorkspace([targetFor(server, 'shop')]);
    const unknown = await runWarden(['backup', '--config', ok.config, '--target', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toMatch(/unknown target "nope"/);
    expect(existsSync(ok.repository)).toBe(false);
  });
});
