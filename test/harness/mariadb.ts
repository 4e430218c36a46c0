// Throwaway MariaDB servers for integration tests: one temp dir, datadir and mariadbd per suite.
// The building blocks (install, options, spawn, orphan sweep) are the agent's own throwaway-server code.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import {
  freePort,
  installDatadir,
  makeServerDir,
  mariadbdArgs,
  spawnMariadbd,
  tail,
} from '../../backend/src/mysql/throwawayServer.js';

export { freePort };

export interface ServerOptions {
  /** enable the binary log (ROW format, server-id 1) */
  binlog?: boolean;
  /** extra mariadbd options, appended last so they override the defaults */
  extraArgs?: string[];
}

export interface TestServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly socket: string;
  readonly datadir: string;
  readonly baseDir: string;
  /**
   * Run SQL as root (client-side `?` escaping), returning rows; [] for statements without a
   * result set. DATETIME/DATE/TIMESTAMP come back as strings, DECIMAL as strings.
   */
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** run a multi-statement SQL script as root on its own connection (a leading `USE db;` stays local to it) */
  exec(sqlScript: string): Promise<void>;
  createDatabase(name: string): Promise<void>;
  /** create 'name'@'%' and 'name'@'localhost' with the password and grants such as 'SELECT, SHOW VIEW ON shop.*' */
  createUser(name: string, password: string, grants: string[]): Promise<void>;
  /** e.g. revoke('reader', 'SELECT ON shop.*'); database-level changes reach open sessions only on their next USE */
  revoke(name: string, privilegeOnObject: string): Promise<void>;
  /** signal mariadbd (default SIGKILL) and wait for it to exit */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** clean shutdown (SIGTERM) */
  stop(): Promise<void>;
  /** (re)start on the same port and datadir and wait until it accepts connections */
  start(): Promise<void>;
  isRunning(): boolean;
  /** kill the server and remove the temp dir; idempotent */
  cleanup(): Promise<void>;
  /** the server's error log, for debugging failing tests */
  errorLog(): string;
}

const DIR_PREFIX = 'warden-mariadb-';
const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 60_000;
const PORT_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startMariaDB(opts: ServerOptions = {}): Promise<TestServer> {
  installProcessHooks();
  const baseDir = await makeServerDir(DIR_PREFIX);
  const server = new MariaDBServer(baseDir, await freePort(), opts);
  live.add(server);
  try {
    await server.initialize();
  } catch (err) {
    await server.cleanup();
    throw err;
  }
  return server;
}

/** Starts a server in beforeAll and cleans it up in afterAll; call the returned getter inside tests or hooks. */
export function useMariaDB(opts?: ServerOptions): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startMariaDB(opts);
  });
  afterAll(async () => {
    await server?.cleanup();
  });
  return () => {
    if (!server) throw new Error('useMariaDB: the server is not started yet (use the getter inside tests or hooks)');
    return server;
  };
}

class MariaDBServer implements TestServer {
  readonly host = '127.0.0.1' as const;
  readonly socket: string;
  readonly datadir: string;
  private readonly logPath: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private pool: mysql.Pool | undefined;
  private cleaning: Promise<void> | undefined;

  constructor(
    readonly baseDir: string,
    public port: number,
    private readonly opts: ServerOptions,
  ) {
    this.socket = path.join(baseDir, 'mysqld.sock');
    this.datadir = path.join(baseDir, 'data');
    this.logPath = path.join(baseDir, 'error.log');
  }

  /** install-db, first start (retrying if another process grabbed the port), root over TCP */
  async initialize(): Promise<void> {
    // sun_path holds 108 bytes; a long TMPDIR would otherwise fail with an obscure bind error.
    if (Buffer.byteLength(this.socket) > 107) throw new Error(`socket path too long for a unix socket: ${this.socket}`);
    await installDatadir(this.datadir);
    for (let attempt = 1; ; attempt++) {
      const logOffset = this.logSize();
      try {
        await this.start();
        break;
      } catch (err) {
        const portTaken = this.logSince(logOffset).includes('Address already in use');
        if (!portTaken || attempt === PORT_ATTEMPTS) throw err;
        this.port = await freePort();
      }
    }
    // install-db's "normal" root accounts include a passwordless root@127.0.0.1; don't depend on that.
    await this.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'");
    await this.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
  }

  private serverArgs(): string[] {
    const binlog = this.opts.binlog
      ? [`--log-bin=${path.join(this.baseDir, 'binlog')}`, '--server-id=1', '--binlog-format=ROW']
      : [];
    const layout = { baseDir: this.baseDir, datadir: this.datadir, socket: this.socket, port: this.port, logPath: this.logPath };
    return mariadbdArgs(layout, [...binlog, ...(this.opts.extraArgs ?? [])]);
  }

  async start(): Promise<void> {
    if (this.cleaning) throw new Error('server was cleaned up');
    if (this.isRunning()) throw new Error('server is already running');
    const logOffset = this.logSize();
    const logFd = fs.openSync(this.logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawnMariadbd(this.serverArgs(), logFd);
    } finally {
      fs.closeSync(logFd);
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (err) => {
        fs.appendFileSync(this.logPath, `spawn failed: ${err.message}\n`);
        resolve();
      });
    });
    await this.waitReady(logOffset);
    this.pool = mysql.createPool({ ...this.rootOptions(), connectionLimit: 4 });
  }

  private async waitReady(logOffset: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (!this.isRunning()) throw this.startError('mariadbd exited during startup', logOffset);
      try {
        const conn = await mysql.createConnection({ ...this.rootOptions(), connectTimeout: 1000 });
        await conn.end();
        return;
      } catch {
        // not accepting connections yet
      }
      if (Date.now() > deadline) {
        await this.terminate('SIGKILL');
        throw this.startError(`mariadbd not ready after ${READY_TIMEOUT_MS / 1000} s`, logOffset);
      }
      await sleep(100);
    }
  }

  private startError(message: string, logOffset: number): Error {
    return new Error(`${message} (port ${this.port}, ${this.baseDir}); error log:\n${tail(this.logSince(logOffset))}`);
  }

  private rootOptions(): mysql.ConnectionOptions {
    return {
      socketPath: this.socket,
      user: 'root',
      password: '',
      charset: 'utf8mb4_general_ci',
      dateStrings: true,
      supportBigNumbers: true,
    };
  }

  isRunning(): boolean {
    const child = this.child;
    return child?.pid !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async query<T = any>(sql: string, params?: unknown[]): Promise<T[]> {
    if (!this.pool) throw new Error('server is not running');
    const [rows] = await this.pool.query(sql, params);
    return Array.isArray(rows) ? (rows as T[]) : [];
  }

  async exec(sqlScript: string): Promise<void> {
    if (!this.isRunning()) throw new Error('server is not running');
    const conn = await mysql.createConnection({ ...this.rootOptions(), multipleStatements: true });
    try {
      await conn.query(sqlScript);
    } finally {
      await conn.end();
    }
  }

  async createDatabase(name: string): Promise<void> {
    await this.query(`CREATE DATABASE ${quoteIdent(name)}`);
  }

  async createUser(name: string, password: string, grants: string[]): Promise<void> {
    for (const host of ['%', 'localhost']) {
      await this.query('CREATE USER ?@? IDENTIFIED BY ?', [name, host, password]);
      for (const grant of grants) await this.query(`GRANT ${grant} TO ?@?`, [name, host]);
    }
  }

  async revoke(name: string, privilegeOnObject: string): Promise<void> {
    await this.query(`REVOKE ${privilegeOnObject} FROM ?@'%', ?@'localhost'`, [name, name]);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.terminate(signal);
  }

  stop(): Promise<void> {
    return this.terminate('SIGTERM');
  }

  cleanup(): Promise<void> {
    // SIGKILL rather than a clean shutdown: the data is thrown away anyway.
    this.cleaning ??= this.terminate('SIGKILL').then(async () => {
      live.delete(this);
      await fsp.rm(this.baseDir, { recursive: true, force: true });
    });
    return this.cleaning;
  }

  errorLog(): string {
    return this.logSince(0);
  }

  /** the log from a byte offset on (the log survives restarts; each start appends) */
  private logSince(offset: number): string {
    try {
      return fs.readFileSync(this.logPath).subarray(offset).toString('utf8');
    } catch {
      return '';
    }
  }

  /** for the exit and signal hooks, which cannot wait for anything */
  reapSync(): void {
    if (this.isRunning()) process.kill(this.child!.pid!, 'SIGKILL');
    fs.rmSync(this.baseDir, { recursive: true, force: true, maxRetries: 3 });
  }

  // Signal first and close the pool afterwards: a stopped (SIGSTOP) server would never answer COM_QUIT.
  private async terminate(signal: NodeJS.Signals): Promise<void> {
    if (this.isRunning()) {
      this.child!.kill(signal);
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), EXIT_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  private logSize(): number {
    try {
      return fs.statSync(this.logPath).size;
    } catch {
      return 0;
    }
  }
}

// Servers that may still have a process or a temp dir, for the process-exit safety net.
const live = new Set<MariaDBServer>();
let hooksInstalled = false;

function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', reapAllSync);
  // A forked test worker whose runner died keeps running its suite until it ends; reap right away.
  process.once('disconnect', reapAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      reapAllSync();
      // Listening replaced the default action; if nobody else listens, restore it by re-raising.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function reapAllSync(): void {
  for (const server of live) {
    try {
      server.reapSync();
    } catch {
      // best effort while the process goes down
    }
  }
  live.clear();
}

function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

