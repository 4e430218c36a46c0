// `warden expire`: applies the retention policy of one or every target.
import { ConfigError, findTarget } from '../config/load.js';
import { openConfig } from './config.js';
import { mainLogger } from '../util/log.js';
import { type ExpireResult, expireTarget } from '../expire/index.js';
import { type CommandResult, configErrorResult, EXIT, formatBytes, json, storageErrorResult } from './output.js';

export interface ExpireCommandOptions {
  config: string;
  target?: string;
  dryRun: boolean;
  json: boolean;
}

function describe(r: ExpireResult): string {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const head = r.policy
    ? `${r.target}: ${verb} ${r.deleted.length} run(s), ${formatBytes(r.freedBytes)}; kept ${r.kept.length}`
    : `${r.target}: no retention policy, everything is kept (${r.kept.length} run(s))`;
  const lines = r.deleted.map((d) => `  ${verb} ${d.id}  ${d.status.padEnd(11)} ${formatBytes(d.bytes).padStart(10)}`);
  for (const dir of r.unreadable) lines.push(`  left alone (no readable manifest): ${dir}`);
  return [head, ...lines].join('\n');
}

export async function expireCommand(opts: ExpireCommandOptions): Promise<CommandResult> {
  try {
    const config = await openConfig(opts.config);
    const targets = opts.target ? [findTarget(config, opts.target)] : config.targets;
    const log = mainLogger().child({ component: 'retention' });
    const results: ExpireResult[] = [];
    for (const target of targets) results.push(await expireTarget(config, target, { log, dryRun: opts.dryRun }));
    const freedBytes = results.reduce((n, r) => n + r.freedBytes, 0);
    if (opts.json) return { exitCode: EXIT.ok, output: json({ ok: true, dryRun: opts.dryRun, freedBytes, targets: results }) };
    return { exitCode: EXIT.ok, output: `${results.map(describe).join('\n')}\n` };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    const storage = storageErrorResult(err, opts.json);
    if (storage) return storage;
    throw err;
  }
}
