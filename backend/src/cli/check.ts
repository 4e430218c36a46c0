import { ConfigError, findTarget } from '../config/load.js';
import { openConfig } from './config.js';
import { endpointOf } from '../mysql/server.js';
import { runPreflight } from '../check/index.js';
import { type CommandResult, configErrorResult, EXIT, json } from './output.js';

export interface CheckCommandOptions {
  config: string;
  target?: string;
  json: boolean;
}

/** `warden check`: the pre-flight of every (or one) target, one line per check, exit 1 on any FAIL. */
export async function checkCommand(opts: CheckCommandOptions): Promise<CommandResult> {
  try {
    const config = await openConfig(opts.config);
    const targets = opts.target ? [findTarget(config, opts.target)] : config.targets;
    const reports = [];
    for (const target of targets) {
      const r = await runPreflight({ config, target, endpoint: endpointOf(target) });
      reports.push({ target: r.target, ok: r.ok, checks: r.checks });
    }
    const ok = reports.every((r) => r.ok);
    const exitCode = ok ? EXIT.ok : EXIT.failed;
    if (opts.json) return { exitCode, output: json({ ok, targets: reports }) };
    const lines: string[] = [];
    for (const r of reports) {
      lines.push(`Target ${r.target}:`);
      for (const c of r.checks) {
        lines.push(`\t${c.name}: ${c.status}${c.class ? ` [${c.class}]` : ''} (${c.detail})${c.hint && c.status !== 'OK' ? `\n\t\thint: ${c.hint}` : ''}`);
      }
    }
    return { exitCode, output: `${lines.join('\n')}\n` };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    throw err;
  }
}
