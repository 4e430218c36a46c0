// `copyOffsite()`: the second copy of a target's good backups, on object storage (config `offsite`).
// A backup is copied once it succeeded and its verification passed: its files first, each read
// back and hashed against the manifest, then its manifest, the commit point there as here (a copy
// without a manifest is no backup to any reader). What happened is recorded beside the local
// manifest (catalog/offsite.ts). A failed copy never fails the backup: the next run copies the
// newest good backup first, then the backlog oldest first, at most `maxCopiesPerRun` of them.
// One agent at a time copies a backup (the lock of its folder there), so the one copying may
// drop what a stopped copy left unfinished.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { failureOf } from '../classify/failure.js';
import { attemptsAllowed } from '../classify/retry.js';
import { storageEvidence } from '../classify/storageError.js';
import { writeOffsiteRecord } from '../catalog/offsite.js';
import { MANIFEST_FILE } from '../catalog/paths.js';
import { type CatalogEntry, listBackups } from '../catalog/store.js';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig } from '../config/schema.js';
import type { Failure, OffsiteRecord, RunStatus } from '../contract/manifest.js';
import { ensureObjectStorage, storageOf } from '../storage/index.js';
import { backoffMs, sleep } from '../util/backoff.js';
import { type Logger, mainLogger } from '../util/log.js';

export interface OffsiteOptions {
  log?: Logger;
  signal?: AbortSignal;
}

/** A backup worth a second copy: it succeeded, and its verification (when one ran) passed. */
export function isGood(m: { status: RunStatus; verification: { ok: boolean } | null }): boolean {
  return m.status === 'success' && (m.verification === null || m.verification.ok);
}

/** Where a target's backup is copied: `<offsite>/<target>/<id>`. */
export const offsiteLocation = (repository: string, target: string, id: string) => `${repository.replace(/\/+$/, '')}/${target}/${id}`;

/** Copied to where the configuration points now: a copy elsewhere (offsite.repository changed since) is none here. */
export function copiedTo(record: { state: string; location: string } | null | undefined, location: string): boolean {
  return record?.state === 'copied' && record.location === location;
}

/** The read-back differs from what the manifest records (class checksum_mismatch). */
const mismatch = (what: string) => Object.assign(new Error(what), { name: 'ChecksumMismatch' });
/** The local file itself no longer matches its manifest: no copy can fix that (class verification). */
class LocalDamage extends Error {}
const LOCAL_DAMAGE = { class: 'verification', hint: 'The local backup no longer matches its manifest: run warden verify on it; it is not copied.' } as const;

/** Streams one file to the offsite storage, hashing what leaves: the local bytes are checked too. */
async function copyFile(from: string, to: string, expected: { sha256: string }, signal?: AbortSignal): Promise<void> {
  const local = storageOf(from);
  const pending = storageOf(to).create(to);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(local.read(from, { signal }), tap, pending.writable(), { signal });
    const sent = hash.digest('hex');
    if (sent !== expected.sha256) throw new LocalDamage(`${from}: its sha256 is ${sent}, the manifest says ${expected.sha256}: the local file is damaged`);
    await pending.commit({ bytes, sha256: sent });
  } catch (err) {
    await pending.abort().catch(() => undefined);
    throw err;
  }
}

/** Copies one backup and reads the copy back; returns the bytes copied. Fails with code ELOCKED while another agent copies it. */
async function copyBackup(entry: CatalogEntry, dest: string, signal?: AbortSignal): Promise<number> {
  const remote = storageOf(dest);
  const release = await remote.lock(dest);
  try {
    // A copy killed mid-file leaves its multipart upload: no listing shows it, but the storage keeps (and bills) it.
    for (const name of await remote.unfinished(dest)) await remote.remove(remote.join(dest, name));
    return await copyFiles(entry, dest, signal);
  } finally {
    await release().catch(() => undefined);
  }
}

async function copyFiles(entry: CatalogEntry, dest: string, signal?: AbortSignal): Promise<number> {
  const local = storageOf(entry.dir);
  const remote = storageOf(dest);
  const { files } = entry.manifest;
  for (const f of files) await copyFile(local.join(entry.dir, f.name), remote.join(dest, f.name), f, signal);
  for (const f of files) {
    const got = await remote.digest(remote.join(dest, f.name), signal);
    if (got.sha256 !== f.sha256 || got.bytes !== f.bytes) {
      throw mismatch(`${remote.join(dest, f.name)} read back as ${got.bytes} bytes with sha256 ${got.sha256}; the manifest says ${f.bytes} bytes, ${f.sha256}`);
    }
  }
  const manifest = await local.readText(local.join(entry.dir, MANIFEST_FILE));
  await remote.writeText(remote.join(dest, MANIFEST_FILE), manifest);
  if ((await remote.readText(remote.join(dest, MANIFEST_FILE))) !== manifest) throw mismatch(`${remote.join(dest, MANIFEST_FILE)} read back differs from the manifest written`);
  return files.reduce((sum, f) => sum + f.bytes, 0);
}

/** An S3 answer by its code and status: the SDK's message for one without a Message (radosgw sends none) is just "UnknownError". */
function messageOf(err: unknown): string {
  const e = (err ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return e.message ?? String(err);
  const said = e.message && e.message !== 'UnknownError' && e.message !== e.name ? `: ${e.message}` : '';
  return `the storage answered ${e.name} (HTTP ${status})${said}`;
}

function failureOfCopy(err: unknown): Failure {
  const message = `offsite copy: ${messageOf(err)}`;
  if (err instanceof LocalDamage) return failureOf(LOCAL_DAMAGE, message);
  return failureOf(storageEvidence(err), message);
}

/** One backup, with the retries its failure class allows. */
async function copyWithRetries(entry: CatalogEntry, dest: string, config: LoadedConfig, target: TargetConfig, opts: OffsiteOptions) {
  const policy = target.retry ?? config.retry;
  for (let attempt = 1; ; attempt++) {
    try {
      return { attempts: attempt, bytes: await copyBackup(entry, dest, opts.signal), failure: null, busy: false };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return { attempts: 0, bytes: 0, failure: null, busy: true };
      const failure = failureOfCopy(err);
      if (attempt >= attemptsAllowed(failure.class, policy) || opts.signal?.aborted) return { attempts: attempt, bytes: 0, failure, busy: false };
      opts.log?.warn({ id: entry.manifest.id, class: failure.class, attempt }, 'offsite copy failed; retrying');
      await sleep(backoffMs(attempt, policy), opts.signal ?? new AbortController().signal);
    }
  }
}

/**
 * The good backups not copied yet, in the order to copy them (`entries` newest first, as listBackups
 * gives them). The newest good backup goes first: it is the restore point that matters most, and the
 * one WardenOffsiteCopyMissing watches; after the links of its chain it is restored on top of
 * (catalog/chain.ts), oldest first, so that its copy is restorable there once it counts as copied.
 * Then the backlog, oldest first.
 */
export function copyOrder<E extends Pick<CatalogEntry, 'manifest'>>(entries: E[], copied: (e: E) => boolean): E[] {
  const good = entries.filter((e) => isGood(e.manifest));
  const byId = new Map(entries.map((e) => [e.manifest.id, e]));
  const chain: E[] = [];
  // Bounded by the entries: a damaged chain that loops ends here too.
  for (let e = good[0]; e && !chain.includes(e); e = e.manifest.chain ? byId.get(e.manifest.chain.previousId) : undefined) chain.unshift(e);
  const first = chain.filter((e) => isGood(e.manifest) && !copied(e));
  const backlog = good.filter((e) => !copied(e) && !first.includes(e)).reverse();
  return [...first, ...backlog];
}

export async function copyOffsite(config: LoadedConfig, target: TargetConfig, opts: OffsiteOptions = {}): Promise<void> {
  const offsite = config.offsite;
  if (!offsite) return;
  const log = (opts.log ?? mainLogger()).child({ component: 'offsite', target: target.name });
  await ensureObjectStorage(config.s3);
  const { entries } = await listBackups(config.repositoryPath, target.name);
  const destOf = (e: CatalogEntry) => offsiteLocation(offsite.repository, target.name, e.manifest.id);
  const waiting = copyOrder(entries, (e) => copiedTo(e.offsite, destOf(e)));
  for (const entry of waiting.slice(0, offsite.maxCopiesPerRun)) {
    if (opts.signal?.aborted) break;
    const { id } = entry.manifest;
    const dest = destOf(entry);
    const result = await copyWithRetries(entry, dest, config, target, { ...opts, log });
    if (result.busy) {
      log.info({ id }, 'another agent is copying this backup offsite; it records the copy');
      continue;
    }
    // Stopped (shutdown): no failure of the copy's own; the next run copies it.
    if (result.failure && opts.signal?.aborted) break;
    const now = new Date().toISOString();
    const record: OffsiteRecord = {
      format: 1,
      state: result.failure ? 'failed' : 'copied',
      location: dest,
      at: now,
      verifiedAt: result.failure ? null : now,
      bytes: result.bytes,
      attempts: (entry.offsite?.attempts ?? 0) + result.attempts,
      error: result.failure,
    };
    // The local run may be gone meanwhile (retention by another process): nothing to record then.
    await writeOffsiteRecord(entry.dir, record).catch((err: unknown) => log.warn({ err, id }, 'cannot record the offsite state'));
    if (result.failure) {
      log.error({ id, class: result.failure.class, hint: result.failure.hint, err: result.failure.message }, 'offsite copy failed; the next run tries again');
      // What failed on the storage fails the next backups the same way: they wait for the next run.
      // A damaged local backup is its own: it must not hold the backlog behind it forever.
      if (result.failure.class !== LOCAL_DAMAGE.class) break;
      continue;
    }
    log.info({ id, bytes: result.bytes, location: dest }, 'offsite copy verified');
  }
}
