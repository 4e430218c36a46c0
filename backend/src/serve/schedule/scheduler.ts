// Per-target cron schedules (croner, the agent's local time zone) for backups and verifications.
// Firing only asks the run manager for a run: overlap and the concurrency limit are its job.
import { Cron } from 'croner';
import type { LoadedConfig } from '../../config/load.js';
import type { TargetConfig, VerifyLevel } from '../../config/schema.js';
import type { Logger } from '../../util/log.js';
import type { RunKind } from '../../catalog/events.js';
import type { RunManager, ScheduledKind } from '../runs.js';
import { lastVerifiedAt, type TargetHistory } from '../../catalog/summaries.js';
import { missedRunDue } from './missed.js';

/** When the work a schedule asks for was last done: a backup that succeeded, a verification that passed at `level` or stronger. */
function lastDone(kind: RunKind, history: TargetHistory, level: VerifyLevel): Date | null {
  if (kind === 'backup') return history.lastSuccess ? new Date(history.lastSuccess.startedAt) : null;
  return lastVerifiedAt(history, level);
}

export class Scheduler {
  private readonly jobs = new Map<string, Cron>();

  constructor(
    private readonly config: LoadedConfig,
    private readonly manager: RunManager,
    private readonly log: Logger,
  ) {}

  /** Starts every schedule and applies the missed-run policy (see missed.ts) once. */
  start(history: (target: string) => TargetHistory, now = new Date()): void {
    for (const target of this.config.targets) {
      // A physical target's incremental schedule asks for backups too: backup() decides full or incremental.
      const schedules = [
        ['backup', 'backup', target.schedule],
        ['backup', 'incremental', target.incremental?.schedule],
        ['verify', 'verify', target.verifySchedule],
      ] as const;
      for (const [kind, name, expression] of schedules) {
        if (expression) this.startOne(kind, name, target, expression, history(target.name), now);
      }
    }
  }

  /** The next time a run of `kind` is due; for backups, whichever of the two schedules fires first. */
  nextRun(target: string, kind: RunKind): Date | null {
    const names = kind === 'backup' ? ['backup', 'incremental'] : [kind];
    const next = names.map((n) => this.jobs.get(`${n}:${target}`)?.nextRun() ?? null).filter((d): d is Date => d !== null);
    return next.sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  }

  stop(): void {
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
  }

  private startOne(kind: ScheduledKind, name: string, target: TargetConfig, expression: string, history: TargetHistory, now: Date): void {
    const log = this.log.child({ component: 'schedule', target: target.name, kind, schedule: name });
    const job = new Cron(expression, { name: `${name}:${target.name}`, catch: (err) => log.error({ err }, 'scheduled run failed to start') }, () =>
      this.manager.enqueue(kind, target, 'schedule'),
    );
    this.jobs.set(`${name}:${target.name}`, job);
    const last = lastDone(kind, history, target.verifyLevel);
    // A verification needs a backup to verify; without one there is nothing it missed.
    const due = (kind === 'backup' || history.lastSuccess !== null) && missedRunDue(expression, last, now);
    log.info({ schedule: expression, nextRunAt: job.nextRun()?.toISOString() ?? null, lastDone: last?.toISOString() ?? null, missedRun: due }, 'schedule started');
    if (due) this.manager.enqueue(kind, target, 'missed-run');
  }
}
