// The physical backup tools: MariaDB's mariadb-backup (with mbstream) and Percona XtraBackup (with
// xbstream) for MySQL. Each reads only its own family's data files and redo log, so unlike the dump
// tools neither stands in for the other.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { childEnv } from './childEnv.js';
import { endpointArgs, type ServerEndpoint } from './server.js';
import { ToolNotFoundError, which } from './tool.js';

const run = promisify(execFile);

export interface PhysicalTool {
  name: 'mariadb-backup' | 'xtrabackup';
  path: string;
  /** What `--version` printed, e.g. `mariadb-backup based on MariaDB server 10.11.19-MariaDB …`. */
  version: string;
  flavor: 'mariadb' | 'mysql';
  /** The program that packs and unpacks the tool's stream. */
  stream: { name: 'mbstream' | 'xbstream'; path: string };
}

const FAMILY = {
  mariadb: { name: 'mariadb-backup', stream: 'mbstream' },
  mysql: { name: 'xtrabackup', stream: 'xbstream' },
} as const;

/** The physical tool for a server of this family, with its stream program; both must be installed. */
export async function findPhysicalTool(flavor: 'mariadb' | 'mysql'): Promise<PhysicalTool> {
  const { name, stream } = FAMILY[flavor];
  const file = which(name);
  const streamFile = which(stream);
  if (!file || !streamFile) throw new ToolNotFoundError(`${name} and ${stream}`);
  // Both tools print their version on stderr.
  const { stdout, stderr } = await run(file, ['--version'], { timeout: 10_000, env: childEnv() });
  return { name, path: file, version: `${stdout}${stderr}`.trim(), flavor, stream: { name: stream, path: streamFile } };
}

/**
 * The server series (major.minor) a physical tool was built for, from its `--version`:
 * `mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)` (printed here;
 * `mariabackup based on …` before 10.5), `xtrabackup version 8.0.35-30 based on MySQL server 8.0.35
 * Linux (x86_64) (revision id: …)` (Percona's manual). Null when the line says no series.
 */
export function toolSeries(versionText: string): string | null {
  const m = /based on (?:MariaDB|MySQL) server (\d+)\.(\d+)\./.exec(versionText) ?? /xtrabackup version (\d+)\.(\d+)\./.exec(versionText);
  return m ? `${m[1]}.${m[2]}` : null;
}

/** A server's series (major.minor) from its VERSION(): `10.11.19-MariaDB-0+deb12u1`, `8.0.36`. */
export function serverSeries(version: string): string | null {
  const m = /^(\d+)\.(\d+)\./.exec(version);
  return m ? `${m[1]}.${m[2]}` : null;
}

/**
 * `--backup` streamed to stdout. The defaults file must come first (both tools read it with
 * my_load_defaults before any other option); `--target-dir` is a private scratch folder the tool
 * may keep small files in. mariadb-backup: https://mariadb.com/kb/en/mariabackup-options/ (--stream=mbstream).
 * XtraBackup 8.0, from its manual (not run here): https://docs.percona.com/percona-xtrabackup/8.0/take-streaming-backup.html
 * (`xtrabackup --backup --stream=xbstream --target-dir=…`).
 */
export function physicalBackupArgs(tool: PhysicalTool, defaultsFile: string, endpoint: ServerEndpoint, scratchDir: string, incrementalLsn: number | null): string[] {
  const stream = tool.name === 'mariadb-backup' ? 'mbstream' : 'xbstream';
  // An incremental copies the pages newer than the previous backup's to_lsn; both tools take the
  // LSN itself, so the previous backup need not be on this machine (no --incremental-basedir).
  const incremental = incrementalLsn === null ? [] : [`--incremental-lsn=${incrementalLsn}`];
  return [`--defaults-file=${defaultsFile}`, '--backup', `--stream=${stream}`, ...incremental, `--target-dir=${scratchDir}`, ...physicalEndpointArgs(tool, endpoint)];
}

/**
 * How the tool reaches the server. mariadb-backup takes the clients' options, `--protocol` included
 * (run here). XtraBackup's manual lists only `--host`, `--port` and `--socket` as its connection
 * options (https://docs.percona.com/percona-xtrabackup/8.0/privileges.html, "Other connection
 * options"), so it gets those alone; MySQL's client library takes a host other than `localhost` as TCP.
 */
export function physicalEndpointArgs(tool: Pick<PhysicalTool, 'name'>, endpoint: ServerEndpoint): string[] {
  if (tool.name === 'mariadb-backup') return endpointArgs(endpoint);
  return endpoint.socket ? [`--socket=${endpoint.socket}`] : [`--host=${endpoint.host}`, `--port=${endpoint.port}`];
}

/**
 * Unpacks a stream read on stdin into `dir`. mbstream 10.11 (its --help, here): `-x`, `-C, --directory`;
 * xbstream 8.0 (https://docs.percona.com/percona-xtrabackup/8.0/xbstream-options.html, not run here):
 * `-x`, `--directory=name`, of which `-C` is the short form as in mbstream, its fork.
 */
export function streamExtractArgs(dir: string): string[] {
  return ['-x', '-C', dir];
}

/**
 * `--prepare` of an unpacked backup, or with `incrementalDir`, an incremental applied onto the
 * prepared full backup in `dir` (mariadb-backup 10.2+ prepares the base fully first:
 * https://mariadb.com/kb/en/incremental-backup-and-restore-with-mariabackup/). No option file may
 * change how the redo log is applied.
 */
export function physicalPrepareArgs(dir: string, incrementalDir?: string): string[] {
  return ['--no-defaults', '--prepare', `--target-dir=${dir}`, ...(incrementalDir ? [`--incremental-dir=${incrementalDir}`] : [])];
}

/** `--copy-back` of a prepared backup into an empty datadir (the tool refuses a non-empty one). */
export function physicalCopyBackArgs(dir: string, datadir: string): string[] {
  return ['--no-defaults', '--copy-back', `--target-dir=${dir}`, `--datadir=${datadir}`];
}

/** What the tool's log says of the backup it took. */
export interface PhysicalReport {
  binlog: { file: string; position: number; gtid: string | null } | null;
  lsn: { toLsn: number; lastLsn: number } | null;
}

// mariadb-backup 10.11 (seen here): `MySQL binlog position: filename 'binlog.000001', position '2324',
// GTID of the last change '0-1-11'` and `Redo log (from LSN 44404 to 48333) was copied.`
// XtraBackup 8.0 (its manual's sample output): the same binlog line, and
// `xtrabackup: Transaction log of lsn (19747438) to (19747446) was copied.`
const BINLOG_LINE = /MySQL binlog position: filename '([^']+)', position '?(\d+)'?(?:, GTID of the last change '([^']*)')?/;
const REDO_LINE = /(?:Redo log \(from LSN (\d+) to (\d+)\)|Transaction log of lsn \((\d+)\) to \((\d+)\)) was copied/;

/** Reads one line of the tool's stderr into the report (the lines come at the very end of a backup). */
export function readPhysicalLine(line: string, report: PhysicalReport): void {
  const binlog = BINLOG_LINE.exec(line);
  if (binlog) report.binlog = { file: binlog[1]!, position: Number(binlog[2]), gtid: binlog[3] || null };
  const redo = REDO_LINE.exec(line);
  if (redo) report.lsn = { toLsn: Number(redo[1] ?? redo[3]), lastLsn: Number(redo[2] ?? redo[4]) };
}

/**
 * `xtrabackup_checkpoints` (`key = value` lines), as both tools write it into the backup: backup_type,
 * from_lsn, to_lsn, last_lsn in each (mariadb-backup 10.11, seen here; XtraBackup 8.0's manual,
 * https://docs.percona.com/percona-xtrabackup/8.0/create-incremental-backup.html, adds compact and
 * recover_binlog_info, which are not read).
 */
export function parseCheckpoints(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(\w+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}
