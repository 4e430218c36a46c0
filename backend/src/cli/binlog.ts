// `warden binlog`: the binlog archiver of one target in the foreground, until SIGINT or SIGTERM.
// `warden serve` runs the same archiver for every target with `binlog.archive: true`.
import { archiveBinlogs, type ArchiverStatus } from '../binlog/archiver.js';
import { ConfigError, findTarget } from '../config/load.js';
import { openConfig } from './config.js';
import { mainLogger } from '../util/log.js';
import { type CommandResult, configErrorResult, EXIT, json, terminalSafe } from './output.js';

export interface BinlogCommandOptions {
  config: string;
  target: string;
  json: boolean;
  signal: AbortSignal;
}

export async function binlogCommand(opts: BinlogCommandOptions): Promise<CommandResult> {
  let status: ArchiverStatus;
  try {
    const config = await openConfig(opts.config);
    const target = findTarget(config, opts.target);
    const log = mainLogger().child({ component: 'binlog' });
    let lastFailure: string | null = null;
    status = await archiveBinlogs(config, target, {
      signal: opts.signal,
      log,
      onStatus: (s) => {
        // Each new failure once on stderr, whatever the log level: the operator is watching.
        if (s.lastFailure && s.lastFailure.message !== lastFailure) {
          lastFailure = s.lastFailure.message;
          process.stderr.write(terminalSafe(`warden binlog: [${s.lastFailure.class}] ${s.lastFailure.message}\n\thint: ${s.lastFailure.hint}\n`));
        }
      },
    });
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    throw err;
  }
  const exitCode = status.gap ? EXIT.failed : EXIT.ok;
  if (opts.json) return { exitCode, output: json({ ok: !status.gap, ...status }) };
  const last = status.lastEventTime === null ? 'no event yet' : `last event ${new Date(status.lastEventTime * 1000).toISOString()}`;
  return {
    exitCode,
    output: terminalSafe(
      `Archiver of ${status.target} stopped: ${status.archived} file(s) archived, ${last}${status.current ? `, writing ${status.current}` : ''}${status.gap ? '; the archive has a gap (see binlog/index.json)' : ''}\n`,
    ),
  };
}
