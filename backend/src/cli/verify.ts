// `warden verify <backup-dir | backup-id>`: exit 0 valid, 1 invalid, 2 usage or config error.
import { existsSync } from 'node:fs';
import { ConfigError, type LoadedConfig } from '../config/load.js';
import { openConfig } from './config.js';
import { verificationClass, type VerifyResult, verifyBackup } from '../verify/index.js';
import { BackupNotFoundError, locateBackup } from './locate.js';
import { check } from './options.js';
import { type CommandResult, configErrorResult, EXIT, json, storageErrorResult } from './output.js';

export interface VerifyCommandOptions {
  /** Given explicitly; else `defaultConfig` is read when it is needed and exists. */
  config?: string;
  defaultConfig: string;
  level: string;
  json: boolean;
  /** Verify the target's binlog archive instead of a backup. */
  binlog?: boolean;
  target?: string;
  signal?: AbortSignal;
}

function usage(message: string, asJson: boolean): CommandResult {
  return { exitCode: EXIT.usage, output: asJson ? json({ ok: false, error: { message } }) : `warden verify: ${message}\n` };
}

function text(r: VerifyResult): string {
  const what = `backup ${r.id ?? r.dir}${r.target ? ` of ${r.target}` : ''}`;
  const rto = r.restoreSeconds !== null ? `, restored in ${r.restoreSeconds.toFixed(1)} s` : '';
  const notes = (r.notes ?? []).map((n) => `  note: ${n}\n`).join('');
  if (r.ok) return `${what} is valid (level ${r.level}${rto}, ${r.durationSeconds.toFixed(1)} s)\n${notes}`;
  const lines = r.problems.map((p) => `  ${p.kind}${p.table ? ` [${p.table}]` : ''}: ${p.detail}`);
  return `${what} is INVALID (level ${r.level}${rto}): ${r.problems.length} problem(s)\n${lines.join('\n')}\n${notes}`;
}

export async function verifyCommand(backup: string | undefined, opts: VerifyCommandOptions): Promise<CommandResult> {
  const levelOption = check.level(opts.level);
  if ('error' in levelOption) return usage(levelOption.error, opts.json);
  const level = levelOption.value;
  if (opts.binlog) {
    if (backup !== undefined || opts.target === undefined) return usage('--binlog verifies one target\'s archive: give --target and no backup', opts.json);
    return (await import('./verifyBinlog.js')).verifyBinlogCommand({ ...opts, target: opts.target, level });
  }
  if (backup === undefined) return usage('name the backup to verify (a folder or an id), or --binlog with --target', opts.json);
  try {
    let config: LoadedConfig | undefined;
    const needConfig = async () => (config ??= await openConfig(opts.config ?? opts.defaultConfig));
    const dir = await locateBackup(backup, async () => (await needConfig()).repositoryPath);
    // Restore verification uses the configured scratch server when there is a configuration.
    if (level === 'restore' && (opts.config !== undefined || existsSync(opts.defaultConfig))) await needConfig();
    const r = await verifyBackup({ dir, level, config, signal: opts.signal });
    const out = {
      ok: r.ok,
      class: verificationClass(r),
      level: r.level,
      id: r.id,
      target: r.target,
      dir: r.dir,
      problems: r.problems,
      notes: r.notes ?? [],
      durationSeconds: r.durationSeconds,
      ...(level === 'restore' ? { restoreSeconds: r.restoreSeconds } : {}),
      rawBytes: r.rawBytes,
      recorded: r.recorded,
    };
    return { exitCode: r.ok ? EXIT.ok : EXIT.failed, output: opts.json ? json(out) : text(r) };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    const storage = storageErrorResult(err, opts.json);
    if (storage) return storage;
    if (err instanceof BackupNotFoundError) return usage(err.message, opts.json);
    if (opts.signal?.aborted) {
      const message = 'verification interrupted';
      return { exitCode: EXIT.failed, output: opts.json ? json({ ok: false, level, error: { class: 'killed', message } }) : `${message}\n` };
    }
    throw err;
  }
}
