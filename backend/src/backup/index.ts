// `backup`, the verb: one run of a target, then retention once it succeeded. The CLI, the
// scheduler, the API and the agent's worker threads all call this, so every run follows the same
// policy: a per-table run that was interrupted is resumed, the repository never keeps more
// than the target's retention policy, and good backups get their offsite copy, whoever started the run.
import { expireTarget } from '../expire/index.js';
import { copyOffsite } from '../offsite/index.js';
import { type Logger, mainLogger } from '../util/log.js';
import { type BackupOptions, type BackupResult, runBackup } from './run.js';

export type { BackupOptions, BackupResult } from './run.js';

export interface BackupVerbOptions extends BackupOptions {
  /** Backups being verified now (by this agent): retention leaves them alone. */
  inUse?: () => ReadonlySet<string> | Promise<ReadonlySet<string>>;
  /** Where retention reports what it deleted. */
  log?: Logger;
}

export async function backup(opts: BackupVerbOptions): Promise<BackupResult> {
  const result = await runBackup({ resume: true, ...opts });
  if (!result.ok) return result;
  const log = (opts.log ?? mainLogger()).child({ component: 'retention', target: opts.target.name });
  try {
    await expireTarget(opts.config, opts.target, { log, inUse: await opts.inUse?.() });
  } catch (err) {
    // The backup is good and published; a failed clean-up is retried after the next one.
    log.error({ err }, 'retention failed; nothing more is deleted until the next run');
  }
  // After retention, so that nothing about to be deleted is copied. Never fails the backup.
  await copyOffsite(opts.config, opts.target, { log: opts.log, signal: opts.signal }).catch((err: unknown) =>
    log.error({ err }, 'offsite copy failed; the next run tries again'),
  );
  return result;
}
