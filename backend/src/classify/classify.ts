// The failure classifier: evidence in, one class with its severity, retry rule and hint out.
import type { z } from 'zod';
import { CLASS_INFO, isRetryable, NONE_HINT, type FailureClass } from '../contract/classes.js';
import { evidenceSchema } from './evidence-schema.js';
import { findHits, type Hit, looksClean, prepare, renderHint } from './match.js';
import { redact } from './redact.js';
import { RULES } from './rules.js';
import type { Classification, FailureClassification, FailureEvidence } from './types.js';

/** The `rule` reported when no rule matched. */
export const UNMATCHED_RULE = 'unmatched';
/** The `rule` reported when the evidence shows a clean run. */
export const CLEAN_RULE = 'clean-run';

const MAX_DETAIL = 500;

/** Whether hit a takes precedence over hit b (see PRIORITY in rules.ts). */
function outranks(a: Hit, b: Hit): boolean {
  const order =
    a.priority - b.priority || a.strength - b.strength || b.position - a.position || b.order - a.order;
  return order > 0;
}

function clip(text: string): string {
  const redacted = redact(text);
  return redacted.length > MAX_DETAIL ? `${redacted.slice(0, MAX_DETAIL - 1)}…` : redacted;
}

function result(cls: FailureClass, rule: string, code: number | string | null, hint: string, detail?: string): FailureClassification {
  return {
    class: cls,
    retryable: isRetryable(cls),
    severity: CLASS_INFO[cls].severity,
    code,
    hint: redact(hint),
    rule,
    ...(detail ? { detail: clip(detail) } : {}),
  };
}

/** Judges any evidence: a failure's class, or `none` when it shows a clean run. */
export function classify(e: FailureEvidence): Classification {
  const p = prepare(e);
  const best = findHits(RULES, p).reduce<Hit | undefined>((kept, hit) => (kept && !outranks(hit, kept) ? kept : hit), undefined);
  if (best) {
    const cls = best.rule.class;
    const hint = best.rule.hint ? renderHint(best.rule.hint, best.vars) : CLASS_INFO[cls].firstAction;
    return result(cls, best.rule.id, best.code, hint, best.detail);
  }
  if (looksClean(p)) return { class: 'none', retryable: false, severity: 'info', code: null, hint: NONE_HINT, rule: CLEAN_RULE };
  // Still show the cause: the first error line is the most likely one.
  const line = p.lines[0];
  return result('unknown', UNMATCHED_RULE, line?.code ?? null, CLASS_INFO.unknown.firstAction, line?.text);
}

/**
 * For a run known to have failed: its class, never `none`. Evidence that looks clean (the failure
 * lies outside what the tool reported) is `unknown`, which points at the run log.
 */
export function classifyFailure(e: FailureEvidence): FailureClassification {
  const c = classify(e);
  return c.class === 'none' ? result('unknown', UNMATCHED_RULE, null, CLASS_INFO.unknown.firstAction) : (c as FailureClassification);
}

export type EvidenceParse = { ok: true; evidence: FailureEvidence } | { ok: false; error: string };

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${[...issue.path, key].join('.')}"`).join(', ');
    return `unknown key ${keys}`;
  }
  return issue.path.length > 0 ? `bad key "${issue.path.join('.')}": ${issue.message}` : `evidence: ${issue.message}`;
}

/** Validates a parsed `warden classify` stdin object; the error names the offending key. */
export function evidenceFromJson(input: unknown): EvidenceParse {
  const parsed = evidenceSchema.safeParse(input);
  if (parsed.success) return { ok: true, evidence: parsed.data };
  return { ok: false, error: parsed.error.issues.map(describeIssue).join('; ') };
}
