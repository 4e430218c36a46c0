// SIGTERM while a backup runs: the agent stops the dump, records the run as interrupted and exits
// within 10 s; the next run the service starts resumes it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recoverCrashedRuns } from '../backend/src/backup/run.js';
import { BACKUP_ID } from '../backend/src/catalog/paths.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { dumpProcessFor, waitFor } from './helpers/proc.js';
import { openEvents, request, serve } from './helpers/serve.js';
import { makeWorkspace, runWarden, startWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();
const readManifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

describe('warden serve: graceful shutdown', () => {
  it('on SIGTERM during a backup, records it as interrupted and exits within 10 s', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'] })]);
    const s = await serve(ws.config);
    const events = await openEvents(s);
    const release = await lockTable(server, 'shop.orders');
    try {
      const r = await request(s, 'POST', '/api/v1/targets/shop/backups');
      expect(r.status).toBe(202);
      await waitForLockWait(server, 'shop.orders');
      expect(dumpProcessFor(server.port)).toBeDefined();

      const t0 = Date.now();
      const result = await s.stop('SIGTERM');
      const seconds = (Date.now() - t0) / 1000;
      expect(seconds).toBeLessThan(10);
      expect(result.code, result.stderr).toBe(0);

      const manifest = JSON.parse(readFileSync(path.join(ws.repository, 'shop', r.json.id, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ id: r.json.id, status: 'interrupted', class: 'killed' });
      expect(manifest.finishedAt).not.toBeNull();
      // The event stream saw the end before it was closed.
      expect(events.events.find((e) => e.name === 'run-finished' && e.data.id === r.json.id)?.data).toMatchObject({ status: 'interrupted' });
      expect(s.logLines().some((l) => l.msg === 'stopped')).toBe(true);
      await waitFor(() => !dumpProcessFor(server.port), 10_000, 'the dump process to end');
    } finally {
      events.close();
      await release();
    }
  });
});

describe('warden serve: resume after a shutdown', () => {
  it('a per-table run stopped by SIGTERM is completed by the next run, keeping the finished tables', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'], method: 'per-table', parallel: 2 })], { retry: { maxAttempts: 1 } });
    const first = await serve(ws.config);
    const release = await lockTable(server, 'shop.orders');
    let id: string;
    let kept: Array<{ file: string; ino: number; mtimeMs: number }>;
    try {
      const r = await request(first, 'POST', '/api/v1/targets/shop/backups');
      expect(r.status).toBe(202);
      id = r.json.id;
      await waitForLockWait(server, 'shop.orders');
      const dir = path.join(ws.repository, 'shop', id);
      // The other worker finishes its tables while orders waits for the lock.
      await waitFor(() => readManifest(dir).tables.some((t: { status: string }) => t.status === 'done'), 30_000, 'a table to complete');
      const stopped = await first.stop('SIGTERM');
      expect(stopped.code, stopped.stderr).toBe(0);
      const m = readManifest(dir);
      expect(m.status).toBe('interrupted');
      kept = m.tables
        .filter((t: { status: string }) => t.status === 'done')
        .map((t: { file: string }) => ({ file: t.file, ...pick(statSync(path.join(dir, t.file))) }));
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThan(m.tables.length);
    } finally {
      await release();
    }

    const second = await serve(ws.config);
    const events = await openEvents(second);
    try {
      const r = await request(second, 'POST', '/api/v1/targets/shop/backups');
      expect(r.status).toBe(202);
      expect(r.json.id).toBe(id!);
      const finished = await events.next((e) => e.name === 'run-finished' && e.data.id === id, 60_000, 'the resumed run to finish');
      expect(finished.data).toMatchObject({ status: 'success', class: 'none' });
      const dir = path.join(ws.repository, 'shop', id!);
      const m = readManifest(dir);
      expect(m.status).toBe('success');
      expect(m.tables.every((t: { status: string }) => t.status === 'done')).toBe(true);
      expect(m.warnings.join('\n')).toMatch(/resumed: \d+ table\(s\) kept/);
      for (const before of kept!) expect(pick(statSync(path.join(dir, before.file))), before.file).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
    } finally {
      events.close();
      await second.stop('SIGTERM');
    }
  });
});

function pick(st: { ino: number; mtimeMs: number }) {
  return { ino: st.ino, mtimeMs: st.mtimeMs };
}

describe('warden backup killed while it verifies the backup it took', () => {
  it('leaves a run that reads running, then interrupted: never success without its verification', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'], verifyAfterBackup: 'restore' })]);
    const run = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    const target = path.join(ws.repository, 'shop');
    const manifest = () => {
      const id = existsSync(target) ? readdirSync(target).find((n) => BACKUP_ID.test(n)) : undefined;
      try {
        return id ? readManifest(path.join(target, id)) : undefined;
      } catch {
        return undefined; // between the temporary file and its rename
      }
    };
    // The dump is stored (its files are recorded) and the restore verification has begun.
    const seen = await waitFor(
      () => {
        const m = manifest();
        return m && (m.status !== 'running' || m.files.length > 0) ? m : undefined;
      },
      60_000,
      'the dump to be stored',
    );
    run.child.kill('SIGKILL');
    await run.done;
    expect(seen).toMatchObject({ status: 'running', verification: null });
    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.json.backups[0].status).not.toBe('success');
    // The next run recovers it as interrupted (its lock is free once stale).
    expect(await recoverCrashedRuns(ws.repository, 'shop')).toEqual([seen.id]);
    expect(manifest()).toMatchObject({ status: 'interrupted', class: 'killed' });
  });
});
