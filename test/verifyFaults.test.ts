// Verification that cannot read what it checks, or runs too long: it ends, classified, in the CLI
// and in the service (never "verify running" for good, which would block every backup with 409),
// and a stop signal ends it within the agent's shutdown bound.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { openEvents, request, serve } from './helpers/serve.js';
import { waitFor } from './helpers/proc.js';
import { makeWorkspace, runWarden, startWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();
let ws: ReturnType<typeof makeWorkspace>;
let backupDir = '';

beforeAll(async () => {
  const server = getServer();
  await loadSampleShop(server, 'shop');
  ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'] })], { verify: { scratch: { socket: server.socket, user: 'root' }, deadline: 3 } });
  const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
  expect(r.code, r.stderr).toBe(0);
  backupDir = r.json.dir as string;
});

/** A copy of the backup whose dump file is a directory: every read of it fails (EISDIR). */
function unreadableCopy(): string {
  const dir = `${backupDir}-unreadable-${Math.random().toString(16).slice(2, 8)}`;
  cpSync(backupDir, dir, { recursive: true });
  rmSync(path.join(dir, 'dump.sql.zst'));
  mkdirSync(path.join(dir, 'dump.sql.zst'));
  return dir;
}

describe('a read error during verification', () => {
  it.each(['checksum', 'parse', 'restore'])('ends --level %s with a classified failure (CLI)', async (level) => {
    const dir = unreadableCopy();
    const started = Date.now();
    const r = await runWarden(['verify', dir, '--config', ws.config, '--level', level, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, class: 'verification' });
    expect(r.json.problems).toEqual(expect.arrayContaining([{ kind: 'missing-file', detail: expect.stringMatching(/dump\.sql\.zst could not be read: EISDIR/) }]));
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('ends in the service too, and the target takes backups again', async () => {
    const agent = await serve(ws.config);
    const events = await openEvents(agent);
    try {
      const dir = unreadableCopy();
      const id = path.basename(backupDir);
      // The service finds backups by id in the repository: swap the real one for the broken copy.
      const real = `${backupDir}.real`;
      cpSync(backupDir, real, { recursive: true });
      rmSync(backupDir, { recursive: true });
      cpSync(dir, backupDir, { recursive: true });
      try {
        expect((await request(agent, 'POST', `/api/v1/backups/${id}/verify`, { body: { level: 'parse' } })).status).toBe(202);
        const finished = await events.next((e) => e.name === 'run-finished' && e.data.kind === 'verify', 30_000, 'the verification to finish');
        expect(finished.data).toMatchObject({ status: 'failed', class: 'verification' });
        const again = await request(agent, 'POST', '/api/v1/targets/shop/backups');
        expect(again.status).toBe(202);
        await events.next((e) => e.name === 'run-finished' && e.data.kind === 'backup' && e.data.id === again.json.id, 60_000, 'the backup');
      } finally {
        rmSync(backupDir, { recursive: true, force: true });
        cpSync(real, backupDir, { recursive: true });
        rmSync(real, { recursive: true, force: true });
      }
    } finally {
      events.close();
      await agent.stop();
    }
  });
});

describe('a verification that does not finish', () => {
  /** Holds every write on the scratch server, so a restore verification waits. */
  async function holdScratch(): Promise<() => Promise<void>> {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: getServer().port, user: 'root' });
    await conn.query('FLUSH TABLES WITH READ LOCK');
    return () => conn.end();
  }

  it('stops at verify.deadline and is classified timeout', async () => {
    const release = await holdScratch();
    try {
      const r = await runWarden(['verify', backupDir, '--config', ws.config, '--level', 'restore', '--json']);
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({ ok: false, class: 'timeout' });
      expect(r.json.problems).toEqual([{ kind: 'timeout', detail: expect.stringMatching(/within its deadline of 3 s/) }]);
    } finally {
      await release();
    }
  });

  it('ends within 10 s of SIGTERM', async () => {
    const release = await holdScratch();
    try {
      const run = startWarden(['verify', backupDir, '--config', ws.config, '--level', 'restore', '--json']);
      run.child.stdin!.end();
      // Stopped once it is really verifying (waiting on the held scratch server), however slowly it started.
      await waitFor(async () => {
        const [row] = await getServer().query<{ n: number }>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for%lock%'");
        return Number(row?.n) > 0;
      }, 30_000, 'the verification to wait on the scratch server');
      const stopped = Date.now();
      run.child.kill('SIGTERM');
      const r = await run.done;
      expect(Date.now() - stopped).toBeLessThan(10_000);
      expect(r.code).toBe(1);
    } finally {
      await release();
    }
  });
});
