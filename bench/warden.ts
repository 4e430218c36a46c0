// Running the agent from a section: a config with one target for a database, and one measured
// `warden backup --json` whose backup is deleted afterwards; which commit another checkout is.
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { TestServer } from '../test/harness/mariadb.js';
import type { BenchContext } from './context.js';
import { measureNode, type NodeMeasurement } from './measure.js';

export interface WardenConfig {
  file: string;
  target: string;
}

/** The fields of `warden backup --json` the bench reads. */
export interface WardenSummary {
  ok: boolean;
  dir: string;
  bytes: number;
  rawBytes: number;
  method: string;
  files: { name: string; role: string; table?: string; bytes: number }[];
  error: { class: string; message: string } | null;
}

export interface WardenBackup {
  measurement: NodeMeasurement;
  summary: WardenSummary;
  /** the dump tool's arguments, from the manifest (per-table: those of the schema dump) */
  options: string[];
}

/**
 * A config with one zstd target for `database` (named after it, no verification after the
 * backup), its repository in the section's scratch folder. `fields` adds or overrides target keys,
 * `top` top-level keys (another repository and its settings).
 */
export async function writeWardenConfig(
  ctx: BenchContext,
  server: TestServer,
  database: string,
  fields: { name?: string } & Record<string, unknown> = {},
  top: Record<string, unknown> = {},
): Promise<WardenConfig> {
  const target = fields.name ?? database.replace(/_/g, '-');
  const file = path.join(ctx.tmpDir, `warden-${target}.yaml`);
  const config = {
    repository: path.join(ctx.tmpDir, 'repository'),
    ...top,
    targets: [
      {
        name: target,
        host: server.host,
        port: server.port,
        user: 'root',
        databases: [database],
        compression: 'zstd',
        tool: ctx.dumpTool.name,
        // Measure the backup itself; verification has its own section.
        verifyAfterBackup: 'none',
        ...fields,
      },
    ],
  };
  await writeFile(file, stringify(config));
  return { file, target };
}

/** The other checkout by its commit (never by its path on this machine). */
export async function describeCheckout(dir: string): Promise<string> {
  const { stdout } = await promisify(execFile)('git', ['-C', dir, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).catch(() => ({ stdout: 'a checkout without git history' }));
  const line = stdout.trim();
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}

/** The `warden` command of a checkout (this one unless another is named). */
export const wardenCli = (root: string) => path.join(root, 'backend', 'bin', 'warden.js');

/**
 * One `warden backup --json` (node's start-up included) of the checkout at `root`; the backup is
 * deleted afterwards to keep disk use flat, unless `keep`.
 */
export async function runWardenBackup(ctx: BenchContext, config: WardenConfig, root = ctx.repoRoot, keep = false): Promise<WardenBackup> {
  const cli = wardenCli(root);
  const m = await measureNode([cli, 'backup', '--config', config.file, '--target', config.target, '--json'], { cwd: ctx.repoRoot });
  const out = JSON.parse(m.stdout) as WardenSummary;
  if (!out.ok) throw new Error(`warden backup failed: [${out.error?.class}] ${out.error?.message}`);
  const manifest = JSON.parse(await readFile(path.join(out.dir, 'manifest.json'), 'utf8')) as { options: string[] };
  if (!keep) await rm(out.dir, { recursive: true, force: true });
  return { measurement: m, summary: out, options: manifest.options };
}
