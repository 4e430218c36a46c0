// One pass over one stored file: size and sha256 of the stored bytes and, for `parse`, the SQL
// decompressed and scanned in the same pass. Memory stays constant whatever the file size.
// The SQL is not hashed again: the stored sha256 proves the file, and zstd's and gzip's own
// content checksums prove what it decompresses to; hashing would cost a fifth of the time.
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression } from '../config/schema.js';
import type { ScanSummary } from '../dumpfile/scanner.js';
import { hashPath } from '../pipeline/sink.js';
import { hasTrailer, HashTap, ScanTap } from '../pipeline/stream.js';
import { createDecompressor } from './decompress.js';

export interface SqlFacts {
  bytes: number;
  scan: ScanSummary;
  /** Tables whose CREATE TABLE statement was seen. */
  createdTables: Set<string>;
  /** Whether a `-- Dump completed` comment was seen anywhere (it may not be the last thing). */
  trailerSeen: boolean;
}

export interface FilePass {
  bytes: number;
  sha256: string;
  /** Null when only the checksum was asked for, or when the file could not be read. */
  sql: SqlFacts | null;
  /** The file could not be read (vanished, I/O error). */
  readError: string | null;
  /** The compressed stream is corrupt. */
  decompressError: string | null;
}

const CHUNK = 1 << 20;

function discard(): Writable {
  return new Writable({
    highWaterMark: CHUNK,
    write(_chunk, _enc, cb) {
      cb();
    },
  });
}

/**
 * Forwards to the decoder but keeps accepting bytes after it died, so the stored file is still
 * read and hashed to its end: a corrupt stream then shows both its decompress and checksum facts.
 */
function tolerant(target: Writable): Writable {
  let dead = false;
  let waiting: (() => void) | null = null;
  const die = () => {
    dead = true;
    waiting?.();
    waiting = null;
  };
  target.on('error', die);
  target.on('close', die);
  return new Writable({
    highWaterMark: CHUNK,
    write(chunk: Buffer, _enc, cb) {
      if (dead || target.write(chunk)) return cb();
      waiting = cb;
      target.once('drain', () => {
        waiting = null;
        cb();
      });
    },
    final(cb) {
      if (!dead) target.end();
      cb();
    },
  });
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
}

export async function passFile(file: string, compression: Compression, parse: boolean, signal?: AbortSignal): Promise<FilePass> {
  if (!parse) {
    try {
      return { ...(await hashPath(file, signal)), sql: null, readError: null, decompressError: null };
    } catch (err) {
      return { bytes: 0, sha256: '', sql: null, readError: describe(err), decompressError: null };
    }
  }

  const reader = createReadStream(file, { highWaterMark: CHUNK, signal });
  let readError: string | null = null;
  reader.on('error', (err) => (readError ??= describe(err)));

  const createdTables = new Set<string>();
  let trailerSeen = false;
  const raw = new ScanTap({
    statement(s) {
      if (s.create?.kind === 'table') createdTables.add(s.create.name);
    },
    comment(text) {
      trailerSeen ||= hasTrailer(text, false);
    },
  });

  const stored = new HashTap();
  let decompressError: string | null = null;
  if (compression === 'none') {
    await pipeline(reader, stored, raw, discard()).catch(() => undefined);
  } else {
    const decoder = createDecompressor(compression);
    const feed = pipeline(reader, stored, tolerant(decoder.input));
    const drain = pipeline(decoder.output, raw, discard());
    const [fed] = await Promise.allSettled([feed, drain]);
    if (fed.status === 'rejected' && (readError || signal?.aborted)) decoder.abort();
    decompressError = await decoder.failure();
  }
  if (readError) return { bytes: 0, sha256: '', sql: null, readError, decompressError: null };
  const sql: SqlFacts = { bytes: raw.bytes, scan: raw.scanner.end(), createdTables, trailerSeen };
  return { bytes: stored.bytes, sha256: stored.hash.digest('hex'), sql, readError: null, decompressError };
}
