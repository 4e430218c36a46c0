// Which program left the evidence. Field logs name it in many ways (`mysqldump`, `/usr/bin/mysqldump`,
// `mysqldump (MySQL 8.0)`, `xtrabackup 8.0.35`): the program is the first word, without its path.

/** Programs whose output the classifier knows how to read. */
export type ToolFamily =
  /** mysqldump / mariadb-dump: quiet unless something is wrong; writes the `-- Dump completed` trailer */
  | 'dump'
  /** mydumper / myloader: GLib log lines (`** Message:`, `** (mydumper:1): CRITICAL **:`) */
  | 'mydumper'
  /** mariadb-backup / mariabackup / xtrabackup: a long informational log on stderr, `completed OK!` last */
  | 'physical'
  /** the mysql / mariadb command-line client (restores) */
  | 'client'
  /** mysqlcheck / mariadb-check: reports each table's state on stdout (`error    : Corrupt`) */
  | 'check'
  /** a program the classifier does not know by name */
  | 'other'
  /** no program named: the agent's own messages, or a bare log line */
  | 'unnamed';

export interface ToolId {
  /** The program name as given, without path or version, e.g. `mysqldump`. */
  name: string;
  family: ToolFamily;
}

const FAMILIES: readonly [RegExp, ToolFamily][] = [
  [/^(?:mysqldump|mariadb-dump)$/, 'dump'],
  [/^(?:mydumper|myloader)$/, 'mydumper'],
  [/^(?:mariadb-backup|mariabackup|xtrabackup|innobackupex|xbstream|mbstream)$/, 'physical'],
  [/^(?:mysql|mariadb)$/, 'client'],
  [/^(?:mysqlcheck|mariadb-check)$/, 'check'],
];

const programOf = (word: string): string => word.slice(word.lastIndexOf('/') + 1).replace(/\.exe$/i, '');
const familyOf = (name: string): ToolFamily | undefined => FAMILIES.find(([pattern]) => pattern.test(name.toLowerCase()))?.[1];

/**
 * The program the evidence is about: the first word, or, when that is a wrapper (`bash -c '…'`,
 * `timeout 60 …`, `nice …`), the first program of a known family after it.
 */
export function toolOf(tool: string | undefined): ToolId {
  const words = (tool ?? '').trim().split(/[\s('"|;&]+/).filter(Boolean).map(programOf);
  const name = words[0] ?? '';
  if (name === '') return { name, family: 'unnamed' };
  const family = familyOf(name);
  if (family) return { name, family };
  const inner = words.slice(1).find((w) => familyOf(w));
  return inner ? { name: inner, family: familyOf(inner)! } : { name, family: 'other' };
}
