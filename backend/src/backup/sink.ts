// One stored file: raw bytes in -> sha256(raw) -> compressor -> sha256(stored) -> <name>.partial,
// published by fsync + rename only when every stage succeeded.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fsyncDir } from '../catalog/atomic.js';
import type { ManifestFile } from '../contract/manifest.js';
import { PARTIAL_SUFFIX } from '../catalog/paths.js';
import type { FailureEvidence } from '../classify/types.js';
import type { Compression } from '../config/schema.js';
import { type FileDigest, hashFile } from '../dumpfile/hash.js';
import { createCompressor, HashTap } from '../dumpfile/stream.js';

export type OsError = NonNullable<FailureEvidence['osErrors']>[number];

export function toOsError(err: unknown): OsError | null {
  const e = err as NodeJS.ErrnoException;
  // EPIPE and premature close are symptoms of another process dying: that process's exit tells why.
  if (!e?.code || e.code === 'EPIPE' || e.code === 'ERR_STREAM_PREMATURE_CLOSE' || e.code === 'ABORT_ERR') return null;
  return { code: e.code, syscall: e.syscall, path: e.path, message: e.message };
}

export interface SinkFailure {
  osErrors: OsError[];
  compressor?: FailureEvidence['compressor'];
}

/**
 * Makes a file the compressor wrote private and durable, and hashes what is on disk. The fsync
 * (waiting on the disk) and the hashing (on the CPU) run at the same time: the run waits for the
 * longer of the two, not for both.
 */
export async function sealAndHash(file: string): Promise<FileDigest> {
  const handle = await open(file, 'r+');
  try {
    await handle.chmod(0o600);
    const [, digest] = await Promise.all([handle.sync(), hashFile(handle)]);
    return digest;
  } finally {
    await handle.close();
  }
}

/** The last step of every stored file: rename into place and make the rename durable. */
export async function publish(partial: string, final: string): Promise<void> {
  await rename(partial, final);
  fsyncDir(path.dirname(final));
}

export class FileSink {
  readonly rawTap = new HashTap();
  private readonly storedTap = new HashTap();
  private readonly partial: string;
  private readonly done: Promise<PromiseSettledResult<unknown>[]>;
  private readonly compressor: ReturnType<typeof createCompressor>;

  constructor(
    private readonly dir: string,
    readonly name: string,
    compression: Compression,
    level?: number,
  ) {
    this.partial = path.join(dir, name + PARTIAL_SUFFIX);
    this.compressor = createCompressor(compression, level, this.partial);
    const { output, process: proc } = this.compressor;
    this.done = Promise.allSettled([
      pipeline(this.rawTap, this.compressor.input),
      output ? pipeline(output, this.storedTap, createWriteStream(this.partial, { flags: 'w', mode: 0o600, flush: true })) : Promise.resolve(),
      proc ? once(proc, 'close') : Promise.resolve([0, null]),
    ]);
  }

  /** Bytes stored so far (for progress). */
  get storedBytes(): number {
    return this.storedTap.bytes;
  }

  /** Where raw SQL goes in (respect its backpressure). */
  get input(): HashTap {
    return this.rawTap;
  }

  /** Ends the input and waits; publishes the file on success, removes it and explains on failure. */
  async finish(meta: Pick<ManifestFile, 'role' | 'table'>): Promise<{ file: ManifestFile } | { failure: SinkFailure }> {
    if (!this.rawTap.writableEnded) this.rawTap.end();
    const failure = await this.settle();
    if (failure) {
      await unlink(this.partial).catch(() => undefined);
      return { failure };
    }
    // gzip and none pass through the agent, which hashed them while writing (fsync on close).
    const stored = this.compressor.output ? { bytes: this.storedTap.bytes, sha256: this.storedTap.hash.digest('hex') } : await sealAndHash(this.partial);
    await publish(this.partial, path.join(this.dir, this.name));
    return {
      file: {
        name: this.name,
        ...meta,
        bytes: stored.bytes,
        sha256: stored.sha256,
        rawBytes: this.rawTap.bytes,
        rawSha256: this.rawTap.hash.digest('hex'),
      },
    };
  }

  /**
   * Throws the file away (the dump failed): nothing half-written stays behind. Returns why the sink
   * itself failed when it did (disk full, compressor died) — then the dump's own end is a symptom.
   */
  async abort(): Promise<SinkFailure | null> {
    const ownFailure = this.rawTap.destroyed ? await this.settle() : null;
    if (!ownFailure) {
      this.rawTap.destroy();
      this.compressor.process?.kill('SIGKILL');
      await this.done;
    }
    await unlink(this.partial).catch(() => undefined);
    return ownFailure;
  }

  private async settle(): Promise<SinkFailure | null> {
    const [feed, drain, exit] = await this.done;
    const osErrors: OsError[] = [];
    for (const r of [feed, drain]) {
      if (r?.status === 'rejected') {
        const e = toOsError(r.reason);
        if (e) osErrors.push(e);
      }
    }
    const [code, signal] = exit?.status === 'fulfilled' ? (exit.value as [number | null, string | null]) : [null, null];
    const compressorFailed = code !== 0 || signal !== null;
    const pipesFailed = feed?.status === 'rejected' || drain?.status === 'rejected';
    if (!compressorFailed && !pipesFailed) return null;
    return {
      osErrors,
      ...(compressorFailed ? { compressor: { name: this.compressor.name, exitCode: code, signal, stderr: this.compressor.stderr() } } : {}),
    };
  }
}
