// The offsite copy against a real radosgw (test/harness/objectStore.ts) and a real MariaDB, through
// the built CLI: a good backup is copied and read back, an unreachable or refusing offsite leaves
// the local backup good with the copy's failure recorded and classified, the next run copies the
// backlog, and a copy that reads back different is caught.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort } from '../backend/src/mysql/throwawayServer.js';
import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { S3Storage } from '../backend/src/storage/s3.js';
import { backupSummarySchema, offsiteAnswerSchema } from '../backend/src/contract/api.js';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { useObjectStore } from './harness/objectStore.js';
import { openEvents, request, serve } from './helpers/serve.js';
import { makeWorkspace, runWarden, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();
const objectStore = useObjectStore();
const FAST_RETRY = { maxAttempts: 2, baseDelaySeconds: 0.1, maxDelaySeconds: 0.2 };

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

interface Listed {
  id: string;
  status: string;
  offsite: { state: string; location: string | null; attempts: number; error: { class: string; message: string } | null } | null;
}

function workspace(s3: Record<string, unknown>, offsite: Record<string, unknown>) {
  const targets = [targetFor(getServer(), 'shop', { databases: ['shop'] })];
  const ws = makeWorkspace(targets, { retry: FAST_RETRY, s3: { ...objectStore().settings, ...s3 }, offsite });
  const rewrite = (nextS3: Record<string, unknown>, nextOffsite = offsite) =>
    writeFileSync(ws.config, stringify({ repository: ws.repository, targets, retry: FAST_RETRY, s3: { ...objectStore().settings, ...nextS3 }, offsite: nextOffsite }));
  return { ...ws, rewrite };
}

async function backup(config: string) {
  const r = await runWarden(['backup', '--target', 'shop', '--config', config, '--json']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json as { id: string };
}

async function list(config: string): Promise<Listed[]> {
  const r = await runWarden(['list', '--config', config, '--json']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json.backups as Listed[];
}

/** Every file of the local manifest is in the bucket with the manifest's sha256, and so is the manifest. */
async function expectCopied(localManifest: { files: { name: string; sha256: string; bytes: number }[] }, location: string) {
  const storage = new S3Storage(objectStore().settings);
  const names = (await storage.list(location)).map((e) => e.name).sort();
  expect(names).toEqual([...localManifest.files.map((f) => f.name), 'manifest.json'].sort());
  for (const f of localManifest.files) expect(await storage.digest(storage.join(location, f.name))).toEqual({ bytes: f.bytes, sha256: f.sha256 });
  expect(JSON.parse(await storage.readText(storage.join(location, 'manifest.json')))).toEqual(localManifest);
}

async function manifestOf(config: string, id: string) {
  const r = await runWarden(['list', '--config', config, '--json']);
  const dir = (r.json.backups as { id: string; dir: string }[]).find((b) => b.id === id)!.dir;
  const { readFileSync } = await import('node:fs');
  return JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
}

describe('offsite copy', () => {
  it('copies a good backup after its verification and reads it back: every hash matches, the state is copied', async () => {
    const bucket = await objectStore().createBucket();
    const ws = workspace({}, { repository: `s3://${bucket}/warden` });
    const { id } = await backup(ws.config);
    const [listed] = await list(ws.config);
    expect(listed).toMatchObject({ id, status: 'success', offsite: { state: 'copied', location: `s3://${bucket}/warden/shop/${id}`, attempts: 1, error: null } });
    await expectCopied(await manifestOf(ws.config, id), `s3://${bucket}/warden/shop/${id}`);
    const text = await runWarden(['list', '--config', ws.config]);
    expect(text.stdout).toContain('offsite:copied');
  }, 180_000);

  it('warden serve copies a backup the API started (in a worker thread) and the API reports the copy', async () => {
    const bucket = await objectStore().createBucket();
    const ws = workspace({}, { repository: `s3://${bucket}/warden` });
    const s = await serve(ws.config);
    try {
      const events = await openEvents(s);
      const started = await request(s, 'POST', '/api/v1/targets/shop/backups');
      expect(started.status, started.text).toBe(202);
      await events.next((e) => e.name === 'run-finished' && e.data.id === started.json.id, 120_000, 'the run to finish');
      events.close();
      const { json } = await request(s, 'GET', '/api/v1/backups?target=shop', { token: null });
      const [summary] = json.backups;
      expect(backupSummarySchema.safeParse(summary).error).toBeUndefined();
      expect(summary).toMatchObject({ id: started.json.id, status: 'success', offsite: { state: 'copied', location: `s3://${bucket}/warden/shop/${started.json.id}` } });
      const one = await request(s, 'GET', `/api/v1/backups/${started.json.id}/offsite`, { token: null });
      expect(offsiteAnswerSchema.safeParse(one.json).error).toBeUndefined();
      expect(one.json.offsite).toEqual(summary.offsite);
      const metrics = (await request(s, 'GET', '/metrics', { token: null })).text;
      expect(metrics).toMatch(/^mysql_backup_offsite_newest_copied\{target="shop"\} 1$/m);
      expect(metrics).toMatch(/^mysql_backup_offsite_waiting_backups\{target="shop"\} 0$/m);
    } finally {
      await s.stop();
    }
  }, 240_000);

  it('an unreachable offsite leaves the local backup good, records storage_network, and the next run copies the backlog', async () => {
    const bucket = await objectStore().createBucket();
    const ws = workspace({ endpoint: `http://127.0.0.1:${await freePort()}` }, { repository: `s3://${bucket}/warden` });
    const first = await backup(ws.config);
    const second = await backup(ws.config);
    const down = await list(ws.config);
    expect(down.map((b) => b.status)).toEqual(['success', 'success']);
    // The first run failed its copy (retried by the policy); the second tried its own backup, the newest, first, failed, and stopped there.
    expect(down.find((b) => b.id === first.id)!.offsite).toMatchObject({ state: 'failed', attempts: 2, error: { class: 'storage_network' } });
    expect(down.find((b) => b.id === second.id)!.offsite).toMatchObject({ state: 'failed', attempts: 2, error: { class: 'storage_network' } });
    expect((await runWarden(['list', '--config', ws.config])).stdout).toContain('offsite:FAILED[storage_network]');

    ws.rewrite({});
    const third = await backup(ws.config);
    const up = await list(ws.config);
    for (const run of [first, second, third]) {
      const listed = up.find((b) => b.id === run.id)!;
      expect(listed.offsite, run.id).toMatchObject({ state: 'copied', error: null });
      await expectCopied(await manifestOf(ws.config, run.id), listed.offsite!.location!);
    }
  }, 300_000);

  it('after an outage the newest backup is copied first; a copy stopped mid-upload is cleaned up; a backup another agent copies is left to it', async () => {
    const bucket = await objectStore().createBucket();
    const repository = `s3://${bucket}/warden`;
    const ws = workspace({ endpoint: `http://127.0.0.1:${await freePort()}` }, { repository, maxCopiesPerRun: 1 });
    const first = await backup(ws.config);
    const second = await backup(ws.config);
    // What a copy killed mid-file leaves: a multipart upload with a part, which no listing shows.
    const storage = new S3Storage(objectStore().settings);
    const Key = `warden/shop/${first.id}/dump.sql.zst`;
    const { UploadId } = await storage.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    await storage.client.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }));
    expect(await storage.unfinished(`${repository}/shop/${first.id}`)).toEqual(['dump.sql.zst.partial']);

    // Storage back, one copy per run: the new backup, the newest restore point, goes before the backlog.
    ws.rewrite({});
    const third = await backup(ws.config);
    const after = await list(ws.config);
    expect(after.find((b) => b.id === third.id)!.offsite).toMatchObject({ state: 'copied' });
    for (const old of [first, second]) expect(after.find((b) => b.id === old.id)!.offsite, old.id).toMatchObject({ state: 'failed', attempts: 2 });

    // Another agent holds the second backup's copy: this run copies its own and the first, and leaves the second alone.
    ws.rewrite({}, { repository, maxCopiesPerRun: 5 });
    const release = await storage.lock(`${repository}/shop/${second.id}`);
    try {
      const fourth = await backup(ws.config);
      const now = await list(ws.config);
      expect(now.find((b) => b.id === fourth.id)!.offsite).toMatchObject({ state: 'copied' });
      expect(now.find((b) => b.id === second.id)!.offsite).toMatchObject({ state: 'failed', attempts: 2 });
      expect(now.find((b) => b.id === first.id)!.offsite).toMatchObject({ state: 'copied', attempts: 3 });
      await expectCopied(await manifestOf(ws.config, first.id), `${repository}/shop/${first.id}`);
      expect(await storage.unfinished(`${repository}/shop/${first.id}`)).toEqual([]);
    } finally {
      await release();
    }
  }, 420_000);

  it('a new offsite repository gets every good backup, also those copied to the old one', async () => {
    const [before, after] = [await objectStore().createBucket(), await objectStore().createBucket()];
    const ws = workspace({}, { repository: `s3://${before}/warden` });
    const first = await backup(ws.config);
    expect((await list(ws.config))[0]!.offsite).toMatchObject({ state: 'copied', location: `s3://${before}/warden/shop/${first.id}` });
    ws.rewrite({}, { repository: `s3://${after}/warden` });
    expect((await list(ws.config))[0]!.offsite).toMatchObject({ state: 'pending', location: null });
    const second = await backup(ws.config);
    const now = await list(ws.config);
    for (const run of [first, second]) {
      const location = `s3://${after}/warden/shop/${run.id}`;
      expect(now.find((b) => b.id === run.id)!.offsite, run.id).toMatchObject({ state: 'copied', location });
      await expectCopied(await manifestOf(ws.config, run.id), location);
    }
  }, 300_000);

  it('a damaged local backup is not copied and does not hold back the backlog behind it', async () => {
    const bucket = await objectStore().createBucket();
    const repository = `s3://${bucket}/warden`;
    const ws = workspace({ endpoint: `http://127.0.0.1:${await freePort()}` }, { repository });
    const first = await backup(ws.config);
    const second = await backup(ws.config);
    const damaged = await manifestOf(ws.config, first.id);
    const dir = (await runWarden(['list', '--config', ws.config, '--json'])).json.backups.find((b: { id: string }) => b.id === first.id).dir as string;
    const file = `${dir}/${damaged.files[0].name}`;
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(file, bytes);

    ws.rewrite({});
    const third = await backup(ws.config);
    const after = await list(ws.config);
    expect(after.find((b) => b.id === first.id)!.offsite).toMatchObject({ state: 'failed', error: { class: 'verification' } });
    for (const run of [second, third]) expect(after.find((b) => b.id === run.id)!.offsite, run.id).toMatchObject({ state: 'copied' });
    // Nothing of the damaged one passes for a backup there.
    expect(await new S3Storage(objectStore().settings).size(`${repository}/shop/${first.id}/manifest.json`)).toBeNull();
  }, 300_000);

  it('wrong credentials: storage_credentials, never retried, the local backup good', async () => {
    const bucket = await objectStore().createBucket();
    process.env.WARDEN_TEST_OFFSITE_WRONG_SECRET = 'wrong';
    const ws = workspace({ secretKeyEnv: 'WARDEN_TEST_OFFSITE_WRONG_SECRET' }, { repository: `s3://${bucket}/warden` });
    const { id } = await backup(ws.config);
    const [listed] = await list(ws.config);
    expect(listed).toMatchObject({ id, status: 'success', offsite: { state: 'failed', attempts: 1, error: { class: 'storage_credentials' } } });
    // What the storage said, not the SDK's "UnknownError" for an answer without a message.
    expect(listed!.offsite!.error!.message).toBe('offsite copy: the storage answered SignatureDoesNotMatch (HTTP 403)');
    expect(await new S3Storage(objectStore().settings).list(`s3://${bucket}/warden/shop`)).toEqual([]);
  }, 180_000);

  it('a copy that reads back different (a proxy corrupting the object) is checksum_mismatch, never copied', async () => {
    const bucket = await objectStore().createBucket();
    const target = new URL(objectStore().endpoint);
    // Forwards everything to radosgw, but flips the first byte of every dump read back.
    const proxy = createServer((req, res) => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let first = req.method === 'GET' && /\/dump\.sql/.test(req.url ?? '') && (answer.statusCode ?? 0) < 300;
        answer.on('data', (chunk: Buffer) => {
          if (first && chunk.length > 0) {
            chunk = Buffer.from(chunk);
            chunk[0] = chunk[0]! ^ 0xff;
            first = false;
          }
          res.write(chunk);
        });
        answer.on('end', () => res.end());
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const ws = workspace({ endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }, { repository: `s3://${bucket}/warden` });
      const { id } = await backup(ws.config);
      const [listed] = await list(ws.config);
      expect(listed).toMatchObject({ id, status: 'success', offsite: { state: 'failed', attempts: 2, error: { class: 'checksum_mismatch' } } });
      // The manifest, the commit point, never reached the bucket.
      const storage = new S3Storage(objectStore().settings);
      expect(await storage.size(`s3://${bucket}/warden/shop/${id}/manifest.json`)).toBeNull();
    } finally {
      proxy.close();
    }
  }, 180_000);
});
