// The missed-run policy: what the agent does at start about runs its schedule wanted while it was
// down. Pure, with the clock passed in.
import { Cron } from 'croner';

/**
 * The schedule's interval at `now`: from its latest fire time at or before `now` to its next one
 * (Friday 02:00 to Monday 02:00 for a weekday schedule on a Sunday). Null when the schedule has
 * no fire time on one side.
 */
export function intervalMs(expression: string, now: Date): number | null {
  const cron = new Cron(expression, { paused: true });
  const previous = cron.previousRuns(1, new Date(now.getTime() + 1))[0];
  const next = cron.nextRun(now);
  return previous && next ? next.getTime() - previous.getTime() : null;
}

/**
 * A run is due at start when the work was never done, or when it was last done longer ago than
 * the schedule's interval: one run then catches up (not one per missed fire time).
 */
export function missedRunDue(expression: string, lastDone: Date | null, now: Date): boolean {
  if (!lastDone) return true;
  const interval = intervalMs(expression, now);
  return interval !== null && now.getTime() - lastDone.getTime() > interval;
}
