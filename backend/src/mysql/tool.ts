import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
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

/** The program that streams binary logs: `mariadb-binlog` or MySQL's `mysqlbinlog`. */
export interface BinlogTool {
  path: string;
  version: string;
  flavor: 'mariadb' | 'mysql';
  distribution: string;
}

/**
 * The binlog tool for a server of this family, like chooseDumpTool. `--version` does not say who
 * built it (MariaDB's prints `mariadb-binlog Ver 3.5 for debian-linux-gnu`, MySQL 5.7's
 * `mysqlbinlog Ver 3.4`), so the program's real name does: Debian's MariaDB packages make
 * `mysqlbinlog` a link to `mariadb-binlog`.
 */
export async function findBinlogTool(server: 'mariadb' | 'mysql'): Promise<BinlogTool> {
  const found = (['mariadb-binlog', 'mysqlbinlog'] as const).flatMap((name) => {
    const file = which(name);
    return file ? [file] : [];
  });
  if (found.length === 0) throw new ToolNotFoundError('mariadb-binlog or mysqlbinlog');
  const tools = await Promise.all(
    found.map(async (file): Promise<BinlogTool> => {
      const { stdout } = await run(file, ['--version'], { timeout: 10_000, env: childEnv() });
      const version = stdout.trim();
      const flavor = path.basename(realpathSync(file)).startsWith('mariadb') || /mariadb/i.test(version) ? 'mariadb' : 'mysql';
      const distribution = /Distrib\s+([\d.]+)/.exec(version)?.[1] ?? /Ver\s+([\d.]+)/.exec(version)?.[1] ?? 'unknown';
      return { path: file, version, flavor, distribution };
    }),
  );
  return tools.find((t) => t.flavor === server) ?? tools[0]!;
}
