// What the S3 storage adds to the contract (test/storage.test.ts): an upload cut off by a killed
// process, memory while streaming a large object, and the lock between agents.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it, vi } from 'vitest';
import { S3Storage } from '../backend/src/storage/s3.js';
import { forEachLimit } from '../backend/src/util/concurrency.js';
import { useObjectStore } from './harness/objectStore.js';

const objectStore = useObjectStore();
const MiB = 1 << 20;

function writer(mode: 'stream' | 'interrupt', bytes: number, file: string): ChildProcess {
  return spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'helpers/s3Writer.ts'), mode, String(bytes), file], {
    env: { ...process.env, WARDEN_TEST_S3_SETTINGS: JSON.stringify(objectStore().settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes('\n')) break;
  }
  return out.trim();
}

describe('S3 storage', () => {
  it('lists nothing of an upload whose process was killed, names it unfinished and aborts it', async () => {
    const storage = new S3Storage(objectStore().settings);
    const bucket = await objectStore().createBucket();
    const dir = `s3://${bucket}/shop/run1`;
    const child = writer('interrupt', 12 * MiB, storage.join(dir, 'dump.sql.zst'));
    expect(await firstLine(child)).toBe('written');
    child.kill('SIGKILL');
    await once(child, 'exit');

    expect(await storage.list(dir)).toEqual([]);
    expect(await storage.size(storage.join(dir, 'dump.sql.zst'))).toBeNull();
    expect(await storage.unfinished(dir)).toEqual(['dump.sql.zst.partial']);
    const uploads = async () => (await objectStore().client().send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? [];
    expect((await uploads()).map((u) => u.Key)).toEqual(['shop/run1/dump.sql.zst']);

    await storage.remove(storage.join(dir, 'dump.sql.zst.partial'));
    expect(await uploads()).toEqual([]);
    expect(await storage.unfinished(dir)).toEqual([]);
  }, 60_000);

  it('streams a large object in constant memory: a few parts in flight, never the whole object', async () => {
    const storage = new S3Storage(objectStore().settings);
    const file = `s3://${await objectStore().createBucket()}/shop/run1/dump.sql.zst`;
    const bytes = 256 * MiB;
    const child = writer('stream', bytes, file);
    const report = JSON.parse(await firstLine(child)) as { growth: number; digest: { bytes: number; sha256: string } };
    await once(child, 'exit');

    const expected = createHash('sha256');
    for (let sent = 0; sent < bytes; sent += MiB) expected.update(Buffer.alloc(MiB, sent / MiB));
    expect(report.digest).toEqual({ bytes, sha256: expected.digest('hex') });
    expect(await storage.size(file)).toBe(bytes);
    // Two 5 MiB parts in flight, one being filled, the stream's buffers and the SDK's own: far
    // below the object's size, whatever that size is.
    expect(report.growth).toBeLessThan(96 * MiB);
  }, 180_000);

  it('lets exactly one of several agents take a lock at once', async () => {
    const dir = `s3://${await objectStore().createBucket()}/shop`;
    const agents = Array.from({ length: 6 }, () => new S3Storage(objectStore().settings));
    const results = await Promise.allSettled(agents.map((a) => a.lock(dir)));
    const held = results.filter((r) => r.status === 'fulfilled');
    expect(held).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ELOCKED' });
    await (held[0] as PromiseFulfilledResult<() => Promise<void>>).value();
    expect(await agents[1]!.isLocked(dir)).toBe(false);
  });

  it('never takes a lock its holder keeps refreshing, and takes over one whose holder died', async () => {
    const staleMs = 1500;
    const settings = objectStore().settings;
    const bucket = await objectStore().createBucket();
    const [holder, other] = [new S3Storage(settings, { staleMs }), new S3Storage(settings, { staleMs })];
    const release = await holder.lock(`s3://${bucket}/live`);
    await new Promise((resolve) => setTimeout(resolve, 2 * staleMs));
    await expect(other.lock(`s3://${bucket}/live`)).rejects.toMatchObject({ code: 'ELOCKED' });
    expect(await other.isLocked(`s3://${bucket}/live`)).toBe(true);
    await release();

    // A lock object nobody refreshes: what a holder killed mid-run leaves.
    await objectStore().client().send(new PutObjectCommand({ Bucket: bucket, Key: 'dead/.lock', Body: '{}' }));
    expect(await other.isLocked(`s3://${bucket}/dead`)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, staleMs + 500));
    expect(await other.isLocked(`s3://${bucket}/dead`, { observe: true })).toBe(false);
    const taken = await other.lock(`s3://${bucket}/dead`);
    await expect(holder.lock(`s3://${bucket}/dead`)).rejects.toMatchObject({ code: 'ELOCKED' });
    await taken();
  }, 30_000);

  it('removes a folder whatever its keys hold, past a listing page, and nothing beside it', async () => {
    const storage = new S3Storage(objectStore().settings);
    const bucket = await objectStore().createBucket();
    const client = objectStore().client();
    // What another tool, or someone with write access, may leave in and around a run's folder:
    // keys that XML cannot carry (control characters, a carriage return), dot segments, a double
    // slash, an object named like the folder, a sibling sharing its name's beginning.
    const inside = ['a', 'ctl\x1b[31mred', 'cr\rx', 'nl\nx', '../../../dotdot', '/dbl', './dot', 'sub/\u0001x', 'été', '%2Fenc'];
    const many = Array.from({ length: 1005 }, (_, i) => `bulk/${i}`);
    const outside = ['victim', 'w/shop/run', 'w/shop/runx', 'w/shop2/run/a', 'w/shop/other/a'];
    const keys = [...inside, ...many].map((k) => `w/shop/run/${k}`).concat(outside);
    await forEachLimit(keys, 16, async (Key) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }));
      return null;
    });

    expect(await storage.removeFolder(`s3://${bucket}/w/shop/run`)).toBe(inside.length + many.length);
    const left = (await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key);
    expect(left?.sort()).toEqual([...outside].sort());
  }, 120_000);

  it("judges a lock's age by the server's clock, whatever this host's clock says", async () => {
    const staleMs = 1500;
    const bucket = await objectStore().createBucket();
    const storage = new S3Storage(objectStore().settings, { staleMs });
    // Ten minutes off: within the skew S3 signatures tolerate (15 minutes), far beyond the lock's.
    const skewed = async (offsetMs: number, body: () => Promise<void>) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + offsetMs);
      try {
        await body();
      } finally {
        vi.useRealTimers();
      }
    };
    // A clock behind: the dead holder's lock is taken once stale, not ten minutes later.
    await objectStore().client().send(new PutObjectCommand({ Bucket: bucket, Key: 'dead/.lock', Body: '{}' }));
    await new Promise((resolve) => setTimeout(resolve, staleMs + 1500));
    await skewed(-10 * 60_000, async () => {
      expect(await storage.isLocked(`s3://${bucket}/dead`, { observe: true })).toBe(false);
      await (await storage.lock(`s3://${bucket}/dead`))();
    });
    // A clock ahead: a lock written a moment ago is live, without watching it.
    await objectStore().client().send(new PutObjectCommand({ Bucket: bucket, Key: 'live/.lock', Body: '{}' }));
    await skewed(10 * 60_000, async () => {
      expect(await storage.isLocked(`s3://${bucket}/live`)).toBe(true);
    });
  }, 30_000);
});
