// `warden restore <backup-dir | backup-id> --target NAME --database NEWNAME`: loads one database of
// a backup under a new name on the target's server and reports the rows of every table.
// Exit 0 restored, 1 failed (with its class), 2 usage or config error.
import { ManifestError } from '../catalog/store.js';
import { ConfigError, findTarget, loadConfig } from '../config/load.js';
import { LoadProgress, restoreBackup, RestoreUsageError, type RestoreResult } from '../restore/index.js';
import { targetLogin } from '../mysql/login.js';
import { BackupNotFoundError, locateBackup } from './locate.js';
import { check } from './options.js';
import { progressTicker, type RestoreCommandOptions, usage } from './restoreOutput.js';
import { type CommandResult, configErrorResult, EXIT, json, terminalSafe } from './output.js';
import { failureOf, VERIFICATION } from '../classify/failure.js';

export type { RestoreCommandOptions };


function text(r: RestoreResult): string {
  const head = r.ok
    ? `restored ${r.sourceDatabase} of backup ${r.id} as ${r.database} in ${r.seconds.toFixed(1)} s`
    : `restore of ${r.sourceDatabase} from backup ${r.id} into ${r.database} FAILED: [${r.failure?.class}] ${r.failure?.message}\n  hint: ${r.failure?.hint}`;
  const rows = r.tables.map((t) => `  ${t.restoredAs.padEnd(40)} ${String(t.rows ?? 'missing').padStart(10)} rows${t.ok ? '' : `  (manifest: ${t.expectedRows})`}`);
  const warnings = r.warnings.map((w) => `  note: ${w}`);
  return `${[head, ...rows, ...warnings].join('\n')}\n`;
}


export async function restoreCommand(backup: string | undefined, opts: RestoreCommandOptions): Promise<CommandResult> {
  const points = [opts.to, opts.toGtid, opts.toPosition].filter((p) => p !== undefined);
  if (points.length > 1) return usage('give one of --to, --to-gtid and --to-position', null, opts.json);
  if (points.length === 1) {
    if (backup !== undefined) return usage('a point-in-time restore picks its backup itself: give --to… without a backup', null, opts.json);
    return (await import('./restoreToPoint.js')).restoreToPointCommand(opts);
  }
  if (opts.dryRun) return usage('--dry-run goes with --to, --to-gtid or --to-position', null, opts.json);
  if (backup === undefined) return usage('name the backup to restore (warden list), or a point with --to, --to-gtid or --to-position', null, opts.json);
  const parallelOption = opts.parallel === undefined ? undefined : check.parallel(opts.parallel);
  if (parallelOption && 'error' in parallelOption) return usage(parallelOption.error, null, opts.json);
  const parallel = parallelOption?.value;
  const progress = new LoadProgress();
  let stopTicker: (() => void) | null = null;
  try {
    const config = loadConfig(opts.config);
    const target = findTarget(config, opts.target);
    const dir = await locateBackup(backup, () => config.repositoryPath);
    const login = targetLogin(config, target);
    stopTicker = progressTicker(progress, opts.progress ?? ((line) => process.stderr.write(terminalSafe(`${line}\n`))));
    const r = await restoreBackup({
      dir,
      login,
      database: opts.database,
      sourceDatabase: opts.sourceDatabase,
      force: opts.force,
      parallel: parallel ?? target.parallel,
      progress,
      signal: opts.signal,
    });
    const out = {
      ok: r.ok,
      id: r.id,
      backupTarget: r.target,
      target: target.name,
      sourceDatabase: r.sourceDatabase,
      database: r.database,
      seconds: r.seconds,
      rawBytes: progress.rawBytes,
      tables: r.tables,
      class: r.failure?.class ?? 'none',
      error: r.failure,
      warnings: r.warnings,
      leftover: r.leftover,
    };
    return { exitCode: r.ok ? EXIT.ok : EXIT.failed, output: opts.json ? json(out) : text(r) };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    if (err instanceof BackupNotFoundError) return usage(err.message, null, opts.json);
    if (err instanceof RestoreUsageError) return usage(err.message, err.hint, opts.json);
    if (err instanceof ManifestError) {
      const failure = failureOf(VERIFICATION, err.message);
      return { exitCode: EXIT.failed, output: opts.json ? json({ ok: false, class: failure.class, error: failure }) : `${err.message}\n` };
    }
    throw err;
  } finally {
    stopTicker?.();
  }
}
