// `warden restore <backup-dir | backup-id> --datadir DIR`: a physical backup (with its chain) made
// into a datadir, and the steps left to the operator. Exit 0 restored, 1 failed (with its class),
// 2 usage error (DIR not empty, not a physical backup).
import { openConfig } from './config.js';
import { type DatadirRestoreResult, restoreDatadir } from '../restore/datadir.js';
import { locateBackup } from './locate.js';
import { type CommandResult, EXIT, json } from './output.js';
import { type RestoreCommandOptions, restoreErrorResult } from './restoreOutput.js';

/** A word for a POSIX shell: the operator pastes these lines, often as root. */
const sh = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

/** What the operator does next: the files belong to the agent's user, and no server runs on them yet. */
export function remainingSteps(r: DatadirRestoreResult): string[] {
  const options = r.serverOptions.length > 0 ? ` ${r.serverOptions.map(sh).join(' ')}` : '';
  return [
    `chown -R mysql:mysql ${sh(r.datadir)}   # the user the server runs as`,
    `put the backup's InnoDB options in the server's configuration:${options || ' (none)'}`,
    `start the server on it: mariadbd ${sh(`--datadir=${r.datadir}`)}${options}   (or set datadir in its configuration and start the service)`,
    ...(r.binlog?.file ? [`the backup ends at binlog ${r.binlog.file}:${r.binlog.position}${r.binlog.gtid ? ` (GTID ${r.binlog.gtid})` : ''}: a replica or a replay of the archive goes on from there`] : []),
  ];
}

function text(r: DatadirRestoreResult): string {
  if (!r.ok) return `restore of backup ${r.id} into ${r.datadir} FAILED: [${r.failure?.class}] ${r.failure?.message}\n  hint: ${r.failure?.hint}\n`;
  const chain = r.chain.length > 1 ? ` (full backup ${r.chain[0]} and ${r.chain.length - 1} incremental(s))` : '';
  return [`restored backup ${r.id}${chain} into ${r.datadir} in ${r.seconds.toFixed(1)} s`, 'what remains:', ...remainingSteps(r).map((s, i) => `  ${i + 1}. ${s}`)].join('\n') + '\n';
}

export async function restoreDatadirCommand(backup: string, datadir: string, opts: RestoreCommandOptions): Promise<CommandResult> {
  try {
    const dir = await locateBackup(backup, async () => (await openConfig(opts.config)).repositoryPath);
    const r = await restoreDatadir({ dir, datadir, signal: opts.signal });
    const out = { ...r, class: r.failure?.class ?? 'none', error: r.failure, steps: r.ok ? remainingSteps(r) : [] };
    return { exitCode: r.ok ? EXIT.ok : EXIT.failed, output: opts.json ? json(out) : text(r) };
  } catch (err) {
    const known = restoreErrorResult(err, opts.json);
    if (known) return known;
    throw err;
  }
}
