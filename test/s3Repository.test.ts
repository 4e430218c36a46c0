// The commands on a repository in S3-compatible object storage (Ceph's gateway, harness/objectStore.ts):
// a backup streamed into the bucket in bounded memory, then listed, verified and restored from it;
// a killed agent, a corrupted object, two agents at once, and retention.
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { useObjectStore } from './harness/objectStore.js';
import { tableChecksums } from './helpers/content.js';
import { dumpProcessFor, waitFor } from './helpers/proc.js';
import { openEvents, request, serve } from './helpers/serve.js';
import { makeWorkspace, type RunResult, runWarden, startWarden, targetFor, type TestTarget, WARDEN_BIN } from './helpers/warden.js';

const objectStore = useObjectStore();
const getServer = useMariaDB();
const MiB = 1 << 20;
/** Random bytes, so that compression cannot hide how much went through the agent. */
const BIG_ROWS = 256 * 1024;
/** A holder that died (SIGKILL) keeps its lock this long (storage/s3.ts, STALE_MS). */
const LOCK_STALE_MS = 30_000;

beforeAll(async () => {
  const server = getServer();
  await loadSampleShop(server, 'shop');
  await server.exec(`CREATE DATABASE big; USE big; CREATE TABLE noise (id INT PRIMARY KEY, b BLOB); INSERT INTO noise SELECT seq, RANDOM_BYTES(1024) FROM seq_1_to_${BIG_ROWS};`);
}, 300_000);

/** A configuration whose repository is a new bucket of the object store. */
async function s3Workspace(targets: TestTarget[], extra: Record<string, unknown> = {}) {
  const bucket = await objectStore().createBucket();
  const ws = makeWorkspace(targets, { repository: `s3://${bucket}/warden`, s3: objectStore().settings, ...extra });
  return { ...ws, bucket };
}

async function keys(bucket: string): Promise<string[]> {
  const out = await objectStore().client().send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function unfinishedUploads(bucket: string): Promise<string[]> {
  return ((await objectStore().client().send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).map((u) => u.Key!);
}

/** `warden backup` under GNU time: its result and the agent's peak resident memory. */
function measuredBackup(config: string, target: string): Promise<RunResult & { peakRss: number }> {
  const child = spawn('/usr/bin/time', ['-v', process.execPath, WARDEN_BIN, 'backup', '--config', config, '--target', target, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
      let json: unknown = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        // not JSON output
      }
      resolve({ code, signal, stdout, stderr, json, peakRss: Number(kb) * 1024 });
    });
  });
}

describe('a repository on S3-compatible object storage', () => {
  it('takes a backup into the bucket, lists it, verifies it up to a restore and restores from it', async () => {
    const server = getServer();
    const ws = await s3Workspace([targetFor(server, 'shop', { databases: ['shop'] })], { verify: { scratch: { socket: server.socket, user: 'root' } } });
    const check = await runWarden(['check', '--config', ws.config, '--target', 'shop', '--json']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const checks = Object.fromEntries((check.json.targets[0].checks as { name: string; detail: string }[]).map((c) => [c.name, c.detail]));
    expect(checks.repository).toMatch(/is writable/);
    expect(checks.space).toMatch(/object storage has no free space to check/);

    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, status: 'success', dir: `s3://${ws.bucket}/warden/shop/${r.json.id}` });
    const prefix = `warden/shop/${r.json.id}`;
    expect(await keys(ws.bucket)).toEqual([`${prefix}/dump.sql.zst`, `${prefix}/log.jsonl`, `${prefix}/manifest.json`]);
    expect(await unfinishedUploads(ws.bucket)).toEqual([]);
    // The run's log is stored beside its manifest, lines of the backup and of its verification.
    const log = await (await objectStore().client().send(new GetObjectCommand({ Bucket: ws.bucket, Key: `${prefix}/log.jsonl` }))).Body!.transformToString();
    expect(log).toMatch(/"msg":"backup started"/);
    expect(log).toMatch(/"msg":"verify finished: valid"/);
    expect(log).toMatch(/"msg":"backup finished"/);

    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.json.backups).toHaveLength(1);
    expect(list.json.backups[0]).toMatchObject({ id: r.json.id, status: 'success', verification: { level: 'parse', ok: true } });

    const verify = await runWarden(['verify', r.json.id, '--config', ws.config, '--level', 'restore', '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.json).toMatchObject({ ok: true, level: 'restore', class: 'none' });
    const byUrl = await runWarden(['verify', r.json.dir, '--config', ws.config, '--level', 'checksum', '--json']);
    expect(byUrl.json).toMatchObject({ ok: true, level: 'checksum' });

    const restored = await runWarden(['restore', r.json.id, '--config', ws.config, '--target', 'shop', '--database', 'shop_from_s3', '--json']);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(await tableChecksums(server, 'shop_from_s3')).toEqual(await tableChecksums(server, 'shop'));
  }, 180_000);

  it('backs up, lists, serves the log of and verifies a backup through the API of warden serve (worker threads)', async () => {
    const ws = await s3Workspace([targetFor(getServer(), 'shop', { databases: ['shop'] })]);
    const agent = await serve(ws.config);
    const events = await openEvents(agent);
    try {
      expect((await request(agent, 'GET', '/readyz', { token: null })).status).toBe(200);
      const started = await request(agent, 'POST', '/api/v1/targets/shop/backups');
      expect(started.status).toBe(202);
      const finished = await events.next((e) => e.name === 'run-finished' && e.data.id === started.json.id, 120_000, 'the backup');
      expect(finished.data).toMatchObject({ status: 'success' });
      const list = await request(agent, 'GET', '/api/v1/backups?target=shop', { token: null });
      expect(list.json.backups.map((b: { id: string; status: string }) => [b.id, b.status])).toEqual([[started.json.id, 'success']]);
      const log = await request(agent, 'GET', `/api/v1/backups/${started.json.id}/log`, { token: null });
      expect(log.status).toBe(200);
      expect(log.json.lines.map((l: { msg: string }) => l.msg)).toEqual(expect.arrayContaining(['backup started', 'verify finished: valid', 'backup finished']));
      expect((await request(agent, 'POST', `/api/v1/backups/${started.json.id}/verify`, { body: { level: 'checksum' } })).status).toBe(202);
      const verified = await events.next((e) => e.name === 'run-finished' && e.data.kind === 'verify', 60_000, 'the verification');
      expect(verified.data).toMatchObject({ status: 'success' });
    } finally {
      events.close();
      await agent.stop();
    }
  }, 240_000);

  it('takes a per-table backup into the bucket, one object per table, that verifies and restores', async () => {
    const server = getServer();
    const ws = await s3Workspace([targetFor(server, 'shop', { databases: ['shop'], method: 'per-table', parallel: 2 })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const stored = await keys(ws.bucket);
    expect(stored.filter((k) => k.endsWith('.sql.zst')).length).toBeGreaterThan(3);
    expect(await unfinishedUploads(ws.bucket)).toEqual([]);
    const restored = await runWarden(['restore', r.json.id, '--config', ws.config, '--target', 'shop', '--database', 'shop_per_table_s3', '--json']);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(await tableChecksums(server, 'shop_per_table_s3')).toEqual(await tableChecksums(server, 'shop'));
  }, 180_000);

  it('keeps a bounded number of table files uploading when the bucket answers slower than the dump', async () => {
    const server = getServer();
    await server.exec(`CREATE DATABASE many; USE many; ${Array.from({ length: 30 }, (_, i) => `CREATE TABLE t${i} (id INT PRIMARY KEY); INSERT INTO t${i} VALUES (${i});`).join(' ')}`);
    // The gateway behind a link that takes DELAY_MS to store each object: a remote bucket.
    const DELAY_MS = 400;
    let inFlight = 0;
    let peak = 0;
    const target = new URL(objectStore().endpoint);
    const proxy = createServer((req, res) => {
      const tableFile = req.method === 'PUT' && /\/data-\d+-many\.t\d+\.sql/.test(req.url ?? '');
      if (tableFile) peak = Math.max(peak, ++inFlight);
      const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const reply = () => {
          if (tableFile) inFlight--;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        };
        if (tableFile) setTimeout(reply, DELAY_MS);
        else reply();
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const bucket = await objectStore().createBucket();
      const ws = makeWorkspace([targetFor(server, 'many', { databases: ['many'], method: 'per-table', parallel: 1 })], {
        repository: `s3://${bucket}/warden`,
        s3: { ...objectStore().settings, endpoint },
      });
      const r = await runWarden(['backup', '--config', ws.config, '--target', 'many', '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect((await keys(bucket)).filter((k) => /\/data-\d+-many\.t\d+\.sql/.test(k))).toHaveLength(30);
      // Each table's file still uploading holds up to a part in memory: a few at a time, never one per table.
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(3);
    } finally {
      proxy.close();
      await server.exec('DROP DATABASE many');
    }
  }, 180_000);

  it('list, expire, verify, restore and serve say what is wrong with the bucket, classified, never an unexpected error', async () => {
    const server = getServer();
    const id = '20261201T000000.000Z-aaaa';
    const cases = [
      { ws: makeWorkspace([targetFor(server, 'shop')], { repository: 's3://no-such-bucket/warden', s3: objectStore().settings }), env: {}, cls: 'storage_no_bucket', code: 'NoSuchBucket' },
      { ws: await s3Workspace([targetFor(server, 'shop')]), env: { WARDEN_TEST_S3_SECRET: 'not-the-secret' }, cls: 'storage_credentials', code: 'SignatureDoesNotMatch' },
    ];
    for (const { ws, env, cls, code } of cases) {
      for (const args of [['list'], ['expire'], ['verify', id], ['restore', id, '--target', 'shop', '--database', 'nowhere']]) {
        const r = await runWarden([...args, '--config', ws.config, '--json'], env);
        expect(r.code, `${args[0]}: ${r.stdout}${r.stderr}`).toBe(1);
        expect(r.json).toMatchObject({ ok: false, error: { class: cls, code, message: `the repository's storage failed: ${code}` } });
        expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
        const text = await runWarden([...args, '--config', ws.config], env);
        expect(text.stdout).toContain(`[${cls}]\n  hint: `);
      }
      // warden serve does not start on a repository it cannot read: it says why.
      const served = await runWarden(['serve', '--config', ws.config, '--listen', '127.0.0.1:0'], { ...env, WARDEN_API_TOKEN: 'a-token-of-some-length-0123456789' });
      expect(served.code, served.stdout + served.stderr).toBe(1);
      expect(served.stdout).toContain(`the repository's storage failed: ${code} [${cls}]`);
      expect(served.stderr).not.toMatch(/unexpected error|\n\s+at /);
    }
  }, 180_000);

  it('fails the pre-flight, saying why, when the bucket is missing or the credentials are not set', async () => {
    const server = getServer();
    const repositoryCheck = (r: RunResult) => (r.json.targets[0].checks as { name: string }[]).find((c) => c.name === 'repository');
    const missing = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'] })], { repository: 's3://no-such-bucket/warden', s3: objectStore().settings });
    const r = await runWarden(['check', '--config', missing.config, '--target', 'shop', '--json']);
    expect(r.json, r.stdout + r.stderr).not.toBeNull();
    expect(r.code).toBe(1);
    expect(repositoryCheck(r)).toMatchObject({ status: 'FAIL', class: 'config', detail: expect.stringMatching(/^s3:\/\/no-such-bucket\/warden\/shop: cannot write a probe object: NoSuchBucket/) });

    const ws = await s3Workspace([targetFor(server, 'shop', { databases: ['shop'] })]);
    const unset = await runWarden(['check', '--config', ws.config, '--target', 'shop', '--json'], { WARDEN_TEST_S3_KEY: '' });
    expect(unset.code).toBe(1);
    expect(repositoryCheck(unset)).toMatchObject({ status: 'FAIL', class: 'config', detail: expect.stringContaining('S3 credentials: set WARDEN_TEST_S3_KEY and WARDEN_TEST_S3_SECRET, or s3.credentialsFile') });
    // A backup starts no run: it says why, as a failure, never a crash.
    const backup = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json'], { WARDEN_TEST_S3_KEY: '' });
    expect(backup.code).toBe(1);
    expect(backup.json).toMatchObject({ ok: false, error: { message: expect.stringContaining('S3 credentials: set WARDEN_TEST_S3_KEY') } });
    expect(backup.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(await keys(ws.bucket)).toEqual([]);
  }, 120_000);

  it('takes a physical backup into the bucket, verifies it with a server on it and restores a datadir from it', async () => {
    const ws = await s3Workspace([targetFor(getServer(), 'phys', { databases: ['shop'], method: 'physical' })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'phys', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, status: 'success' });
    expect(await keys(ws.bucket)).toEqual(['backup.mbstream.zst', 'log.jsonl', 'manifest.json'].map((f) => `warden/phys/${r.json.id}/${f}`));
    const v = await runWarden(['verify', r.json.id, '--config', ws.config, '--level', 'restore', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ ok: true, level: 'restore', problems: [] });
    const datadir = path.join(mkdtempSync(path.join(os.tmpdir(), 'warden-s3-datadir-')), 'data');
    try {
      const restored = await runWarden(['restore', r.json.id, '--config', ws.config, '--datadir', datadir, '--json']);
      expect(restored.code, restored.stdout + restored.stderr).toBe(0);
      expect(readdirSync(datadir)).toEqual(expect.arrayContaining(['ibdata1', 'shop']));
    } finally {
      rmSync(path.dirname(datadir), { recursive: true, force: true });
    }
  }, 300_000);

  it('streams a large dump into the bucket with the agent in bounded memory', async () => {
    const ws = await s3Workspace([targetFor(getServer(), 'big', { databases: ['big'] }), targetFor(getServer(), 'small', { databases: ['shop'] })]);
    const small = await measuredBackup(ws.config, 'small');
    expect(small.code, small.stdout + small.stderr.slice(-2000)).toBe(0);
    const big = await measuredBackup(ws.config, 'big');
    expect(big.code, big.stdout + big.stderr.slice(-2000)).toBe(0);
    // Hex of random bytes: zstd takes back the hex's doubling and no more.
    expect(big.json.bytes).toBeGreaterThan(BIG_ROWS * 1024);
    console.log(`peak RSS ${(small.peakRss / MiB).toFixed(0)} MiB for ${(small.json.bytes / MiB).toFixed(1)} MiB stored, ${(big.peakRss / MiB).toFixed(0)} MiB for ${(big.json.bytes / MiB).toFixed(0)} MiB`);
    // Parts of 8 MiB, four in flight, a part being filled, the verification's reads: what a large
    // backup adds to a small one's peak (about 100 MiB here) stays below what it stored, which
    // buffering would add at least (the bench shows the peak flat when the data doubles).
    expect(big.peakRss - small.peakRss).toBeLessThan(big.json.bytes * 0.75);
    expect(big.peakRss).toBeLessThan(256 * MiB);
  }, 300_000);

  it('leaves no listed backup and, after the next run, no unfinished upload when the agent is killed mid-upload', async () => {
    const server = getServer();
    const ws = await s3Workspace([targetFor(server, 'shop', { databases: ['big'] })], { retry: { maxAttempts: 1 } });
    const run = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    run.child.stdin!.end();
    await waitFor(async () => (await unfinishedUploads(ws.bucket)).length > 0, 120_000, 'a multipart upload');
    run.child.kill('SIGKILL');
    await run.done;

    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.json.backups).toHaveLength(1);
    expect(list.json.backups[0].status).not.toBe('success');
    expect((await keys(ws.bucket)).filter((k) => k.includes('dump.sql'))).toEqual([]);

    // The next run, once the dead agent's lock is stale, aborts the upload and records the run as interrupted.
    await sleep(LOCK_STALE_MS);
    const small = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'] })], { repository: `s3://${ws.bucket}/warden`, s3: objectStore().settings });
    const next = await runWarden(['backup', '--config', small.config, '--target', 'shop', '--json']);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(await unfinishedUploads(ws.bucket)).toEqual([]);
    const after = await runWarden(['list', '--config', small.config, '--json']);
    expect(after.json.backups.map((b: { status: string; class: string }) => [b.status, b.class])).toEqual([
      ['success', 'none'],
      ['interrupted', 'killed'],
    ]);
  }, 300_000);

  it('aborts its multipart upload when the dump fails or the agent is stopped: nothing left unfinished', async () => {
    const server = getServer();
    const ws = await s3Workspace([targetFor(server, 'shop', { databases: ['big'] })], { retry: { maxAttempts: 1 } });
    const underWay = async () => {
      const run = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
      run.child.stdin!.end();
      await waitFor(async () => (await unfinishedUploads(ws.bucket)).length > 0, 120_000, 'a multipart upload');
      return run;
    };

    const failing = await underWay();
    process.kill(dumpProcessFor(server.port)!.pid, 'SIGKILL');
    const failed = await failing.done;
    expect(failed.json).toMatchObject({ ok: false, status: 'failed', class: 'killed', path: null });
    expect(await unfinishedUploads(ws.bucket)).toEqual([]);

    const stopped = await underWay();
    stopped.child.kill('SIGTERM');
    const interrupted = await stopped.done;
    expect(interrupted.json).toMatchObject({ ok: false, status: 'interrupted' });
    expect(await unfinishedUploads(ws.bucket)).toEqual([]);
    expect((await keys(ws.bucket)).filter((k) => !/\/(manifest\.json|log\.jsonl)$/.test(k))).toEqual([]);
  }, 300_000);

  it('fails the verification of a corrupted object, classified', async () => {
    const ws = await s3Workspace([targetFor(getServer(), 'shop', { databases: ['shop'] })]);
    const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const Key = `warden/shop/${r.json.id}/dump.sql.zst`;
    const body = Buffer.from(await (await objectStore().client().send(new GetObjectCommand({ Bucket: ws.bucket, Key }))).Body!.transformToByteArray());
    const mid = Math.floor(body.length / 2);
    body[mid] = body[mid]! ^ 0xff;
    await objectStore().client().send(new PutObjectCommand({ Bucket: ws.bucket, Key, Body: body }));

    const v = await runWarden(['verify', r.json.id, '--config', ws.config, '--level', 'checksum', '--json']);
    expect(v.code).toBe(1);
    expect(v.json).toMatchObject({ ok: false, class: 'verification' });
    expect(v.json.problems).toEqual([{ kind: 'checksum', detail: expect.stringMatching(/^dump\.sql\.zst: sha256 is [0-9a-f]{64}; the manifest says [0-9a-f]{64}$/) }]);
  }, 120_000);

  it('lets one of two agents back up a target at once: the other is told it is locked', async () => {
    const ws = await s3Workspace([targetFor(getServer(), 'shop', { databases: ['big'], verifyAfterBackup: 'none' })]);
    const first = startWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    first.child.stdin!.end();
    // The first holds the lock once its dump is on its way into the bucket.
    await waitFor(async () => (await unfinishedUploads(ws.bucket)).length > 0, 120_000, 'the first backup\'s upload');
    const second = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
    expect(second.code).toBe(1);
    expect(second.json).toMatchObject({ ok: false, error: { class: 'lock_timeout', message: 'another backup of target "shop" is running; two runs of one target never overlap' } });
    const done = await first.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.json.backups.map((x: { status: string }) => x.status)).toEqual(['success']);
  }, 300_000);

  it('deletes only what the retention policy says', async () => {
    const ws = await s3Workspace([targetFor(getServer(), 'shop', { databases: ['shop'], verifyAfterBackup: 'none', retention: { keepLast: 2 } })]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runWarden(['backup', '--config', ws.config, '--target', 'shop', '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      ids.push(r.json.id);
    }
    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.json.backups.map((b: { id: string }) => b.id)).toEqual([ids[2], ids[1]]);
    const stored = await keys(ws.bucket);
    expect(stored.filter((k) => k.includes(ids[0]!))).toEqual([]);
    for (const id of ids.slice(1)) expect(stored.filter((k) => k.includes(id))).toEqual(['dump.sql.zst', 'log.jsonl', 'manifest.json'].map((f) => `warden/shop/${id}/${f}`));
    // A dry run of the same policy finds nothing more to delete.
    const dry = await runWarden(['expire', '--config', ws.config, '--dry-run', '--json']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.json.targets[0].deleted).toEqual([]);
  }, 300_000);
});
