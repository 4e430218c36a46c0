// Per-table backups: one file per table, a consistent mode, and resume after an interruption.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop, type SampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { waitFor } from './helpers/proc.js';
import { tableChecksums } from './helpers/content.js';
import { makeWorkspace, runWarden, startWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB({ binlog: true });
let shop: SampleShop;

beforeAll(async () => {
  shop = await loadSampleShop(getServer(), 'shop');
});

interface ManifestFile {
  name: string;
  role: string;
  table?: string;
  sha256: string;
}

function readManifest(dir: string) {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

function sql(dir: string, file: string): string {
  return execFileSync('zstd', ['-dc', path.join(dir, file)], { maxBuffer: 1 << 30 }).toString('utf8');
}

/** Loads a per-table backup into `db`: schema, then each table's data, then the triggers. */
function loadInto(dir: string, db: string): void {
  const server = getServer();
  const m = readManifest(dir);
  const rewrite = (text: string) => text.replace(/^CREATE DATABASE .*`shop`.*;$/m, '').replace(/^USE `shop`;$/gm, `USE \`${db}\`;`);
  const files: ManifestFile[] = m.files;
  const ordered = [...files.filter((f) => f.role === 'schema'), ...files.filter((f) => f.role === 'data'), ...files.filter((f) => f.role === 'post')];
  execFileSync('mariadb', ['-h127.0.0.1', `-P${server.port}`, '-uroot', '-e', `CREATE DATABASE \`${db}\``]);
  for (const f of ordered) {
    const text = f.role === 'data' ? `USE \`${db}\`;\n${sql(dir, f.name)}` : rewrite(sql(dir, f.name));
    execFileSync('mariadb', ['-h127.0.0.1', `-P${server.port}`, '-uroot', db], { input: text, maxBuffer: 1 << 30 });
  }
}


/** Starts a per-table backup and stops it (SIGTERM) once some of its tables are done; its folder. */
async function interruptedRun(config: string, repository: string): Promise<string> {
  const run = startWarden(['backup', '--config', config, '--target', 'shop', '--json']);
  run.child.stdin!.end();
  await waitForLockWait(getServer(), 'shop.orders');
  // Wait until the other worker has finished its tables, then stop the run.
  const manifestPath = await waitFor(() => {
    try {
      const repo = path.join(repository, 'shop');
      const id = execFileSync('ls', [repo]).toString().trim().split('\n').at(-1)!;
      const m = readManifest(path.join(repo, id));
      return m.status === 'running' && m.tables.some((t: { status: string }) => t.status === 'done') ? path.join(repo, id) : undefined;
    } catch {
      return undefined;
    }
  }, 30_000, 'a table to complete');
  run.child.kill('SIGTERM');
  const r = await run.done;
  expect(r.code).toBe(1);
  expect(r.json.status).toBe('interrupted');
  return manifestPath;
}

describe('per-table method', () => {
  it('writes one verified file per table, consistent across tables, and restores exactly', async () => {
    const ws = makeWorkspace([targetFor(getServer(), 'shop', { databases: ['shop'], method: 'per-table', parallel: 2, consistent: true })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ status: 'success', method: 'per-table' });
    const m = readManifest(r.json.dir);
    expect(m.tables.every((t: { status: string }) => t.status === 'done')).toBe(true);
    expect(Object.fromEntries(m.tables.map((t: { name: string; rows: number }) => [t.name, t.rows]))).toEqual(
      Object.fromEntries(Object.entries(shop.tables).map(([t, n]) => [`shop.${t}`, n])),
    );
    const roles = m.files.map((f: ManifestFile) => f.role);
    expect(roles.filter((x: string) => x === 'data')).toHaveLength(Object.keys(shop.tables).length);
    expect(roles).toContain('schema');
    expect(roles).toContain('post');
    for (const f of m.files as ManifestFile[]) {
      expect(createHash('sha256').update(readFileSync(path.join(r.json.dir, f.name))).digest('hex'), f.name).toBe(f.sha256);
      expect(statSync(path.join(r.json.dir, f.name)).mode & 0o777).toBe(0o600);
    }
    // Consistent mode read the binlog position under the global read lock.
    expect(m.binlog.file).toMatch(/^binlog\.\d+$/);
    expect(m.objects.trigger.length).toBeGreaterThan(0);
    expect(m.objects.view).toContain('shop.v_customer_totals');

    loadInto(r.json.dir, 'shop_pt');
    expect(await tableChecksums(getServer(), 'shop_pt')).toEqual(await tableChecksums(getServer(), 'shop'));
  });

  it('resumes an interrupted run without re-dumping the tables it finished', async () => {
    const ws = makeWorkspace([targetFor(getServer(), 'shop', { databases: ['shop'], method: 'per-table', parallel: 2 })], { retry: { maxAttempts: 1 } });
    const release = await lockTable(getServer(), 'shop.orders');
    let dir: string;
    let kept: Map<string, { ino: number; mtimeMs: number; sha256: string }>;
    try {
      const manifestPath = await interruptedRun(ws.config, ws.repository);
      dir = manifestPath;
      const m = readManifest(dir);
      const done = m.tables.filter((t: { status: string }) => t.status === 'done');
      expect(done.length).toBeGreaterThan(0);
      expect(done.length).toBeLessThan(m.tables.length);
      kept = new Map(
        done.map((t: { file: string }) => {
          const st = statSync(path.join(dir, t.file));
          const f = m.files.find((x: ManifestFile) => x.name === t.file);
          return [t.file, { ino: st.ino, mtimeMs: st.mtimeMs, sha256: f.sha256 }];
        }),
      );
    } finally {
      await release();
    }

    const resumed = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--resume', '--json']);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(resumed.json.status).toBe('success');
    expect(resumed.json.dir).toBe(dir!);
    const m = readManifest(dir!);
    expect(m.tables.every((t: { status: string }) => t.status === 'done')).toBe(true);
    expect(m.attempts.length).toBeGreaterThanOrEqual(2);
    expect(m.warnings.join('\n')).toMatch(/resumed: \d+ table\(s\) kept/);
    // The finished tables were not dumped again: same inode, same mtime, same checksum.
    for (const [file, before] of kept!) {
      const st = statSync(path.join(dir!, file));
      expect({ ino: st.ino, mtimeMs: st.mtimeMs }, file).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
      expect(m.files.find((x: ManifestFile) => x.name === file).sha256).toBe(before.sha256);
    }
    loadInto(dir!, 'shop_resumed');
    expect(await tableChecksums(getServer(), 'shop_resumed')).toEqual(await tableChecksums(getServer(), 'shop'));
  });

  it('resumes by default, as the agent does; --no-resume starts a new run', async () => {
    const ws = makeWorkspace([targetFor(getServer(), 'shop', { databases: ['shop'], method: 'per-table', parallel: 2 })], { retry: { maxAttempts: 1 } });
    let release = await lockTable(getServer(), 'shop.orders');
    const first = await interruptedRun(ws.config, ws.repository).finally(release);
    const fresh = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--no-resume', '--json']);
    expect(fresh.json.status, fresh.stdout).toBe('success');
    expect(fresh.json.dir).not.toBe(first);
    expect(readManifest(first).status).toBe('interrupted');

    release = await lockTable(getServer(), 'shop.orders');
    const second = await interruptedRun(ws.config, ws.repository).finally(release);
    const resumed = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    expect(resumed.json.status, resumed.stdout).toBe('success');
    expect(resumed.json.dir).toBe(second);
  });
});
