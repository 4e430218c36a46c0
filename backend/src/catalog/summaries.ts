// The catalog as the API and the metrics see it: one summary per run, and each target's history
// (last run, last success, last verified, last failure). Shapes follow docs/api.md.
import { isFutureDated } from './clock.js';
import { effectiveStatus } from './live.js';
import type { CatalogEntry } from './store.js';
import type { Manifest, OffsiteRecord, RunStatus } from '../contract/manifest.js';
import type { BackupSummary, OffsiteSummary, VerificationSummary } from '../contract/api.js';
import { VERIFY_LEVELS, type VerifyLevel } from '../contract/vocabulary.js';

export type { BackupSummary, VerificationSummary };

export function offsiteSummaryOf(r: OffsiteRecord): OffsiteSummary {
  return { state: r.state, location: r.location, at: r.at, verifiedAt: r.verifiedAt, bytes: r.bytes, attempts: r.attempts, error: r.error };
}

export function toSummary(m: Manifest, live: boolean, offsite: OffsiteRecord | null = null): BackupSummary {
  const v = m.verification;
  return {
    id: m.id,
    target: m.target,
    status: effectiveStatus(m, live),
    class: m.class,
    method: m.method,
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    durationSeconds: m.durationSeconds,
    bytes: m.bytes,
    rawBytes: m.rawBytes,
    rows: m.rows,
    tables: m.tables.length,
    compression: m.compression,
    server: m.server.endpoint,
    verification: v ? { level: v.level, ok: v.ok, at: v.at, restoreSeconds: v.restoreSeconds, problems: v.problems } : null,
    error: m.error,
    attempts: m.attempts.length,
    chain: m.chain,
    offsite: offsite && offsiteSummaryOf(offsite),
  };
}

export interface TargetHistory {
  /** Newest first, with live `running` runs as they are and dead ones as `interrupted`. */
  runs: BackupSummary[];
  /** The newest run that has ended. */
  lastRun: BackupSummary | null;
  lastSuccess: BackupSummary | null;
  lastVerified: BackupSummary | null;
  lastFailure: BackupSummary | null;
  /** The most recent verification (by when it ran) at each level, passed or not. */
  lastVerification: Partial<Record<VerifyLevel, VerificationSummary>>;
  /** The most recently measured restore time. */
  restoreSeconds: number | null;
}

const FAILED: ReadonlySet<RunStatus> = new Set(['failed', 'partial', 'interrupted']);

/** `entries` are one target's runs, newest first (as listBackups returns them). */
export function historyOf(entries: CatalogEntry[], isLive: (m: Manifest) => boolean, now: Date = new Date()): TargetHistory {
  const runs = entries.map((e) => toSummary(e.manifest, isLive(e.manifest), e.offsite ?? null));
  // A run dated in the future is listed but is nobody's "last": it would never age (catalog/clock.ts).
  const dated = runs.filter((r) => !isFutureDated(r.startedAt, now));
  const verifications = runs.flatMap((r) => (r.verification ? [r.verification] : [])).sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const lastVerification: TargetHistory['lastVerification'] = {};
  for (const v of verifications) lastVerification[v.level] ??= v;
  return {
    runs,
    lastRun: dated.find((r) => r.status !== 'running') ?? null,
    lastSuccess: dated.find((r) => r.status === 'success') ?? null,
    lastVerified: dated.find((r) => r.verification?.ok) ?? null,
    lastFailure: dated.find((r) => FAILED.has(r.status)) ?? null,
    lastVerification,
    restoreSeconds: verifications.find((v) => v.restoreSeconds !== null)?.restoreSeconds ?? null,
  };
}

const rank = (level: VerifyLevel) => VERIFY_LEVELS.indexOf(level);

/** When a verification at `minLevel` or a stronger one last passed; null when never. */
export function lastVerifiedAt(h: TargetHistory, minLevel: VerifyLevel = VERIFY_LEVELS[0]): Date | null {
  const times = h.runs.flatMap((r) =>
    r.verification?.ok && rank(r.verification.level) >= rank(minLevel) && !isFutureDated(r.verification.at) ? [Date.parse(r.verification.at)] : [],
  );
  return times.length > 0 ? new Date(Math.max(...times)) : null;
}
