// Reading a binary log back out of the archive: an archived object is decompressed and both its
// stored and its raw sha256 are checked against the index as it streams; the file being written
// is read from incoming/ up to the bytes the index last flushed.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { failureOf } from '../classify/failure.js';
import type { Failure } from '../contract/manifest.js';
import type { Compression } from '../contract/vocabulary.js';
import { createDecompressor } from '../dumpfile/decompress.js';
import { HashTap } from '../dumpfile/stream.js';
import { storageOf } from '../storage/index.js';
import { type ArchivedFile, binlogDir, type CurrentFile, incomingDir } from './archive.js';
import type { BinlogFormatError } from './events.js';

/** One file of the chain: archived, or the one the server is writing (held in incoming/). */
export type ChainFile = { kind: 'archived'; file: ArchivedFile } | { kind: 'current'; file: CurrentFile };

export const chainName = (c: ChainFile) => c.file.name;

const COMPRESSION_OF: [string, Compression][] = [
  ['.zst', 'zstd'],
  ['.gz', 'gzip'],
];

/** What went wrong reading a file back: its bytes are not what was archived, or reading failed. */
export interface ReadProblem {
  damaged: boolean;
  message: string;
}

/** A reader's complaint about the bytes themselves, as a read problem: the archive is damaged there. */
export function formatProblem(name: string, err: BinlogFormatError): ReadProblem {
  return { damaged: true, message: `${name}: ${err.message}` };
}

/** The classified failure of a read problem: damaged bytes are corruption, the rest the read's own error. */
export function readFailure(problem: ReadProblem, after: string): Failure {
  if (!problem.damaged) return failureOf({ tool: 'warden', stderr: problem.message }, `reading the binlog archive failed: ${problem.message}${after}`);
  return failureOf(
    { class: 'corruption', rule: 'archive-checksum', hint: 'An archived binary log no longer matches its checksum: bring the object back from a copy of the repository, or restore to a point before it.' },
    `the binlog archive is damaged: ${problem.message}${after}`,
  );
}

export interface OpenedBinlog {
  /** The raw binary log. */
  stream: Readable;
  /** After the stream ended: what was wrong, or null. */
  problem(): Promise<ReadProblem | null>;
  /** Stops reading (the consumer has gone); problem() then reports nothing. */
  abort(): void;
}

/**
 * Passes the first `limit` bytes on and swallows the rest: the whole stored file is still read, so
 * its checksums are checked even when a replay stops inside it.
 */
class Prefix extends Transform {
  private passed = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    const room = this.limit - this.passed;
    this.passed += Math.min(room, chunk.length);
    done(null, room <= 0 ? undefined : room >= chunk.length ? chunk : chunk.subarray(0, room));
  }
}

/** Streams one file of the chain as the server wrote it, its first `until` bytes when given. */
export function openBinlog(repository: string, target: string, c: ChainFile, opts: { until?: number; signal?: AbortSignal } = {}): OpenedBinlog {
  if (c.kind === 'current') {
    const end = Math.min(opts.until ?? c.file.bytes, c.file.bytes);
    const stream = createReadStream(path.join(incomingDir(repository, target), c.file.name), { end: end - 1, signal: opts.signal });
    let failed: ReadProblem | null = null;
    let aborted = false;
    let read = 0;
    // The archiver may archive the file (it leaves incoming/) or start it again (its tool restarted
    // from the file's start) while a restore reads it: either way the bytes are not all there.
    const moved = `${c.file.name} changed while it was read (the archiver archived it or restarted its tool): try again`;
    stream.on('data', (chunk) => (read += chunk.length));
    stream.on('error', (err: NodeJS.ErrnoException) => (failed ??= { damaged: false, message: err.code === 'ENOENT' ? moved : `${c.file.name}: ${err.message}` }));
    return {
      stream,
      problem: async () => (aborted ? null : (failed ?? (read < end ? { damaged: false, message: moved } : null))),
      abort: () => {
        aborted = true;
        stream.destroy();
      },
    };
  }
  const f = c.file;
  const storage = storageOf(repository);
  const compression = COMPRESSION_OF.find(([ext]) => f.object.endsWith(ext))?.[1] ?? 'none';
  const decoder = createDecompressor(compression);
  const stored = new HashTap();
  const raw = new HashTap();
  const out = new Prefix(opts.until ?? Number.MAX_SAFE_INTEGER);
  let aborted = false;
  const settle = (p: Promise<void>) =>
    p.then(
      () => null,
      (err: Error) => err.message,
    );
  const reading = settle(pipeline(storage.read(storage.join(binlogDir(repository, target), f.object), { signal: opts.signal }), stored, decoder.input));
  const decoding = settle(pipeline(decoder.output, raw, out));
  return {
    stream: out,
    async problem() {
      const [readError, decodeError, decoderFailure] = await Promise.all([reading, decoding, decoder.failure()]);
      if (aborted) return null;
      // The decompressor's own complaint means the stored bytes are bad; the others that reading failed.
      if (decoderFailure) return { damaged: true, message: `${f.name}: ${decoderFailure}` };
      const why = readError ?? decodeError;
      if (why) return { damaged: false, message: `${f.name}: ${why}` };
      if (stored.bytes !== f.bytes || stored.hash.digest('hex') !== f.sha256) return { damaged: true, message: `${f.name}: the stored object ${f.object} does not match the sha256 the index recorded for it` };
      if (raw.bytes !== f.rawBytes || raw.hash.digest('hex') !== f.rawSha256) return { damaged: true, message: `${f.name}: its decompressed bytes do not match the sha256 the index recorded for them` };
      return null;
    },
    abort() {
      aborted = true;
      decoder.abort();
      out.destroy();
    },
  };
}
