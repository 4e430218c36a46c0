import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TargetConfig } from '../config/schema.js';
import { ConfigError } from '../config/load.js';

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
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw new ConfigError(configFile, [`${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`]);
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(configFile, [`${key}: ${file} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`]);
  }
  // A trailing newline is how editors and `echo` end files; it is never part of the secret.
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}

/** Escapes a value for a MySQL option file (double-quoted; backslash sequences are interpreted). */
function optionValue(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

export interface DefaultsFile {
  path: string;
  remove(): void;
}

/**
 * Writes a 0600 option file in a fresh 0700 folder so the dump tool reads the credentials from
 * it (`--defaults-file`) instead of argv, where `ps` would show them.
 */
export function writeDefaultsFile(user: string, password: string | undefined): DefaultsFile {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-cred-'));
  const file = path.join(dir, 'client.cnf');
  const lines = ['[client]', `user=${optionValue(user)}`];
  if (password !== undefined) lines.push(`password=${optionValue(password)}`);
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { path: file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
