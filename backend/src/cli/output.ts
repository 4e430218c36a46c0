import { ConfigError } from '../config/load.js';
import { failureOf } from '../classify/failure.js';
import { storageEvidence } from '../classify/storageError.js';

/** What a command hands back to the CLI: its exit code and what to print on stdout. */
export interface CommandResult {
  exitCode: number;
  output: string;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

// C0 controls but tab and newline, DEL, C1 controls (U+009B is a CSI on some terminals) and the
// bidirectional overrides that reorder what a terminal shows.
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal: server-supplied strings (names, error messages) may carry escape
 * sequences. Each unsafe character becomes a `\uXXXX` escape, which also keeps JSON valid.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A configuration error, printed the same way by every command (exit 2, class config). */
export function configErrorResult(err: ConfigError, asJson: boolean): CommandResult {
  const error = { ...failureOf({ class: 'config' }, err.message), problems: err.problems };
  return { exitCode: EXIT.usage, output: asJson ? json({ ok: false, error }) : `${err.message}\n` };
}

/**
 * An error of the repository's storage met by a command that reads or deletes in it (wrong
 * credentials, a missing bucket, an endpoint that does not answer): classified, with its first
 * action, exit 1, not an unexpected error. Null for any other error.
 */
export function storageErrorResult(err: unknown, asJson: boolean): CommandResult | null {
  // The SDK's errors, and only those: a network code from a database connection is not the storage's.
  const e = (err ?? {}) as { $metadata?: unknown; name?: unknown };
  if (e.$metadata === undefined && e.name !== 'CredentialsProviderError') return null;
  const found = failureOf(storageEvidence(err), '');
  if (!found.class.startsWith('storage_')) return null;
  const error = { ...found, message: `the repository's storage failed: ${found.code ?? (err instanceof Error ? err.message : String(err))}` };
  return { exitCode: EXIT.failed, output: asJson ? json({ ok: false, error }) : `${error.message} [${error.class}]\n  hint: ${error.hint}\n` };
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
