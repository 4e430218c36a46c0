// Reading dump-tool stderr: which lines are errors, and which MySQL/MariaDB error code each names.

export interface ErrorLine {
  text: string;
  code: number | null;
}

// `mysqldump: [Warning] Using a password ...`, `-- Warning: column statistics not supported ...`
const WARNING = /^(?:[\w.-]+:\s*)?(?:--\s*)?(?:\[(?:Warning|Note)\]|Warning:)/i;

// In order: `Got error: 1045:` (mysqldump DB_error), `Error 2013:` (row fetch), `ERROR 1045 (28000):`
// (mysql client), `Couldn't execute '...': message (1142)`. The last form only takes four digits at
// the end of the line, so an OS errno such as `(111)` or Windows' `(10061)` is never read as a code.
const CODE_FORMATS: readonly RegExp[] = [/\bGot error: (\d+):/, /\bError (\d+):/, /\bERROR (\d+) \([0-9A-Z]{5}\)/, /\((\d{4})\)\s*$/];

export function extractCode(line: string): number | null {
  for (const format of CODE_FORMATS) {
    const m = format.exec(line);
    if (m?.[1]) return Number(m[1]);
  }
  return null;
}

/** Non-empty stderr lines that are not warnings, in order, with their error code if any. */
export function errorLines(text: string | undefined): ErrorLine[] {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !WARNING.test(line))
    .map((line) => ({ text: line, code: extractCode(line) }));
}
