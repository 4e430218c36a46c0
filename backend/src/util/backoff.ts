// Waiting between attempts: the backup's retries and the binlog archiver's restarts.

/** The retry policy's delays (config/schema.ts, retry). */
export interface Backoff {
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(n-1))] seconds after failed attempt n. */
export function backoffMs(failedAttempt: number, policy: Backoff, random: () => number = Math.random): number {
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
