import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
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
