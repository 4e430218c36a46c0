import { describe, expect, it } from 'vitest';
import { attemptsAllowed } from './retry.js';
import { backoffMs, sleep } from '../util/backoff.js';

const policy = { maxAttempts: 4, baseDelaySeconds: 2, maxDelaySeconds: 10 };

describe('retry policy', () => {
  it('follows the class table: never, once, or the policy maximum', () => {
    expect(attemptsAllowed('auth', policy)).toBe(1);
    expect(attemptsAllowed('privilege', policy)).toBe(1);
    expect(attemptsAllowed('disk_full', policy)).toBe(2);
    expect(attemptsAllowed('unknown', policy)).toBe(2);
    expect(attemptsAllowed('connection', policy)).toBe(4);
    expect(attemptsAllowed('lock_timeout', policy)).toBe(4);
    expect(attemptsAllowed('disk_full', { ...policy, maxAttempts: 1 })).toBe(1);
    // Object storage: what waiting fixes is retried with backoff, what an operator must fix is not.
    expect(attemptsAllowed('storage_throttled', policy)).toBe(4);
    expect(attemptsAllowed('storage_network', policy)).toBe(4);
    expect(attemptsAllowed('checksum_mismatch', policy)).toBe(2);
    for (const cls of ['storage_credentials', 'storage_access_denied', 'storage_no_bucket'] as const) expect(attemptsAllowed(cls, policy), cls).toBe(1);
  });

  it('backs off exponentially with full jitter under a cap', () => {
    expect(backoffMs(1, policy, () => 1)).toBe(2000);
    expect(backoffMs(2, policy, () => 1)).toBe(4000);
    expect(backoffMs(3, policy, () => 1)).toBe(8000);
    expect(backoffMs(4, policy, () => 1)).toBe(10_000);
    expect(backoffMs(9, policy, () => 0.5)).toBe(5000);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
    const samples = Array.from({ length: 200 }, () => backoffMs(3, policy));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(8000);
    expect(new Set(samples).size).toBeGreaterThan(50);
  });

  it('stops waiting when the run is stopped', async () => {
    const c = new AbortController();
    const started = Date.now();
    setTimeout(() => c.abort(), 20);
    await sleep(10_000, c.signal);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
