import { CLASS_INFO, type FailureClass } from '../contract/classes.js';
import type { RetryConfig } from '../config/schema.js';

/** Attempts a failure of this class gets in all, per the class table (contract/classes.ts): never, once more, or the policy's maximum. */
export function attemptsAllowed(cls: FailureClass, policy: RetryConfig): number {
  const rule = CLASS_INFO[cls].retry;
  if (rule === 'never') return 1;
  if (rule === 'once') return Math.min(2, policy.maxAttempts);
  return policy.maxAttempts;
}
