// Applies each rule to the evidence of its source and reports what it found (a Hit). Choosing
// between hits is classify.ts's job.
import type { FailureEvidence } from './types.js';
import { type EvidenceSource, type FactName, PRIORITY, type Rule } from './rules.js';
import { errorLines, type ErrorLine, readStderr, reportedSignal, signalOfExitStatus } from './stderr.js';
import { type ToolId, toolOf } from './tool.js';

export interface Hit {
  rule: Rule;
  /** The rule's priority, or lower when only a note (a warning line) matched it. */
  priority: number;
  /** Index in the rule table (the last tie-break). */
  order: number;
  /** 2: the line's error code is listed, 1: a wording matched, 0: other evidence. */
  strength: number;
  /** Index of the stderr line or OS error that matched: the earliest wins. */
  position: number;
  code: number | string | null;
  detail: string;
  /** Values captured for the hint. */
  vars: Record<string, string>;
}

type Found = Omit<Hit, 'rule' | 'order' | 'priority'> & { note?: boolean };

interface FailedCompressor {
  name: string;
  signal: string | null;
  status: string;
  lines: string[];
}

export interface Prepared {
  evidence: FailureEvidence;
  tool: ToolId;
  /** How the hint names the tool. */
  toolName: string;
  lines: ErrorLine[];
  /** Warnings and notes: they name the cause of a failed run when no error line does. */
  notes: ErrorLine[];
  failed: boolean;
  /** The signal that ended the tool: reported by the caller, by a shell's 128+N status or by a `Killed` line. */
  signal: string | null;
  compressor: FailedCompressor | null;
  /** Whether the evidence says the output is complete (`true`), cut (`false`), or does not say. */
  complete: boolean | undefined;
  truncated: boolean;
}

const TRAILER = /^-- Dump completed|<\/mysqldump>\s*$/m;
// Captured names that denote a schema object: `./db/t` (a table's file), `db`.`t` and 'db.t' all read db.t.
const OBJECT_NAMES = new Set(['table', 'view', 'db']);
const LISTED_OBJECTS = 5;

function normalizeSignal(signal: string | null | undefined): string | null {
  if (!signal) return null;
  const upper = signal.trim().toUpperCase();
  return upper.startsWith('SIG') ? upper : `SIG${upper}`;
}

// mysqldump ends a dump with this comment, or with the XML document's end for --xml.
// mariadb-backup and XtraBackup end a good run with this line.
const PHYSICAL_DONE = /(?:^|\s)completed OK!\s*$/;

// The end of a whole statement: `;`, or `*/;` / `*/ ;;` after an executable comment, then blanks.
const STATEMENT_END = /;\s*$/;

/** What the evidence says of the output's completeness, by what the tool writes last. */
function completeness(e: FailureEvidence, tool: ToolId): boolean | undefined {
  if (e.trailerPresent !== undefined) return e.trailerPresent;
  // mariadb-backup and XtraBackup log every step; a log that stops short of `completed OK!` was cut
  // (a killed backup whose pipeline still exited 0).
  if (tool.family === 'physical') return e.stderr?.trim() ? PHYSICAL_DONE.test(e.stderr) : undefined;
  // Only the mysqldump family writes the trailer; evidence that names no tool is taken for its.
  if (tool.family !== 'dump' && tool.family !== 'unnamed') return undefined;
  // Nothing on stdout: the dump went to files (--tab, --result-file), not a cut stream. A tail that
  // ends on a whole statement is no proof of a cut either (--skip-comments drops the trailer).
  if (e.stdoutTail === undefined || e.stdoutTail.trim() === '') return undefined;
  if (TRAILER.test(e.stdoutTail)) return true;
  return STATEMENT_END.test(e.stdoutTail) ? undefined : false;
}

/**
 * mysqlcheck reports on stdout, and mydumper 0.10 and myloader print option errors there: for
 * those, stdout lines are read as if they were stderr. So are mydumper's CRITICAL lines wherever
 * they went: a wrapper (`mydumper … 2>&1 | tee log`) can end with exit 0 around them.
 */
const GLIB_CRITICAL = /^\*\* \(\w+:\d+\): CRITICAL \*\*/m;

function reportText(e: FailureEvidence, tool: ToolId): string | undefined {
  const stdoutSpeaks = tool.family === 'check' || (tool.family === 'mydumper' && (e.exitCode !== 0 || GLIB_CRITICAL.test(e.stdoutTail ?? '')));
  if (stdoutSpeaks && e.stdoutTail) return [e.stderr ?? '', e.stdoutTail].join('\n');
  // The client prints the server's warnings (--show-warnings) on stdout, among query results.
  const warnings = tool.family === 'client' ? (e.stdoutTail?.match(/^(?:Warning|Error) \(Code \d+\): .*$/gm) ?? []) : [];
  return warnings.length > 0 ? [e.stderr ?? '', ...warnings].join('\n') : e.stderr;
}

export function prepare(e: FailureEvidence): Prepared {
  const tool = toolOf(e.tool);
  const complete = completeness(e, tool);
  const c = e.compressor;
  const compressorSignal = normalizeSignal(c?.signal);
  const compressorFailed = c !== undefined && (compressorSignal !== null || (c.exitCode !== null && c.exitCode !== 0));
  const stderr = readStderr(reportText(e, tool), tool.family);
  return {
    evidence: e,
    tool,
    toolName: tool.name || 'the dump tool',
    lines: stderr.errors,
    notes: stderr.notes,
    failed: e.exitCode !== 0 || normalizeSignal(e.signal) !== null,
    signal: normalizeSignal(e.signal) ?? signalOfExitStatus(e.exitCode) ?? reportedSignal(e.stderr),
    compressor: compressorFailed
      ? {
          name: c.name,
          signal: compressorSignal,
          status: compressorSignal ? `killed by ${compressorSignal}` : `exit ${c.exitCode}`,
          lines: errorLines(c.stderr).map((l) => l.text),
        }
      : null,
    complete,
    truncated: e.exitCode === 0 && complete === false,
  };
}

function normalizeValue(name: string, value: string): string {
  if (!OBJECT_NAMES.has(name)) return value.trim();
  const bare = value.replace(/[`'"]/g, '');
  return bare.startsWith('./') ? bare.slice(2).replace(/\//g, '.') : bare;
}

/** Named groups of the first pattern that matches, or null when none does. */
function capture(patterns: readonly RegExp[] | undefined, text: string): Record<string, string> | null {
  for (const pattern of patterns ?? []) {
    const m = pattern.exec(text);
    if (!m) continue;
    const vars: Record<string, string> = {};
    for (const [name, value] of Object.entries(m.groups ?? {})) {
      if (value !== undefined) vars[name] = normalizeValue(name, value);
    }
    return vars;
  }
  return null;
}

function factText(e: FailureEvidence, fact: FactName): string | null {
  const value = e.facts?.[fact];
  if (value === undefined || value === false || value === 0 || value === '') return null;
  if (!Array.isArray(value)) return String(value);
  if (value.length === 0) return null;
  const more = value.length - LISTED_OBJECTS;
  return value.slice(0, LISTED_OBJECTS).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function matchLines(rule: Rule, lines: ErrorLine[]): Found | null {
  let best: Found | null = null;
  for (const [position, line] of lines.entries()) {
    const byCode = line.code !== null && (rule.codes?.includes(line.code) ?? false);
    const vars = capture(rule.patterns, line.text);
    if (!byCode && !vars) continue;
    const strength = byCode ? 2 : 1;
    // Lines come in order: a later line replaces an earlier one only when it is stronger.
    if (best && best.strength >= strength) continue;
    best = { strength, position, code: line.code, detail: line.text, vars: vars ?? {} };
  }
  return best;
}

function matchStderr(rule: Rule, p: Prepared): Found | null {
  const found = matchLines(rule, p.lines);
  if (found) return found;
  // A failed run whose only explanation is a note (XtraBackup's `[Note] Unable to obtain lock`), or
  // a warning that names a failure whatever the exit status (mydumper's `Broken table detected`).
  if (!p.failed && !rule.evenAsWarning) return null;
  const note = matchLines(rule, p.notes);
  return note ? { ...note, note: true } : null;
}

function matchCompressor(rule: Rule, p: Prepared): Found | null {
  const c = p.compressor;
  if (!c) return null;
  const base = { strength: 0, position: 0, code: null, vars: { name: c.name, status: c.status, ...(c.signal ? { signal: c.signal } : {}) } };
  if (c.signal && rule.signals?.includes(c.signal)) return { ...base, detail: `${c.name} ${c.status}` };
  for (const line of rule.patterns ? c.lines : []) {
    const vars = capture(rule.patterns, line);
    if (vars) return { ...base, detail: line.startsWith(c.name) ? line : `${c.name}: ${line}`, vars: { ...base.vars, ...vars } };
  }
  // A compressor rule without signals or patterns stands for any failure of the compressor.
  const anyFailure = !rule.signals && !rule.patterns;
  return anyFailure ? { ...base, detail: `${c.name} failed (${c.status})${c.lines[0] ? `: ${c.lines[0]}` : ''}` } : null;
}

function matchSignal(rule: Rule, p: Prepared): Found | null {
  if (!p.signal || !rule.signals?.includes(p.signal)) return null;
  return { strength: 0, position: 0, code: null, detail: `${p.toolName} terminated by ${p.signal}`, vars: { signal: p.signal } };
}

function matchExit(rule: Rule, p: Prepared): Found | null {
  const code = p.evidence.exitCode;
  if (code === null || code === undefined || !rule.exitCodes?.includes(code)) return null;
  return { strength: 0, position: 0, code: null, detail: `${p.toolName} exited with status ${code}`, vars: { status: String(code) } };
}

function matchOs(rule: Rule, p: Prepared): Found | null {
  const errors = p.evidence.osErrors ?? [];
  const position = errors.findIndex(
    (err) => (rule.osCodes?.includes(err.code) ?? false) && (!rule.syscall || rule.syscall.test(err.syscall ?? '')),
  );
  const err = errors[position];
  if (!err) return null;
  const vars: Record<string, string> = { code: err.code };
  if (err.path) vars.path = err.path;
  if (err.syscall) vars.syscall = err.syscall;
  const detail = err.message ?? [err.code, err.syscall, err.path].filter(Boolean).join(' ');
  return { strength: 0, position, code: err.code, detail, vars };
}

/** An error code names the failure (strength 2); a bare HTTP status or a wording only hints at it (1). */
function matchStorage(rule: Rule, p: Prepared): Found | null {
  for (const [position, err] of (p.evidence.storageErrors ?? []).entries()) {
    const named = [err.name, err.code].find((c) => c !== undefined && (rule.storageCodes?.includes(c) ?? false));
    const byStatus = err.status !== undefined && (rule.statuses?.includes(err.status) ?? false);
    const vars = err.message !== undefined ? capture(rule.patterns, err.message) : null;
    if (!named && !byStatus && !vars) continue;
    const code = named ?? err.code ?? err.name ?? null;
    const detail = [code, err.status, err.message].filter((x) => x !== undefined && x !== null).join(' ');
    return { strength: named ? 2 : 1, position, code, detail, vars: { ...vars, ...(code ? { code } : {}) } };
  }
  return null;
}

function matchFact(rule: Rule, p: Prepared): Found | null {
  const text = rule.fact ? factText(p.evidence, rule.fact) : null;
  if (text === null) return null;
  const vars = rule.patterns ? capture(rule.patterns, text) : {};
  if (!vars) return null;
  return { strength: 0, position: 0, code: null, detail: `${rule.fact}: ${text}`, vars: { ...vars, value: text } };
}

function matchTruncated(_rule: Rule, p: Prepared): Found | null {
  if (!p.truncated) return null;
  return { strength: 0, position: 0, code: null, detail: `${p.toolName} exited 0 without the "-- Dump completed" trailer`, vars: {} };
}

const MATCHERS: Record<EvidenceSource, (rule: Rule, p: Prepared) => Found | null> = {
  stderr: matchStderr,
  compressor: matchCompressor,
  signal: matchSignal,
  exit: matchExit,
  os: matchOs,
  storage: matchStorage,
  fact: matchFact,
  truncated: matchTruncated,
};

/** Every rule that finds its evidence, with what it found. */
export function findHits(rules: readonly Rule[], p: Prepared): Hit[] {
  return rules.flatMap((rule, order) => {
    const found = MATCHERS[rule.source](rule, p);
    if (!found) return [];
    const { note, ...hit } = found;
    return [{ ...hit, rule, order, priority: note ? Math.min(rule.priority, PRIORITY.content) : rule.priority }];
  });
}

/** Fills `{name|fallback}` placeholders from captured values. */
export function renderHint(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)(?:\|([^}]*))?\}/g, (_whole, name: string, fallback: string | undefined) => vars[name] ?? fallback ?? '');
}

/**
 * Whether the evidence shows a run that went well: exit 0 (or, with no exit status, the tool's own
 * completion mark), no signal, no error line, complete output, and nothing the agent saw go wrong.
 */
export function looksClean(p: Prepared): boolean {
  const e = p.evidence;
  const exitedWell = e.exitCode === 0 || ((e.exitCode === undefined || e.exitCode === null) && !e.signal && p.complete === true);
  const agentSawTrouble = (e.osErrors?.length ?? 0) > 0 || (e.storageErrors?.length ?? 0) > 0 || Object.values(e.facts ?? {}).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v)));
  // The backup tools end a good run with `completed OK!` after a long log whose every line may say
  // "failed" or "error" of something they went past; their own verdict stands when no rule objects.
  const saysItsOwnSuccess = p.tool.family === 'physical' && p.complete === true;
  const noErrorLine = p.lines.length === 0 || saysItsOwnSuccess;
  return exitedWell && p.signal === null && noErrorLine && p.compressor === null && p.complete !== false && !agentSawTrouble;
}
