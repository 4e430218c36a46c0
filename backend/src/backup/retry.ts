import { CLASS_INFO, type FailureClass } from '../contract/classes.js';
import type { RetryConfig } from '../config/schema.js';

/** Attempts a failure of this class gets in all, per the class table (contract/classes.ts): never, once more, or the policy's maximum. */
export function attemptsAllowed(cls: FailureClass, policy: RetryConfig): number {
  const rule = CLASS_INFO[cls].retry;
  if (rule === 'never') return 1;
  if (rule === 'once') return Math.min(2, policy.maxAttempts);
  return policy.maxAttempts;
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(n-1))] seconds after failed attempt n. */
export function backoffMs(failedAttempt: number, policy: RetryConfig, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (failedAttempt - 1));
  return Math.round(random() * ceiling * 1000);
}

/** Waits, unless the run is stopped first (then resolves early: the caller checks the signal). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
