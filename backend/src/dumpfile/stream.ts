import type { ChildProcess } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { PassThrough, Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Compression } from '../contract/vocabulary.js';
import { DumpScanner, type ScanEvents } from './scanner.js';
import { collectStderr, spawnChild } from '../mysql/children.js';
import { which } from '../mysql/tool.js';

/** Counts and hashes the bytes that pass through it. */
export class HashTap extends Transform {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

const TAIL_BYTES = 4096;

/** Watches a dump's raw SQL as it passes: the scanner (rows, objects, trailer), the tail, and when data last came. */
export class ScanTap extends Transform {
  readonly scanner: DumpScanner;
  bytes = 0;
  lastDataAt = Date.now();
  private tailBuf: Buffer = Buffer.alloc(0);

  constructor(events: ScanEvents = {}) {
    super();
    this.scanner = new DumpScanner(events);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.scanner.write(chunk);
    this.bytes += chunk.length;
    this.lastDataAt = Date.now();
    this.tailBuf =
      chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([this.tailBuf, chunk]).subarray(-TAIL_BYTES);
    cb(null, chunk);
  }

  tail(): string {
    return Buffer.from(this.tailBuf).toString('utf8');
  }
}

/** ScanTap plus a sha256 of the raw bytes, for readers that check a stored file in one pass. */
export class RawTap extends ScanTap {
  readonly hash: Hash = createHash('sha256');

  override _transform(chunk: Buffer, enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    super._transform(chunk, enc, cb);
  }
}

/** The trailer mysqldump and mariadb-dump write last: `-- Dump completed on 2026-11-22 ...`. */
export function hasTrailer(lastComment: string | null, contentAfter: boolean): boolean {
  return !contentAfter && lastComment !== null && /^Dump completed\b/.test(lastComment);
}

export interface Compressor {
  /** Where raw bytes go in. */
  input: Writable;
  /** Where compressed bytes come out; null when the compressor writes the file itself. */
  output: Readable | null;
  /** The compressor process when it is one; its exit is checked like the dump's. */
  process: ChildProcess | null;
  name: string;
  stderr(): string;
}

/**
 * zstd compresses in its own threads and, given a local `file`, writes it itself: the compressed
 * bytes never pass through the agent (the file is hashed once it is complete); without one they
 * come back on its stdout. gzip (zlib, in the thread pool) and none stream back to the caller, who
 * stores them.
 */
export function createCompressor(kind: Compression, level: number | undefined, file: string | null): Compressor {
  if (kind === 'zstd') {
    const bin = which('zstd');
    if (!bin) throw Object.assign(new Error('zstd is not installed (needed for compression: zstd)'), { code: 'ENOENT', path: 'zstd', syscall: 'spawn zstd' });
    const output = file === null ? ['-c'] : ['-f', '-o', file];
    const child = spawnChild(bin, ['-q', `-${level ?? 3}`, '-T0', ...output], ['pipe', file === null ? 'pipe' : 'ignore', 'pipe']);
    const stderr = collectStderr(child);
    return { input: child.stdin!, output: file === null ? child.stdout! : null, process: child, name: 'zstd', stderr };
  }
  if (kind === 'gzip') {
    const gz = createGzip({ level: level ?? 6 });
    return { input: gz, output: gz, process: null, name: 'gzip', stderr: () => '' };
  }
  const pass = new PassThrough();
  return { input: pass, output: pass, process: null, name: 'none', stderr: () => '' };
}
