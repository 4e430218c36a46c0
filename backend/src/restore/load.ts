// Loads one stored file into a server: read -> sha256 -> decompress -> rename databases -> client
// stdin, all streamed. The file's checksum and the dump's completeness are checked on the way, so a
// restore of a damaged backup says so even though the client accepted what it was given.
import type { EventEmitter } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { storageOf } from '../storage/index.js';
import type { Failure, ManifestFile } from '../contract/manifest.js';
import type { FailureEvidence } from '../classify/types.js';
import type { Compression } from '../config/schema.js';
import { killChild } from '../mysql/children.js';
import { hasTrailer, HashTap } from '../dumpfile/stream.js';
import { createDecompressor } from '../dumpfile/decompress.js';
import { type ClientProcess, startClient } from '../mysql/client.js';
import type { ServerLogin } from '../mysql/login.js';
import { DatabaseRewriter, type ObjectReport } from './rewrite.js';
import { evidenceOf } from '../mysql/evidence.js';
import { failureOf, VERIFICATION } from '../classify/failure.js';

/** What the loads of one restore have done so far, for progress lines. */
export class LoadProgress {
  rawBytes = 0;
  /** The table each running load is in, by file name. */
  readonly tables = new Map<string, string>();
}

export interface LoadFileOptions {
  path: string;
  file: ManifestFile;
  compression: Compression;
  login: ServerLogin;
  databases: ReadonlyMap<string, string>;
  /** The database the client starts in (per-table data files name bare tables). */
  defaultDatabase?: string;
  progress: LoadProgress;
  signal?: AbortSignal;
  /** Every database of the backup, and where to report objects that name them (rewrite.ts). */
  backupDatabases?: readonly string[];
  onObject?: (o: ObjectReport) => void;
}


/** The most telling line of a client's stderr. */
function errorLine(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^ERROR\b|error|denied|can't|lost|unknown/i.test(l))
    .shift();
}

/** Loads one file; resolves with null when it went in whole and intact, else the failure. */
export async function loadFile(o: LoadFileOptions): Promise<Failure | null> {
  const { file, progress } = o;
  const decoder = createDecompressor(o.compression);
  let client: ClientProcess;
  try {
    client = startClient(o.login, o.defaultDatabase);
  } catch (err) {
    decoder.abort();
    throw err;
  }
  const stored = new HashTap();
  const reader = storageOf(o.path).read(o.path, { highWaterMark: 1 << 20 });

  // Anything wrong on our side kills the client before its stdin ends: at EOF it would run a
  // half statement. Listeners go on before the pipelines' own, so the kill comes first.
  let abandoned = false;
  const abandon = () => {
    abandoned = true;
    killChild(client.child, 'SIGKILL');
  };
  let stoppedByAgent = false;
  const stop = () => {
    stoppedByAgent = true;
    abandon();
    decoder.abort();
  };
  o.signal?.addEventListener('abort', stop, { once: true });
  if (o.signal?.aborted) stop();
  for (const s of [reader, decoder.input, decoder.output] as EventEmitter[]) s.on('error', abandon);
  client.child.stdin!.on('error', () => undefined);

  const rewriter = new DatabaseRewriter({
    databases: o.databases,
    backupDatabases: o.backupDatabases,
    onObject: o.onObject,
    onStatement(s) {
      // A data file's INSERTs may name the bare table; the manifest knows its database.
      const table = s.create?.kind === 'table' ? s.create.name : s.insert ? (file.table ?? s.insert.table) : undefined;
      if (table) progress.tables.set(file.name, table);
    },
    check: async (scan) => (await decoder.failure()) ?? scan.cut,
    onFail: abandon,
  });
  rewriter.on('data', (chunk: Buffer) => (progress.rawBytes += chunk.length));

  const results = await Promise.allSettled([pipeline(reader, stored, decoder.input), pipeline(decoder.output, rewriter, client.child.stdin!)]);
  const ourFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason as Error | undefined;
  const decodeFailure = await decoder.failure();
  const exit = await client.exit;
  o.signal?.removeEventListener('abort', stop);
  progress.tables.delete(file.name);

  if (stoppedByAgent) return failureOf({ facts: { killedByAgent: true } }, `the restore of ${file.name} was stopped`);
  // The client failed on its own: its stderr says why, and what followed on our side (EPIPE into
  // its stdin, zstd's SIGPIPE, a premature close) is a consequence. Only our own SIGKILL is ours.
  const killedByUs = abandoned && exit.signal === 'SIGKILL';
  if (!killedByUs && (exit.exitCode !== 0 || exit.signal !== null)) {
    const evidence: FailureEvidence = { tool: client.name, exitCode: exit.exitCode, signal: exit.signal, stderr: exit.stderr };
    const status = exit.signal ? `killed by ${exit.signal}` : `exit ${exit.exitCode}`;
    return failureOf(evidence, `${file.name}: the ${client.name} client failed (${status})${errorLine(exit.stderr) ? `: ${errorLine(exit.stderr)}` : ''}`);
  }
  if (decodeFailure) return failureOf(VERIFICATION, `${file.name} is corrupt: ${decodeFailure}`);
  const scan = rewriter.scan();
  if (scan?.cut) return failureOf(VERIFICATION, `${file.name}: ${scan.cut}`);
  if (ourFailure) return failureOf(evidenceOf(ourFailure), `${file.name}: ${ourFailure.message}`);

  const sha256 = stored.hash.digest('hex');
  if (stored.bytes !== file.bytes || sha256 !== file.sha256) {
    return failureOf(VERIFICATION, `${file.name} does not match its checksum (${stored.bytes} bytes, sha256 ${sha256}; the manifest says ${file.bytes} bytes, ${file.sha256})`);
  }
  if (scan && !hasTrailer(scan.lastComment, scan.contentAfterLastComment)) {
    return failureOf(VERIFICATION, `${file.name}: the "-- Dump completed" trailer is missing or not last`);
  }
  return null;
}
