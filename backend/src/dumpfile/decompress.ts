// The inverse of the pipeline's compressor: stored bytes in, SQL out. A corrupt stream is reported
// through `failure()`, never thrown, so callers can record it as a `decompress` problem.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Compression } from '../contract/vocabulary.js';
import { collectStderr, killChild, spawnChild } from '../mysql/children.js';
import { which } from '../mysql/tool.js';

export interface Decompressor {
  /** Where stored bytes go in. */
  input: Writable;
  /** Where SQL comes out. */
  output: Readable;
  /** After both ends are done: what went wrong with the stream, or null. */
  failure(): Promise<string | null>;
  /** Stops the decompressor early (the reader gave up). */
  abort(): void;
}

export function createDecompressor(kind: Compression): Decompressor {
  if (kind === 'zstd') return zstdDecompressor();
  if (kind === 'gzip') {
    const gunzip = createGunzip({ chunkSize: 256 << 10 });
    let error: string | null = null;
    gunzip.on('error', (err) => (error ??= `gzip: ${err.message}`));
    return { input: gunzip, output: gunzip, failure: async () => error, abort: () => gunzip.destroy() };
  }
  const pass = new PassThrough({ highWaterMark: 1 << 20 });
  return { input: pass, output: pass, failure: async () => null, abort: () => pass.destroy() };
}

/** zstd's own decoder (a separate process, so it runs beside our hashing and scanning). */
function zstdDecompressor(): Decompressor {
  const bin = which('zstd');
  if (!bin) throw Object.assign(new Error('zstd is not installed (needed to read zstd backups)'), { code: 'ENOENT', syscall: 'spawn zstd', path: 'zstd' });
  const child: ChildProcess = spawnChild(bin, ['-d', '-c', '-q'], ['pipe', 'pipe', 'pipe']);
  const stderr = collectStderr(child);
  const exit = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  // A decoder that dies early closes its stdin under us: the exit status says why, not EPIPE.
  child.stdin!.on('error', () => undefined);
  let aborted = false;
  return {
    input: child.stdin!,
    output: child.stdout!,
    async failure() {
      const [code, signal] = await exit;
      if (aborted || (code === 0 && signal === null)) return null;
      const why = stderr().replace(/\/\*stdin\*\\\s*:?/g, '').replace(/\s+/g, ' ').trim();
      return `zstd: ${why || `exited with ${code ?? signal}`}`;
    },
    abort() {
      aborted = true;
      killChild(child, 'SIGKILL');
    },
  };
}
