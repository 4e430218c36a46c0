// The storage contract (backend/src/storage/types.ts) against its POSIX implementation: what a
// second implementation (object storage) must keep too. The pipeline's order (files committed
// before the manifest says success) is checked by the backup tests (test/shutdown.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { storageOf } from '../backend/src/storage/index.js';
import { PosixStorage } from '../backend/src/storage/posix.js';

const storage = new PosixStorage(3000);
const folder = () => mkdtempSync(path.join(os.tmpdir(), 'warden-storage-'));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('the storage contract (POSIX)', () => {
  it('shows a file under its name only once committed, private, with the digest of what is stored', async () => {
    const dir = folder();
    const file = storage.join(dir, 'dump.sql.gz');
    const data = randomBytes(3 << 20);
    const pending = storage.create(file);
    await pipeline(Readable.from([data.subarray(0, 1 << 20), data.subarray(1 << 20)]), pending.writable());
    expect(await pending.size()).toBe(data.length);
    expect(await storage.size(file)).toBeNull();
    expect(await storage.unfinished(dir)).toEqual(['dump.sql.gz.partial']);
    expect(await pending.commit()).toEqual({ bytes: data.length, sha256: sha(data) });
    expect(readFileSync(file).equals(data)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await storage.unfinished(dir)).toEqual([]);
    expect(await storage.digest(file)).toEqual({ bytes: data.length, sha256: sha(data) });
  });

  it('takes the digest the writer computed instead of reading the file back', async () => {
    const dir = folder();
    const pending = storage.create(storage.join(dir, 'f'));
    await pipeline(Readable.from([Buffer.from('abc')]), pending.writable());
    expect(await pending.commit({ bytes: 3, sha256: 'claimed' })).toEqual({ bytes: 3, sha256: 'claimed' });
  });

  it('leaves nothing, under either name, of a file that is aborted', async () => {
    const dir = folder();
    const pending = storage.create(storage.join(dir, 'f'));
    writeFileSync(pending.localPath!, 'half');
    await pending.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces a small file in one step: a reader sees the old text or the new, never a mix', async () => {
    const dir = folder();
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
    expect(readdirSync(dir)).toEqual(['manifest.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never follows a symbolic link: listed as other, refused when read, not deleted through', async () => {
    const dir = folder();
    const outside = folder();
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

  it('lists nothing, and sizes nothing, where nothing is', async () => {
    const dir = folder();
    expect(await storage.list(path.join(dir, 'none'))).toEqual([]);
    expect(await storage.size(path.join(dir, 'none'))).toBeNull();
    expect(await storage.usage(path.join(dir, 'none'))).toBe(0);
  });

  it('locks a folder for one holder at a time, and frees it on release', async () => {
    const dir = folder();
    expect(await storage.isLocked(dir)).toBe(false);
    const release = await storage.lock(dir);
    expect(await storage.isLocked(dir)).toBe(true);
    await expect(storage.lock(dir)).rejects.toMatchObject({ code: 'ELOCKED' });
    await release();
    expect(await storage.isLocked(dir)).toBe(false);
    await (await storage.lock(dir))();
  });

  it('holds absolute paths, and says so for any other location', () => {
    expect(storageOf('/var/backups/warden')).toBeInstanceOf(PosixStorage);
    expect(() => storageOf('s3://bucket/prefix')).toThrow(/no storage holds "s3:\/\/bucket\/prefix"/);
  });
});

