// Retention: `warden expire` over repositories of fake-but-valid runs with chosen dates, the
// disk_full path (pruneForSpace), and real backups expired by the CLI and after each run of `warden serve`.
import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockTarget } from '../backend/src/catalog/lock.js';
import { BACKUP_ID } from '../backend/src/catalog/paths.js';
import { loadConfig } from '../backend/src/config/load.js';
import { mainLogger } from '../backend/src/util/log.js';
import { pruneForSpace } from '../backend/src/expire/index.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { fakeRun } from './helpers/catalog.js';
import { openEvents, request, serve } from './helpers/serve.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const DAY = 86_400_000;
const H = 3_600_000;
const getServer = useMariaDB();

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

const fakeTarget = (name: string, extra: Record<string, unknown> = {}) => ({ name, host: '127.0.0.1', port: 1, user: 'root', ...extra });

function runsOf(repository: string, target: string): string[] {
  const dir = path.join(repository, target);
  return existsSync(dir) ? readdirSync(dir).filter((n) => BACKUP_ID.test(n)).sort().reverse() : [];
}

async function expire(config: string, ...args: string[]) {
  const r = await runWarden(['expire', '--config', config, '--json', ...args]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json;
}

describe('warden expire', () => {
  it.each([
    ['keepLast', { keepLast: 3 }, 3],
    ['keepDays', { keepDays: 10 }, 10],
    ['keepDaily', { keepDaily: 5 }, 5],
    ['keepWeekly', { keepWeekly: 3 }, 3],
    ['keepMonthly', { keepMonthly: 2 }, 2],
    ['keepDaily + keepLast (union)', { keepDaily: 5, keepLast: 7 }, 7],
  ])('applies %s', async (_name, policy, kept) => {
    const ws = makeWorkspace([fakeTarget('shop')], { retention: policy });
    // One backup a day for 60 days, each on its own UTC day.
    const ids = Array.from({ length: 60 }, (_, i) => fakeRun(ws.repository, 'shop', { startedAt: new Date(Date.now() - i * DAY - H) }).id);
    const out = await expire(ws.config);
    expect(out.targets[0].kept).toHaveLength(kept);
    expect(out.targets[0].deleted).toHaveLength(60 - kept);
    expect(runsOf(ws.repository, 'shop')).toHaveLength(kept);
    expect(runsOf(ws.repository, 'shop')).toContain(ids[0]);
  });

  it('keeps every link an incremental names, even one that failed verification, and so its full backup', async () => {
    const ws = makeWorkspace([fakeTarget('shop', { method: 'physical' })], { retention: { keepLast: 1 } });
    const now = Date.now();
    const base = fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 3 * H), method: 'physical', lsn: { fromLsn: 0, toLsn: 100, lastLsn: 100 } });
    const middle = fakeRun(ws.repository, 'shop', {
      startedAt: new Date(now - 2 * H),
      method: 'physical',
      lsn: { fromLsn: 100, toLsn: 200, lastLsn: 200 },
      chain: { baseId: base.id, previousId: base.id, position: 1 },
      verification: { level: 'restore', ok: false },
    });
    const newest = fakeRun(ws.repository, 'shop', {
      startedAt: new Date(now - H),
      method: 'physical',
      lsn: { fromLsn: 200, toLsn: 300, lastLsn: 300 },
      chain: { baseId: base.id, previousId: middle.id, position: 2 },
    });
    const out = await expire(ws.config, '--dry-run');
    expect(out.targets[0].deleted).toEqual([]);
    expect(runsOf(ws.repository, 'shop').sort()).toEqual([base.id, middle.id, newest.id].sort());
  });

  it('after a clock that was ahead: keeps the runs dated in the future apart, and the new backups by the policy', async () => {
    const ws = makeWorkspace([fakeTarget('shop', { rpo: '1d' })], { retention: { keepLast: 2 } });
    const now = Date.now();
    const future = [fakeRun(ws.repository, 'shop', { startedAt: new Date(now + 365 * DAY) }), fakeRun(ws.repository, 'shop', { startedAt: new Date(now + 364 * DAY) })];
    const present = [1, 2, 3].map((h) => fakeRun(ws.repository, 'shop', { startedAt: new Date(now - h * H) }));
    const out = await expire(ws.config);
    expect(out.targets[0].deleted.map((d: { id: string }) => d.id)).toEqual([present[2]!.id]);
    expect(runsOf(ws.repository, 'shop')).toEqual([...future, present[0]!, present[1]!].map((r) => r.id));
    const kept = new Map(out.targets[0].kept.map((k: { id: string; reasons: string[] }) => [k.id, k.reasons]));
    expect(kept.get(future[0]!.id)).toEqual(['future-dated']);
    expect(kept.get(present[0]!.id)).toEqual(expect.arrayContaining(['last', 'newest-success']));

    const check = await runWarden(['check', '--config', ws.config, '--json']);
    const repository = check.json.targets[0].checks.find((c: { name: string }) => c.name === 'repository');
    expect(repository).toMatchObject({ status: 'WARN', detail: expect.stringContaining(future[0]!.id) });

    // The newest success the API and the metrics report is the newest correctly dated one, which ages.
    const s = await serve(ws.config);
    const t = await request(s, 'GET', '/api/v1/targets/shop', { token: null });
    expect(t.json.lastSuccess.id).toBe(present[0]!.id);
    expect(t.json.state).toBe('ok');
    // By hand, a future-dated run may be deleted; the newest correctly dated success may not.
    expect((await request(s, 'DELETE', `/api/v1/backups/${present[0]!.id}`)).status).toBe(409);
    expect((await request(s, 'DELETE', `/api/v1/backups/${future[0]!.id}`)).status).toBe(200);
    await s.stop();
  });

  it("never deletes the running backup of an agent whose clock is behind, by retention or by hand", async () => {
    const ws = makeWorkspace([fakeTarget('shop')], { retention: { keepLast: 1 } });
    const now = Date.now();
    fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 3 * H) });
    fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 2 * H) });
    // Another host runs a backup; its clock is two minutes behind, so its lock looks abandoned here.
    const running = fakeRun(ws.repository, 'shop', { startedAt: new Date(now - 4 * H), status: 'running' });
    const lock = path.join(ws.repository, 'shop', '.lock');
    mkdirSync(lock);
    const refresh = () => {
      const theirs = new Date(Date.now() - 120_000);
      utimesSync(lock, theirs, theirs);
    };
    refresh();
    const timer = setInterval(refresh, 5_000);
    try {
      const out = await expire(ws.config);
      expect(out.targets[0].kept.find((k: { id: string }) => k.id === running.id)?.reasons).toContain('live');
      expect(existsSync(running.dir)).toBe(true);
      const s = await serve(ws.config);
      const del = await request(s, 'DELETE', `/api/v1/backups/${running.id}`);
      await s.stop();
      expect(del.status).toBe(409);
      expect(existsSync(running.dir)).toBe(true);
    } finally {
      clearInterval(timer);
    }
  }, 60_000);

  it('never deletes the newest verified backup, keeps failures newer than the newest success, and reports freed space; --dry-run deletes nothing', async () => {
    const ws = makeWorkspace([fakeTarget('shop')], { retention: { keepLast: 2 } });
    const now = Date.now();
    const at = (days: number) => new Date(now - days * DAY);
    const s1 = fakeRun(ws.repository, 'shop', { startedAt: at(5), verification: { level: 'restore', ok: true } });
    const s2 = fakeRun(ws.repository, 'shop', { startedAt: at(4), bytes: 5000 });
    const s3 = fakeRun(ws.repository, 'shop', { startedAt: at(3), bytes: 7000, verification: { level: 'parse', ok: false } });
    const f1 = fakeRun(ws.repository, 'shop', { startedAt: at(2.5), status: 'failed' });
    const s4 = fakeRun(ws.repository, 'shop', { startedAt: at(2) });
    const s5 = fakeRun(ws.repository, 'shop', { startedAt: at(1) });
    const f2 = fakeRun(ws.repository, 'shop', { startedAt: at(0.5), status: 'interrupted' });
    const all = runsOf(ws.repository, 'shop');

    const dry = await expire(ws.config, '--dry-run');
    expect(dry).toMatchObject({ ok: true, dryRun: true });
    const plan = dry.targets[0];
    expect(plan.deleted.map((d: { id: string }) => d.id)).toEqual([f1.id, s3.id, s2.id]);
    expect(plan.kept).toEqual([
      { id: f2.id, status: 'interrupted', reasons: ['newer-than-success'] },
      { id: s5.id, status: 'success', reasons: ['last', 'newest-success'] },
      { id: s4.id, status: 'success', reasons: ['last'] },
      { id: s1.id, status: 'success', reasons: ['newest-verified'] },
    ]);
    expect(plan.freedBytes).toBeGreaterThan(12_000);
    expect(runsOf(ws.repository, 'shop')).toEqual(all);

    const text = await runWarden(['expire', '--config', ws.config, '--dry-run']);
    expect(text.stdout).toMatch(/^shop: would delete 3 run\(s\)/);
    expect(text.stdout).toContain(`would delete ${s2.id}`);

    const real = await expire(ws.config);
    expect(real.targets[0].deleted).toEqual(plan.deleted);
    expect(real.freedBytes).toBe(plan.freedBytes);
    expect(runsOf(ws.repository, 'shop')).toEqual([f2.id, s5.id, s4.id, s1.id]);
    // Nothing half-deleted is left behind.
    expect(readdirSync(path.join(ws.repository, 'shop')).filter((n) => n.startsWith('.deleting'))).toEqual([]);
    // Nothing more to do on a second pass.
    expect((await expire(ws.config)).targets[0].deleted).toEqual([]);
  });

  it('lets a target policy replace the global one, keeps everything without a policy, and spares a running run', async () => {
    const ws = makeWorkspace([fakeTarget('a'), fakeTarget('b', { retention: { keepLast: 1 } })], { retention: { keepDays: 1000 } });
    const none = makeWorkspace([fakeTarget('a')]);
    for (const [repo, target] of [[ws.repository, 'a'], [ws.repository, 'b'], [none.repository, 'a']] as const) {
      for (let i = 3; i >= 1; i--) fakeRun(repo, target, { startedAt: new Date(Date.now() - i * DAY) });
    }
    // A run still going (the target lock is held), older than the newest success.
    const running = fakeRun(ws.repository, 'b', { startedAt: new Date(Date.now() - 1.5 * DAY), status: 'running' });
    const unlock = await lockTarget(path.join(ws.repository, 'b'), 'b');
    let out;
    try {
      out = await expire(ws.config);
    } finally {
      await unlock();
    }
    expect(out.targets.map((t: { target: string; deleted: unknown[] }) => [t.target, t.deleted.length])).toEqual([
      ['a', 0],
      ['b', 2],
    ]);
    expect(out.targets[1].kept.find((k: { id: string }) => k.id === running.id).reasons).toEqual(['live']);
    // Once its process is gone, the "running" run is a dead one and goes too.
    const after = await expire(ws.config, '--target', 'b');
    expect(after.targets.map((t: { deleted: { id: string }[] }) => t.deleted.map((d) => d.id))).toEqual([[running.id]]);

    const kept = await expire(none.config);
    expect(kept.targets[0]).toMatchObject({ policy: null, deleted: [], freedBytes: 0 });
    expect((await runWarden(['expire', '--config', none.config])).stdout).toMatch(/no retention policy, everything is kept \(3 run\(s\)\)/);
    expect((await runWarden(['expire', '--config', none.config, '--target', 'nope'])).code).toBe(2);
  });

  it('pruneForSpace applies the policy for the disk_full retry, never the newest good backup, and frees nothing without a policy', async () => {
    const ws = makeWorkspace([fakeTarget('shop', { retention: { keepDays: 1 } }), fakeTarget('plain')]);
    const ids = [10, 9, 8].map((days) => fakeRun(ws.repository, 'shop', { startedAt: new Date(Date.now() - days * DAY), bytes: 10_000 }).id);
    fakeRun(ws.repository, 'plain', { startedAt: new Date(Date.now() - 5 * DAY) });
    fakeRun(ws.repository, 'plain', { startedAt: new Date(Date.now() - 4 * DAY) });
    const config = loadConfig(ws.config);
    const log = mainLogger().child({ component: 'backup' });
    const freed = await pruneForSpace(config, config.targets[0]!, log);
    // keepDays 1 keeps none of them: the newest good one stays anyway.
    expect(freed.deleted.map((d) => d.id)).toEqual([ids[1], ids[0]]);
    expect(freed.freedBytes).toBeGreaterThanOrEqual(20_000);
    expect(runsOf(ws.repository, 'shop')).toEqual([ids[2]]);
    const nothing = await pruneForSpace(config, config.targets[1]!, log);
    expect(nothing).toMatchObject({ freedBytes: 0, deleted: [], policy: null });
    expect(runsOf(ws.repository, 'plain')).toHaveLength(2);
  });

  it('expires real backups end to end: by the CLI, and by warden serve after each successful run', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'], verifyAfterBackup: 'none' })], { retention: { keepLast: 1 } });
    const ids: string[] = [];
    // `warden backup` applies the policy after each good run, as the service does.
    for (let i = 0; i < 3; i++) {
      const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
      expect(r.code, r.stderr).toBe(0);
      ids.push(r.json.id);
      expect(runsOf(ws.repository, 'shop')).toEqual([r.json.id]);
    }
    const out = await expire(ws.config);
    expect(out.targets[0].deleted).toEqual([]);
    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.json.backups.map((b: { id: string }) => b.id)).toEqual([ids[2]]);

    const s = await serve(ws.config);
    const events = await openEvents(s);
    const r = await request(s, 'POST', '/api/v1/targets/shop/backups');
    expect(r.status).toBe(202);
    const finished = await events.next((e) => e.name === 'run-finished' && e.data.id === r.json.id);
    events.close();
    expect(finished.data.status).toBe('success');
    expect(runsOf(ws.repository, 'shop')).toEqual([r.json.id]);
    expect(s.logLines().some((l) => l.component === 'retention' && l.msg === 'deleted' && l.backupId === ids[2])).toBe(true);
    await s.stop();
  });
});
