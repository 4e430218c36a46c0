import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, S3_SCHEME, type TargetConfig, type WardenConfig } from './schema.js';

/** A configuration that cannot be used; exit code 2 and class `config` wherever it surfaces. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration in ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig extends WardenConfig {
  /** Absolute path of the file it came from; relative paths in it are relative to its folder. */
  file: string;
  /** Absolute repository path, or the repository's URL (s3://bucket/prefix). */
  repositoryPath: string;
}

/** Keys a target accepts from the environment: WARDEN_TARGET_<NAME>_<KEY>. */
const TARGET_ENV_KEYS: Record<string, { key: keyof TargetConfig; parse: (v: string) => unknown }> = {
  HOST: { key: 'host', parse: (v) => v },
  PORT: { key: 'port', parse: (v) => (/^\d+$/.test(v) ? Number(v) : v) },
  SOCKET: { key: 'socket', parse: (v) => v },
  USER: { key: 'user', parse: (v) => v },
  PASSWORD_ENV: { key: 'passwordEnv', parse: (v) => v },
  PASSWORD_FILE: { key: 'passwordFile', parse: (v) => v },
  DATABASES: { key: 'databases', parse: (v) => v.split(',').map((s) => s.trim()).filter(Boolean) },
  COMPRESSION: { key: 'compression', parse: (v) => v },
};

const envPrefixOf = (name: string) => `WARDEN_TARGET_${name.toUpperCase().replace(/-/g, '_')}_`;

/** Applies environment overrides and remembers which key came from which variable. */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, origin: Map<string, string>): void {
  if (env.WARDEN_REPOSITORY) {
    raw.repository = env.WARDEN_REPOSITORY;
    origin.set('repository', 'WARDEN_REPOSITORY');
  }
  if (!Array.isArray(raw.targets)) return;
  raw.targets.forEach((t: unknown, i: number) => {
    if (!t || typeof t !== 'object' || typeof (t as { name?: unknown }).name !== 'string') return;
    const target = t as Record<string, unknown>;
    const prefix = envPrefixOf(target.name as string);
    for (const [suffix, { key, parse }] of Object.entries(TARGET_ENV_KEYS)) {
      const value = env[prefix + suffix];
      if (value === undefined) continue;
      target[key] = parse(value);
      origin.set(`targets[${i}].${key}`, prefix + suffix);
    }
  });
}

/** A YAML alias that contains itself (`a: &x [*x]`): no configuration value can be built from it. */
class SelfReference extends Error {
  constructor() {
    super('a recursive alias');
  }
}

/**
 * `key:` with nothing after it (or only comments) means "not set", as YAML users expect. A value
 * met again inside itself came from a recursive alias.
 */
function dropNulls(value: unknown, ancestors: Set<object> = new Set()): unknown {
  if (!value || typeof value !== 'object') return value;
  if (ancestors.has(value)) throw new SelfReference();
  ancestors.add(value);
  const out = Array.isArray(value)
    ? value.map((v) => dropNulls(v, ancestors))
    : Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v, ancestors)]));
  ancestors.delete(value);
  return out;
}

function formatPath(p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

function describeIssue(issue: z.core.$ZodIssue, origin: Map<string, string>, raw: unknown): string {
  const where = formatPath(issue.path) || '(top level)';
  let target = '';
  const tIndex = issue.path[0] === 'targets' && typeof issue.path[1] === 'number' ? issue.path[1] : -1;
  if (tIndex >= 0) {
    const name = (raw as { targets?: { name?: unknown }[] }).targets?.[tIndex]?.name;
    if (typeof name === 'string') target = ` (target "${name}")`;
  }
  const fromEnv = origin.get(where);
  const keys = issue.code === 'unrecognized_keys' ? `: ${issue.keys.map((k) => `"${k}"`).join(', ')} not allowed here` : '';
  return `${where}${target}${fromEnv ? ` [from ${fromEnv}]` : ''}: ${keys ? `unknown key${keys}` : issue.message}`;
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  }
  let raw: Record<string, unknown>;
  try {
    raw = dropNulls(doc.toJS() ?? {}) as Record<string, unknown>;
  } catch (err) {
    // The yaml library throws ReferenceError for an alias it cannot resolve or expand.
    if (!(err instanceof SelfReference || err instanceof ReferenceError)) throw err;
    throw new ConfigError(file, [`YAML: an alias refers to itself or cannot be expanded (${(err as Error).message})`]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(file, ['the file must hold a mapping with keys repository and targets']);
  const origin = new Map<string, string>();
  applyEnv(raw, env, origin);
  const result = configSchema.safeParse(raw);
  const problems = result.success ? [] : result.error.issues.map((i) => describeIssue(i, origin, raw));
  // `s3` has defaults (AWS itself); an offsite copy must say which storage it means.
  if (raw.offsite !== undefined && raw.s3 === undefined) problems.push('s3: an offsite repository needs the s3 settings (endpoint, region, credentials)');
  if (!result.success || problems.length > 0) throw new ConfigError(file, problems);
  const abs = path.resolve(file);
  const { repository, s3 } = result.data;
  const here = (p: string) => path.resolve(path.dirname(abs), p);
  return {
    ...result.data,
    s3: s3.credentialsFile ? { ...s3, credentialsFile: here(s3.credentialsFile) } : s3,
    file: abs,
    repositoryPath: repository.startsWith(S3_SCHEME) ? repository : here(repository),
  };
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  const config = parseConfig(text, file, env);
  // Checked where the file is read from disk: a secret others can read is refused before any use.
  const problem = config.s3.credentialsFile ? privateFileProblem(config.s3.credentialsFile, 's3.credentialsFile') : null;
  if (problem) throw new ConfigError(file, [problem]);
  return config;
}

/** Why a file holding a secret cannot be used (unreadable, or open to others beside its owner), or null. */
export function privateFileProblem(file: string, key: string): string | null {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    return `${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`;
  }
  if ((mode & 0o077) !== 0) return `${key}: ${file} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`;
  return null;
}

export function findTarget(config: LoadedConfig, name: string): TargetConfig {
  const t = config.targets.find((x) => x.name === name);
  if (!t) {
    throw new ConfigError(config.file, [`unknown target "${name}"; known targets: ${config.targets.map((x) => x.name).join(', ')}`]);
  }
  return t;
}
