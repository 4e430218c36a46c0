// The repository's storage: where backup files live, whatever holds them. The verbs and the
// catalog read and write only through this interface, with locations the storage itself builds
// (`join`), so a second implementation (object storage) needs no change in them
// (docs/architecture.md, "Storage").
//
// The contract every implementation keeps, and test/storage.test.ts checks:
// - A file is visible under its name only once complete: `create` writes it aside, `commit` makes
//   its bytes durable and then publishes it under its name in one step. A crash before that leaves
//   at most a pending `<name>.partial` (as `unfinished` names it), never a short file under the real name.
// - `writeText` replaces a small file in one step: a reader sees the old text or the new, never a mix.
// - The backup pipeline publishes a run's files first and its manifest last, so a manifest that
//   says `success` never names a file that is not there.
// - `removeFolder` makes a folder disappear in one step before its contents go: no half-deleted run
//   is ever listed.
// - Nothing follows a symbolic link: a link is listed as `other`, read as an error, never deleted through.
// - `lock` is exclusive across processes (and hosts sharing the storage); a holder that died
//   loses it after a while, a live one never does.
import type { Readable, Writable } from 'node:stream';

/** What `unfinished` appends to the name of a file whose write did not reach `commit`. */
export const PARTIAL_SUFFIX = '.partial';
/** Locations on S3-compatible object storage: `s3://bucket/prefix`. */
export { S3_SCHEME } from '../config/schema.js';

/** sha256 and size of what is stored. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

export interface StorageEntry {
  name: string;
  kind: 'folder' | 'file' | 'other';
  /** Size of a file; 0 for anything else. */
  bytes: number;
}

/** A file being written: invisible under its name until `commit`. */
export interface PendingFile {
  /**
   * A local path a child process may write the bytes to itself (the compressor writes there, so
   * compressed bytes never pass through the agent); null when the bytes must come through `writable`.
   */
  readonly localPath: string | null;
  /** Bytes written so far. */
  size(): Promise<number>;
  /** A stream into the file; its `finish` means the bytes reached the storage. */
  writable(): Writable;
  /**
   * Makes the bytes durable and publishes them under the file's name. `known` is the digest the
   * caller computed while writing; without it the stored bytes are read back and hashed.
   */
  commit(known?: FileDigest): Promise<FileDigest>;
  /** Throws the bytes away; nothing is left under either name. */
  abort(): Promise<void>;
}

export interface Storage {
  /** The location of `names` inside `folder`. */
  join(folder: string, ...names: string[]): string;
  /** Entries directly in a folder, unsorted; [] when it does not exist. */
  list(folder: string): Promise<StorageEntry[]>;
  /** Bytes of all files under a folder. */
  usage(folder: string): Promise<number>;
  /** A file's size; null when there is no such file; an error for a symbolic link. */
  size(file: string): Promise<number | null>;
  /** Names of the files in a folder that a write left unfinished (a crash before `commit`). */
  unfinished(folder: string): Promise<string[]>;
  read(file: string, opts?: { signal?: AbortSignal; highWaterMark?: number }): Readable;
  readText(file: string): Promise<string>;
  writeText(file: string, text: string): Promise<void>;
  /** Starts a file; nothing is written until its first bytes. */
  create(file: string): PendingFile;
  /** Removes a file; nothing when there is none. */
  remove(file: string): Promise<void>;
  /** Removes a folder and everything in it; the bytes freed. */
  removeFolder(folder: string): Promise<number>;
  makeFolder(folder: string): Promise<void>;
  digest(file: string, signal?: AbortSignal): Promise<FileDigest>;
  /** Takes the folder's lock; rejects with code ELOCKED when a live holder has it. */
  lock(folder: string): Promise<() => Promise<void>>;
  /**
   * Whether a live holder has the lock. By default judged at once, by this host's clock; with
   * `observe`, a lock that looks abandoned is watched for a refresh first (before deleting
   * anything on its holder's behalf: its clock may be behind this one).
   */
  isLocked(folder: string, opts?: { observe?: boolean }): Promise<boolean>;
  /**
   * The local file system's path of a location, for a writer that appends in place as it goes (a
   * run's log, read while the run lasts); null where files cannot be appended to (object storage).
   */
  localFile(file: string): string | null;
  /** Bytes the agent may still write there; null when the storage has no such limit to tell. */
  freeBytes(folder: string): Promise<number | null>;
}
