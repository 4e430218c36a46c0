// Schedules of `warden serve`: second-granularity cron against a throwaway MariaDB proves that runs
// never overlap and that the global concurrency limit holds; fake catalogs with chosen dates prove
// the missed-run policy.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_ID } from '../backend/src/catalog/paths.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { fakeRun } from './helpers/catalog.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { waitFor } from './helpers/proc.js';
import { request, serve } from './helpers/serve.js';
import { makeWorkspace, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

interface Recorded {
  id: string;
  target: string;
  status: string;
  start: number;
  end: number;
}

function recordedRuns(repository: string, targets: string[]): Recorded[] {
  return targets.flatMap((target) => {
    let ids: string[] = [];
    try {
      ids = readdirSync(path.join(repository, target)).filter((n) => BACKUP_ID.test(n));
    } catch {
      return [];
    }
    // A run folder gets its manifest a moment after it is created.
    return ids.flatMap((id) => {
      const file = path.join(repository, target, id, 'manifest.json');
      if (!existsSync(file)) return [];
      const m = JSON.parse(readFileSync(file, 'utf8'));
      return [{ id, target, status: m.status, start: Date.parse(m.startedAt), end: m.finishedAt ? Date.parse(m.finishedAt) : Infinity }];
    });
  });
}

describe('warden serve: schedules', () => {
  it('never runs a target twice at once and never more runs than scheduler.concurrency', async () => {
    const server = getServer();
    const every = { databases: ['shop'], schedule: '* * * * * *', verifyAfterBackup: 'none' };
    const ws = makeWorkspace([targetFor(server, 'a', every), targetFor(server, 'b', every)], { scheduler: { concurrency: 1 } });
    const release = await lockTable(server, 'shop.orders');
    const s = await serve(ws.config);
    try {
      // The first run holds its dump on the lock while the schedule fires every second.
      await waitForLockWait(server, 'shop.orders');
      await new Promise((r) => setTimeout(r, 3500));
      const held = recordedRuns(ws.repository, ['a', 'b']);
      expect(held).toHaveLength(1);
      expect(held[0]!.status).toBe('running');
      const targets = (await request(s, 'GET', '/api/v1/targets')).json.targets as { name: string; state: string }[];
      expect(targets.filter((t) => t.state === 'running')).toHaveLength(1);
      const skipped = s.logLines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('scheduled backup skipped'));
      expect(skipped.length).toBeGreaterThanOrEqual(4);
      expect(skipped.every((l) => l.component === 'schedule' && l.level === 40)).toBe(true);
    } finally {
      await release();
    }
    // Free to run: both targets take turns, one at a time.
    await waitFor(() => {
      const runs = recordedRuns(ws.repository, ['a', 'b']).filter((r) => r.status === 'success');
      return runs.some((r) => r.target === 'a') && runs.some((r) => r.target === 'b') && runs.length >= 4;
    }, 60_000, 'scheduled runs of both targets');
    await s.stop();

    const runs = recordedRuns(ws.repository, ['a', 'b']).sort((x, y) => x.start - y.start);
    expect(runs.every((r) => r.status === 'success' || r.status === 'interrupted')).toBe(true);
    // Concurrency 1: every run ended before the next one (of any target) started.
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start, `${runs[i - 1]!.id} overlaps ${runs[i]!.id}`).toBeGreaterThanOrEqual(runs[i - 1]!.end);
  });

  it('catches up once at start on runs missed while the agent was down, and exposes the next run time', async () => {
    const server = getServer();
    const yearly = '0 0 1 1 *';
    const fields = { databases: ['shop'], schedule: yearly, verifyAfterBackup: 'none' };
    const ws = makeWorkspace([
      targetFor(server, 'stale', { ...fields, verifySchedule: yearly, verifyLevel: 'checksum' }),
      targetFor(server, 'fresh', fields),
      targetFor(server, 'never', fields),
    ]);
    const now = Date.now();
    // Older than one interval (a year): missed. One hour old: not missed.
    fakeRun(ws.repository, 'stale', { startedAt: new Date(now - 400 * 86_400_000) });
    const fresh = fakeRun(ws.repository, 'fresh', { startedAt: new Date(now - 3_600_000) });

    const s = await serve(ws.config);
    const started = s.logLines().filter((l) => l.msg === 'schedule started');
    const missed = Object.fromEntries(started.map((l) => [`${l.kind}:${l.target}`, l.missedRun]));
    expect(missed).toEqual({ 'backup:stale': true, 'verify:stale': true, 'backup:fresh': false, 'backup:never': true });

    await waitFor(async () => {
      const targets = (await request(s, 'GET', '/api/v1/targets')).json.targets as { name: string; lastSuccess: { id: string } | null; lastVerified: unknown }[];
      const byName = Object.fromEntries(targets.map((t) => [t.name, t]));
      return byName.never!.lastSuccess && byName.stale!.lastVerified && byName.stale!.lastSuccess;
    }, 60_000, 'the missed runs');
    const runs = recordedRuns(ws.repository, ['stale', 'fresh', 'never']);
    expect(runs.filter((r) => r.target === 'stale')).toHaveLength(2);
    expect(runs.filter((r) => r.target === 'never')).toHaveLength(1);
    expect(runs.filter((r) => r.target === 'fresh').map((r) => r.id)).toEqual([fresh.id]);
    // The missed verification ran after the missed backup, on the newest backup.
    const stale = (await request(s, 'GET', '/api/v1/targets/stale')).json;
    expect(stale.lastVerified.id).toBe(stale.lastSuccess.id);
    expect(stale.lastVerified.verification).toMatchObject({ level: 'checksum', ok: true });
    expect(s.logLines().some((l) => l.trigger === 'missed-run' && l.msg === 'backup run started' && l.target === 'stale')).toBe(true);

    const next = new Cron(yearly, { paused: true }).nextRun()!;
    expect(stale).toMatchObject({ schedule: yearly, verifySchedule: yearly, nextRunAt: next.toISOString(), nextVerifyAt: next.toISOString() });
    const metrics = (await request(s, 'GET', '/metrics')).text;
    expect(metrics).toContain(`mysql_backup_next_run_timestamp_seconds{target="fresh",kind="backup"} ${next.getTime() / 1000}`);
    expect(metrics).toContain(`mysql_backup_next_run_timestamp_seconds{target="stale",kind="verify"} ${next.getTime() / 1000}`);
    await s.stop();
  });
});
