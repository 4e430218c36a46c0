// Reading a tool's stderr: which lines are errors, which MySQL/MariaDB error code each names, and
// which lines are a shell's or the kernel's report that a signal ended the program.
import { constants } from 'node:os';
import type { ToolFamily } from './tool.js';

export interface ErrorLine {
  text: string;
  code: number | null;
}

// Severity tags that mean "not an error", wherever the tool puts them:
// `mysqldump: [Warning] Using a password …`, `-- Warning: column statistics …` (mysqldump),
// `2026-12-06  2:00:00 0 [Note] InnoDB: …` (mariadb-backup), `… 0 [Note] [MY-011825] [Xtrabackup] …`,
// `** Message: 12:00:00.001: …` and `** (mydumper:42): WARNING **: …` (GLib, mydumper 0.10-0.16),
// `2026-12-06 02:00:00 [INFO] - …` (mydumper 0.12+), MariaDB 11's notice when a tool is started
// by its old name (`mysqldump: Deprecated program name …`, mysys/errors.c), and an option the tool
// says it ignores (mariadb-backup: `… Ignoring the --slave-info option`), and the server warnings
// the client shows (`Warning (Code 1265): …`).
const INFORMATIONAL =
  /^(?:[\w.-]+:\s*)?(?:--\s*)?(?:\[(?:Warning|Note|Info)\]|Warning:)|^\S+(?: +\S+)? +\d+ \[(?:Note|Warning|Info|System)\]|^(?:\*\* )?Message:|^\*\* \([\w.-]+:\d+\): (?:WARNING|INFO|DEBUG|MESSAGE) \*\*|^\d{4}-\d\d-\d\d[ T][\d:.]+ \[(?:INFO|WARNING|DEBUG|MESSAGE)\]|^[\w.-]+: Deprecated program name\b|\bIgnoring (?:the )?--?[\w-]+ option\b|recognized (?:server|client) arguments:|^(?:Warning|Note) \(Code \d+\):/i;

// `mysqldump --verbose` progress: `-- Connecting to …`, `-- Retrieving table structure …`. An
// error never starts with `-- ` (mysqldump.cc prints errors as `<prog>: …`).
const VERBOSE_PROGRESS = /^-- /;

// Tools that log progress on stderr as a matter of course: there a line is an error only when it
// says so. Quiet tools (mysqldump, the client) print nothing on success, so any other line counts.
const SAYS_ERROR =
  /\b(?:error|errno|errcode|fatal|critical|fail(?:ed|ure|s)?|denied|can't|cannot|could ?n[o']t|unable|not found|no such|invalid|unknown|refused|lost|gone away|corrupt(?:ed|ion)?|crashed|killed|interrupted|timeout|timed out|out of memory|no space|aborted|wrapped around|missing|unavailable|terminate called)\b/i;

// A program the classifier does not know (mysqlpump, mariadb-import, a wrapper script) may print
// progress too: only a line that says it is an error counts.
const VERBOSE_FAMILIES: ReadonlySet<ToolFamily> = new Set(['physical', 'mydumper', 'check', 'other']);

// In order: `Got error: 1045:` (mysqldump DB_error), `Error 2013:` (row fetch), `ERROR 1045 (28000):`
// (mysql client), `Couldn't execute '...': message (1142)`, `Error: 1045` / `error code 1045` /
// `(errno: 1045)` (mydumper, xtrabackup). The parenthesised form only takes four digits at the end
// of the line, so an OS errno such as `(111)` or Windows' `(10061)` is never read as a code.
const CODE_FORMATS: readonly RegExp[] = [
  // the client's --show-warnings: `Warning (Code 1366): …`
  /^(?:Warning|Error|Note) \(Code (\d+)\):/,
  // MariaDB Connector/C 3.4 wraps a server error that came before TLS was up: the inner one is the cause.
  /cannot be verified: (\d+) - /,
  /\bGot error: (\d+):/,
  /\bError (\d+):/,
  /\bERROR (\d+) \([0-9A-Z]{5}\)/,
  /\((\d{4})\)\s*$/,
  /\b(?:MySQL|MariaDB|server) error:? (\d{4})\b/i,
  /\berror (?:code|number):? (\d{4})\b/i,
];

export function extractCode(line: string): number | null {
  for (const format of CODE_FORMATS) {
    const m = format.exec(line);
    if (m?.[1]) return Number(m[1]);
  }
  return null;
}

export interface StderrLines {
  /** Lines that report a problem, in order. */
  errors: ErrorLine[];
  /** Warnings, notes and progress: what explains a failure only when no error line does. */
  notes: ErrorLine[];
}

// `mysqldump: …`, `mariadb-backup: …`: a tool's own message, never the continuation of another.
const PROGRAM_PREFIX = /^[\w.-]+: /;

/**
 * Sorts a tool's stderr into error lines and notes. A message may span lines: an indented line
 * continues the one before (mydumper), and so does an unprefixed line after a warning that says
 * nothing of an error (mysqldump 8.4's two-line GTID warning).
 */
export function readStderr(text: string | undefined, family: ToolFamily = 'unnamed'): StderrLines {
  const out: StderrLines = { errors: [], notes: [] };
  let previousIsNote = false;
  for (const raw of text?.split(/\r?\n/) ?? []) {
    const line = raw.trim();
    if (line === '') continue;
    const continues: boolean = /^\s/.test(raw) || (previousIsNote && !PROGRAM_PREFIX.test(line) && !SAYS_ERROR.test(line));
    const note: boolean = continues && out.errors.length + out.notes.length > 0 ? previousIsNote : !isErrorLine(line, family);
    (note ? out.notes : out.errors).push({ text: line, code: extractCode(line) });
    previousIsNote = note;
  }
  return out;
}

/** Whether a stderr line reports a problem, for a tool of this family. */
function isErrorLine(line: string, family: ToolFamily): boolean {
  if (INFORMATIONAL.test(line) || VERBOSE_PROGRESS.test(line)) return false;
  return !VERBOSE_FAMILIES.has(family) || SAYS_ERROR.test(line);
}

/** Stderr lines that report a problem, in order, with their error code if any. */
export function errorLines(text: string | undefined, family: ToolFamily = 'unnamed'): ErrorLine[] {
  return readStderr(text, family).errors;
}

// How shells and the kernel say that a signal ended a program: bash's job report
// (`bash: line 1:  4242 Killed   mysqldump …`), the bare word on its own line (`Killed`,
// `Segmentation fault (core dumped)`), and the OOM killer (`Out of memory: Killed process 4242 (mysqldump)`).
const shellReport = (word: string): RegExp => new RegExp(`^(?:.*?\\bline \\d+:\\s+\\d+\\s+${word}\\b|${word}(?: \\(core dumped\\))?$)`);
const SIGNAL_REPORTS: readonly [RegExp, NodeJS.Signals][] = [
  [shellReport('Killed'), 'SIGKILL'],
  [/\bKilled process \d+ \([\w.-]+\)/, 'SIGKILL'],
  [shellReport('Terminated'), 'SIGTERM'],
  [shellReport('Segmentation fault'), 'SIGSEGV'],
  [shellReport('Aborted'), 'SIGABRT'],
  [shellReport('Bus error'), 'SIGBUS'],
  [shellReport('File size limit exceeded'), 'SIGXFSZ'],
  [shellReport('Hangup'), 'SIGHUP'],
];

/** The signal a shell or kernel line reports, if any. */
export function reportedSignal(text: string | undefined): NodeJS.Signals | null {
  for (const raw of text?.split(/\r?\n/) ?? []) {
    const line = raw.trim();
    for (const [pattern, signal] of SIGNAL_REPORTS) if (pattern.test(line)) return signal;
  }
  return null;
}

/** A shell reports a child killed by signal N as exit status 128+N. */
export function signalOfExitStatus(exitCode: number | null | undefined): NodeJS.Signals | null {
  if (exitCode === null || exitCode === undefined || exitCode <= 128 || exitCode >= 128 + 32) return null;
  const n = exitCode - 128;
  const entry = Object.entries(constants.signals).find(([, value]) => value === n);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}
