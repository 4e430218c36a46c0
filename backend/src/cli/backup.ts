import { RepositoryUnavailableError, TargetBusyError } from '../catalog/lock.js';
import type { Manifest } from '../contract/manifest.js';
import { ConfigError, findTarget } from '../config/load.js';
import { openConfig } from './config.js';
import { backup } from '../backup/index.js';
import { type CommandResult, configErrorResult, EXIT, formatBytes, json } from './output.js';
import { failureOf } from '../classify/failure.js';
import { evidenceOf } from '../mysql/evidence.js';
import { storageOf } from '../storage/index.js';

export interface BackupCommandOptions {
  config: string;
  target: string;
  json: boolean;
  resume?: boolean;
  signal?: AbortSignal;
}

/** The `--json` shape of a run: stable, documented in the README. */
export function backupSummary(m: Manifest, dir: string) {
  const file = m.files[0];
  return {
    ok: m.status === 'success',
    id: m.id,
    target: m.target,
    status: m.status,
    class: m.class,
    dir,
    path: file ? storageOf(dir).join(dir, file.name) : null,
    bytes: m.bytes,
    rawBytes: m.rawBytes,
    sha256: m.sha256,
    rawSha256: file?.rawSha256 ?? null,
    compression: m.compression,
    durationSeconds: m.durationSeconds,
    rows: m.rows,
    tables: m.tables,
    binlog: m.binlog,
    tool: m.tool ? { name: m.tool.name, version: m.tool.version } : null,
    server: m.server,
    method: m.method,
    files: m.files.map((f) => ({ name: f.name, role: f.role, table: f.table, bytes: f.bytes, sha256: f.sha256 })),
    attempts: m.attempts.map((a) => ({ attempt: a.attempt, server: a.server, class: a.class, message: a.error?.message ?? null })),
    databases: m.databases,
    warnings: m.warnings,
    error: m.error,
  };
}

export async function backupCommand(opts: BackupCommandOptions): Promise<CommandResult> {
  try {
    const config = await openConfig(opts.config);
    const target = findTarget(config, opts.target);
    const result = await backup({ config, target, signal: opts.signal, resume: opts.resume });
    const summary = backupSummary(result.manifest, result.dir);
    const exitCode = result.ok ? EXIT.ok : EXIT.failed;
    if (opts.json) return { exitCode, output: json(summary) };
    const m = result.manifest;
    const text = result.ok
      ? `backup ${m.id} of ${m.target}: ${formatBytes(m.bytes)} stored (${formatBytes(m.rawBytes)} ${m.method === 'physical' ? 'streamed' : 'SQL'}), ${m.tables.length} tables, ${m.rows} rows, ${m.durationSeconds?.toFixed(1)} s\n  ${summary.path}\n`
      : `backup ${m.id} of ${m.target} ${m.status}: [${m.error?.class}] ${m.error?.message}\n  hint: ${m.error?.hint}\n`;
    return { exitCode, output: text };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    if (err instanceof TargetBusyError) {
      const error = failureOf({ class: 'lock_timeout', hint: 'Wait for the running backup of this target to finish.' }, err.message);
      return { exitCode: EXIT.failed, output: opts.json ? json({ ok: false, target: opts.target, error }) : `${err.message}\n` };
    }
    if (err instanceof RepositoryUnavailableError) {
      const error = failureOf(evidenceOf(err.cause), err.message);
      return { exitCode: EXIT.failed, output: opts.json ? json({ ok: false, target: opts.target, error }) : `${err.message}\n  hint: ${error.hint}\n` };
    }
    throw err;
  }
}
