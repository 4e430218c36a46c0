// The command line that restores one backup, for users to copy (quoted by shared/utils/shell.ts).
import { CONFIG_PLACEHOLDER, DATABASE_PLACEHOLDER, shellQuote } from '../../shared/utils/shell.js';

export interface RestoreLine {
  id: string;
  target: string;
  /** The database of the backup to load; null when the backup does not say. */
  database: string | null;
  /** The agent's configuration file; null when the agent did not say. */
  configFile: string | null;
}

const RESTORED = '_restored';
/** MySQL and MariaDB names have at most 64 characters; the agent counts UTF-16 units, as here. */
const MAX_NAME = 64;

/** `<db>_restored`, the source name cut (at a whole character) where the two would pass 64. */
export function restoredName(database: string): string {
  let head = '';
  for (const ch of database) {
    if (head.length + ch.length + RESTORED.length > MAX_NAME) break;
    head += ch;
  }
  return head + RESTORED;
}

/**
 * `warden restore` loading one database of a backup into `<db>_restored`, never over the source
 * database. Placeholders are quoted too, so a line pasted unedited fails instead of redirecting.
 */
export function restoreCommandLine({ id, target, database, configFile }: RestoreLine): string {
  const words = ['restore', '-c', configFile ?? CONFIG_PLACEHOLDER, '--target', target];
  if (database !== null) words.push('--source-database', database, '--database', restoredName(database));
  else words.push('--database', DATABASE_PLACEHOLDER);
  // The id is positional: after `--`, one that starts with `-` cannot pass for an option.
  if (id.startsWith('-')) words.push('--');
  words.push(id);
  return ['warden', ...words].map(shellQuote).join(' ');
}
