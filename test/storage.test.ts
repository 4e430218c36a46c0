// The storage contract (backend/src/storage/types.ts) against each implementation: POSIX, and S3
// through a real S3 protocol server (test/harness/objectStore.ts). The pipeline's order (files
// committed before the manifest says success) is checked by the backup tests (test/shutdown.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { storageOf, useObjectStorage } from '../backend/src/storage/index.js';
import { PosixStorage } from '../backend/src/storage/posix.js';
import { S3Storage } from '../backend/src/storage/s3.js';
import type { Storage } from '../backend/src/storage/types.js';
import { useObjectStore } from './harness/objectStore.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const names = async (storage: Storage, dir: string) => (await storage.list(dir)).map((e) => e.name).sort();
/** More than one part (S3's smallest is 5 MiB): an upload under way is then on the server. */
const PART = 5 << 20;

const posixFolder = () => mkdtempSync(path.join(os.tmpdir(), 'warden-storage-'));
const objectStore = useObjectStore();
let s3: S3Storage | undefined;
let bucket: string | undefined;
let folders = 0;

const implementations: { name: string; storage: () => Storage; folder: () => Promise<string> }[] = [
  { name: 'POSIX', storage: () => new PosixStorage(3000), folder: async () => posixFolder() },
  {
    name: 'S3',
    storage: () => (s3 ??= new S3Storage(objectStore().settings, { staleMs: 3000, partSize: PART, queueSize: 2 })),
    folder: async () => `s3://${(bucket ??= await objectStore().createBucket())}/repo/${++folders}`,
  },
];

describe.each(implementations)('the storage contract ($name)', ({ storage: storageFn, folder }) => {
  it('shows a file under its name only once committed, with the digest of what is stored', async () => {
    const storage = storageFn();
    const dir = await folder();
    const file = storage.join(dir, 'dump.sql.gz');
    const data = randomBytes(PART + (1 << 20));
    const pending = storage.create(file);
    await pipeline(Readable.from([data.subarray(0, 1 << 20), data.subarray(1 << 20)]), pending.writable());
    expect(await pending.size()).toBe(data.length);
    expect(await storage.size(file)).toBeNull();
    expect(await names(storage, dir)).not.toContain('dump.sql.gz');
    expect(await storage.unfinished(dir)).toEqual(['dump.sql.gz.partial']);
    expect(await pending.commit()).toEqual({ bytes: data.length, sha256: sha(data) });
    expect(await storage.size(file)).toBe(data.length);
    expect(await storage.list(dir)).toEqual([{ name: 'dump.sql.gz', kind: 'file', bytes: data.length }]);
    expect(await storage.unfinished(dir)).toEqual([]);
    expect(await storage.digest(file)).toEqual({ bytes: data.length, sha256: sha(data) });
    const chunks: Buffer[] = [];
    for await (const chunk of storage.read(file)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('takes the digest the writer computed instead of reading the file back', async () => {
    const storage = storageFn();
    const pending = storage.create(storage.join(await folder(), 'f'));
    await pipeline(Readable.from([Buffer.from('abc')]), pending.writable());
    expect(await pending.commit({ bytes: 3, sha256: 'claimed' })).toEqual({ bytes: 3, sha256: 'claimed' });
  });

  it('stores an empty file', async () => {
    const storage = storageFn();
    const file = storage.join(await folder(), 'empty');
    const pending = storage.create(file);
    await pipeline(Readable.from([]), pending.writable());
    expect(await pending.commit()).toEqual({ bytes: 0, sha256: sha('') });
    expect(await storage.size(file)).toBe(0);
  });

  it('leaves nothing, under either name, of a file that is aborted', async () => {
    const storage = storageFn();
    const dir = await folder();
    const pending = storage.create(storage.join(dir, 'f'));
    // Exactly two parts: the second is the last, held until commit.
    await pipeline(Readable.from([randomBytes(2 * PART)]), pending.writable());
    expect(await storage.unfinished(dir)).toEqual(['f.partial']);
    await pending.abort();
    expect(await storage.list(dir)).toEqual([]);
    expect(await storage.unfinished(dir)).toEqual([]);
  });

  it('removes what a crashed write left when told its unfinished name', async () => {
    const storage = storageFn();
    const dir = await folder();
    // Never committed nor aborted: what a process killed mid-write leaves.
    await pipeline(Readable.from([randomBytes(PART + 10)]), storage.create(storage.join(dir, 'dump.sql')).writable());
    const [left] = await storage.unfinished(dir);
    expect(left).toBe('dump.sql.partial');
    await storage.remove(storage.join(dir, left!));
    expect(await storage.unfinished(dir)).toEqual([]);
    expect(await storage.list(dir)).toEqual([]);
  });

  it('replaces a small file in one step: a reader sees the old text or the new, never a mix', async () => {
    const storage = storageFn();
    const dir = await folder();
    const file = storage.join(dir, 'manifest.json');
    const a = 'a'.repeat(4 << 20);
    const b = 'b'.repeat(4 << 20);
    await storage.writeText(file, a);
    const writing = storage.writeText(file, b);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add((await storage.readText(file)).slice(-1) + (await storage.readText(file)).length);
    await writing;
    for (const s of seen) expect([`a${a.length}`, `b${b.length}`]).toContain(s);
    expect(await storage.readText(file)).toBe(b);
    expect(await names(storage, dir)).toEqual(['manifest.json']);
  });

  it('removes a folder and everything in it, and says how many bytes that freed', async () => {
    const storage = storageFn();
    const dir = await folder();
    const run = storage.join(dir, 'run');
    await storage.makeFolder(storage.join(run, 'tables'));
    await storage.writeText(storage.join(run, 'manifest.json'), '{}');
    await storage.writeText(storage.join(run, 'dump.sql'), 'x'.repeat(100));
    await storage.writeText(storage.join(run, 'tables', 't1.sql'), 'y'.repeat(10));
    await storage.writeText(storage.join(dir, 'other'), 'z');
    expect(await storage.list(dir)).toEqual(expect.arrayContaining([{ name: 'run', kind: 'folder', bytes: 0 }]));
    expect(await storage.usage(run)).toBe(112);
    expect(await storage.removeFolder(run)).toBe(112);
    expect(await names(storage, dir)).toEqual(['other']);
    expect(await storage.readText(storage.join(dir, 'other'))).toBe('z');
  });

  it('lists nothing, sizes nothing and reads nothing where nothing is', async () => {
    const storage = storageFn();
    const dir = await folder();
    expect(await storage.list(storage.join(dir, 'none'))).toEqual([]);
    expect(await storage.size(storage.join(dir, 'none'))).toBeNull();
    expect(await storage.usage(storage.join(dir, 'none'))).toBe(0);
    await expect(storage.readText(storage.join(dir, 'none'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(text(storage.read(storage.join(dir, 'none')))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('locks a folder for one holder at a time, and frees it on release', async () => {
    const storage = storageFn();
    const dir = await folder();
    expect(await storage.isLocked(dir)).toBe(false);
    const release = await storage.lock(dir);
    expect(await storage.isLocked(dir)).toBe(true);
    await expect(storage.lock(dir)).rejects.toMatchObject({ code: 'ELOCKED' });
    await release();
    expect(await storage.isLocked(dir)).toBe(false);
    await (await storage.lock(dir))();
  });
});

describe('the storage contract (POSIX only)', () => {
  const storage = new PosixStorage(3000);

  it('writes files private, and lets a child process write a pending file itself', async () => {
    const dir = posixFolder();
    const pending = storage.create(storage.join(dir, 'f'));
    writeFileSync(pending.localPath!, 'half');
    expect(await pending.commit()).toEqual({ bytes: 4, sha256: sha('half') });
    expect(statSync(path.join(dir, 'f')).mode & 0o777).toBe(0o600);
    await storage.writeText(storage.join(dir, 'm'), 'x');
    expect(statSync(path.join(dir, 'm')).mode & 0o777).toBe(0o600);
  });

  it('never follows a symbolic link: listed as other, refused when read, not deleted through', async () => {
    const dir = posixFolder();
    const outside = posixFolder();
    writeFileSync(path.join(outside, 'precious'), 'keep me');
    symlinkSync(path.join(outside, 'precious'), path.join(dir, 'link'));
    symlinkSync(outside, path.join(dir, 'linked-folder'));
    const run = path.join(dir, 'run');
    mkdirSync(run);
    writeFileSync(path.join(run, 'dump.sql'), 'x'.repeat(100));
    symlinkSync(outside, path.join(run, 'escape'));

    const kinds = Object.fromEntries((await storage.list(dir)).map((e) => [e.name, e.kind]));
    expect(kinds).toEqual({ link: 'other', 'linked-folder': 'other', run: 'folder' });
    await expect(storage.readText(path.join(dir, 'link'))).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(storage.size(path.join(dir, 'link'))).rejects.toMatchObject({ code: 'ELOOP' });
    const read = storage.read(path.join(dir, 'link'));
    await expect(new Promise((_resolve, reject) => read.on('error', reject).resume())).rejects.toMatchObject({ code: 'ELOOP' });

    // A folder disappears in one step and frees only its own bytes; what a link inside points at stays.
    expect(await storage.removeFolder(run)).toBe(100);
    expect(existsSync(run)).toBe(false);
    expect(readFileSync(path.join(outside, 'precious'), 'utf8')).toBe('keep me');
  });
});

describe('storageOf', () => {
  it('holds absolute paths and s3:// locations once object storage is configured, and says so for any other', async () => {
    expect(storageOf('/var/backups/warden')).toBeInstanceOf(PosixStorage);
    expect(() => storageOf('s3://bucket/prefix')).toThrow(/object storage is not configured/);
    await useObjectStorage(objectStore().settings);
    expect(storageOf('s3://bucket/prefix')).toBeInstanceOf(S3Storage);
    expect(() => storageOf('backups')).toThrow(/no storage holds "backups"/);
  });
});
