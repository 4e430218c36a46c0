// Faults induced for real against throwaway MariaDB servers: each ends classified, retried as its
// class says, and publishes nothing that looks like a good backup.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop } from './harness/fixtures.js';
import { startMariaDB, type TestServer, useMariaDB } from './harness/mariadb.js';
import { fakeRun } from './helpers/catalog.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { dumpProcessFor, waitFor } from './helpers/proc.js';
import { makeWorkspace, runWarden, startWarden, targetFor, type TestTarget } from './helpers/warden.js';

const FAST_RETRY = { maxAttempts: 3, baseDelaySeconds: 0.05, maxDelaySeconds: 0.2 };
const NO_RETRY = { maxAttempts: 1 };
const PW = 'fault-test-password';
const ALL_GRANTS = 'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR ON *.*';

const getServer = useMariaDB({ binlog: true });

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

interface Run {
  code: number | null;
  out: any;
  manifest: any;
  files: string[];
}

/** Backs up `target` and returns the result, its manifest and the files of its run folder. */
async function backup(target: TestTarget, extra: Record<string, unknown> = { retry: NO_RETRY }, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<Run> {
  const ws = makeWorkspace([target], extra);
  const r = await runWarden(['backup', '--config', ws.config, '--target', target.name, '--json', ...args], env);
  expect(r.json, r.stderr).toBeTruthy();
  const manifest = JSON.parse(readFileSync(path.join(r.json.dir, 'manifest.json'), 'utf8'));
  return { code: r.code, out: r.json, manifest, files: readdirSync(r.json.dir).sort() };
}

/** A failed run keeps its record and log, nothing else. */
function expectNothingPublished(run: Run): void {
  expect(run.code).toBe(1);
  expect(run.out.ok).toBe(false);
  expect(run.files).toEqual(['log.jsonl', 'manifest.json']);
}

async function userWith(name: string, grants: string[]): Promise<TestTarget> {
  await getServer().createUser(name, PW, grants);
  return targetFor(getServer(), name.replace(/_/g, '-'), { user: name, passwordEnv: 'FAULT_PW', databases: ['shop'] });
}

describe('privilege faults are found before the dump', () => {
  it.each([
    ['no_select', 'SHOW VIEW, TRIGGER, EVENT, RELOAD, BINLOG MONITOR ON *.*', /SELECT ON `shop`/],
    ['no_show_view', 'SELECT, TRIGGER, EVENT, RELOAD, BINLOG MONITOR ON *.*', /SHOW VIEW ON `shop`/],
    ['no_trigger', 'SELECT, SHOW VIEW, EVENT, RELOAD, BINLOG MONITOR ON *.*', /TRIGGER ON `shop`/],
    ['no_event', 'SELECT, SHOW VIEW, TRIGGER, RELOAD, BINLOG MONITOR ON *.*', /EVENT ON `shop`/],
    ['no_binlog', 'SELECT, SHOW VIEW, TRIGGER, EVENT ON *.*', /RELOAD ON \*\.\*.*BINLOG MONITOR/],
  ])('%s: class privilege, not retried, nothing published', async (user, grants, missing) => {
    const target = await userWith(user, [grants]);
    const run = await backup(target, { retry: FAST_RETRY }, { FAULT_PW: PW });
    expectNothingPublished(run);
    expect(run.out.class).toBe('privilege');
    expect(run.out.error.message).toMatch(missing);
    expect(run.out.error.hint).toMatch(/^GRANT /);
    expect(run.manifest.attempts).toHaveLength(1);

    const ws = makeWorkspace([target]);
    const check = await runWarden(['check', '--config', ws.config, '--json'], { FAULT_PW: PW });
    expect(check.code).toBe(1);
    const grantsCheck = check.json.targets[0].checks.find((c: { name: string }) => c.name === 'grants');
    expect(grantsCheck).toMatchObject({ status: 'FAIL', class: 'privilege' });
  });

  it('the real tool would have dropped every trigger silently without TRIGGER', async () => {
    // Why the pre-flight refuses: mariadb-dump exits 0 with its trailer but no trigger.
    const server = getServer();
    await server.createUser('trigger_blind', PW, ['SELECT, SHOW VIEW, EVENT ON *.*']);
    const out = execFileSync('mariadb-dump', ['-h127.0.0.1', `-P${server.port}`, '-utrigger_blind', '--single-transaction', '--triggers', 'shop'], {
      encoding: 'utf8',
      env: { ...process.env, MYSQL_PWD: PW },
    });
    expect(out).toMatch(/-- Dump completed/);
    expect(out).not.toMatch(/TRIGGER/i);
  });

  it('warden check passes with the full grant and prints one line per check', async () => {
    const target = await userWith('full_grant', [ALL_GRANTS]);
    const ws = makeWorkspace([target]);
    const check = await runWarden(['check', '--config', ws.config], { FAULT_PW: PW });
    expect(check.code, check.stdout).toBe(0);
    for (const name of ['credentials', 'repository', 'tool', 'connection', 'databases', 'grants', 'binlog', 'consistency', 'charset', 'space']) {
      expect(check.stdout).toMatch(new RegExp(`\\t${name}: (OK|WARN)`));
    }
  });
});

describe('server and connection faults', () => {
  let victim: TestServer;
  beforeAll(async () => {
    victim = await startMariaDB();
    await loadSampleShop(victim, 'shop');
  });
  afterAll(async () => victim.cleanup());

  it('a server that is not running: connection, retried, then failed', async () => {
    const down = await startMariaDB();
    await down.stop();
    try {
      const run = await backup(targetFor(down, 'down', { databases: ['shop'] }), { retry: FAST_RETRY });
      expectNothingPublished(run);
      expect(run.out.class).toBe('connection');
      expect(run.manifest.attempts.map((a: { class: string }) => a.class)).toEqual(['connection', 'connection', 'connection']);
    } finally {
      await down.cleanup();
    }
  });

  it('fails over to a replica when the primary is down, and says so', async () => {
    const down = await startMariaDB();
    await down.stop();
    try {
      const target = targetFor(down, 'failover', { databases: ['shop'], replicas: [{ host: '127.0.0.1', port: victim.port }] });
      const run = await backup(target, { retry: FAST_RETRY });
      expect(run.code, JSON.stringify(run.out.error)).toBe(0);
      expect(run.out.status).toBe('success');
      expect(run.out.server.endpoint).toBe(`127.0.0.1:${victim.port}`);
      const servers = run.manifest.attempts.map((a: { server: string; class: string }) => `${a.server}=${a.class}`);
      expect(servers).toEqual([...Array(3).fill(`127.0.0.1:${down.port}=connection`), `127.0.0.1:${victim.port}=none`]);
    } finally {
      await down.cleanup();
    }
  });

  it('the server killed mid-dump: connection, nothing published', async () => {
    const release = await lockTable(victim, 'shop.orders');
    const ws = makeWorkspace([targetFor(victim, 'victim', { databases: ['shop'] })], { retry: NO_RETRY });
    const run = startWarden(['backup', '--config', ws.config, '--target', 'victim', '--json']);
    run.child.stdin!.end();
    await waitForLockWait(victim, 'shop.orders');
    await victim.kill('SIGKILL');
    const r = await run.done;
    await release().catch(() => undefined);
    await victim.start();
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ status: 'failed', class: 'connection' });
    expect(r.json.error.code).toBe(2013);
    expect(readdirSync(r.json.dir).sort()).toEqual(['log.jsonl', 'manifest.json']);
  });

  it('the dump connection killed on the server (KILL): classified, nothing published', async () => {
    const release = await lockTable(victim, 'shop.orders');
    const ws = makeWorkspace([targetFor(victim, 'victim', { databases: ['shop'] })], { retry: NO_RETRY });
    const run = startWarden(['backup', '--config', ws.config, '--target', 'victim', '--json']);
    run.child.stdin!.end();
    await waitForLockWait(victim, 'shop.orders');
    const [dump] = await victim.query<{ Id: number }>("SELECT ID AS Id FROM information_schema.PROCESSLIST WHERE STATE LIKE '%metadata lock%' AND INFO LIKE '%orders%'");
    await victim.query(`KILL ${dump!.Id}`);
    const r = await run.done;
    await release();
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('failed');
    // The client sees only `Lost connection (2013)`, the same as a network drop: connection,
    // retried with backoff, with a hint that names KILL among the causes.
    expect(r.json.class, JSON.stringify(r.json.error)).toBe('connection');
    expect(r.json.error).toMatchObject({ code: 2013, retryable: true });
    expect(r.json.error.hint).toMatch(/KILL/);
    expect(readdirSync(r.json.dir).sort()).toEqual(['log.jsonl', 'manifest.json']);
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)('the dump process killed by %s: killed, retried, nothing published', async (sig) => {
    const release = await lockTable(victim, 'shop.orders');
    const ws = makeWorkspace([targetFor(victim, 'victim', { databases: ['shop'] })], { retry: { maxAttempts: 2, baseDelaySeconds: 0.05, maxDelaySeconds: 0.1 } });
    const run = startWarden(['backup', '--config', ws.config, '--target', 'victim', '--json']);
    run.child.stdin!.end();
    // Kill the dump of both attempts: each is retried as class killed allows, then the run fails.
    // (A killed dump's session stays queued on the lock until it is released: count them.)
    let last = 0;
    for (let i = 1; i <= 2; i++) {
      await waitForLockWait(victim, 'shop.orders', 30_000, i);
      const dump = await waitFor(() => {
        const p = dumpProcessFor(victim.port);
        return p && p.pid !== last ? p : undefined;
      }, 10_000, 'the dump process');
      process.kill(dump.pid, sig);
      last = dump.pid;
    }
    const r = await run.done;
    await release();
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ status: 'failed', class: 'killed' });
    expect(r.json.attempts.map((a: { class: string }) => a.class)).toEqual(['killed', 'killed']);
    expect(readdirSync(r.json.dir).sort()).toEqual(['log.jsonl', 'manifest.json']);
  });

  it('a lock wait timeout: lock_timeout, retried with backoff', async () => {
    await victim.query('SET GLOBAL lock_wait_timeout = 1');
    const release = await lockTable(victim, 'shop.orders');
    try {
      const run = await backup(targetFor(victim, 'victim', { databases: ['shop'] }), { retry: FAST_RETRY });
      expectNothingPublished(run);
      expect(run.out.class).toBe('lock_timeout');
      expect(run.out.error.code).toBe(1205);
      expect(run.manifest.attempts).toHaveLength(3);
    } finally {
      await release();
      await victim.query('SET GLOBAL lock_wait_timeout = 86400');
    }
  });

  it('a dump that stalls is stopped and classified timeout; so is a run past its deadline', async () => {
    const release = await lockTable(victim, 'shop.orders');
    try {
      const stalled = await backup(targetFor(victim, 'victim', { databases: ['shop'], stallTimeout: 2 }));
      expectNothingPublished(stalled);
      expect(stalled.out.class).toBe('timeout');
      expect(stalled.out.error.message).toMatch(/wrote nothing for \d+ s/);
      const late = await backup(targetFor(victim, 'victim', { databases: ['shop'], deadline: 2 }));
      expectNothingPublished(late);
      expect(late.out.class).toBe('timeout');
      expect(late.out.error.message).toMatch(/deadline/);
    } finally {
      await release();
    }
  });

  it('a crashed MyISAM table: corruption, not retried; per-table mode keeps the other tables and ends partial', async () => {
    const db = 'crashy';
    await loadSampleShop(victim, db);
    await victim.stop();
    // Damage the index header of the MyISAM table while the server is down.
    const myi = path.join(victim.datadir, db, 'legacy_notes.MYI');
    const fd = openSync(myi, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 0);
    closeSync(fd);
    await victim.start();

    const single = await backup(targetFor(victim, 'crashy', { databases: [db] }), { retry: FAST_RETRY });
    expectNothingPublished(single);
    expect(single.out.class).toBe('corruption');
    expect(single.manifest.attempts).toHaveLength(1);

    const perTable = await backup(targetFor(victim, 'crashy', { databases: [db], method: 'per-table', parallel: 2 }), { retry: FAST_RETRY });
    expect(perTable.code).toBe(1);
    expect(perTable.out.status, JSON.stringify(perTable.manifest.attempts)).toBe('partial');
    expect(perTable.out.class).toBe('corruption');
    expect(perTable.out.error.message).toMatch(/crashy\.legacy_notes/);
    const byName = Object.fromEntries(perTable.manifest.tables.map((t: { name: string; status: string }) => [t.name, t.status]));
    expect(byName).toMatchObject({ 'crashy.legacy_notes': 'failed', 'crashy.customers': 'done', 'crashy.orders': 'done', 'crashy.order_items': 'done' });
    expect(perTable.files.some((f) => f.includes('legacy_notes'))).toBe(false);
  });
});

describe('content faults', () => {
  beforeAll(async () => {
    const server = getServer();
    await server.exec(`
      CREATE DATABASE broken_view; USE broken_view;
      CREATE TABLE t (id INT); CREATE VIEW v AS SELECT id FROM t; DROP TABLE t;
      CREATE DATABASE ghost_definer; USE ghost_definer;
      CREATE TABLE t (id INT);
      CREATE DEFINER = 'ghost'@'%' SQL SECURITY DEFINER VIEW v AS SELECT id FROM t;
    `);
  });

  it('a view whose table was dropped: not_found (1356), not retried, nothing published', async () => {
    const run = await backup(targetFor(getServer(), 'broken-view', { databases: ['broken_view'] }), { retry: FAST_RETRY });
    expectNothingPublished(run);
    expect(run.out.error.code).toBe(1356);
    expect(run.out.class).toBe('not_found');
    expect(run.manifest.attempts).toHaveLength(1);
  });

  it('a view with a non-existent definer: MariaDB dumps it, the run says so in its warnings', async () => {
    // MySQL 8 refuses such a view (1449, class not_found: see the classifier's tests); MariaDB
    // dumps it, and the restored view fails when used. The pre-flight names it.
    const run = await backup(targetFor(getServer(), 'ghost-definer', { databases: ['ghost_definer'] }), { retry: FAST_RETRY });
    expect(run.code).toBe(0);
    expect(run.manifest.warnings.join('\n')).toMatch(/definers: definer account missing for: view ghost_definer\.v \(definer ghost@%\)/);
  });

  it('an unknown database: not_found from the pre-flight', async () => {
    const run = await backup(targetFor(getServer(), 'nodb', { databases: ['no_such_db'] }), { retry: FAST_RETRY });
    expectNothingPublished(run);
    expect(run.out.class).toBe('not_found');
    expect(run.out.error.message).toMatch(/no_such_db/);
  });

  it('a bad character set option: charset', async () => {
    const run = await backup(targetFor(getServer(), 'badcs', { databases: ['shop'], characterSet: 'klingon' }));
    expectNothingPublished(run);
    expect(run.out.class).toBe('charset');
  });

  it('a lossy character set (emoji would become ?): charset, never a clean run', async () => {
    const run = await backup(targetFor(getServer(), 'lossy', { databases: ['shop'], characterSet: 'latin1' }));
    expectNothingPublished(run);
    expect(run.out.class).toBe('charset');
    expect(run.out.error.message).toMatch(/shop\.\w+\.\w+ .*cannot represent/);
  });
});

describe('disk full', () => {
  let mount: string | null = null;
  beforeAll(async () => {
    // A real small filesystem (tmpfs) as the repository; needs root, which CI has.
    const ws = makeWorkspace([]);
    mount = path.join(ws.dir, 'small');
    execFileSync('mkdir', ['-p', mount]);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    } catch {
      mount = null;
    }
    await getServer().exec(`
      CREATE DATABASE bulky; USE bulky;
      CREATE TABLE noise (id INT PRIMARY KEY, b BLOB);
      INSERT INTO noise SELECT seq, RANDOM_BYTES(1024) FROM seq_1_to_3000;
    `);
  });
  afterAll(() => {
    if (mount) execFileSync('umount', [mount]);
  });

  it('a repository that fills up: disk_full, pruned by the retention policy, tried once more, no partial file left', async (ctx) => {
    if (!mount) return ctx.skip('cannot mount a tmpfs here (not root)');
    // Two older good backups: the policy (keepLast: 1) may prune the older one, never the newest.
    const older = fakeRun(mount, 'bulky', { startedAt: new Date(Date.now() - 2 * 86_400_000), bytes: 100_000 });
    const newest = fakeRun(mount, 'bulky', { startedAt: new Date(Date.now() - 86_400_000), bytes: 100_000 });
    const target = targetFor(getServer(), 'bulky', { databases: ['bulky'], retention: { keepLast: 1 } });
    const ws = makeWorkspace([target], { repository: mount, retry: FAST_RETRY, preflight: { freeSpaceFactor: 1 } });
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'bulky', '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ status: 'failed', class: 'disk_full' });
    expect(r.json.error.message).toMatch(/No space left on device/);
    expect(r.json.attempts.map((a: { class: string }) => a.class)).toEqual(['disk_full', 'disk_full']);
    expect(existsSync(older.dir)).toBe(false);
    expect(existsSync(newest.dir)).toBe(true);
    expect(readdirSync(r.json.dir).sort()).toEqual(['log.jsonl', 'manifest.json']);
  });

  it('a disk filled to the last byte by another process: the run still ends classified, and reads back as not good', async (ctx) => {
    if (!mount) return ctx.skip('cannot mount a tmpfs here (not root)');
    const server = getServer();
    await server.exec('CREATE DATABASE tiny; USE tiny; CREATE TABLE a (id INT PRIMARY KEY, b BLOB); CREATE TABLE z (id INT PRIMARY KEY); INSERT INTO a SELECT seq, RANDOM_BYTES(1000) FROM seq_1_to_200;');
    const repository = path.join(mount, 'full');
    const ws = makeWorkspace([targetFor(server, 'tiny', { databases: ['tiny'], retry: { maxAttempts: 1 } })], { repository, preflight: { freeSpaceFactor: 1 } });
    const unlock = await lockTable(server, 'tiny.z');
    const filler = path.join(mount, 'filler');
    try {
      const run = startWarden(['backup', '--config', ws.config, '--target', 'tiny', '--json']);
      await waitForLockWait(server, 'tiny.z');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
      } catch {
        // dd ends with ENOSPC: the disk is full.
      }
      await unlock();
      const r = await run.done;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/unexpected error/);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, status: 'failed', class: 'disk_full' });
      const list = await runWarden(['list', '--config', ws.config, '--json']);
      expect(list.json.backups[0].status).not.toBe('success');
      expect(list.json.backups[0].status).not.toBe('running');
    } finally {
      await unlock().catch(() => undefined);
      execFileSync('rm', ['-f', filler]);
    }
  });
});
