import { ConfigError, findTarget } from '../config/load.js';
import { type ListedRun, listRuns } from '../list/index.js';
import { copiedTo, isGood, offsiteLocation } from '../offsite/index.js';
import { openConfig } from './config.js';
import { type CommandResult, configErrorResult, EXIT, formatBytes, json, storageErrorResult } from './output.js';

export interface ListCommandOptions {
  config: string;
  target?: string;
  json: boolean;
}

/** `verified:parse`, `INVALID:restore`, or `-` when never verified. */
function verified(v: { level: string; ok: boolean } | null): string {
  return v ? `${v.ok ? 'verified' : 'INVALID'}:${v.level}` : '-';
}

type Offsite = ListedRun['offsite'];

/**
 * The offsite copy's state: `copied`, `failed` (with its class), `pending` for a good backup not
 * copied yet; null where no copy is due (no offsite configured, or not a good backup).
 */
function offsiteOf(offsite: Offsite, due: boolean) {
  if (offsite) return { state: offsite.state, location: offsite.location, at: offsite.at, verifiedAt: offsite.verifiedAt, attempts: offsite.attempts, error: offsite.error && { class: offsite.error.class, message: offsite.error.message, hint: offsite.error.hint } };
  return due ? { state: 'pending' as const, location: null, at: null, verifiedAt: null, attempts: 0, error: null } : null;
}

function offsiteColumn(o: ReturnType<typeof offsiteOf>): string {
  if (!o) return '';
  return o.error ? `offsite:FAILED[${o.error.class}]` : `offsite:${o.state}`;
}

export async function listCommand(opts: ListCommandOptions): Promise<CommandResult> {
  try {
    const config = await openConfig(opts.config);
    if (opts.target) findTarget(config, opts.target);
    const { runs, unreadable } = await listRuns(config.repositoryPath, opts.target);
    const backups = runs.map(({ dir, manifest: m, status, offsite }) => ({
      id: m.id,
      target: m.target,
      status,
      class: m.class,
      startedAt: m.startedAt,
      durationSeconds: m.durationSeconds,
      bytes: m.bytes,
      rawBytes: m.rawBytes,
      rows: m.rows,
      tables: m.tables.length,
      compression: m.compression,
      method: m.method,
      dir,
      error: m.error ? { class: m.error.class, message: m.error.message, hint: m.error.hint } : null,
      verification: m.verification
        ? { level: m.verification.level, ok: m.verification.ok, at: m.verification.at, restoreSeconds: m.verification.restoreSeconds, problems: m.verification.problems.length }
        : null,
      // A copy where offsite.repository no longer points is none: the next run copies it there.
      offsite: offsiteOf(
        config.offsite && offsite?.state === 'copied' && !copiedTo(offsite, offsiteLocation(config.offsite.repository, m.target, m.id)) ? null : offsite,
        config.offsite !== undefined && isGood(m),
      ),
    }));
    if (opts.json) return { exitCode: EXIT.ok, output: json({ backups, unreadable }) };
    if (backups.length === 0 && unreadable.length === 0) return { exitCode: EXIT.ok, output: 'no backups yet\n' };
    const lines = backups.map(
      (b) =>
        `${b.id}  ${b.target.padEnd(16)} ${b.status.padEnd(11)} ${verified(b.verification).padEnd(16)} ${formatBytes(b.bytes).padStart(10)} ${String(b.rows).padStart(10)} rows  ${[
          offsiteColumn(b.offsite),
          b.error ? `[${b.error.class}] ${b.error.message}` : '',
        ]
          .filter(Boolean)
          .join('  ')}`.trimEnd(),
    );
    for (const u of unreadable) lines.push(`?  ${u.dir}: ${u.error}`);
    return { exitCode: EXIT.ok, output: `${lines.join('\n')}\n` };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    const storage = storageErrorResult(err, opts.json);
    if (storage) return storage;
    throw err;
  }
}
