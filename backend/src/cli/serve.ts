// `warden serve`: the agent as a service until SIGTERM or SIGINT.
import { loadApiToken } from '../serve/api/auth.js';
import { ConfigError } from '../config/load.js';
import { openConfig } from './config.js';
import { runtimeDir } from '../mysql/runtimeDir.js';
import { mainLogger } from '../util/log.js';
import { Agent, parseListen } from '../serve/agent.js';
import { type CommandResult, configErrorResult, EXIT, storageErrorResult } from './output.js';

export interface ServeCommandOptions {
  config: string;
  listen?: string;
}

/** The whole shutdown stays under 10 s: runs get 8 s to record their end, the rest is margin. */
const RUNS_GRACE_MS = 8_000;
const HARD_EXIT_MS = 9_500;

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const log = mainLogger();
    let received: NodeJS.Signals | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      // Stays installed: a second signal must not kill the process before runs record their end.
      if (received) return log.warn({ signal }, 'already shutting down');
      received = signal;
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export async function serveCommand(opts: ServeCommandOptions): Promise<CommandResult> {
  const log = mainLogger();
  let agent: Agent;
  try {
    const config = await openConfig(opts.config);
    // Crash recovery: option files and child processes a killed agent left behind go first.
    runtimeDir();
    const listen = parseListen(opts.listen ?? config.api.listen);
    if (!listen) return { exitCode: EXIT.usage, output: `warden serve: --listen must be HOST:PORT, got ${JSON.stringify(opts.listen)}\n` };
    const token = loadApiToken(config);
    if (!token) log.warn({ component: 'api', tokenEnv: config.api.tokenEnv }, `no API token is configured: every mutation is refused until ${config.api.tokenEnv} or api.tokenFile is set`);
    agent = await Agent.start({ config, token, log, listen });
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, false);
    const storage = storageErrorResult(err, false);
    if (storage) return storage;
    const e = err as NodeJS.ErrnoException;
    if (e.syscall === 'listen') return { exitCode: EXIT.failed, output: `warden serve: cannot listen: ${e.message}\n` };
    throw err;
  }

  const signal = await nextStopSignal();
  log.warn({ signal }, 'shutting down: no new runs; running ones are stopped and recorded as interrupted');
  // Whatever still holds the event loop after the grace period, the process ends within the bound.
  setTimeout(() => {
    log.error('shutdown did not finish in time; exiting');
    process.exit(EXIT.failed);
  }, HARD_EXIT_MS).unref();
  const finished = await agent.stop(RUNS_GRACE_MS);
  if (!finished) log.error('some runs did not record their end in time');
  else log.info('stopped');
  return { exitCode: finished ? EXIT.ok : EXIT.failed, output: '' };
}
