import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PosixStorage } from './posix.js';
import { PARTIAL_SUFFIX } from './types.js';

const storage = new PosixStorage();

describe('hashing stored files through one reused buffer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'warden-storage-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Sizes around the 1 MiB buffer: empty, less than one, exactly one, several plus a remainder.
  it.each([0, 1, (1 << 20) - 1, 1 << 20, (3 << 20) + 12345])('hashes %i bytes like a one-shot sha256', async (size) => {
    const data = randomBytes(size);
    const file = path.join(dir, 'f');
    await writeFile(file, data);
    expect(await storage.digest(file)).toEqual({ bytes: size, sha256: createHash('sha256').update(data).digest('hex') });
  });

  it('seals a file: private mode, and the digest of what is on disk', async () => {
    const data = randomBytes((2 << 20) + 7);
    const file = path.join(dir, 'dump.sql.zst');
    // What a compressor writing the pending file itself leaves, with its own mode.
    await writeFile(file + PARTIAL_SUFFIX, data, { mode: 0o644 });
    expect(await storage.create(file).commit()).toEqual({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('a record written in one step', () => {
  it('is never written through a link planted at its temporary name', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'warden-storage-'));
    try {
      const victim = path.join(dir, 'victim');
      await writeFile(victim, 'untouched');
      await symlink(victim, path.join(dir, `offsite.json.tmp-${process.pid}`));
      await expect(storage.writeText(path.join(dir, 'offsite.json'), '{"hostile":true}')).rejects.toMatchObject({ code: 'ELOOP' });
      expect(await readFile(victim, 'utf8')).toBe('untouched');
      // A stale regular file there (a crash of an earlier process with this pid) is simply replaced.
      await rm(path.join(dir, `offsite.json.tmp-${process.pid}`));
      await writeFile(path.join(dir, `offsite.json.tmp-${process.pid}`), 'stale stale stale');
      await storage.writeText(path.join(dir, 'offsite.json'), '{}');
      expect(await readFile(path.join(dir, 'offsite.json'), 'utf8')).toBe('{}');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
