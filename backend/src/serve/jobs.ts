// Backups, verifications and point-in-time restores (and their plans) of `warden serve` run in worker threads: their
// stream work (parsing, hashing every byte of SQL, reading a stretch of binary logs) would otherwise hold the event
// loop that answers the API and scrapes.
import { Worker } from 'node:worker_threads';
import { TargetBusyError } from '../catalog/lock.js';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig, VerifyLevel } from '../config/schema.js';
import { mainLogger } from '../util/log.js';
import type { BackupResult, BackupVerbOptions } from '../backup/index.js';
import type { VerifyResult } from '../verify/index.js';
import type { PointInTimeRequest, PointInTimeResult } from '../restore/pointInTime.js';
import { PointError } from '../binlogfile/point.js';
import type { Failure } from '../contract/index.js';
import { RestoreUsageError } from '../restore/index.js';
import { ChainError } from '../restore/pitrPlan.js';

/** What the API asks of a point-in-time restore; the rest comes from the target's configuration. */
export type PointInTimeJob = Pick<PointInTimeRequest, 'point' | 'database' | 'sourceDatabase'> & { backupId: string };

export type Job = { logLevel: string } & (
  | { kind: 'backup'; config: LoadedConfig; target: TargetConfig }
  | { kind: 'verify'; config: LoadedConfig; dir: string; level: VerifyLevel }
  | { kind: 'restore'; config: LoadedConfig; target: TargetConfig; restore: PointInTimeJob }
  | { kind: 'plan'; config: LoadedConfig; target: TargetConfig; restore: PointInTimeJob }
);

type Callback<K extends 'onProgress' | 'onPreflight'> = Parameters<NonNullable<BackupVerbOptions[K]>>[0];

export type FromWorker =
  | { type: 'start'; id: string }
  | { type: 'progress'; progress: Callback<'onProgress'> }
  | { type: 'preflight'; checks: Callback<'onPreflight'> }
  | { type: 'in-use?' }
  | { type: 'done'; result: unknown }
  | { type: 'error'; name: string; message: string; stack?: string; hint?: string; failure?: Failure };

export type ToWorker = { type: 'abort' } | { type: 'in-use'; ids: string[] };

/** What the run manager passes to a backup. */
export type BackupJobOptions = Pick<BackupVerbOptions, 'config' | 'target' | 'signal' | 'onStart' | 'onProgress' | 'onPreflight'> & {
  /** Backups being verified now; the worker asks before it applies retention. */
  inUse: () => ReadonlySet<string>;
};

const WORKER = new URL('./jobWorker.js', import.meta.url);

/** Errors cross the thread boundary as plain ones: those the API tells apart come back as themselves. */
function revive(m: Extract<FromWorker, { type: 'error' }>): Error {
  if (m.name === 'PointError') return new PointError(m.message, m.hint ?? '');
  if (m.name === 'RestoreUsageError') return new RestoreUsageError(m.message, m.hint ?? '');
  if (m.name === 'ChainError' && m.failure) return new ChainError(m.failure);
  return Object.assign(new Error(m.message), { name: m.name, stack: m.stack });
}

function runJob(job: Job, signal: AbortSignal | undefined, onMessage: (m: FromWorker, reply: (m: ToWorker) => void) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    let settled = false;
    const reply = (m: ToWorker) => worker.postMessage(m);
    const abort = () => reply({ type: 'abort' });
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    const settle = (finish: () => void) => {
      settled = true;
      signal?.removeEventListener('abort', abort);
      finish();
      // The result is recorded by now; nothing the worker might still hold matters.
      void worker.terminate();
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'done') settle(() => resolve(m.result));
      else if (m.type === 'error') settle(() => reject(revive(m)));
      else onMessage(m, reply);
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => {
      if (!settled) settle(() => reject(new Error(`the worker thread of the run exited (code ${code}) without a result`)));
    });
  });
}

export async function backupInWorker(opts: BackupJobOptions): Promise<BackupResult> {
  const job: Job = { kind: 'backup', config: opts.config, target: opts.target, logLevel: mainLogger().level };
  try {
    return (await runJob(job, opts.signal, (m, reply) => {
      if (m.type === 'in-use?') reply({ type: 'in-use', ids: [...opts.inUse()] });
      else if (m.type === 'start') opts.onStart?.(m.id);
      else if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'preflight') opts.onPreflight?.(m.checks);
    })) as BackupResult;
  } catch (err) {
    // Errors cross the thread boundary as plain ones; this one the manager must recognise.
    throw (err as Error).name === 'TargetBusyError' ? new TargetBusyError(opts.target.name) : err;
  }
}

export async function verifyInWorker(opts: { dir: string; level: VerifyLevel; config: LoadedConfig; signal: AbortSignal }): Promise<VerifyResult> {
  const job: Job = { kind: 'verify', config: opts.config, dir: opts.dir, level: opts.level, logLevel: mainLogger().level };
  return (await runJob(job, opts.signal, () => undefined)) as VerifyResult;
}

/** The plan of a point-in-time restore (its dry run), which reads the archive's stretch. */
export async function planInWorker(opts: { config: LoadedConfig; target: TargetConfig; restore: PointInTimeJob }): Promise<PointInTimeResult> {
  const job: Job = { kind: 'plan', config: opts.config, target: opts.target, restore: opts.restore, logLevel: mainLogger().level };
  return (await runJob(job, undefined, () => undefined)) as PointInTimeResult;
}

export async function restoreInWorker(opts: { config: LoadedConfig; target: TargetConfig; restore: PointInTimeJob; signal: AbortSignal }): Promise<PointInTimeResult> {
  const job: Job = { kind: 'restore', config: opts.config, target: opts.target, restore: opts.restore, logLevel: mainLogger().level };
  return (await runJob(job, opts.signal, () => undefined)) as PointInTimeResult;
}
