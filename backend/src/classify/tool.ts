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
  | 'other';

export interface ToolId {
  /** The program name as given, without path or version, e.g. `mysqldump`. */
  name: string;
  family: ToolFamily;
}

const FAMILIES: readonly [RegExp, ToolFamily][] = [
  [/^(?:mysqldump|mariadb-dump|mysqlpump)$/, 'dump'],
  [/^(?:mydumper|myloader)$/, 'mydumper'],
  [/^(?:mariadb-backup|mariabackup|xtrabackup|innobackupex|xbstream|mbstream)$/, 'physical'],
  [/^(?:mysql|mariadb)$/, 'client'],
  [/^(?:mysqlcheck|mariadb-check)$/, 'check'],
];

export function toolOf(tool: string | undefined): ToolId {
  const first = (tool ?? '').trim().split(/[\s(]/, 1)[0] ?? '';
  const name = first.slice(first.lastIndexOf('/') + 1).replace(/\.exe$/i, '');
  const lower = name.toLowerCase();
  const family = FAMILIES.find(([pattern]) => pattern.test(lower))?.[1] ?? 'other';
  return { name, family };
}
