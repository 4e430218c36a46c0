import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { childEnv } from './childEnv.js';

const run = promisify(execFile);

export interface DumpTool {
  name: 'mariadb-dump' | 'mysqldump';
  path: string;
  /** What `--version` printed, e.g. `mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu`. */
  version: string;
  /** Who built it: MariaDB's client and MySQL's differ in options (e.g. --source-data, --gtid). */
  flavor: 'mariadb' | 'mysql';
  /** Server-style version of the client distribution, e.g. `10.11.19` or `8.0.40`. */
  distribution: string;
}

export class ToolNotFoundError extends Error {
  constructor(readonly wanted: string) {
    super(`${wanted} is not installed (looked on PATH: ${process.env.PATH ?? ''})`);
    this.name = 'ToolNotFoundError';
  }
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function which(binary: string, searchPath = process.env.PATH ?? ''): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

const cache = new Map<string, Promise<DumpTool[]>>();

async function describe(name: DumpTool['name'], file: string): Promise<DumpTool> {
  const { stdout } = await run(file, ['--version'], { timeout: 10_000, env: childEnv() });
  const version = stdout.trim();
  // On MariaDB systems `mysqldump` is a symlink to mariadb-dump; the version line tells who it is.
  const flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  const distribution = /Distrib\s+([\d.]+)/.exec(version)?.[1] ?? /Ver\s+([\d.]+)/.exec(version)?.[1] ?? 'unknown';
  return { name, path: file, version, flavor, distribution };
}

/** The dump tools installed that the target may use: with `auto`, both. */
export function findDumpTools(preference: 'auto' | DumpTool['name'] = 'auto'): Promise<DumpTool[]> {
  const key = `${preference}:${process.env.PATH ?? ''}`;
  let found = cache.get(key);
  if (!found) {
    const names: DumpTool['name'][] = preference === 'auto' ? ['mariadb-dump', 'mysqldump'] : [preference];
    found = (async () => {
      const tools = await Promise.all(names.map((name) => which(name)).flatMap((file, i) => (file ? [describe(names[i]!, file)] : [])));
      if (tools.length === 0) throw new ToolNotFoundError(names.join(' or '));
      return tools;
    })();
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}

/**
 * The tool for a server of this family: each family's own client knows its server's statements
 * and options (MySQL's mysqldump for MySQL, mariadb-dump for MariaDB); the other one when only it
 * is installed. On MariaDB systems `mysqldump` is mariadb-dump under another name: its flavor says so.
 */
export function chooseDumpTool(tools: readonly DumpTool[], server: 'mariadb' | 'mysql'): DumpTool {
  return tools.find((t) => t.flavor === server) ?? tools[0]!;
}
