// One pass over one stored file: size and sha256 of the stored bytes and, for `parse`, the SQL
// decompressed and checked against the dump grammar in the same pass (the grammar validator also
// reports what the backup's scanner counted). Memory stays constant whatever the file size.
// The SQL is not hashed again: the stored sha256 proves the file, and zstd's and gzip's own
// content checksums prove what it decompresses to; hashing would cost a fifth of the time.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression } from '../config/schema.js';
import type { ManifestFile } from '../contract/manifest.js';
import { problem, type VerifyProblem } from './problems.js';
import type { Catalog, GrammarProblem, ValidatorOptions } from '../dumpfile/grammar.js';
import type { ScanSummary } from '../dumpfile/scanner.js';
import { storageOf } from '../storage/index.js';
import { HashTap } from '../dumpfile/stream.js';
import { createDecompressor } from '../dumpfile/decompress.js';
import { GrammarSink } from '../dumpfile/grammarTap.js';

export interface SqlFacts {
  bytes: number;
  scan: ScanSummary;
  /** Tables whose CREATE TABLE statement was seen. */
  createdTables: Set<string>;
  /** Whether a `-- Dump completed` comment was seen anywhere (it may not be the last thing). */
  trailerSeen: boolean;
  /** Where the SQL breaks the dump grammar (the first few), and how many more. */
  grammar: GrammarProblem[];
  moreGrammar: number;
  /** The tables the file creates, with their columns (a schema file's, for its data files). */
  catalog: Catalog;
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

export async function passFile(file: string, compression: Compression, parse: boolean, signal?: AbortSignal, grammar: ValidatorOptions = {}): Promise<FilePass> {
  if (!parse) {
    try {
      return { ...(await storageOf(file).digest(file, signal)), sql: null, readError: null, decompressError: null };
    } catch (err) {
      return { bytes: 0, sha256: '', sql: null, readError: describe(err), decompressError: null };
    }
  }

  const reader = storageOf(file).read(file, { highWaterMark: CHUNK, signal });
  let readError: string | null = null;
  reader.on('error', (err) => (readError ??= describe(err)));

  const raw = new GrammarSink(grammar);

  const stored = new HashTap();
  let decompressError: string | null = null;
  if (compression === 'none') {
    await pipeline(reader, stored, raw).catch(() => undefined);
  } else {
    const decoder = createDecompressor(compression);
    // A read error or an abort ends the decoder at once: nothing else would close its input, and
    // the drain below would wait for an end that never comes.
    const feed = pipeline(reader, stored, tolerant(decoder.input)).catch((err: unknown) => {
      if (readError || signal?.aborted) decoder.abort();
      throw err;
    });
    const drain = pipeline(decoder.output, raw);
    await Promise.allSettled([feed, drain]);
    decompressError = await decoder.failure();
  }
  if (readError) return { bytes: 0, sha256: '', sql: null, readError, decompressError: null };
  const v = raw.validator.end();
  const sql: SqlFacts = {
    bytes: raw.bytes,
    scan: v.summary,
    createdTables: v.createdTables,
    trailerSeen: v.trailerSeen,
    grammar: v.problems,
    moreGrammar: v.moreProblems,
    catalog: v.catalog,
  };
  return { bytes: stored.bytes, sha256: stored.hash.digest('hex'), sql, readError: null, decompressError };
}

/** Compares one file's pass with the manifest's record of it. */
export function fileProblems(file: ManifestFile, pass: FilePass): VerifyProblem[] {
  if (pass.readError) return [problem('missing-file', `${file.name} could not be read: ${pass.readError}`)];
  const out: VerifyProblem[] = [];
  const storedMatches = pass.bytes === file.bytes && pass.sha256 === file.sha256;
  // A size difference is already reported; the checksum then differs necessarily.
  if (pass.bytes === file.bytes && !storedMatches) out.push(problem('checksum', `${file.name}: sha256 is ${pass.sha256}; the manifest says ${file.sha256}`));
  if (pass.decompressError) out.push(problem('decompress', `${file.name}: ${pass.decompressError}`));
  // The stored bytes are as recorded, yet the SQL inside is not: the manifest was altered.
  else if (pass.sql && storedMatches && pass.sql.bytes !== file.rawBytes) {
    out.push(problem('size', `${file.name}: the SQL inside is ${pass.sql.bytes} bytes; the manifest says ${file.rawBytes}`));
  }
  return out;
}
