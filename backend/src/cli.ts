// The `warden` command line: parses arguments and calls the same command functions the API and
// the scheduler call.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { type CommandResult, EXIT, terminalSafe } from './cli/output.js';
// Each command's module is imported when it runs: a backup does not load the HTTP server, the
// metrics registry or the restore code, which keeps start-up time and memory down.
import { DEFAULT_CONFIG, options } from './cli/options.js';
import type { RestoreCommandOptions } from './cli/restoreOutput.js';
import { mainLogger, setLogLevel } from './util/log.js';


/** Runs `fn` with an AbortSignal that fires on SIGINT/SIGTERM, so a run ends recorded as interrupted. */
async function withInterrupt(fn: (signal: AbortSignal) => Promise<CommandResult>): Promise<CommandResult> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    mainLogger().warn({ signal: sig }, 'stopping: the current run will be recorded as interrupted');
    controller.abort();
  };
  // `on`, not `once`: a listener must stay registered while the run winds down, or signal-exit
  // (used by the lock library) sees no other listener and re-raises the signal, killing us.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function program(emit: (r: CommandResult) => void): Command {
  const cmd = new Command('warden')
    .description('Warden: MySQL/MariaDB backups that are proven good, classified when they fail, and watched from Grafana')
    .option('--log-level <level>', 'log level on stderr (fatal, error, warn, info, debug)', 'warn')
    .hook('preAction', (root) => setLogLevel(root.opts().logLevel as string))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  cmd
    .command('backup')
    .description('back up one target now: stream, checksum, compress, publish atomically, then apply retention')
    .addOption(options.config())
    .addOption(options.requiredTarget('target to back up'))
    .option('--resume', 'continue the newest interrupted per-table run of the target', true)
    .option('--no-resume', 'start a new run even when an interrupted per-table run could be continued')
    .addOption(options.json())
    .action(async (o: { config: string; target: string; resume: boolean; json: boolean }) => {
      emit(await withInterrupt(async (signal) => (await import('./cli/backup.js')).backupCommand({ ...o, signal })));
    });

  cmd
    .command('binlog')
    .description("archive a target's binary logs as the server writes them (point-in-time recovery), until SIGINT or SIGTERM")
    .addOption(options.config())
    .addOption(options.requiredTarget('target whose binary logs to archive'))
    .addOption(options.json())
    .action(async (o: { config: string; target: string; json: boolean }) => {
      emit(await withInterrupt(async (signal) => (await import('./cli/binlog.js')).binlogCommand({ ...o, signal })));
    });

  cmd
    .command('check')
    .description('pre-flight checks of every target (or one): connection, grants, space, tool, repository')
    .addOption(options.config())
    .addOption(options.target('only this target'))
    .addOption(options.json())
    .action(async (o: { config: string; target?: string; json: boolean }) => emit(await (await import('./cli/check.js')).checkCommand(o)));

  cmd
    .command('list')
    .description('list the backups in the repository, newest first')
    .addOption(options.config())
    .addOption(options.target('only this target'))
    .addOption(options.json())
    .action(async (o: { config: string; target?: string; json: boolean }) => emit(await (await import('./cli/list.js')).listCommand(o)));

  cmd
    .command('expire')
    .description('delete the runs the retention policy no longer keeps (never the newest good or verified backup)')
    .addOption(options.config())
    .addOption(options.target('only this target'))
    .option('--dry-run', 'only say what would be deleted', false)
    .addOption(options.json())
    .action(async (o: { config: string; target?: string; dryRun: boolean; json: boolean }) => emit(await (await import('./cli/expire.js')).expireCommand(o)));

  cmd
    .command('serve')
    .description('run the agent: HTTP API, schedules, retention and Prometheus metrics, until SIGTERM')
    .addOption(options.config())
    .addOption(options.listen())
    .action(async (o: { config: string; listen?: string }) => {
      // A service reports what it does: info level unless --log-level or WARDEN_LOG_LEVEL says otherwise.
      if (cmd.getOptionValueSource('logLevel') === 'default') setLogLevel(process.env.WARDEN_LOG_LEVEL ?? 'info');
      emit(await (await import('./cli/serve.js')).serveCommand(o));
    });

  cmd
    .command('verify')
    .description("prove a backup can come back: checksum, parse (every table and row), or restore into a scratch server; with --binlog, a target's binlog archive: every file's checksum, no gap after the newest full backup, and at level restore a point-in-time restore")
    .argument('[backup]', 'backup folder (a copy anywhere works) or backup id (not with --binlog)')
    .addOption(options.configWhenNeeded(`configuration file: for a backup id, and the scratch server of --level restore (default ${DEFAULT_CONFIG})`))
    .addOption(options.level())
    .option('--binlog', "verify the target's binlog archive instead of a backup", false)
    .addOption(options.target('with --binlog: the target whose archive to verify'))
    .addOption(options.json())
    .action(async (backup: string | undefined, o: { config?: string; level: string; binlog: boolean; target?: string; json: boolean }) => {
      emit(await withInterrupt(async (signal) => (await import('./cli/verify.js')).verifyCommand(backup, { ...o, defaultConfig: DEFAULT_CONFIG, signal })));
    });

  cmd
    .command('restore')
    .description("load one database of a backup under a new name on a target's server; with --datadir, a physical backup (and its chain) made into an empty datadir; with --to, --to-gtid or --to-position, the newest good backup before that point, then the archived binary logs up to it")
    .argument('[backup]', 'backup folder or backup id (not with --to…: the point picks the backup)')
    .addOption(options.config())
    .addOption(options.target('target whose server (and credentials) to restore to'))
    .option('-d, --database <name>', 'new database name to load into')
    .option('--datadir <dir>', 'a physical backup (with its chain): unpack, prepare and copy it into this empty or absent folder')
    .option('--source-database <name>', 'the database of the backup to load (required when it holds several)')
    .option('--force', 'load into an existing database even if it is not empty', false)
    .option('--to <time>', 'point-in-time: replay the binary logs up to this time, inclusive (ISO 8601; UTC without a zone)')
    .option('--to-gtid <gtid>', 'point-in-time: replay up to and with this transaction')
    .option('--to-position <file:pos>', 'point-in-time: replay up to this binlog position (as SHOW MASTER STATUS gives it)')
    .option('--dry-run', 'print the point-in-time plan (backup, binlog files, where it stops) and change nothing', false)
    .addOption(options.parallel())
    .addOption(options.json())
    .action(async (backup: string | undefined, o: RestoreCommandOptions) => {
      emit(await withInterrupt(async (signal) => (await import('./cli/restore.js')).restoreCommand(backup, { ...o, signal })));
    });

  cmd
    .command('classify')
    .description('classify evidence (a failure, or none for a clean run): reads {"tool","exitCode","signal","stderr","stdoutTail"} on stdin')
    .addOption(options.json())
    .action(async (o: { json: boolean }) => emit(await (await import('./cli/classify.js')).classifyCommand(readFileSync(0, 'utf8'), o)));

  return cmd;
}

export async function main(argv: string[]): Promise<number> {
  // Backups, manifests and logs are private, including files child processes (zstd) create.
  process.umask(0o077);
  let result: CommandResult | null = null;
  const cmd = program((r) => {
    result = r;
  });
  try {
    await cmd.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; anything else is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    mainLogger().error({ err }, 'unexpected error');
    process.stderr.write(terminalSafe(`warden: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`));
    return EXIT.failed;
  }
  const r = result as CommandResult | null;
  if (!r) return EXIT.ok;
  process.stdout.write(terminalSafe(r.output));
  return r.exitCode;
}
