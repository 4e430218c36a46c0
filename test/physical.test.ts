// `method: physical` with the real mariadb-backup and mbstream against a throwaway MariaDB: a full
// backup taken while the server is written to and proven by a restore, a user without RELOAD
// stopped by the pre-flight, and a killed tool that publishes nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema } from '../backend/src/contract/manifest.js';
import { loadSampleShop, type SampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { lockTable } from './helpers/faults.js';
import { processes, waitFor } from './helpers/proc.js';
import { writeLoad } from './helpers/writeLoad.js';
import { makeWorkspace, runWarden, startWarden, targetFor } from './helpers/warden.js';

const PASSWORD = 'Phys-Pa55-that-must-never-show-41c2';
const ENV = { PHYS_PW: PASSWORD };
const getServer = useMariaDB({ binlog: true });
let shop: SampleShop;

beforeAll(async () => {
  const server = getServer();
  shop = await loadSampleShop(server, 'shop');
  await server.exec('CREATE TABLE shop.ticks (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6) NOT NULL) ENGINE=InnoDB');
  // Outside the target's databases: a write lock on it holds the tool's backup lock, not the agent's counts.
  await server.exec('CREATE DATABASE side; CREATE TABLE side.log (id INT PRIMARY KEY) ENGINE=MyISAM');
  // What mariadb-backup 10.11 asks for, plus SELECT for the agent's row counts.
  await server.createUser('phys', PASSWORD, ['RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR, SELECT ON *.*']);
  await server.createUser('noreload', PASSWORD, ['PROCESS, LOCK TABLES, BINLOG MONITOR, SELECT ON *.*']);
});

function physicalWorkspace(user: string, extra: Record<string, unknown> = {}) {
  return makeWorkspace([targetFor(getServer(), 'shop', { user, passwordEnv: 'PHYS_PW', databases: ['shop'], method: 'physical', ...extra })]);
}

function runDirs(repository: string): string[] {
  return readdirSync(path.join(repository, 'shop'))
    .filter((d) => !d.startsWith('.'))
    .map((d) => path.join(repository, 'shop', d));
}

describe('physical backups', () => {
  it('takes a full backup under a write load that restores with the recorded row counts', async () => {
    const ws = physicalWorkspace('phys');
    const load = writeLoad(getServer());
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    const written = await load.stop();
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(written).toBeGreaterThan(0);
    expect(r.json).toMatchObject({ ok: true, status: 'success', class: 'none', compression: 'zstd' });
    expect(r.json.tool.name).toBe('mariadb-backup');

    const dir = r.json.dir as string;
    expect(readdirSync(dir).sort()).toEqual(['backup.mbstream.zst', 'log.jsonl', 'manifest.json']);
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    expect(manifest.method).toBe('physical');
    expect(manifest.verification).toMatchObject({ level: 'parse', ok: true });
    const file = path.join(dir, 'backup.mbstream.zst');
    expect(manifest.files).toEqual([expect.objectContaining({ name: 'backup.mbstream.zst', role: 'stream', bytes: statSync(file).size })]);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(manifest.sha256);
    expect(manifest.options).toEqual(expect.arrayContaining(['--backup', '--stream=mbstream']));
    expect(manifest.options.join(' ')).not.toContain('defaults-file');

    // Coordinates and LSNs from the tool's log, the same as the checkpoints file inside the stream.
    expect(manifest.binlog).toMatchObject({ file: expect.stringMatching(/^binlog\.\d+$/), gtid: expect.stringMatching(/^\d+-\d+-\d+$/) });
    expect(manifest.binlog!.position).toBeGreaterThan(0);
    expect(manifest.lsn!.fromLsn).toBe(0);
    expect(manifest.lsn!.lastLsn).toBeGreaterThanOrEqual(manifest.lsn!.toLsn);
    const unpacked = mkdtempSync(path.join(os.tmpdir(), 'warden-physical-test-'));
    try {
      execFileSync('sh', ['-c', 'zstd -dc "$1" | mbstream -x -C "$2"', 'sh', file, unpacked]);
      const checkpoints = readFileSync(path.join(unpacked, 'xtrabackup_checkpoints'), 'utf8');
      expect(checkpoints).toContain(`to_lsn = ${manifest.lsn!.toLsn}`);
      expect(checkpoints).toContain(`last_lsn = ${manifest.lsn!.lastLsn}`);
      expect(readFileSync(path.join(unpacked, 'xtrabackup_binlog_info'), 'utf8').split('\t').slice(0, 2)).toEqual([manifest.binlog!.file, String(manifest.binlog!.position)]);
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }

    // Tables nobody wrote to are counted exactly; the one written during the backup is an estimate.
    const counts = Object.fromEntries(manifest.tables.map((t) => [t.name, t]));
    for (const [table, rows] of Object.entries(shop.tables)) expect(counts[`shop.${table}`], table).toEqual({ name: `shop.${table}`, rows });
    expect(counts['shop.ticks']).toMatchObject({ estimated: true });

    const v = await runWarden(['verify', dir, '--level', 'restore', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ ok: true, level: 'restore', problems: [] });
    expect(v.json.restoreSeconds).toBeGreaterThan(0);
    for (const note of v.json.notes as string[]) expect(note).toMatch(/^shop\.ticks: \d+ rows restored; the manifest's estimate is \d+$/);

    // The restore really compares: an exact count that is off fails it.
    const altered = structuredClone(manifest);
    altered.tables.find((t) => t.name === 'shop.customers')!.rows += 1;
    altered.rows += 1;
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(altered));
    const bad = await runWarden(['verify', dir, '--level', 'restore', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.json.problems).toEqual([
      { kind: 'row-count', table: 'shop.customers', detail: `shop.customers: ${shop.tables.customers} rows restored; the manifest says ${shop.tables.customers! + 1}` },
    ]);
  }, 180_000);

  it('stops a user without RELOAD at the pre-flight with class privilege', async () => {
    const ws = physicalWorkspace('noreload');
    const check = await runWarden(['check', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    expect(check.code).toBe(1);
    const checks = check.json.targets[0].checks as { name: string; status: string; detail: string; class: string | null }[];
    expect(checks.find((c) => c.name === 'grants')).toMatchObject({ status: 'FAIL', class: 'privilege', detail: 'missing: RELOAD ON *.*' });
    expect(checks.find((c) => c.name === 'datadir')).toMatchObject({ status: 'OK' });
    expect(checks.find((c) => c.name === 'tool')?.detail).toMatch(/^mariadb-backup: /);

    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, status: 'failed', class: 'privilege' });
    expect(r.json.error.message).toContain('RELOAD');
    const [dir] = runDirs(ws.repository);
    expect(readdirSync(dir!).sort()).toEqual(['log.jsonl', 'manifest.json']);
  }, 60_000);

  it("estimates the space of a physical backup from the server's tables on disk, then from the previous full backup", async () => {
    const ws = physicalWorkspace('phys', { verifyAfterBackup: 'none' });
    const estimate = async () => {
      const check = await runWarden(['check', '--config', ws.config, '--target', 'shop', '--json'], ENV);
      const space = (check.json.targets[0].checks as { name: string; detail: string }[]).find((c) => c.name === 'space')!;
      return Number(/\(estimate ([\d.]+) MiB x /.exec(space.detail)?.[1]);
    };
    const first = await estimate();
    // Every table of the server, data and indexes (the tool copies them all, not the target's databases only), at the stated 0.5 for zstd.
    const [{ bytes }] = (await getServer().query<{ bytes: string }>("SELECT SUM(DATA_LENGTH + INDEX_LENGTH) AS bytes FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'")) as [{ bytes: string }];
    expect(first).toBeCloseTo(Math.ceil(Number(bytes) * 0.5) / 1048576, 0);
    const [{ shopData }] = (await getServer().query<{ shopData: string }>("SELECT SUM(DATA_LENGTH) AS shopData FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop'")) as [{ shopData: string }];
    expect(first).toBeGreaterThan((Number(shopData) * 0.5) / 1048576 + 1);

    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], ENV);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await estimate()).toBeCloseTo(Math.ceil((r.json.bytes as number) * 1.1) / 1048576, 1);
  }, 120_000);

  it('publishes nothing when the tool is killed midway, and says killed', async () => {
    const server = getServer();
    const ws = physicalWorkspace('phys', { retry: { maxAttempts: 1 }, verifyAfterBackup: 'none' });
    // The tool waits for its backup lock behind this one, so the kill lands before it can finish.
    const unlock = await lockTable(server, 'side.log');
    try {
      const run = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], ENV);
      const tool = await waitFor(() => processes().find((p) => /mariadb-backup$/.test(p.argv[0] ?? '') && p.argv.includes(`--port=${server.port}`)), 30_000, 'mariadb-backup');
      await waitFor(async () => (await server.query<{ State: string | null }>('SHOW PROCESSLIST')).some((p) => /backup lock/i.test(p.State ?? '')), 30_000, 'the backup lock wait');
      process.kill(tool.pid, 'SIGKILL');
      const r = await run.done;
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.json).toMatchObject({ ok: false, status: 'failed', class: 'killed' });
      expect(r.json.error.message).toBe('mariadb-backup was killed by SIGKILL');
    } finally {
      await unlock();
    }
    const [dir] = runDirs(ws.repository);
    expect(readdirSync(dir!).sort()).toEqual(['log.jsonl', 'manifest.json']);
  }, 60_000);
});
