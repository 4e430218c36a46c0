// `warden serve` archives the binary logs of a target with binlog.archive on while it runs, says in
// /metrics and the API how far a point-in-time restore reaches, and stops the tool when it stops.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveIndexSchema } from '../backend/src/binlogfile/archive.js';
import { targetInfoSchema } from '../backend/src/contract/api.js';
import { METRICS } from '../backend/src/contract/metrics.js';
import { useMariaDB } from './harness/mariadb.js';
import { processes, waitFor } from './helpers/proc.js';
import { request, serve, type Served } from './helpers/serve.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB({ binlog: true });

beforeAll(async () => {
  await getServer().createDatabase('shop');
  await getServer().query('CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40))');
});

const insert = (note: string) => getServer().query('INSERT INTO shop.orders (note) VALUES (?)', [note]);

const binlogTool = () => processes().find((p) => p.argv.some((a) => /(mariadb-binlog|mysqlbinlog)$/.test(a)) && p.argv.includes(`--port=${getServer().port}`));

/** The value of a metric's series for a target; undefined when absent. */
async function scrape(s: Served): Promise<{ text: string; value: (name: string, target: string) => number | undefined }> {
  const text = (await request(s, 'GET', '/metrics', { token: null })).text;
  const value = (name: string, target: string) => {
    const m = new RegExp(`^${name}\\{target="${target}"\\} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  return { text, value };
}

const BINLOG_SERIES = [METRICS.binlogLastEvent, METRICS.binlogLag, METRICS.binlogGap, METRICS.recoverableTo].map((m) => m.name);

describe('warden serve: binlog archiving', () => {
  it('archives while it runs, reports how far a restore reaches, and stops the tool on shutdown', async () => {
    const ws = makeWorkspace([
      targetFor(getServer(), 'shop', { databases: ['shop'], verifyAfterBackup: 'none', binlog: { archive: true, flushSeconds: 1 } }),
      { name: 'plain', host: '127.0.0.1', port: 1, user: 'root' },
    ]);
    const indexFile = path.join(ws.repository, 'shop', 'binlog', 'index.json');
    const readIndex = () => {
      try {
        return archiveIndexSchema.parse(JSON.parse(readFileSync(indexFile, 'utf8')));
      } catch {
        return null;
      }
    };
    const s = await serve(ws.config);
    try {
      // Archived with no backup yet: nothing to replay from.
      await insert('before-backup');
      const [status] = await getServer().query<{ File: string }>('SHOW MASTER STATUS');
      const finished = status!.File;
      await getServer().query('FLUSH BINARY LOGS');
      await waitFor(() => readIndex()?.files.some((f) => f.name === finished), 30_000, `${finished} to be archived`);
      const before = await waitFor(async () => {
        const m = await scrape(s);
        return (m.value(METRICS.binlogLastEvent.name, 'shop') ?? 0) > 0 ? m : null;
      }, 30_000, 'the archive to report its newest event');
      expect(before.value(METRICS.recoverableTo.name, 'shop')).toBe(0);
      expect(before.value(METRICS.binlogGap.name, 'shop')).toBe(0);
      // A target without archiving has none of the four.
      for (const name of BINLOG_SERIES) expect(before.value(name, 'plain'), name).toBeUndefined();

      // A full backup with coordinates, then writes after it: a restore reaches them.
      const backup = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.json.binlog.file).toMatch(/\.\d+$/);
      const written = Math.floor(Date.now() / 1000);
      await insert('after-backup');
      const after = await waitFor(async () => {
        const m = await scrape(s);
        return (m.value(METRICS.recoverableTo.name, 'shop') ?? 0) >= written && (m.value(METRICS.binlogLastEvent.name, 'shop') ?? 0) >= written ? m : null;
      }, 30_000, 'the archive to reach the write after the backup');
      const now = Date.now() / 1000;
      expect(after.value(METRICS.recoverableTo.name, 'shop')).toBeLessThanOrEqual(now);
      expect(after.value(METRICS.binlogLastEvent.name, 'shop')).toBeLessThanOrEqual(now);
      expect(after.value(METRICS.binlogGap.name, 'shop')).toBe(0);
      // Flushed every second and caught up: the lag stays within a few flushes.
      expect(after.value(METRICS.binlogLag.name, 'shop')).toBeGreaterThanOrEqual(0);
      expect(after.value(METRICS.binlogLag.name, 'shop')).toBeLessThan(10);
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: after.text, encoding: 'utf8' });
      expect(lint.status, lint.stdout + lint.stderr).toBe(0);

      const targets = (await request(s, 'GET', '/api/v1/targets', { token: null })).json.targets.map((t: unknown) => targetInfoSchema.parse(t));
      const shop = targets.find((t: { name: string }) => t.name === 'shop')!;
      expect(shop.binlog).toMatchObject({ state: 'streaming', gap: false, lastFailure: null, current: readIndex()!.current!.name });
      expect(Date.parse(shop.binlog!.recoverableTo!) / 1000).toBeGreaterThanOrEqual(written);
      expect(Date.parse(shop.binlog!.recoverableTo!)).toBeLessThanOrEqual(Date.now());
      // The replay starts in a file the archive holds.
      const index = readIndex()!;
      expect([...index.files.map((f) => f.name), index.current!.name]).toContain(backup.json.binlog.file);
      expect(shop.binlog!.lagSeconds).toBeLessThan(10);
      expect(targets.find((t: { name: string }) => t.name === 'plain')).not.toHaveProperty('binlog');
      expect(binlogTool()).toBeDefined();
    } finally {
      const r = await s.stop();
      expect(r.code, r.stderr).toBe(0);
    }
    // The agent waited for its archiver to stop the tool before it exited.
    expect(binlogTool()).toBeUndefined();
  });
});
