// Which runs a retention policy keeps. Pure: the caller supplies the runs, the clock and which runs
// are live, so every rule is testable with chosen dates.
import { isFutureDated } from '../catalog/clock.js';
import type { RunStatus } from '../contract/manifest.js';
import type { LoadedConfig } from '../config/load.js';
import type { RetentionConfig, TargetConfig } from '../config/schema.js';

export type KeepReason =
  | 'no-policy'
  | 'last'
  | 'days'
  | 'daily'
  | 'weekly'
  | 'monthly'
  | 'newest-success'
  | 'newest-verified'
  | 'live'
  | 'newer-than-success'
  /** Dated ahead of the clock (catalog/clock.ts): it cannot be placed in time, so it never ranks and is never deleted. */
  | 'future-dated'
  /** The full backup or an earlier incremental of a kept incremental: without it, that one cannot be restored. */
  | 'chain';

export interface Candidate {
  id: string;
  status: RunStatus;
  startedAt: Date;
  /** Its manifest records a verification that passed. */
  verifiedOk: boolean;
  /** Running now, or in use (being verified): never deleted. */
  live: boolean;
  /** A physical incremental: the ids of its chain's earlier links (catalog/chain.ts). */
  needs?: string[];
}

export interface Decision {
  id: string;
  keep: boolean;
  reasons: KeepReason[];
}

/** A target's own `retention` replaces the global one; neither (or no key set) means keep everything. */
export function policyFor(config: LoadedConfig, target: TargetConfig): RetentionConfig | null {
  const policy = target.retention ?? config.retention;
  if (!policy) return null;
  return Object.values(policy).some((v) => v !== undefined) ? policy : null;
}

const DAY_MS = 86_400_000;

// Calendar buckets are UTC so that a decision does not depend on the agent's time zone.
const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const monthKey = (d: Date) => d.toISOString().slice(0, 7);
function isoWeekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday); // the Thursday of this ISO week names its year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return `${t.getUTCFullYear()}-W${Math.ceil(((t.getTime() - yearStart) / DAY_MS + 1) / 7)}`;
}

/**
 * Grandfather-father-son, as restic defines it: the newest backup of each of the last `n` buckets
 * (days, weeks, months) that hold a backup; gaps do not use up the count.
 */
function newestPerBucket(newestFirst: Candidate[], n: number, key: (d: Date) => string): Candidate[] {
  const seen = new Set<string>();
  const kept: Candidate[] = [];
  for (const c of newestFirst) {
    const k = key(c.startedAt);
    if (seen.has(k)) continue;
    if (seen.size >= n) break;
    seen.add(k);
    kept.push(c);
  }
  return kept;
}

/**
 * Decides every run. Successful backups are kept by the union of the policy's rules; the newest
 * success and the newest verified backup are always kept, and so is every link a kept incremental
 * is restored from; live runs are never touched. Runs that
 * did not succeed (failed, partial, interrupted, or "running" left by a dead process) are evidence,
 * not backups: kept while newer than the newest success, deleted once a newer success exists.
 * Runs dated in the future are kept and left out of every ranking (catalog/clock.ts).
 */
export function decide(candidates: Candidate[], policy: RetentionConfig | null, now: Date): Decision[] {
  const all = [...candidates].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1));
  const reasons = new Map<string, KeepReason[]>(all.map((c) => [c.id, []]));
  const mark = (list: Candidate[], reason: KeepReason) => list.forEach((c) => reasons.get(c.id)!.push(reason));
  mark(all.filter((c) => isFutureDated(c.startedAt, now)), 'future-dated');
  const newestFirst = all.filter((c) => !isFutureDated(c.startedAt, now));

  const successes = newestFirst.filter((c) => c.status === 'success');
  const newestSuccess = successes[0];
  const newestVerified = newestFirst.find((c) => c.verifiedOk);

  if (!policy) mark(newestFirst, 'no-policy');
  else {
    if (policy.keepLast) mark(successes.slice(0, policy.keepLast), 'last');
    if (policy.keepDays) mark(successes.filter((c) => now.getTime() - c.startedAt.getTime() <= policy.keepDays! * DAY_MS), 'days');
    if (policy.keepDaily) mark(newestPerBucket(successes, policy.keepDaily, dayKey), 'daily');
    if (policy.keepWeekly) mark(newestPerBucket(successes, policy.keepWeekly, isoWeekKey), 'weekly');
    if (policy.keepMonthly) mark(newestPerBucket(successes, policy.keepMonthly, monthKey), 'monthly');
  }
  if (newestSuccess) mark([newestSuccess], 'newest-success');
  if (newestVerified) mark([newestVerified], 'newest-verified');
  mark(newestFirst.filter((c) => c.live), 'live');
  const successTime = newestSuccess?.startedAt.getTime() ?? -Infinity;
  mark(newestFirst.filter((c) => c.status !== 'success' && c.startedAt.getTime() > successTime), 'newer-than-success');
  // Each incremental lists its whole chain, so one pass over what is kept so far suffices; a run
  // that did not succeed is evidence, never restored, so it holds no links.
  const restorable = all.filter((c) => reasons.get(c.id)!.length > 0 && (c.status === 'success' || c.live));
  const needed = new Set(restorable.flatMap((c) => c.needs ?? []));
  mark(all.filter((c) => needed.has(c.id)), 'chain');

  return all.map((c) => ({ id: c.id, keep: reasons.get(c.id)!.length > 0, reasons: reasons.get(c.id)! }));
}
