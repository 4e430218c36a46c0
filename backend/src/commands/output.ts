import { ConfigError } from '../config/load.js';
import { CLASS_INFO } from '../classify/classes.js';

/** What a command hands back to the CLI: its exit code and what to print on stdout. */
export interface CommandResult {
  exitCode: number;
  output: string;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A configuration error, printed the same way by every command (exit 2, class config). */
export function configErrorResult(err: ConfigError, asJson: boolean): CommandResult {
  const error = { class: 'config', retryable: false, severity: CLASS_INFO.config.severity, code: null, hint: CLASS_INFO.config.firstAction, message: err.message, problems: err.problems };
  return { exitCode: EXIT.usage, output: asJson ? json({ ok: false, error }) : `${err.message}\n` };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
