// The repository on a POSIX file system: locations are absolute paths. Durability is fsync of each
// file, then rename, then fsync of its folder; privacy is 0700 folders and 0600 files.
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, createWriteStream, fsyncSync, openSync } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, rename, rm, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { type FileDigest, PARTIAL_SUFFIX, type PendingFile, type Storage, type StorageEntry } from './types.js';
/** A lock not refreshed for this long belongs to a holder that died. */
const STALE_MS = 30_000;
const HASH_CHUNK = 1 << 20;

/** Makes a rename or a new file in `dir` durable. */
function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Hashes an open file through one reused buffer. A stream allocates a fresh buffer per chunk, and
 * faulting in that new memory took four times as long as the hashing itself.
 */
async function hashFile(handle: FileHandle, signal?: AbortSignal): Promise<FileDigest> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(HASH_CHUNK);
  let bytes = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buf, 0, HASH_CHUNK, bytes);
    if (bytesRead === 0) return { bytes, sha256: hash.digest('hex') };
    hash.update(buf.subarray(0, bytesRead));
    bytes += bytesRead;
  }
}

/**
 * Makes a written file private and durable, and hashes what is on disk (unless the writer already
 * did). The fsync (waiting on the disk) and the hashing (on the CPU) run at the same time: the
 * commit waits for the longer of the two, not for both.
 */
async function sealAndHash(file: string, known?: FileDigest): Promise<FileDigest> {
  const handle = await open(file, 'r+');
  try {
    await handle.chmod(0o600);
    const [, digest] = await Promise.all([handle.sync(), known ?? hashFile(handle)]);
    return digest;
  } finally {
    await handle.close();
  }
}

class PosixPendingFile implements PendingFile {
  readonly localPath: string;

  constructor(private readonly file: string) {
    this.localPath = file + PARTIAL_SUFFIX;
  }

  async size(): Promise<number> {
    return (await stat(this.localPath).catch(() => null))?.size ?? 0;
  }

  writable() {
    // flush: the file is fsynced when the stream closes.
    return createWriteStream(this.localPath, { flags: 'w', mode: 0o600, flush: true });
  }

  async commit(known?: FileDigest): Promise<FileDigest> {
    const digest = await sealAndHash(this.localPath, known);
    await rename(this.localPath, this.file);
    fsyncDir(path.dirname(this.file));
    return digest;
  }

  async abort(): Promise<void> {
    await unlink(this.localPath).catch(() => undefined);
  }
}

const lockOptions = (folder: string) => ({ lockfilePath: path.join(folder, '.lock'), stale: STALE_MS, realpath: false });

/**
 * Whether a lock that looks stale by this host's clock is still refreshed by its holder. The lock's
 * mtime is the holder's clock: on a repository shared by hosts whose clocks differ by more than
 * STALE_MS, a live lock looks stale. A live holder refreshes it every STALE_MS / 3: watch it for
 * one such period before taking it over (only runs after a crash pay this wait).
 */
async function refreshedByItsHolder(lockPath: string, staleMs: number): Promise<boolean> {
  const first = await stat(lockPath).catch(() => null);
  if (!first || Date.now() - first.mtimeMs <= staleMs) return false;
  await sleep(Math.floor(staleMs / 3) + 1000);
  const second = await stat(lockPath).catch(() => null);
  return second !== null && second.mtimeMs !== first.mtimeMs;
}

export class PosixStorage implements Storage {
  constructor(private readonly staleMs = STALE_MS) {}

  join(folder: string, ...names: string[]): string {
    return path.join(folder, ...names);
  }

  async list(folder: string): Promise<StorageEntry[]> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if (missing(err)) return [];
      throw err;
    }
    return Promise.all(
      entries.map(async (e) => {
        const kind = e.isDirectory() ? 'folder' : e.isFile() ? 'file' : 'other';
        const bytes = kind === 'file' ? ((await lstat(path.join(folder, e.name)).catch(() => null))?.size ?? 0) : 0;
        return { name: e.name, kind, bytes } as const;
      }),
    );
  }

  /** Walks the folder itself: readdir's own recursion descends into linked folders, outside the repository. */
  async usage(folder: string): Promise<number> {
    let total = 0;
    for (const e of await this.list(folder)) {
      if (e.kind === 'file') total += e.bytes;
      else if (e.kind === 'folder') total += await this.usage(path.join(folder, e.name));
    }
    return total;
  }

  async size(file: string): Promise<number | null> {
    let s;
    try {
      s = await lstat(file);
    } catch (err) {
      if (missing(err)) return null;
      throw err;
    }
    // Anything else is reported with its own size, and its read fails with the reason (EISDIR).
    if (s.isSymbolicLink()) throw Object.assign(new Error(`${file} is a symbolic link: refused`), { code: 'ELOOP' });
    return s.size;
  }

  async unfinished(folder: string): Promise<string[]> {
    // Pending files, and the temporary files of writeText.
    return (await this.list(folder)).map((e) => e.name).filter((name) => name.endsWith(PARTIAL_SUFFIX) || /\.tmp-\d+$/.test(name));
  }

  read(file: string, opts: { signal?: AbortSignal; highWaterMark?: number } = {}): Readable {
    let fd: number;
    try {
      fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      // As a stream error, where a reader looks for it (missing file, symbolic link).
      const failed = new PassThrough();
      process.nextTick(() => failed.destroy(err as Error));
      return failed;
    }
    return createReadStream(file, { fd, highWaterMark: opts.highWaterMark ?? 1 << 20, signal: opts.signal });
  }

  async readText(file: string): Promise<string> {
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }

  /** Under a temporary name, fsynced, renamed into place: readers see old or new. */
  async writeText(file: string, text: string): Promise<void> {
    const tmp = `${file}.tmp-${process.pid}`;
    // The temporary name is predictable: a link planted there must not be written through.
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } catch (err) {
      await handle.close();
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await handle.close();
    await rename(tmp, file);
    fsyncDir(path.dirname(file));
  }

  create(file: string): PendingFile {
    return new PosixPendingFile(file);
  }

  async remove(file: string): Promise<void> {
    await unlink(file).catch((err: unknown) => {
      if (!missing(err)) throw err;
    });
  }

  async removeFolder(folder: string): Promise<number> {
    const bytes = await this.usage(folder);
    // Renamed first: the catalog lists only folders named like ids, so a half-deleted run is never seen.
    const doomed = path.join(path.dirname(folder), `.deleting-${path.basename(folder)}`);
    await rename(folder, doomed);
    await rm(doomed, { recursive: true, force: true });
    return bytes;
  }

  async makeFolder(folder: string): Promise<void> {
    await mkdir(folder, { recursive: true, mode: 0o700 });
  }

  async digest(file: string, signal?: AbortSignal): Promise<FileDigest> {
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await hashFile(handle, signal);
    } finally {
      await handle.close();
    }
  }

  /**
   * proper-lockfile refreshes the lock's mtime while it is held, so a crashed holder's lock goes
   * stale and the next run takes over instead of waiting forever; a lock its holder still
   * refreshes is never taken, whatever the clocks say.
   */
  async lock(folder: string): Promise<() => Promise<void>> {
    await this.makeFolder(folder);
    const options = { ...lockOptions(folder), stale: this.staleMs };
    if (await refreshedByItsHolder(options.lockfilePath, this.staleMs)) throw Object.assign(new Error(`${folder} is locked`), { code: 'ELOCKED' });
    return lockfile.lock(folder, { ...options, update: Math.floor(this.staleMs / 3), retries: 0 });
  }

  async isLocked(folder: string, opts: { observe?: boolean } = {}): Promise<boolean> {
    const options = { ...lockOptions(folder), stale: this.staleMs };
    if (await lockfile.check(folder, options)) return true;
    return opts.observe === true && refreshedByItsHolder(options.lockfilePath, this.staleMs);
  }

  localFile(file: string): string {
    return file;
  }

  async freeBytes(folder: string): Promise<number | null> {
    const s = await statfs(folder);
    return s.bavail * s.bsize;
  }
}
