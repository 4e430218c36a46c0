// failureOf(): the only way to build a Failure, so its class, retry rule and severity always agree
// with the class table (contract/classes.ts).
import type { Failure } from '../contract/manifest.js';
import { CLASS_INFO, type FailureClass, isRetryable } from '../contract/classes.js';
import { classifyFailure } from './classify.js';
import type { FailureEvidence } from './types.js';

/** A class known without reading evidence (a pre-flight check, a verification), with what it knows more. */
export interface KnownCause {
  class: FailureClass;
  code?: number | string | null;
  /** A more precise hint than the class's first action (null: the class's). */
  hint?: string | null;
  rule?: string;
}

/** The failure of a run: classified from its evidence, or of a class already known. */
export function failureOf(cause: FailureEvidence | KnownCause, message: string): Failure {
  const c = 'class' in cause ? cause : classifyFailure(cause);
  return {
    class: c.class,
    retryable: isRetryable(c.class),
    severity: CLASS_INFO[c.class].severity,
    code: c.code ?? null,
    hint: c.hint ?? CLASS_INFO[c.class].firstAction,
    message,
    ...(c.rule ? { rule: c.rule } : {}),
  };
}

/** The cause of every "the backup is not whole" failure a restore or verification reports. */
export const VERIFICATION: KnownCause = { class: 'verification' };
