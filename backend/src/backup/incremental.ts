// Whether a physical run is full or incremental: incremental while the newest good physical backup's
// chain is whole and its full backup younger than `incremental.fullEvery`, else full.
import { isGoodLink, lookupIn, resolveChain } from '../catalog/chain.js';
import { listBackups } from '../catalog/store.js';
import type { Manifest } from '../contract/manifest.js';
import type { TargetConfig } from '../config/schema.js';

export interface PhysicalPlan {
  /** The backup an incremental continues (its `toLsn` is where this one starts); null: a full backup. */
  previous: Manifest | null;
  chain: Manifest['chain'];
  /** Why the run is full, or what it builds on. */
  reason: string;
  /** An incremental was due but refused (a broken chain): the run says so in its warnings. */
  fallback: boolean;
}

const FULL = { previous: null, chain: null } as const;

export async function planPhysical(repository: string, target: TargetConfig, ownId: string, now = new Date()): Promise<PhysicalPlan> {
  if (!target.incremental) return { ...FULL, reason: 'incremental backups are not configured', fallback: false };
  const { entries } = await listBackups(repository, target.name);
  const newest = entries.find((e) => e.manifest.id !== ownId && e.manifest.method === 'physical' && e.manifest.status === 'success');
  if (!newest) return { ...FULL, reason: 'no earlier physical backup to build on', fallback: false };
  const { links, problem } = await resolveChain(newest, lookupIn(entries));
  const refused = (why: string): PhysicalPlan => ({ ...FULL, reason: `a full backup instead of an incremental: ${why}`, fallback: true });
  if (problem) return refused(problem);
  if (!isGoodLink(newest.manifest)) return refused(`the newest backup ${newest.manifest.id} failed its verification`);
  if (!newest.manifest.lsn) return refused(`the newest backup ${newest.manifest.id} has no LSNs to start from`);
  const base = links[0]!.manifest;
  const ageSeconds = (now.getTime() - new Date(base.startedAt).getTime()) / 1000;
  if (ageSeconds >= target.incremental.fullEvery) return { ...FULL, reason: `the full backup ${base.id} is older than incremental.fullEvery`, fallback: false };
  return {
    previous: newest.manifest,
    chain: { baseId: base.id, previousId: newest.manifest.id, position: (newest.manifest.chain?.position ?? 0) + 1 },
    reason: `an incremental on top of ${newest.manifest.id} (full backup ${base.id})`,
    fallback: false,
  };
}
