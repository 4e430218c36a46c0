// Applies each rule to the evidence of its source and reports what it found (a Hit). Choosing
// between hits is classify.ts's job.
import type { FailureEvidence } from './types.js';
import type { EvidenceSource, FactName, Rule } from './rules.js';
import { errorLines, type ErrorLine } from './stderr.js';

export interface Hit {
  rule: Rule;
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

type Found = Omit<Hit, 'rule' | 'order'>;

interface FailedCompressor {
  name: string;
  signal: string | null;
  status: string;
  lines: string[];
}

interface Prepared {
  evidence: FailureEvidence;
  tool: string;
  lines: ErrorLine[];
  signal: string | null;
  compressor: FailedCompressor | null;
  truncated: boolean;
}

const TRAILER = /^-- Dump completed/m;
// Captured names that denote a schema object: `./db/t` (a table's file), `db`.`t` and 'db.t' all read db.t.
const OBJECT_NAMES = new Set(['table', 'view', 'db']);
const LISTED_OBJECTS = 5;

function normalizeSignal(signal: string | null | undefined): string | null {
  if (!signal) return null;
  const upper = signal.trim().toUpperCase();
  return upper.startsWith('SIG') ? upper : `SIG${upper}`;
}

function prepare(e: FailureEvidence): Prepared {
  const trailer = e.trailerPresent ?? (e.stdoutTail === undefined ? undefined : TRAILER.test(e.stdoutTail));
  const c = e.compressor;
  const compressorSignal = normalizeSignal(c?.signal);
  const compressorFailed = c !== undefined && (compressorSignal !== null || (c.exitCode !== null && c.exitCode !== 0));
  return {
    evidence: e,
    tool: e.tool ?? 'the dump tool',
    lines: errorLines(e.stderr),
    signal: normalizeSignal(e.signal),
    compressor: compressorFailed
      ? {
          name: c.name,
          signal: compressorSignal,
          status: compressorSignal ? `killed by ${compressorSignal}` : `exit ${c.exitCode}`,
          lines: errorLines(c.stderr).map((l) => l.text),
        }
      : null,
    truncated: e.exitCode === 0 && trailer === false,
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

function matchStderr(rule: Rule, p: Prepared): Found | null {
  let best: Found | null = null;
  for (const [position, line] of p.lines.entries()) {
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
  return { strength: 0, position: 0, code: null, detail: `${p.tool} terminated by ${p.signal}`, vars: { signal: p.signal } };
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

function matchFact(rule: Rule, p: Prepared): Found | null {
  const text = rule.fact ? factText(p.evidence, rule.fact) : null;
  if (text === null) return null;
  const vars = rule.patterns ? capture(rule.patterns, text) : {};
  if (!vars) return null;
  return { strength: 0, position: 0, code: null, detail: `${rule.fact}: ${text}`, vars: { ...vars, value: text } };
}

function matchTruncated(_rule: Rule, p: Prepared): Found | null {
  if (!p.truncated) return null;
  return { strength: 0, position: 0, code: null, detail: `${p.tool} exited 0 without the "-- Dump completed" trailer`, vars: {} };
}

const MATCHERS: Record<EvidenceSource, (rule: Rule, p: Prepared) => Found | null> = {
  stderr: matchStderr,
  compressor: matchCompressor,
  signal: matchSignal,
  os: matchOs,
  fact: matchFact,
  truncated: matchTruncated,
};

/** Every rule that finds its evidence, with what it found. */
export function findHits(rules: readonly Rule[], e: FailureEvidence): Hit[] {
  const p = prepare(e);
  return rules.flatMap((rule, order) => {
    const found = MATCHERS[rule.source](rule, p);
    return found ? [{ ...found, rule, order }] : [];
  });
}

/** Fills `{name|fallback}` placeholders from captured values. */
export function renderHint(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)(?:\|([^}]*))?\}/g, (_whole, name: string, fallback: string | undefined) => vars[name] ?? fallback ?? '');
}

/** The first error line of the dump's stderr, for failures no rule explains. */
export function firstErrorLine(e: FailureEvidence): ErrorLine | undefined {
  return errorLines(e.stderr)[0];
}
