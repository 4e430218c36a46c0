// Runs dated in the future. A host whose clock was once ahead leaves runs that would rank as the
// newest for as long as the clock is behind them: retention would keep them and delete every new
// backup, and the newest success would never age. Such runs are kept and shown, but never rank.

/** Clocks of hosts sharing a repository may differ this much without a run counting as future. */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

export function isFutureDated(startedAt: string | Date, now: Date = new Date()): boolean {
  return new Date(startedAt).getTime() > now.getTime() + FUTURE_TOLERANCE_MS;
}
