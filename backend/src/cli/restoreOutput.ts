// What both ways of `warden restore` share: their options, the usage error, the progress lines.
import type { LoadProgress } from '../restore/index.js';
import { type CommandResult, EXIT, formatBytes, json } from './output.js';

export interface RestoreCommandOptions {
  config: string;
  target: string;
  database: string;
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
