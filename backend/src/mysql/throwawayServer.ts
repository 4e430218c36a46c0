// A throwaway mariadbd: temp datadir, loopback port, its own socket, small buffers, always removed.
// Restore verification loads backups into one when no scratch server is configured; the test
// harness builds its servers from the same pieces.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { childEnv } from './childEnv.js';

const execFileAsync = promisify(execFile);

/** Small enough that several servers fit beside each other on a 2-core machine. */
export const SERVER_SIZING_ARGS = [
  '--innodb-buffer-pool-size=32M',
  '--innodb-log-file-size=16M',
  '--key-buffer-size=8M',
  '--aria-pagecache-buffer-size=8M',
  '--max-connections=100',
];

/** Running as root, mariadbd refuses to start without an explicit --user. */
export const SERVER_USER_ARGS = process.getuid?.() === 0 ? [`--user=${os.userInfo().username}`] : [];

/** mariadbd lives in sbin, which is often not on a non-root PATH. */
export function findServerExecutable(names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  return names.flatMap((name) => dirs.map((dir) => path.join(dir, name))).find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function requireServerExecutable(names: string[]): string {
  const found = findServerExecutable(names);
  if (!found) throw Object.assign(new Error(`none of ${names.join(', ')} found on PATH or in /usr/sbin`), { code: 'ENOENT', syscall: `spawn ${names[0]}` });
  return found;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Temp files go beside the datadir, not in the shared /tmp: there another process's cleanup can
 * delete a bootstrap's Aria temp table under it ("Error on delete of '/tmp/#sql-temptable-…'").
 */
export function serverTmpdir(datadir: string): string {
  return path.join(path.dirname(datadir), 'tmp');
}

/** Creates a fresh datadir with a passwordless root (reachable only through our own socket and loopback). */
export async function installDatadir(datadir: string): Promise<void> {
  const tmpdir = serverTmpdir(datadir);
  await fsp.mkdir(tmpdir, { recursive: true });
  const args = [
    '--no-defaults', // must come first
    ...SERVER_USER_ARGS,
    `--datadir=${datadir}`,
    `--tmpdir=${tmpdir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
    ...SERVER_SIZING_ARGS,
  ];
  try {
    await execFileAsync(requireServerExecutable(['mariadb-install-db', 'mysql_install_db']), args, { maxBuffer: 16 << 20, env: childEnv() });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`mariadb-install-db failed: ${(err as Error).message}\n${tail(`${stdout}\n${stderr}`)}`);
  }
}

export interface ServerLayout {
  baseDir: string;
  datadir: string;
  socket: string;
  port: number;
  logPath: string;
}

/** The options every throwaway server starts with; `extra` comes last so it overrides them. */
export function mariadbdArgs(layout: ServerLayout, extra: string[] = []): string[] {
  return [
    '--no-defaults', // must come first
    ...SERVER_USER_ARGS,
    `--datadir=${layout.datadir}`,
    `--tmpdir=${serverTmpdir(layout.datadir)}`,
    `--socket=${layout.socket}`,
    `--port=${layout.port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${path.join(layout.baseDir, 'mysqld.pid')}`,
    `--log-error=${layout.logPath}`,
    '--skip-name-resolve',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_general_ci',
    // Commits still survive a killed mariadbd, just not a host crash: right for data thrown away.
    '--innodb-flush-log-at-trx-commit=2',
    ...SERVER_SIZING_ARGS,
    ...extra,
  ];
}

/**
 * mariadbd stays in our process group and logs to its error log. On Linux it is started through
 * `setpriv --pdeathsig SIGKILL` so it dies with us even if we are SIGKILLed (no exit hook runs then).
 */
export function spawnMariadbd(args: string[], logFd: number): ChildProcess {
  const bin = requireServerExecutable(['mariadbd', 'mysqld']);
  const stdio: ['ignore', number, number] = ['ignore', logFd, logFd];
  const setpriv = process.platform === 'linux' ? findServerExecutable(['setpriv']) : undefined;
  const env = childEnv();
  return setpriv ? spawn(setpriv, ['--pdeathsig', 'SIGKILL', '--', bin, ...args], { stdio, env }) : spawn(bin, args, { stdio, env });
}

/** Makes a temp folder for a server, stamped with our pid so a later sweep knows when it is orphaned. */
export async function makeServerDir(prefix: string): Promise<string> {
  sweepOrphanedDirs(prefix);
  const baseDir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
  await fsp.writeFile(path.join(baseDir, 'owner.pid'), String(process.pid));
  return baseDir;
}

/** Temp dirs of processes that were SIGKILLed (no exit hook ran): owner and server both gone. */
export function sweepOrphanedDirs(prefix: string): void {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith(prefix)) continue;
    const dir = path.join(os.tmpdir(), entry);
    const owner = readPid(path.join(dir, 'owner.pid'));
    const server = readPid(path.join(dir, 'mysqld.pid'));
    if (owner !== undefined && !isAlive(owner) && (server === undefined || !isAlive(server))) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  // An orphaned zombie is gone for our purposes; init may take long to reap it (or never, in some containers).
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export interface ThrowawayServer {
  readonly socket: string;
  readonly port: number;
  /** Passwordless root over the socket. */
  readonly user: 'root';
  /** Kills the server and removes its folder; idempotent. */
  stop(): Promise<void>;
}

const SCRATCH_PREFIX = 'warden-scratch-';
const READY_TIMEOUT_MS = 60_000;
const PORT_ATTEMPTS = 3;

// Options for a server whose data is thrown away: no durability work at all.
const SCRATCH_ARGS = ['--innodb-flush-log-at-trx-commit=0', '--skip-innodb-doublewrite', '--skip-log-bin', '--event-scheduler=OFF'];

const live = new Set<{ child: ChildProcess; baseDir: string }>();
let exitHook = false;

/** A folder for a scratch server's files, swept like the servers' own when its owner died. */
export function makeScratchDir(): Promise<string> {
  return makeServerDir(SCRATCH_PREFIX);
}

/** A datadir to start on instead of a fresh one: `baseDir/data` of a folder from makeServerDir. */
export interface ExistingDatadir {
  baseDir: string;
  /** Options the datadir needs (a prepared physical backup's InnoDB settings, --skip-grant-tables). */
  serverArgs: string[];
}

/**
 * Starts a throwaway mariadbd on a fresh datadir, or on `existing` (its folder is removed with the
 * server); the caller must `stop()` it (a process-exit hook is the safety net).
 */
export async function startThrowawayServer(existing?: ExistingDatadir): Promise<ThrowawayServer> {
  const baseDir = existing?.baseDir ?? (await makeScratchDir());
  const layout: ServerLayout = {
    baseDir,
    datadir: path.join(baseDir, 'data'),
    socket: path.join(baseDir, 'mysqld.sock'),
    port: 0,
    logPath: path.join(baseDir, 'error.log'),
  };
  let entry: { child: ChildProcess; baseDir: string } | undefined;
  const stop = async () => {
    if (entry) {
      const { child } = entry;
      live.delete(entry);
      entry = undefined;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    }
    await fsp.rm(baseDir, { recursive: true, force: true });
  };
  try {
    // sun_path holds 108 bytes; a long TMPDIR would otherwise fail with an obscure bind error.
    if (Buffer.byteLength(layout.socket) > 107) throw new Error(`socket path too long for a unix socket: ${layout.socket}`);
    if (existing) await fsp.mkdir(serverTmpdir(layout.datadir), { recursive: true });
    else await installDatadir(layout.datadir);
    for (let attempt = 1; ; attempt++) {
      layout.port = await freePort();
      const logOffset = fileSize(layout.logPath);
      const logFd = fs.openSync(layout.logPath, 'a', 0o600);
      let child: ChildProcess;
      try {
        child = spawnMariadbd(mariadbdArgs(layout, [...SCRATCH_ARGS, ...(existing?.serverArgs ?? [])]), logFd);
      } finally {
        fs.closeSync(logFd);
      }
      entry = { child, baseDir };
      live.add(entry);
      installExitHook();
      try {
        await waitReady(child, layout.socket);
        break;
      } catch (err) {
        const log = readFrom(layout.logPath, logOffset);
        if (!log.includes('Address already in use') || attempt === PORT_ATTEMPTS) {
          throw new Error(`${(err as Error).message}; error log:\n${tail(log)}`);
        }
        child.kill('SIGKILL');
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket: layout.socket, port: layout.port, user: 'root', stop };
}

async function waitReady(child: ChildProcess, socket: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('mariadbd exited during startup');
    try {
      const conn = await mysql.createConnection({ socketPath: socket, user: 'root', password: '', connectTimeout: 1000 });
      await conn.end();
      return;
    } catch {
      // not accepting connections yet
    }
    if (Date.now() > deadline) throw new Error(`mariadbd not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const { child, baseDir } of live) {
      try {
        child.kill('SIGKILL');
        fs.rmSync(baseDir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // best effort while the process goes down
      }
    }
  });
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  try {
    return fs.readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}
