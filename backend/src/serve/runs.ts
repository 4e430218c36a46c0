// The run manager: the one owner of running state. The scheduler, the API and shutdown all go
// through it. It starts backups and verifications, keeps one run per target and at most
// `scheduler.concurrency` at once, and tells listeners what happens (retention follows each successful
// backup inside the backup verb, backup/index.ts).
import { EventEmitter } from 'node:events';
import { TargetBusyError } from '../catalog/lock.js';
import type { Failure, Manifest, Verification } from '../contract/manifest.js';
import { listBackups } from '../catalog/store.js';
import { CLASS_INFO, type RunClass, type Severity } from '../contract/classes.js';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig, VerifyLevel } from '../config/schema.js';
import type { Logger } from '../util/log.js';
import type { BackupOptions, BackupResult } from '../backup/run.js';
import { verificationClass } from '../verify/problems.js';
import type { AgentEvent, Progress, RunKind } from '../catalog/events.js';
import type { BackupJobOptions, PointInTimeJob } from './jobs.js';
import type { PointInTimeResult } from '../restore/pointInTime.js';
import { failureOf } from '../classify/failure.js';
import { Slots } from './slots.js';

export type Verifier = (opts: { dir: string; level: VerifyLevel; config: LoadedConfig; signal: AbortSignal }) => Promise<Verification>;
export type Restorer = (opts: { config: LoadedConfig; target: TargetConfig; restore: PointInTimeJob; signal: AbortSignal }) => Promise<PointInTimeResult>;
export type Trigger = 'api' | 'schedule' | 'missed-run';
/** What a schedule starts; restores come from the API only. */
export type ScheduledKind = Exclude<RunKind, 'restore'>;

export interface RunningInfo {
  id: string;
  startedAt: string;
  kind: RunKind;
  progress: Progress | null;
}

interface ActiveRun {
  kind: RunKind;
  /** Null while queued for a slot. */
  info: RunningInfo | null;
  controller: AbortController;
  done: Promise<void>;
  /** Resolves when the target is free again. */
  released: Promise<void>;
  release: () => void;
}

/** A run that cannot start now; `id` names the run in the way, when there is one. */
export class RunConflictError extends Error {
  constructor(
    message: string,
    readonly id: string | null,
  ) {
    super(message);
    this.name = 'RunConflictError';
  }
}

export type PreflightCheck = Parameters<NonNullable<BackupOptions['onPreflight']>>[0][number];

export interface RunManagerOptions {
  config: LoadedConfig;
  log: Logger;
  backup: (opts: BackupJobOptions) => Promise<BackupResult>;
  verify: Verifier;
  restore: Restorer;
  /** Each backup's pre-flight results (for the metrics). */
  onPreflight?: (target: string, checks: PreflightCheck[]) => void;
}

/** Severity and hint of a finished run: the recorded failure's, else its class's. */
function outcome(cls: RunClass, failure: Failure | null): { severity: Severity; hint: string } {
  if (cls === 'none') return { severity: 'info', hint: '' };
  return { severity: failure?.severity ?? CLASS_INFO[cls].severity, hint: failure?.hint ?? CLASS_INFO[cls].firstAction };
}

export class RunManager {
  private readonly emitter = new EventEmitter();
  private readonly active = new Map<string, ActiveRun>();
  /** `kind:target` of scheduled runs waiting for their target to be free. */
  private readonly waiting = new Set<string>();
  private readonly slots: Slots;
  private stopping = false;

  constructor(private readonly opts: RunManagerOptions) {
    this.slots = new Slots(opts.config.scheduler.concurrency);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  on(listener: (e: AgentEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  running(target: string): RunningInfo | null {
    return this.active.get(target)?.info ?? null;
  }

  /** Backups being verified now: retention and DELETE leave them alone. */
  inUse(): Set<string> {
    return new Set([...this.active.values()].flatMap((r) => (r.kind === 'verify' && r.info ? [r.info.id] : [])));
  }

  /** Starts a backup now (API); resolves with its id once the run has one. */
  async backupNow(target: TargetConfig): Promise<string> {
    const run = this.reserveNow(target.name, 'backup');
    return this.launchBackup(run, target, 'api');
  }

  /** Starts verifying a backup now (API). */
  verifyNow(target: TargetConfig, id: string, dir: string, level: VerifyLevel): void {
    const run = this.reserveNow(target.name, 'verify');
    this.launchVerify(run, target, id, dir, level, 'api');
  }

  /** Starts a point-in-time restore from a backup now (API): a run of kind `restore` named by that backup's id. */
  restoreNow(target: TargetConfig, restore: PointInTimeJob): void {
    const run = this.reserveNow(target.name, 'restore');
    this.launchRestore(run, target, restore);
  }

  /**
   * A scheduled run. It waits for the target to be free (one run per target) and then for a slot.
   * A run of a kind already running or waiting for this target is skipped, not queued, so one slow
   * run never piles up copies of itself.
   */
  enqueue(kind: ScheduledKind, target: TargetConfig, trigger: Trigger): void {
    if (this.stopping) return;
    const log = this.opts.log.child({ component: 'schedule', target: target.name, kind, trigger });
    const key = `${kind}:${target.name}`;
    const busy = this.active.get(target.name);
    if (this.waiting.has(key) || busy?.kind === kind) {
      log.warn({ running: busy?.info?.id ?? null }, `scheduled ${kind} skipped: one is already running or waiting for this target`);
      return;
    }
    this.waiting.add(key);
    void this.startWhenFree(key, kind, target, trigger, log).catch((err: unknown) => log.error({ err }, 'scheduled run failed to start'));
  }

  private async startWhenFree(key: string, kind: ScheduledKind, target: TargetConfig, trigger: Trigger, log: Logger): Promise<void> {
    for (let busy = this.active.get(target.name); busy; busy = this.active.get(target.name)) await busy.released;
    // From the check above to the reservation below nothing else runs: no other run can slip in.
    this.waiting.delete(key);
    if (this.stopping) return;
    const run = this.reserve(target.name, kind);
    run.done = this.slots.acquire().then(async (granted) => {
      if (!granted) return this.release(target.name, false);
      if (kind === 'backup') {
        await this.launchBackup(run, target, trigger).catch((err: unknown) => log.error({ err }, 'scheduled backup could not start'));
        return run.done;
      }
      const newest = (await listBackups(this.opts.config.repositoryPath, target.name)).entries.find((e) => e.manifest.status === 'success');
      if (!newest) {
        log.warn('scheduled verification skipped: the target has no successful backup');
        return this.release(target.name, true);
      }
      this.launchVerify(run, target, newest.manifest.id, newest.dir, target.verifyLevel, trigger);
      return run.done;
    });
  }

  /**
   * Stops taking work, aborts every run (a backup then records `interrupted`) and waits for them
   * to finish recording, at most `timeoutMs`. True when all finished in time.
   */
  async shutdown(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.slots.cancelWaiting();
    const runs = [...this.active.values()];
    for (const r of runs) r.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const finished = Promise.allSettled(runs.map((r) => r.done)).then(() => true as const);
    const result = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    return result;
  }

  private reserve(target: string, kind: RunKind): ActiveRun {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const run: ActiveRun = { kind, info: null, controller: new AbortController(), done: Promise.resolve(), released, release };
    this.active.set(target, run);
    return run;
  }

  /** Reserves the target and a slot for a run that starts now, or says why it cannot. */
  private reserveNow(target: string, kind: RunKind): ActiveRun {
    if (this.stopping) throw new RunConflictError('the agent is shutting down', null);
    const busy = this.active.get(target);
    if (busy) {
      const what = busy.info ? `a ${busy.kind} of target "${target}" is running` : `a scheduled ${busy.kind} of target "${target}" is waiting for a run slot`;
      throw new RunConflictError(what, busy.info?.id ?? null);
    }
    if (!this.slots.tryAcquire()) {
      throw new RunConflictError(`all ${this.opts.config.scheduler.concurrency} run slots (scheduler.concurrency) are busy; try again when a run finishes`, null);
    }
    return this.reserve(target, kind);
  }

  private release(target: string, slotHeld: boolean): void {
    const run = this.active.get(target);
    this.active.delete(target);
    if (slotHeld) this.slots.release();
    run?.release();
  }

  private emit(e: AgentEvent): void {
    this.emitter.emit('event', e);
  }

  /** Runs one backup in the reserved slot; resolves with the id once known, rejects if it never started. */
  private launchBackup(run: ActiveRun, target: TargetConfig, trigger: Trigger): Promise<string> {
    const log = this.opts.log.child({ component: 'backup', target: target.name, trigger });
    return new Promise((resolve, reject) => {
      let started = false;
      const onStart = (id: string) => {
        started = true;
        run.info = { id, startedAt: new Date().toISOString(), kind: 'backup', progress: null };
        log.info({ backupId: id }, 'backup run started');
        this.emit({ type: 'run-started', id, target: target.name, kind: 'backup', startedAt: run.info.startedAt });
        resolve(id);
      };
      const onProgress = ({ id, rawBytes, bytes, tablesDone, tablesTotal, currentTable }: Parameters<NonNullable<BackupOptions['onProgress']>>[0]) => {
        if (!run.info) return;
        run.info.progress = { rawBytes, bytes, tablesDone, tablesTotal, currentTable };
        this.emit({ type: 'run-progress', id, target: target.name, progress: run.info.progress });
      };
      run.done = this.opts
        .backup({
          config: this.opts.config,
          target,
          signal: run.controller.signal,
          onStart,
          onProgress,
          onPreflight: (checks) => this.opts.onPreflight?.(target.name, checks),
          inUse: () => this.inUse(),
        })
        .then(
          (result) => {
            this.release(target.name, true);
            this.emitFinished(result.manifest);
          },
          async (err: unknown) => {
            this.release(target.name, true);
            if (!started) return reject(await this.explain(err, target.name));
            log.error({ err, backupId: run.info?.id }, 'backup run failed without recording its end');
            const id = run.info!.id;
            this.emit({ type: 'run-finished', id, target: target.name, kind: 'backup', status: 'failed', class: 'unknown', ...outcome('unknown', null), durationSeconds: null });
          },
        );
    });
  }

  private emitFinished(m: Manifest): void {
    const { severity, hint } = outcome(m.class, m.error);
    this.emit({ type: 'run-finished', id: m.id, target: m.target, kind: 'backup', status: m.status, class: m.class, severity, hint, durationSeconds: m.durationSeconds, manifest: m });
  }

  /** A run that never started because another process holds the target: name that run. */
  private async explain(err: unknown, target: string): Promise<unknown> {
    if (!(err instanceof TargetBusyError)) return err;
    const listed = await listBackups(this.opts.config.repositoryPath, target).catch(() => null);
    const running = listed?.entries.find((e) => e.manifest.status === 'running');
    return new RunConflictError(err.message, running?.manifest.id ?? null);
  }

  private launchRestore(run: ActiveRun, target: TargetConfig, restore: PointInTimeJob): void {
    const log = this.opts.log.child({ component: 'restore', target: target.name, backupId: restore.backupId, point: restore.point.text, database: restore.database });
    const started = new Date();
    const id = restore.backupId;
    run.info = { id, startedAt: started.toISOString(), kind: 'restore', progress: null };
    log.info('point-in-time restore started');
    this.emit({ type: 'run-started', id, target: target.name, kind: 'restore', startedAt: run.info.startedAt });
    run.done = this.opts
      .restore({ config: this.opts.config, target, restore, signal: run.controller.signal })
      .then(
        (r) => r.failure,
        // It did not get to record a failure (a database that exists, a chain that broke since the plan).
        (err: unknown) => failureOf({ tool: 'warden', stderr: (err as Error).message }, (err as Error).message),
      )
      .then((failure) => {
        this.release(target.name, true);
        const aborted = run.controller.signal.aborted;
        const cls: RunClass = aborted ? 'killed' : (failure?.class ?? 'none');
        if (failure) log.error({ failure }, 'point-in-time restore failed');
        else log.info('point-in-time restore finished');
        const status = cls === 'none' ? 'success' : aborted ? 'interrupted' : 'failed';
        const durationSeconds = (Date.now() - started.getTime()) / 1000;
        this.emit({ type: 'run-finished', id, target: target.name, kind: 'restore', status, class: cls, ...outcome(cls, failure), durationSeconds });
      });
  }

  private launchVerify(run: ActiveRun, target: TargetConfig, id: string, dir: string, level: VerifyLevel, trigger: Trigger): void {
    const log = this.opts.log.child({ component: 'verify', target: target.name, backupId: id, level, trigger });
    const started = new Date();
    run.info = { id, startedAt: started.toISOString(), kind: 'verify', progress: null };
    log.info('verification started');
    this.emit({ type: 'run-started', id, target: target.name, kind: 'verify', startedAt: run.info.startedAt });
    run.done = this.opts
      .verify({ dir, level, config: this.opts.config, signal: run.controller.signal })
      .then(
        (v) => ({ ok: v.ok, problems: v.problems, error: null }),
        (err: unknown) => ({ ok: false, problems: [], error: err }),
      )
      .then(({ ok, problems, error }) => {
        this.release(target.name, true);
        const aborted = run.controller.signal.aborted;
        const status = ok ? 'success' : aborted ? 'interrupted' : 'failed';
        // Stopped by shutdown: killed, like a backup; could not run at all: unknown; ran and found problems: verification.
        const cls: RunClass = aborted ? 'killed' : error ? 'unknown' : verificationClass({ ok, problems });
        if (error) log.error({ err: error }, 'verification could not run');
        else log.info({ ok, problems: problems.length }, 'verification finished');
        const durationSeconds = (Date.now() - started.getTime()) / 1000;
        this.emit({ type: 'verify-finished', id, target: target.name, level, ok, problems });
        this.emit({ type: 'run-finished', id, target: target.name, kind: 'verify', status, class: cls, ...outcome(cls, null), durationSeconds });
      });
  }
}
