// `warden verify --binlog -t TARGET [--level checksum|parse|restore]`: the target's binlog archive
// (verify/binlogChain.ts). Exit 0 sound, 1 a problem (a gap is class binlog_gap), 2 usage or config.
import { ConfigError, findTarget } from '../config/load.js';
import { openConfig } from './config.js';
import type { VerifyLevel } from '../config/schema.js';
import { type BinlogChainResult, verifyBinlogChain } from '../verify/binlogChain.js';
import { type CommandResult, configErrorResult, EXIT, formatBytes, json, terminalSafe } from './output.js';

export interface VerifyBinlogOptions {
  config?: string;
  defaultConfig: string;
  target: string;
  level: VerifyLevel;
  json: boolean;
  signal?: AbortSignal;
}

/** A gap is what the alerts and the restore call binlog_gap; any other problem fails verification. */
const classOf = (r: BinlogChainResult) => (r.ok ? 'none' : r.problems.some((p) => p.kind === 'gap') ? 'binlog_gap' : 'verification');

function text(r: BinlogChainResult): string {
  const from = r.from ? `from backup ${r.from.id} (${r.from.file}:${r.from.position})` : 'with no full backup to start from';
  const pitr = r.pointInTime
    ? `; restored to ${r.pointInTime.point} in a scratch server (${r.pointInTime.transactions} transaction(s) replayed, ${r.pointInTime.tables.filter((t) => t.expected !== null).length} table count(s) checked against the binary logs)`
    : '';
  const head = `binlog archive of ${r.target}: ${r.files} file(s), ${formatBytes(r.rawBytes)}, ${from}${pitr}`;
  if (r.ok) return `${head}: valid (level ${r.level}, ${r.durationSeconds.toFixed(1)} s)\n`;
  return `${head}: INVALID (level ${r.level}): ${r.problems.length} problem(s)\n${r.problems.map((p) => `  ${p.kind}${p.table ? ` [${p.table}]` : ''}: ${p.detail}`).join('\n')}\n`;
}

export async function verifyBinlogCommand(opts: VerifyBinlogOptions): Promise<CommandResult> {
  try {
    const config = await openConfig(opts.config ?? opts.defaultConfig);
    const target = findTarget(config, opts.target);
    const r = await verifyBinlogChain({ config, target, level: opts.level, signal: opts.signal });
    return { exitCode: r.ok ? EXIT.ok : EXIT.failed, output: opts.json ? json({ ...r, class: classOf(r) }) : terminalSafe(text(r)) };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    throw err;
  }
}
