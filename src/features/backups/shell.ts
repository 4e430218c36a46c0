// Command lines for users to copy into a POSIX shell (sh, bash, zsh). Names come from the agent, and a
// database may be called `x$(touch pwned)`: every word is quoted unless it is plainly safe.
// Hand-written rather than shell-quote's quote(), which mixes backslashes and double quotes; single
// quotes are the one form every POSIX shell reads literally, and the whole rule is two lines.

/** Characters no POSIX shell (nor zsh) treats specially anywhere in a word; `=` is left out for zsh's `=cmd`. */
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;

/** One shell word that reads back as `word`: bare when safe, else in single quotes with `'\''` for a quote. */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export const CONFIG_PLACEHOLDER = '<config file of the agent>';
export const DATABASE_PLACEHOLDER = '<new database>';

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
