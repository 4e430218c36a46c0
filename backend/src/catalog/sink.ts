// One stored file: raw bytes in -> sha256(raw) -> compressor -> sha256(stored) -> the storage's
// pending file, published (storage/types.ts, commit) only when every stage succeeded.
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { ManifestFile } from '../contract/manifest.js';
import type { FailureEvidence } from '../classify/types.js';
import type { Compression } from '../config/schema.js';
import { createCompressor, HashTap } from '../dumpfile/stream.js';
import type { PendingFile } from '../storage/index.js';

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

/** What was stored, and what went in before compression. */
export type StoredDigests = Pick<ManifestFile, 'bytes' | 'sha256' | 'rawBytes' | 'rawSha256'>;

export class FileSink {
  readonly rawTap = new HashTap();
  private readonly storedTap = new HashTap();
  private readonly done: Promise<PromiseSettledResult<unknown>[]>;
  private readonly compressor: ReturnType<typeof createCompressor>;

  constructor(
    private readonly pending: PendingFile,
    readonly name: string,
    compression: Compression,
    level?: number,
  ) {
    // zstd writes a local file itself when the storage has one; otherwise its output comes through here.
    this.compressor = createCompressor(compression, level, pending.localPath);
    const { output, process: proc } = this.compressor;
    this.done = Promise.allSettled([
      pipeline(this.rawTap, this.compressor.input),
      output ? pipeline(output, this.storedTap, pending.writable()) : Promise.resolve(),
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
    const stored = await this.publish();
    return 'failure' in stored ? stored : { file: { name: this.name, ...meta, ...stored.digests } };
  }

  /** finish() for a file that is not part of a backup's manifest (an archived binary log). */
  async publish(): Promise<{ digests: StoredDigests } | { failure: SinkFailure }> {
    if (!this.rawTap.writableEnded) this.rawTap.end();
    const failure = await this.settle();
    if (failure) {
      await this.pending.abort();
      return { failure };
    }
    // Bytes that passed through the agent were hashed on their way; a file zstd wrote is read back.
    const stored = await this.pending.commit(this.compressor.output ? { bytes: this.storedTap.bytes, sha256: this.storedTap.hash.digest('hex') } : undefined);
    return { digests: { bytes: stored.bytes, sha256: stored.sha256, rawBytes: this.rawTap.bytes, rawSha256: this.rawTap.hash.digest('hex') } };
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
    await this.pending.abort();
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
