// The repository on S3-compatible object storage: locations are `s3://bucket/prefix/...`, a folder
// is a key prefix ending in `/` and exists while something is stored under it.
//
// How the contract of types.ts is kept:
// - A file is visible only once complete: `create` streams into a multipart upload (lib-storage's
//   Upload: parts of PART_SIZE, at most QUEUE_SIZE in flight, so memory stays constant), and the
//   upload is completed by `commit`, never by the end of the stream. A crash leaves an unfinished
//   multipart upload, which no listing shows; `unfinished` names it `<name>.partial` and `remove`
//   of that name aborts it.
// - `writeText` is one PutObject: readers see the old object or the new one.
// - `removeFolder` cannot rename: it deletes the folder's records first (the files `writeText`
//   wrote directly in it, such as a run's manifest), so a run stops naming its files before they
//   go; a reader in between sees a run without a manifest (unreadable, never good), then nothing.
// - The lock is an object created with `If-None-Match: *` (exactly one writer wins) and rewritten
//   by its holder every third of STALE_MS. One not rewritten for STALE_MS (on the server's clock:
//   its Date against the object's Last-Modified) is watched for a rewrite
//   first, then deleted if unchanged and created anew; without conditional deletes, two agents
//   taking over the same abandoned lock in the same instant could both win.
// - Nothing follows a link: object storage has none.
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Config } from '../config/schema.js';
import { forEachLimit } from '../util/concurrency.js';
import { type FileDigest, PARTIAL_SUFFIX, type PendingFile, S3_SCHEME as SCHEME, type Storage, type StorageEntry } from './types.js';

export type S3Settings = S3Config;

const STALE_MS = 30_000;
const PART_SIZE = 8 << 20;
const QUEUE_SIZE = 4;
const LOCK_NAME = '.lock';
const PROGRESS = 'httpUploadProgress';
/** Metadata that marks what `writeText` stored: a record naming other files. */
const RECORD_META = 'warden-record';
const DELETE_BATCH = 1000;
const HEAD_CONCURRENCY = 8;
/** Characters an XML 1.0 body cannot carry unchanged: all but tab, newline and XML's Char range. */
const XML_UNSAFE = /[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface S3Tuning {
  staleMs?: number;
  /** Bytes per part (at least 5 MiB, S3's minimum) and parts in flight: memory is about their product. */
  partSize?: number;
  queueSize?: number;
}

interface LockState {
  etag: string;
  ageMs: number;
}

interface Location {
  bucket: string;
  key: string;
}

function parse(location: string): Location {
  // `s`: a key may hold line breaks.
  const m = /^s3:\/\/([^/]+)\/?(.*)$/s.exec(location);
  if (!m) throw new Error(`${JSON.stringify(location)} is not an s3://bucket/prefix location`);
  return { bucket: m[1]!, key: m[2]!.replace(/\/+$/, '') };
}

const prefixOf = (key: string) => (key ? `${key}/` : '');
const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
/** Missing objects fail as they do on a file system, where callers look for them. */
const asErrno = (err: unknown) => (statusOf(err) === 404 ? Object.assign(err as Error, { code: 'ENOENT' }) : err);
/** Unique on every write, so that each rewrite changes the lock's ETag. */
const lockBody = () => JSON.stringify({ write: randomUUID(), at: new Date().toISOString(), pid: process.pid });
const locked = (folder: string) => Object.assign(new Error(`${folder} is locked`), { code: 'ELOCKED' });

function clientOf(s: S3Settings): S3Client {
  const fromEnv = () => {
    const accessKeyId = process.env[s.accessKeyEnv];
    const secretAccessKey = process.env[s.secretKeyEnv];
    // Named as the SDK names its own providers' failures, so it is classified with them.
    if (!accessKeyId || !secretAccessKey) {
      throw Object.assign(new Error(`S3 credentials: set ${s.accessKeyEnv} and ${s.secretKeyEnv}, or s3.credentialsFile`), { name: 'CredentialsProviderError' });
    }
    return Promise.resolve({ accessKeyId, secretAccessKey });
  };
  const when = s.checksums ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED';
  return new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    credentials: s.credentialsFile ? fromIni({ filepath: s.credentialsFile, profile: s.profile }) : fromEnv,
    requestChecksumCalculation: when,
    responseChecksumValidation: when,
  });
}

class S3PendingFile implements PendingFile {
  readonly localPath = null;
  private written = 0;
  private stored = 0;
  private upload: { body: PassThrough; uploader: Upload; done: Promise<unknown> } | undefined;

  constructor(
    private readonly storage: S3Storage,
    private readonly file: string,
  ) {}

  async size(): Promise<number> {
    return this.written;
  }

  /**
   * Forwards bytes to the upload but never ends its body: the end completes the multipart upload,
   * which is `commit`'s to do. `finish` waits until every part but the last is stored; the last
   * stays in memory until `commit`.
   */
  writable(): Writable {
    const upload = (this.upload ??= this.start());
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.written += chunk.length;
        if (upload.body.write(chunk)) callback();
        else once(upload.body, 'drain').then(() => callback(), callback);
      },
      final: (callback) => {
        // The Upload sends a part once it holds more than a part: all but the last are on their way.
        const full = Math.max(0, Math.ceil(this.written / this.storage.partSize) - 1) * this.storage.partSize;
        const stored = new Promise<void>((resolve) => {
          const check = () => {
            if (this.stored < full) return;
            upload.uploader.off(PROGRESS, check);
            resolve();
          };
          upload.uploader.on(PROGRESS, check);
          check();
        });
        Promise.race([stored, upload.done]).then(() => callback(), callback);
      },
    });
  }

  private start() {
    const { bucket, key } = parse(this.file);
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    const uploader = new Upload({
      client: this.storage.client,
      params: { Bucket: bucket, Key: key, Body: body, ...this.storage.checksum },
      partSize: this.storage.partSize,
      queueSize: this.storage.queueSize,
    });
    uploader.on(PROGRESS, (p) => {
      this.stored = p.loaded ?? this.stored;
    });
    const done = uploader.done();
    // A failed upload fails the writer waiting on the body; `done` reports the error to `commit`.
    body.on('error', () => undefined);
    done.catch((err: unknown) => body.destroy(err as Error));
    return { body, uploader, done };
  }

  async commit(known?: FileDigest): Promise<FileDigest> {
    const upload = (this.upload ??= this.start());
    upload.body.end();
    await upload.done;
    return known ?? this.storage.digest(this.file);
  }

  /** An error in the body makes the Upload abort its multipart upload before `done` settles. */
  async abort(): Promise<void> {
    if (!this.upload) return;
    this.upload.body.destroy(new Error('aborted'));
    await this.upload.done.catch(() => undefined);
  }
}

export class S3Storage implements Storage {
  readonly client: S3Client;
  readonly checksum: { ChecksumAlgorithm?: 'SHA256' };
  readonly partSize: number;
  readonly queueSize: number;
  private readonly staleMs: number;

  constructor(settings: S3Settings, tuning: S3Tuning = {}) {
    this.client = clientOf(settings);
    this.checksum = settings.checksums ? { ChecksumAlgorithm: 'SHA256' } : {};
    this.partSize = tuning.partSize ?? PART_SIZE;
    this.queueSize = tuning.queueSize ?? QUEUE_SIZE;
    this.staleMs = tuning.staleMs ?? STALE_MS;
  }

  join(folder: string, ...names: string[]): string {
    const { bucket, key } = parse(folder);
    return `${SCHEME}${bucket}/${path.posix.join(key, ...names)}`;
  }

  /** Every object (`delimited`: and folder) directly or, without it, anywhere under a prefix. */
  private async *objects(folder: string, delimited: boolean) {
    const { bucket, key } = parse(folder);
    const Prefix = prefixOf(key);
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix, Delimiter: delimited ? '/' : undefined, ContinuationToken }));
      for (const p of page.CommonPrefixes ?? []) yield { name: p.Prefix!.slice(Prefix.length, -1), key: p.Prefix!, kind: 'folder' as const, bytes: 0 };
      for (const o of page.Contents ?? []) {
        const name = o.Key!.slice(Prefix.length);
        if (name) yield { name, key: o.Key!, kind: 'file' as const, bytes: o.Size ?? 0 };
      }
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
  }

  /** Unfinished multipart uploads directly (`delimited`) or anywhere under a prefix. */
  private async *uploads(bucket: string, Prefix: string, delimited: boolean) {
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({ Bucket: bucket, Prefix, Delimiter: delimited ? '/' : undefined, KeyMarker, UploadIdMarker }),
      );
      for (const u of page.Uploads ?? []) yield { key: u.Key!, uploadId: u.UploadId! };
      [KeyMarker, UploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
    } while (KeyMarker);
  }

  private async abortUploads(bucket: string, prefix: string, only?: string): Promise<void> {
    for await (const u of this.uploads(bucket, prefix, false)) {
      if (only === undefined || u.key === only) await this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }));
    }
  }

  async list(folder: string): Promise<StorageEntry[]> {
    const entries: StorageEntry[] = [];
    for await (const { name, kind, bytes } of this.objects(folder, true)) entries.push({ name, kind, bytes });
    return entries;
  }

  async usage(folder: string): Promise<number> {
    let total = 0;
    for await (const o of this.objects(folder, false)) total += o.bytes;
    return total;
  }

  private async head(file: string): Promise<HeadObjectCommandOutput | null> {
    const { bucket, key } = parse(file);
    try {
      return await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async size(file: string): Promise<number | null> {
    return (await this.head(file))?.ContentLength ?? null;
  }

  async unfinished(folder: string): Promise<string[]> {
    const { bucket, key } = parse(folder);
    const names = new Set<string>();
    for await (const u of this.uploads(bucket, prefixOf(key), true)) names.add(u.key.slice(prefixOf(key).length) + PARTIAL_SUFFIX);
    return [...names];
  }

  read(file: string, opts: { signal?: AbortSignal; highWaterMark?: number } = {}): Readable {
    const { bucket, key } = parse(file);
    const out = new PassThrough({ highWaterMark: opts.highWaterMark ?? 1 << 20 });
    this.client
      .send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: opts.signal })
      .then((r) => pipeline(r.Body as Readable, out, { signal: opts.signal }))
      .catch((err: unknown) => out.destroy(asErrno(err) as Error));
    return out;
  }

  async readText(file: string): Promise<string> {
    const { bucket, key } = parse(file);
    try {
      return await (await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8');
    } catch (err) {
      throw asErrno(err);
    }
  }

  async writeText(file: string, text: string): Promise<void> {
    const { bucket, key } = parse(file);
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, Metadata: { [RECORD_META]: '1' }, ...this.checksum }));
  }

  create(file: string): PendingFile {
    return new S3PendingFile(this, file);
  }

  /** `<name>.partial`, as `unfinished` names it, is the unfinished upload of `<name>`. */
  async remove(file: string): Promise<void> {
    const { bucket, key } = parse(file);
    if (key.endsWith(PARTIAL_SUFFIX)) await this.abortUploads(bucket, key.slice(0, -PARTIAL_SUFFIX.length), key.slice(0, -PARTIAL_SUFFIX.length));
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  private async deleteKeys(bucket: string, all: string[]): Promise<void> {
    // DeleteObjects names its keys in an XML body, which does not carry every key: control
    // characters fail the whole batch (radosgw: 400) and a carriage return reads as a newline (XML's
    // end-of-line rule, which AWS's page on object key names warns of), a quiet "deleted" of another
    // key. Those go one by one with DeleteObject, whose key travels in the URL.
    const keys = all.filter((k) => !XML_UNSAFE.test(k));
    for (const Key of all.filter((k) => XML_UNSAFE.test(k))) await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const Objects = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }));
      const { Errors } = await this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects, Quiet: true } }));
      if (Errors?.length) throw new Error(`cannot delete ${Errors[0]!.Key}: ${Errors[0]!.Code} ${Errors[0]!.Message}`);
    }
  }

  async removeFolder(folder: string): Promise<number> {
    const { bucket, key } = parse(folder);
    const all: { key: string; bytes: number; top: boolean }[] = [];
    for await (const o of this.objects(folder, false)) all.push({ key: o.key, bytes: o.bytes, top: !o.name.includes('/') });
    const records = new Set<string>();
    await forEachLimit(
      all.filter((o) => o.top),
      HEAD_CONCURRENCY,
      async (o) => {
        if ((await this.head(`${SCHEME}${bucket}/${o.key}`))?.Metadata?.[RECORD_META]) records.add(o.key);
        return null;
      },
    );
    await this.deleteKeys(bucket, [...records]);
    await this.deleteKeys(bucket, all.filter((o) => !records.has(o.key)).map((o) => o.key));
    await this.abortUploads(bucket, prefixOf(key));
    return all.reduce((sum, o) => sum + o.bytes, 0);
  }

  /** Nothing to make: a prefix exists once something is stored under it. */
  async makeFolder(): Promise<void> {}

  async digest(file: string, signal?: AbortSignal): Promise<FileDigest> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of this.read(file, { signal }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  /**
   * The lock's ETag and age, read on the server's clock alone (its Date header against the
   * object's Last-Modified): a host whose clock is behind would wait that much longer to take over
   * a dead holder's lock, one ahead would take a live holder's lock for dead. Null when there is none.
   */
  private async lockState(lockFile: string): Promise<LockState | null> {
    const { bucket, key } = parse(lockFile);
    const command = new HeadObjectCommand({ Bucket: bucket, Key: key });
    let serverNow = Date.now();
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const date = Date.parse((result.response as { headers?: Record<string, string> }).headers?.date ?? '');
        if (!Number.isNaN(date)) serverNow = date;
        return result;
      },
      { step: 'initialize' },
    );
    try {
      const out = await this.client.send(command);
      return { etag: out.ETag ?? '', ageMs: serverNow - (out.LastModified?.getTime() ?? 0) };
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  /** Whether the lock's holder rewrote it within STALE_MS; `observe`: or does so while watched. */
  private async live(lockFile: string, seen: LockState, observe: boolean): Promise<boolean> {
    if (seen.ageMs <= this.staleMs) return true;
    if (!observe) return false;
    await sleep(Math.floor(this.staleMs / 3) + 1000);
    const again = await this.lockState(lockFile);
    return again !== null && again.etag !== seen.etag;
  }

  /** Creates the lock object unless one exists; its ETag, or null when one exists. */
  private async createLock(lockFile: string): Promise<string | null> {
    const { bucket, key } = parse(lockFile);
    try {
      const put = await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: lockBody(), IfNoneMatch: '*' }));
      return put.ETag!;
    } catch (err) {
      // 409: another writer's conditional write of the same key is in progress (AWS's PutObject
      // reference, If-None-Match: "a 409 ConditionalRequestConflict ... retry"): as good as taken.
      if (statusOf(err) === 412 || statusOf(err) === 409) return null;
      throw err;
    }
  }

  async lock(folder: string): Promise<() => Promise<void>> {
    const lockFile = this.join(folder, LOCK_NAME);
    const { bucket, key } = parse(lockFile);
    let etag = await this.createLock(lockFile);
    if (etag === null) {
      const seen = await this.lockState(lockFile);
      if (seen && (await this.live(lockFile, seen, true))) throw locked(folder);
      // Abandoned: deleted only if still the one judged so, then created like a free lock.
      if (seen && (await this.lockState(lockFile))?.etag === seen.etag) await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      etag = await this.createLock(lockFile);
      if (etag === null) throw locked(folder);
    }
    let mine: string | null = etag;
    const refresh = setInterval(() => {
      void (async () => {
        if ((await this.head(lockFile))?.ETag !== mine) {
          mine = null; // taken over: this holder was judged dead
          clearInterval(refresh);
          return;
        }
        const put = await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: lockBody() }));
        mine = put.ETag ?? null;
      })().catch(() => undefined);
    }, Math.floor(this.staleMs / 3));
    refresh.unref();
    return async () => {
      clearInterval(refresh);
      if (mine !== null && (await this.head(lockFile))?.ETag === mine) await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    };
  }

  async isLocked(folder: string, opts: { observe?: boolean } = {}): Promise<boolean> {
    const lockFile = this.join(folder, LOCK_NAME);
    const seen = await this.lockState(lockFile);
    return seen !== null && this.live(lockFile, seen, opts.observe === true);
  }

  /** Objects are written whole: nothing appends in place. */
  localFile(): string | null {
    return null;
  }

  /** A bucket tells no free space. */
  async freeBytes(): Promise<number | null> {
    return null;
  }
}
