// What both ways of `warden restore` share: their options, the usage error, the progress lines.
import { ManifestError } from '../catalog/store.js';
import { failureOf, VERIFICATION } from '../classify/failure.js';
import { ConfigError } from '../config/load.js';
import { type LoadProgress, RestoreUsageError } from '../restore/index.js';
import { BackupNotFoundError } from './locate.js';
import { type CommandResult, configErrorResult, EXIT, formatBytes, json, storageErrorResult } from './output.js';

export interface RestoreCommandOptions {
  config: string;
  target?: string;
  database?: string;
  /** A physical backup: the datadir it is restored into (instead of --database). */
  datadir?: string;
  sourceDatabase?: string;
  force: boolean;
  parallel?: string;
  json: boolean;
  /** Point-in-time: at most one of these. */
  to?: string;
  toGtid?: string;
  toPosition?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Where progress lines go (stderr). */
  progress?: (line: string) => void;
}

export function usage(message: string, hint: string | null, asJson: boolean): CommandResult {
  return {
    exitCode: EXIT.usage,
    output: asJson ? json({ ok: false, error: { message, hint } }) : `warden restore: ${message}\n${hint ? `  hint: ${hint}\n` : ''}`,
  };
}

/** The errors either way of restoring reports the same way; null for anything else. */
export function restoreErrorResult(err: unknown, asJson: boolean): CommandResult | null {
  if (err instanceof ConfigError) return configErrorResult(err, asJson);
  if (err instanceof BackupNotFoundError) return usage(err.message, null, asJson);
  if (err instanceof RestoreUsageError) return usage(err.message, err.hint, asJson);
  if (err instanceof ManifestError) {
    const failure = failureOf(VERIFICATION, err.message);
    return { exitCode: EXIT.failed, output: asJson ? json({ ok: false, class: failure.class, error: failure }) : `${err.message}\n` };
  }
  return storageErrorResult(err, asJson);
}

/** A line a second on stderr (SQL loaded so far, the tables being loaded), and one at the end. */
export function progressTicker(progress: LoadProgress, emit: (line: string) => void): () => void {
  let last = '';
  const tick = () => {
    const tables = [...new Set(progress.tables.values())].join(', ');
    const line = `restore: ${formatBytes(progress.rawBytes)} of SQL loaded${tables ? `, loading ${tables}` : ''}`;
    if (line !== last) emit(line);
    last = line;
  };
  const timer = setInterval(tick, 1000);
  return () => {
    clearInterval(timer);
    if (progress.rawBytes > 0) tick();
  };
}
