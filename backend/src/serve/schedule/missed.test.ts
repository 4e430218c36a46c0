import { describe, expect, it } from 'vitest';
import { intervalMs, missedRunDue } from './missed.js';

const H = 3_600_000;

describe('missed-run policy', () => {
  it('measures a schedule by the fire times around now', () => {
    const now = new Date(2026, 5, 17, 12); // a Wednesday, local time like the schedules
    expect(intervalMs('0 2 * * *', now)).toBe(24 * H);
    expect(intervalMs('*/5 * * * * *', now)).toBe(5000); // now is a fire time itself
    expect(intervalMs('0 2 * * 1-5', new Date(2026, 5, 15, 1))).toBe(72 * H); // Monday 01:00: Friday to Monday
    expect(intervalMs('0 2 * * 1-5', new Date(2026, 5, 15, 3))).toBe(24 * H);
    expect(intervalMs('0 0 1 1 *', now)).toBe(365 * 24 * H);
  });

  it('runs once at start when the work was never done or is older than one interval', () => {
    const now = new Date(2026, 5, 17, 12);
    expect(missedRunDue('0 2 * * *', null, now)).toBe(true);
    // The 02:00 run of today is missing: the last one started 34 hours ago.
    expect(missedRunDue('0 2 * * *', new Date(2026, 5, 16, 2), now)).toBe(true);
    // Today's run happened: nothing to catch up.
    expect(missedRunDue('0 2 * * *', new Date(2026, 5, 17, 2), now)).toBe(false);
    // Weekdays only: on Monday at 01:00 Friday's run is the latest wanted; at 03:00 Monday's was missed.
    expect(missedRunDue('0 2 * * 1-5', new Date(2026, 5, 12, 2), new Date(2026, 5, 15, 1))).toBe(false);
    expect(missedRunDue('0 2 * * 1-5', new Date(2026, 5, 12, 2), new Date(2026, 5, 15, 3))).toBe(true);
  });
});
