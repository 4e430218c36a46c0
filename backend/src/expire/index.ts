// Applies a target's retention policy to the repository: `warden expire`, after every successful
// run, and before the one retry of a disk_full failure.
import { isFutureDated } from '../catalog/clock.js';
import { lookupIn, resolveChain } from '../catalog/chain.js';
import { isTargetLocked } from '../catalog/lock.js';
import type { Manifest, RunStatus } from '../contract/manifest.js';
import { backupDir, targetDir } from '../catalog/paths.js';
import { type CatalogEntry, listBackups } from '../catalog/store.js';
import { storageOf } from '../storage/index.js';
import type { LoadedConfig } from '../config/load.js';
import type { RetentionConfig, TargetConfig } from '../config/schema.js';
import type { Logger } from '../util/log.js';
import { type Candidate, decide, type KeepReason, policyFor } from './policy.js';

export interface ExpireOptions {
  log: Logger;
  dryRun?: boolean;
  now?: Date;
  /** Backups this process is using (being verified): kept whatever the policy says. */
  inUse?: ReadonlySet<string>;
}

export interface ExpiredRun {
  id: string;
  status: RunStatus;
  startedAt: string;
  bytes: number;
}

export interface ExpireResult {
  target: string;
  dryRun: boolean;
  policy: RetentionConfig | null;
  /** Deleted runs (with --dry-run: the runs that would be deleted). */
  deleted: ExpiredRun[];
  kept: { id: string; status: RunStatus; reasons: KeepReason[] }[];
  /** Run folders without a readable manifest: never deleted (one may be a run being created). */
  unreadable: string[];
  freedBytes: number;
}

/** Deletes one run folder and returns the bytes freed. */
export function deleteRun(dir: string): Promise<number> {
  return storageOf(dir).removeFolder(dir);
}

/** Why a backup may not be deleted by hand (DELETE /backups/:id), or null when it may. */
export async function deletionBlocker(config: LoadedConfig, target: string, id: string, inUse: ReadonlySet<string>): Promise<string | null> {
  const { entries } = await listBackups(config.repositoryPath, target);
  const run = entries.find((e) => e.manifest.id === id);
  if (inUse.has(id)) return `backup ${id} is in use by a running verification`;
  if (run?.manifest.status === 'running' && (await isTargetLocked(targetDir(config.repositoryPath, target), { observe: true }))) {
    return `backup ${id} is running`;
  }
  const dated = entries.filter((e) => !isFutureDated(e.manifest.startedAt));
  if (dated.find((e) => e.manifest.verification?.ok)?.manifest.id === id) {
    return `backup ${id} is the newest verified backup of target "${target}"; it is never deleted`;
  }
  // Verified or not (verification may be off): without it the target would have no good backup left.
  if (dated.find((e) => e.manifest.status === 'success')?.manifest.id === id) {
    return `backup ${id} is the newest successful backup of target "${target}"; it is never deleted`;
  }
  const lookup = lookupIn(entries);
  for (const e of entries.filter((x) => x.manifest.chain && x.manifest.status === 'success')) {
    const { links } = await resolveChain(e, lookup);
    if (links.some((l) => l !== e && l.manifest.id === id)) return `backup ${id} is a link of the incremental ${e.manifest.id}, which cannot be restored without it: delete that one first`;
  }
  return null;
}

export async function expireTarget(config: LoadedConfig, target: TargetConfig, opts: ExpireOptions): Promise<ExpireResult> {
  const repository = config.repositoryPath;
  const { entries, unreadable } = await listBackups(repository, target.name);
  // Only when a run says `running`: the observation of a lock that looks abandoned takes seconds.
  const locked = entries.some((e) => e.manifest.status === 'running') && (await isTargetLocked(targetDir(repository, target.name), { observe: true }));
  const candidates: Candidate[] = await Promise.all(
    entries.map(async (entry) => {
      const m = entry.manifest;
      return {
        id: m.id,
        status: m.status,
        startedAt: new Date(m.startedAt),
        verifiedOk: m.verification?.ok === true,
        live: (m.status === 'running' && locked) || (opts.inUse?.has(m.id) ?? false),
        // Every run the chain names, good or not: a link that failed verification may be
        // verified again or mended, and its base must not go before it.
        needs: linksNamedBy(entry, entries),
      };
    }),
  );
  const policy = policyFor(config, target);
  const decisions = decide(candidates, policy, opts.now ?? new Date());
  const byId = new Map(entries.map((e) => [e.manifest.id, e.manifest]));

  const result: ExpireResult = {
    target: target.name,
    dryRun: opts.dryRun ?? false,
    policy,
    deleted: [],
    kept: [],
    unreadable: unreadable.map((u) => u.dir),
    freedBytes: 0,
  };
  for (const d of decisions) {
    const m = byId.get(d.id)!;
    if (d.keep) {
      result.kept.push({ id: d.id, status: m.status, reasons: d.reasons });
      continue;
    }
    const dir = backupDir(repository, target.name, d.id);
    const bytes = result.dryRun ? await storageOf(dir).usage(dir) : await deleteRun(dir);
    result.deleted.push({ id: d.id, status: m.status, startedAt: m.startedAt, bytes });
    result.freedBytes += bytes;
    opts.log.info({ target: target.name, backupId: d.id, status: m.status, bytes, dryRun: result.dryRun }, result.dryRun ? 'would delete' : 'deleted');
  }
  const future = decisions.filter((d) => d.reasons.includes('future-dated')).map((d) => d.id);
  if (future.length > 0) {
    opts.log.warn({ target: target.name, runs: future }, 'runs dated in the future (was the clock ahead?) are kept and never count as the newest: check them, then delete them by hand');
  }
  opts.log.info(
    { target: target.name, policy, deleted: result.deleted.length, kept: result.kept.length, freedBytes: result.freedBytes, dryRun: result.dryRun },
    'retention applied',
  );
  return result;
}

/**
 * The disk_full path: applies the retention policy before the one retry. It never deletes the
 * newest good backup nor a running one (the failing run holds the lock); without a policy it frees nothing.
 */
export async function pruneForSpace(config: LoadedConfig, target: TargetConfig, log: Logger): Promise<ExpireResult> {
  if (!policyFor(config, target)) log.warn({ target: target.name }, 'disk full but no retention policy is set: nothing is pruned');
  return expireTarget(config, target, { log });
}

/** The runs an incremental's chain names, back to its full backup, whatever their state: followed by `previousId`. */
function linksNamedBy(entry: CatalogEntry, entries: CatalogEntry[]): string[] {
  const byId = new Map(entries.map((e) => [e.manifest.id, e.manifest]));
  const ids: string[] = [];
  // Ids sort by start time and a link is older than the run built on it: the walk ends.
  for (let m: Manifest | undefined = entry.manifest; m?.chain && m.chain.previousId < m.id; m = byId.get(m.chain.previousId)) {
    ids.push(m.chain.previousId);
  }
  return ids;
}
