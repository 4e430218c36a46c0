// `warden restore <backup-dir | backup-id> --target NAME --database NEWNAME`: loads one database of
// a backup under a new name on the target's server and reports the rows of every table. With
// --datadir, a physical backup made into a datadir instead (restoreDatadir.ts). Exit 0 restored, 1 failed (with its class), 2 usage or config error.
import { findTarget } from '../config/load.js';
import { openConfig } from './config.js';
import { LoadProgress, restoreBackup, type RestoreResult } from '../restore/index.js';
import { targetLogin } from '../mysql/login.js';
import { locateBackup } from './locate.js';
import { check } from './options.js';
import { progressTicker, type RestoreCommandOptions, restoreErrorResult, usage } from './restoreOutput.js';
import { type CommandResult, EXIT, json, terminalSafe } from './output.js';

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
  const { target, database } = opts;
  if (points.length === 1) {
    if (backup !== undefined) return usage('a point-in-time restore picks its backup itself: give --to… without a backup', null, opts.json);
    if (target === undefined || database === undefined) return usage('a point-in-time restore needs --target and --database NEWNAME', null, opts.json);
    return (await import('./restoreToPoint.js')).restoreToPointCommand({ ...opts, target, database });
  }
  if (opts.dryRun) return usage('--dry-run goes with --to, --to-gtid or --to-position', null, opts.json);
  if (backup === undefined) return usage('name the backup to restore (warden list), or a point with --to, --to-gtid or --to-position', null, opts.json);
  if (opts.datadir !== undefined) {
    if (opts.database !== undefined) return usage('give --datadir (a physical backup) or --database (a dump), not both', null, opts.json);
    return (await import('./restoreDatadir.js')).restoreDatadirCommand(backup, opts.datadir, opts);
  }
  if (target === undefined || database === undefined) return usage('give --target and --database NEWNAME (or --datadir DIR for a physical backup)', null, opts.json);
  const parallelOption = opts.parallel === undefined ? undefined : check.parallel(opts.parallel);
  if (parallelOption && 'error' in parallelOption) return usage(parallelOption.error, null, opts.json);
  const parallel = parallelOption?.value;
  const progress = new LoadProgress();
  let stopTicker: (() => void) | null = null;
  try {
    const config = await openConfig(opts.config);
    const into = findTarget(config, target);
    const dir = await locateBackup(backup, async () => config.repositoryPath);
    const login = targetLogin(config, into);
    stopTicker = progressTicker(progress, opts.progress ?? ((line) => process.stderr.write(terminalSafe(`${line}\n`))));
    const r = await restoreBackup({
      dir,
      login,
      database,
      sourceDatabase: opts.sourceDatabase,
      force: opts.force,
      parallel: parallel ?? into.parallel,
      progress,
      signal: opts.signal,
    });
    const out = {
      ok: r.ok,
      id: r.id,
      backupTarget: r.target,
      target: into.name,
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
    const known = restoreErrorResult(err, opts.json);
    if (known) return known;
    throw err;
  } finally {
    stopTicker?.();
  }
}
