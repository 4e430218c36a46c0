import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TargetConfig } from '../config/schema.js';
import { ConfigError, privateFileProblem } from '../config/load.js';
import { runtimeDir } from './runtimeDir.js';

/** Reads the target's password from the environment or a private file; never from argv. */
export function resolvePassword(target: Pick<TargetConfig, 'name' | 'passwordEnv' | 'passwordFile'>, configFile: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (target.passwordEnv) {
    const value = env[target.passwordEnv];
    if (value === undefined) {
      throw new ConfigError(configFile, [`targets "${target.name}".passwordEnv: the environment variable ${target.passwordEnv} is not set`]);
    }
    return value;
  }
  if (target.passwordFile) {
    return readPrivateFile(path.resolve(path.dirname(configFile), target.passwordFile), `targets "${target.name}".passwordFile`, configFile);
  }
  return undefined;
}

/** Reads a secret from a file only its owner may read (0600); `key` names the config key in errors. */
export function readPrivateFile(file: string, key: string, configFile: string): string {
  const problem = privateFileProblem(file, key);
  if (problem) throw new ConfigError(configFile, [problem]);
  // A trailing newline is how editors and `echo` end files; it is never part of the secret.
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}

// What the client libraries undo in an option file value (mysys/my_default.c in MariaDB,
// mysys/my_default.cc in MySQL): remove_end_comment() takes `#` outside quotes for a comment and
// honours backslash escapes inside them; the value loses its enclosing quotes, then `\\`, `\"`,
// `\'`, `\n`, `\r`, `\t`, `\b` and `\s` are decoded. Quoted, a value keeps its own spaces at both ends.
const OPTION_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b' };

/** A value for a MySQL option file, double-quoted and escaped so that the client reads it back unchanged. */
function optionValue(value: string): string {
  return `"${value.replace(/[\\"'\n\r\t\b]/g, (c) => OPTION_ESCAPES[c]!)}"`;
}

export interface DefaultsFile {
  path: string;
  remove(): void;
}

/**
 * Writes a 0600 option file in the agent's private runtime folder so the tool reads the credentials
 * from it (`--defaults-file`) instead of argv, where `ps` would show them. A file an agent killed
 * with -9 leaves there is removed by the next one (runtimeDir.ts).
 */
export function writeDefaultsFile(user: string, password: string | undefined): DefaultsFile {
  const file = path.join(runtimeDir(), `${process.pid}-${randomBytes(8).toString('hex')}.cnf`);
  const lines = ['[client]', `user=${optionValue(user)}`];
  if (password !== undefined) lines.push(`password=${optionValue(password)}`);
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
  return { path: file, remove: () => rmSync(file, { force: true }) };
}
