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

/** What a command line says where the agent did not tell: quoted like the rest, so a line pasted unedited fails. */
export const CONFIG_PLACEHOLDER = '<config file of the agent>';
export const DATABASE_PLACEHOLDER = '<new database>';
