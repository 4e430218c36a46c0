// sha256 and size of a stored file, read back from disk.
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';

/** sha256 and size of what is on disk. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

const HASH_CHUNK = 1 << 20;

/**
 * Hashes an open file through one reused buffer. A stream allocates a fresh buffer per chunk, and
 * faulting in that new memory took four times as long as the hashing itself.
 */
export async function hashFile(handle: FileHandle, signal?: AbortSignal): Promise<FileDigest> {
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

/** hashFile of a file by its path. */
export async function hashPath(file: string, signal?: AbortSignal): Promise<FileDigest> {
  const handle = await open(file, 'r');
  try {
    return await hashFile(handle, signal);
  } finally {
    await handle.close();
  }
}
