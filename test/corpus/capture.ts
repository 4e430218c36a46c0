// Regenerates the captured part of the classifier corpus (README.md beside this file): each scenario
// starts a throwaway mariadbd, injects one fault, runs a real tool and records what the tool left.
//
//   node --import tsx test/corpus/capture.ts [--only GROUP] [--case TEXT] [--dry-run]
//
// --only rewrites that group's captured-<group>.jsonl alone; --case runs the scenarios whose id
// contains TEXT and prints their cases instead of writing (for looking at one fault).
// The label of a case is the fault injected here, by the README's rules; a scenario whose fault
// did not show (the dump finished before the kill, say) is skipped with its reason, never written.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { FAILURE_CLASSES, isRetryable, type RunClass } from '../../backend/src/contract/classes.js';
import { freePort, startMariaDB, type ServerOptions, type TestServer } from '../harness/mariadb.js';
import { lockTable } from '../helpers/faults.js';
import { waitFor } from '../helpers/proc.js';

// ---------------------------------------------------------------------------------------------
// The corpus format

// The class table is the product's own (backend/src/classify/classes.ts); the labels are not.
const CLASSES = ['none', ...FAILURE_CLASSES] as const;
type Label = RunClass;

const GROUPS = ['mariadb-dump', 'mysqldump-alias', 'mydumper', 'myloader', 'mariadb-backup', 'mariadb-client', 'shell'] as const;
type Group = (typeof GROUPS)[number];

interface Evidence {
  tool: string;
  exitCode: number | null;
  signal: string | null;
  stderr: string;
  stdoutTail?: string;
}

interface Case {
  id: string;
  origin: 'captured';
  toolVersion: string;
  fault: string;
  evidence: Evidence;
  expect: { class: Label; retryable: boolean };
}

const PW = 's3cret-pw';
/** Captured paths are rewritten under this neutral prefix, so a case reads the same on any machine. */
const NEUTRAL = '/var/tmp/warden-capture';
/** The agent keeps this much of a tool's stderr (backend/src/pipeline/stream.ts); so does the corpus. */
const STDERR_LIMIT = 16_384;
const STDOUT_TAIL = 2048;
const CORPUS_DIR = import.meta.dirname;
const BASH = '/bin/bash';

// ---------------------------------------------------------------------------------------------
// Running a tool

interface Outcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdoutTail: Buffer;
  stdoutBytes: number;
}

interface StartOptions {
  /** 'tail': keep the last bytes (a dump to stdout); 'ignore'; or an open fd (a file, /dev/full) */
  stdout?: 'tail' | 'ignore' | number;
  /** an open fd to read stdin from (a restore) */
  stdin?: number;
  /** close our end of stdout after this many bytes: the reader goes away (EPIPE) */
  closeStdoutAfter?: number;
  /** the program name in the evidence and the tool whose version is recorded, when the process is a wrapper */
  tool?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/** Process groups still running, killed on the way out whatever happens. */
const liveGroups = new Set<number>();
/** tmpfs mounts still mounted, unmounted on the way out. */
const liveMounts = new Set<string>();
/** Scratch dirs not yet removed. */
const liveWorkDirs = new Set<string>();

class Running {
  readonly child: ChildProcess;
  readonly done: Promise<Outcome>;
  readonly tool: string;
  stdoutBytes = 0;
  private stderr = '';
  private tail = Buffer.alloc(0);

  constructor(
    readonly program: string,
    readonly args: string[],
    opts: StartOptions,
    env: NodeJS.ProcessEnv,
  ) {
    this.tool = opts.tool ?? path.basename(program);
    const stdout = opts.stdout ?? 'ignore';
    // Its own process group, so a wrapper and everything under it can be killed at the end.
    this.child = spawn(program, args, {
      cwd: opts.cwd,
      env,
      detached: true,
      stdio: [opts.stdin ?? 'ignore', stdout === 'tail' ? 'pipe' : stdout, 'pipe'],
    });
    const pid = this.child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (s: string) => {
      this.stderr = (this.stderr + s).slice(-4 * STDERR_LIMIT);
    });
    this.child.stdout?.on('data', (b: Buffer) => {
      this.stdoutBytes += b.length;
      this.tail = Buffer.concat([this.tail, b]).subarray(-STDOUT_TAIL);
      if (opts.closeStdoutAfter !== undefined && this.stdoutBytes >= opts.closeStdoutAfter) this.child.stdout!.destroy();
    });
    this.done = new Promise<Outcome>((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        if (pid !== undefined) liveGroups.delete(pid);
        resolve({ exitCode: code, signal, stderr: this.stderr, stdoutTail: this.tail, stdoutBytes: this.stdoutBytes });
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Signals the tool itself (not a wrapper around it). */
  signal(sig: NodeJS.Signals): void {
    process.kill(this.pid, sig);
  }

  /** Signals the process named `name` below this one (the tool under a shell). */
  async signalDescendant(name: string, sig: NodeJS.Signals): Promise<void> {
    const pid = await waitFor(() => findDescendant(this.pid, name), 10_000, `${name} under ${this.program}`);
    process.kill(pid, sig);
  }

  exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }
}

function findDescendant(root: number, name: string): number | undefined {
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    let kids: number[] = [];
    try {
      kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      // gone
    }
    for (const kid of kids) {
      try {
        if (fs.readFileSync(`/proc/${kid}/comm`, 'utf8').trim() === name.slice(0, 15)) return kid;
      } catch {
        // gone
      }
      queue.push(kid);
    }
  }
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The sample database every scenario starts from

/**
 * Tables in the order mariadb-dump takes them: customers, legacy_log (MyISAM), order_totals (view),
 * orders, sessions (Aria). Holding `orders` stops a dump midway, with the first tables written.
 */
function shopSql(orders: number): string {
  return `
CREATE DATABASE shop;
USE shop;
CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(128) NOT NULL) ENGINE=InnoDB;
INSERT INTO customers SELECT seq, CONCAT('customer ', seq), CONCAT('c', seq, '@example.com') FROM seq_1_to_500;
CREATE TABLE legacy_log (id INT PRIMARY KEY, msg VARCHAR(200) NOT NULL) ENGINE=MyISAM;
INSERT INTO legacy_log SELECT seq, CONCAT('event ', seq, ' ', REPEAT('.', 60)) FROM seq_1_to_3000;
CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL, note VARCHAR(200)) ENGINE=InnoDB;
INSERT INTO orders SELECT seq, 1 + seq MOD 500, (seq MOD 997) / 7, REPEAT('n', 120) FROM seq_1_to_${orders};
CREATE TABLE sessions (id INT PRIMARY KEY, token CHAR(32) NOT NULL) ENGINE=Aria;
INSERT INTO sessions SELECT seq, MD5(seq) FROM seq_1_to_3000;
CREATE VIEW order_totals AS SELECT customer_id, SUM(total) AS total FROM orders GROUP BY customer_id;
CREATE TRIGGER orders_note BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, '');
CREATE PROCEDURE purge_sessions() DELETE FROM sessions;
CREATE EVENT purge_nightly ON SCHEDULE EVERY 1 DAY DO CALL purge_sessions();
`;
}

/** What a logical backup user is usually given. */
const DUMP_GRANTS = ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.*'];
/** mariadb-backup's documented minimum (plus SELECT for its checks). */
const BACKUP_GRANTS = ['SELECT, RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.*'];

// ---------------------------------------------------------------------------------------------
// One scenario's world: its server, scratch dir, side sessions and everything to undo

interface ServerSpec extends ServerOptions {
  /** rows in shop.orders (20 000 by default, ~3 MB of dump) */
  orders?: number;
  /** grants of the user `backup` (password PW); [] creates no such user */
  grants?: string[];
}

class Ctx {
  private undo: (() => Promise<void> | void)[] = [];
  private mounts = 0;
  readonly replacements: [string, string][] = [];

  constructor(
    readonly work: string,
    private readonly srv: TestServer | undefined,
    readonly closedPort: number,
  ) {
    this.replacements.push([work, `${NEUTRAL}/work`]);
    if (srv) this.replacements.push([srv.baseDir, `${NEUTRAL}/mariadb`]);
  }

  get server(): TestServer {
    if (!this.srv) throw new Error('this scenario has no server');
    return this.srv;
  }

  get port(): number {
    return this.server.port;
  }

  defer(fn: () => Promise<void> | void): void {
    this.undo.push(fn);
  }

  async cleanup(): Promise<void> {
    for (const fn of this.undo.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`  cleanup: ${(err as Error).message}`);
      }
    }
    this.undo = [];
  }

  /** A path inside the scratch dir. */
  file(name: string): string {
    return path.join(this.work, name);
  }

  start(program: string, args: string[], opts: StartOptions = {}): Running {
    assertOwnServer(args);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.work,
      LANG: 'C.UTF-8',
      // Defaults a tool falls back to without --socket/--port: never the machine's own server.
      MYSQL_UNIX_PORT: this.file('no-default.sock'),
      MYSQL_TCP_PORT: String(this.closedPort),
      ...opts.env,
    };
    const running = new Running(program, args, opts, env);
    // Whatever happens, nothing of it survives the scenario.
    this.defer(async () => {
      if (!running.exited()) {
        try {
          process.kill(-running.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await running.done.catch(() => undefined);
      }
    });
    return running;
  }

  /** A root session over the socket for setting faults up; closed (or destroyed) at the end. */
  async session(): Promise<mysql.Connection> {
    const conn = await mysql.createConnection({ socketPath: this.server.socket, user: 'root', multipleStatements: true });
    this.defer(() => conn.destroy());
    return conn;
  }

  /** Runs a statement on its own root session without waiting for it (a long query, a SLEEP). */
  async background(sql: string): Promise<mysql.Connection> {
    const conn = await this.session();
    conn.query(sql).catch(() => undefined);
    return conn;
  }

  /** LOCK TABLES … WRITE from another session: a dump reaching the table waits on its metadata lock. Returns the release. */
  async hold(table: string): Promise<() => Promise<void>> {
    const unlock = await lockTable(this.server, table);
    let released: Promise<void> | undefined;
    const release = () => (released ??= unlock().catch(() => undefined));
    this.defer(release);
    return release;
  }

  /** Waits until a session's processlist state matches (a tool blocked where the scenario wants it). */
  async waitState(state: RegExp, info?: RegExp, timeoutMs = 30_000): Promise<number> {
    return waitFor(
      async () => {
        const rows = await this.server.query<{ Id: number; State: string | null; Info: string | null }>('SHOW FULL PROCESSLIST');
        return rows.find((r) => state.test(r.State ?? '') && (!info || info.test(r.Info ?? '')))?.Id;
      },
      timeoutMs,
      `a session in state ${state}`,
    );
  }

  /** Waits until the running tool has written at least `bytes` of stdout. */
  async waitStdout(r: Running, bytes: number): Promise<void> {
    await waitFor(() => r.stdoutBytes >= bytes || r.exited(), 30_000, `${bytes} bytes of stdout`);
    if (r.exited()) throw new Error(`${r.tool} ended before writing ${bytes} bytes`);
  }

  /** A tmpfs of `size` (e.g. '2m'): writes beyond it fail with ENOSPC. */
  async tmpfs(size: string): Promise<string> {
    const dir = this.file(`tmpfs-${++this.mounts}`);
    await fsp.mkdir(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir]);
    liveMounts.add(dir);
    this.defer(() => {
      execFileSync('umount', ['-l', dir]);
      liveMounts.delete(dir);
    });
    return dir;
  }

  /** A read-only tmpfs: nothing can be created in it, not even by root. */
  async readOnlyDir(): Promise<string> {
    const dir = this.file(`ro-${++this.mounts}`);
    await fsp.mkdir(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', dir]);
    liveMounts.add(dir);
    this.defer(() => {
      execFileSync('umount', ['-l', dir]);
      liveMounts.delete(dir);
    });
    return dir;
  }

  /** An fd on a file (or device), closed at the end. */
  openFd(file: string, flags: string): number {
    const fd = fs.openSync(file, flags);
    this.defer(() => fs.closeSync(fd));
    return fd;
  }

  // -- how each tool reaches the scenario's server ------------------------------------------

  /** mariadb-dump, mysqldump, mariadb: over TCP to our server (--no-defaults must come first). */
  client(user = 'backup', password = PW): string[] {
    return ['--no-defaults', '--host=127.0.0.1', `--port=${this.port}`, `--user=${user}`, `--password=${password}`];
  }

  clientSocket(user = 'backup', password = PW): string[] {
    return ['--no-defaults', `--socket=${this.server.socket}`, `--user=${user}`, `--password=${password}`];
  }

  mydumperConn(user = 'backup', password = PW): string[] {
    return ['-h', '127.0.0.1', '-P', String(this.port), '-u', user, '-p', password];
  }

  backupConn(user = 'backup', password = PW): string[] {
    return ['--no-defaults', '--backup', '--host=127.0.0.1', `--port=${this.port}`, `--user=${user}`, `--password=${password}`, `--datadir=${this.server.datadir}`];
  }

  dump(args: string[], opts: StartOptions = {}): Running {
    return this.start('mariadb-dump', [...this.client(), ...args], { stdout: 'tail', ...opts });
  }

  /** A mydumper dump of shop made as root, for myloader to load. */
  async mydumperOutput(dir = this.file('mydumper-out')): Promise<string> {
    const r = this.start('mydumper', ['-h', '127.0.0.1', '-P', String(this.port), '-u', 'root', '-B', 'shop', '-o', dir, '-t', '2']);
    const o = await r.done;
    if (o.exitCode !== 0) throw new Error(`setup: mydumper failed: ${o.stderr}`);
    return dir;
  }

  /** A finished mariadb-backup of the server, for --prepare. */
  async physicalBackup(dir = this.file('backup')): Promise<string> {
    const r = this.start('mariadb-backup', [...this.backupConn('root', ''), `--target-dir=${dir}`]);
    const o = await r.done;
    if (o.exitCode !== 0) throw new Error(`setup: mariadb-backup failed: ${o.stderr.slice(-500)}`);
    return dir;
  }

  /** A mariadb-dump of shop written to a file, for the client to restore. */
  async sqlDump(extra: string[] = []): Promise<string> {
    const file = this.file('shop.sql');
    const r = this.start('mariadb-dump', [...this.clientSocket('root', ''), '--single-transaction', ...extra, 'shop', `--result-file=${file}`]);
    const o = await r.done;
    if (o.exitCode !== 0) throw new Error(`setup: mariadb-dump failed: ${o.stderr}`);
    return file;
  }

  /** Restarts the server and waits for it. */
  async restartServer(): Promise<void> {
    await this.server.stop();
    await this.server.start();
  }

  /** Overwrites `length` bytes of a file at `offset` with a fixed pattern (deterministic damage). */
  async scribble(file: string, offset: number, length: number): Promise<void> {
    const fh = await fsp.open(file, 'r+');
    try {
      const junk = Buffer.alloc(length);
      for (let i = 0; i < length; i++) junk[i] = (i * 151 + 89) & 0xff;
      await fh.write(junk, 0, length, offset);
    } finally {
      await fh.close();
    }
  }
}

/** A guard against ever touching the machine's own MariaDB (3306, /run/mysqld). */
function assertOwnServer(args: string[]): void {
  const bad = args.find((a) => /(^|[=:])3306$|\/run\/mysqld/.test(a));
  if (bad) throw new Error(`refusing to run against the machine's own server (${bad})`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Expectation {
  /** the exit status the fault must produce; 'nonzero' for any failure status */
  exit?: number | 'nonzero';
  signal?: NodeJS.Signals;
  /** what stderr must show for the fault to count as injected */
  stderr?: RegExp;
  /** what the tail of stdout must show (a complete dump's trailer) */
  stdout?: RegExp;
}

interface Scenario {
  group: Group;
  /** the fault's slug; the case id is captured-<group>/<name> */
  name: string;
  fault: string;
  label: Label;
  /** false: no server needed (the tool fails before connecting) */
  server?: ServerSpec | false;
  run(c: Ctx): Promise<Running> | Running;
  /** evidence the fault really happened; otherwise the scenario is skipped, not labelled */
  expect: Expectation;
  /** record stdoutTail (the tool wrote its dump to stdout) */
  stdoutTail?: boolean;
  /** whose version to record when it is not the tool's (a shell reporting the tool missing) */
  versionOf?: string;
}

const CLEAN: Expectation = { exit: 0, stdout: /-- Dump completed on/ };
const OK_BACKUP: Expectation = { exit: 0, stderr: /completed OK!\s*$/ };

const scenarios: Scenario[] = [];

function add(group: Group, list: Omit<Scenario, 'group'>[]): void {
  for (const s of list) scenarios.push({ group, ...s });
}

/** Starts `run`, waits until `blocked` says the tool is held, then applies the fault. */
async function whileHeld(run: () => Running, blocked: () => Promise<unknown>, fault: (r: Running) => Promise<void> | void): Promise<Running> {
  const r = run();
  await Promise.race([blocked(), r.done.then(() => Promise.reject(new Error(`${r.tool} ended before it was held`)))]);
  await fault(r);
  return r;
}

/** The dump waits on the metadata lock of shop.orders (held by another session). */
async function heldDump(c: Ctx, args: string[], fault: (r: Running) => Promise<void> | void, tool = 'mariadb-dump'): Promise<Running> {
  await c.hold('shop.orders');
  return whileHeld(
    () => c.start(tool, [...c.client(), ...args], { stdout: 'tail' }),
    () => c.waitState(/metadata lock|table lock/i, /orders/),
    fault,
  );
}

async function killSession(c: Ctx, what: 'QUERY' | 'CONNECTION', user = 'backup', info?: RegExp): Promise<void> {
  const rows = await c.server.query<{ Id: number; User: string; Info: string | null; Command: string }>('SHOW FULL PROCESSLIST');
  const target = rows.find((r) => r.User === user && r.Command !== 'Sleep' && (!info || info.test(r.Info ?? ''))) ?? rows.find((r) => r.User === user);
  if (!target) throw new Error(`no session of ${user} to kill`);
  await c.server.query(`KILL ${what} ${target.Id}`);
}

/** Fills the server's max_connections with idle sessions of an unprivileged user. */
async function exhaustConnections(c: Ctx): Promise<void> {
  await c.server.query('SET GLOBAL max_connections = 10');
  await c.server.query("CREATE USER 'filler'@'%'");
  for (let i = 0; i < 20; i++) {
    try {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port: c.port, user: 'filler' });
      c.defer(() => conn.destroy());
    } catch (err) {
      if ((err as { errno?: number }).errno === 1040) return;
      throw err;
    }
  }
  throw new Error('max_connections never ran out');
}

/** A TCP listener that says nothing ('silent': a handshake read waits) or hangs up at once. */
async function listener(c: Ctx, mode: 'silent' | 'hangup'): Promise<number> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => (mode === 'hangup' ? s.destroy() : sockets.add(s)));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  c.defer(() => {
    for (const s of sockets) s.destroy();
    srv.close();
  });
  return (srv.address() as net.AddressInfo).port;
}

/** An UPDATE that runs for a minute: FLUSH TABLES WITH READ LOCK and backup locks wait for it. */
async function longWrite(c: Ctx): Promise<void> {
  await c.background('UPDATE shop.customers SET name = CONCAT(name, SLEEP(60)) WHERE id = 1');
  await c.waitState(/User sleep/);
}

/** A row of `mb` MiB in shop.attachments: reading it needs that much memory in the client at once. */
async function bigRow(c: Ctx, mb: number): Promise<void> {
  await c.server.exec(`CREATE TABLE shop.attachments (id INT PRIMARY KEY, body LONGBLOB) ENGINE=InnoDB;
    INSERT INTO shop.attachments VALUES (1, REPEAT('a', ${mb} * 1048576));`);
}

const BIG_PACKET = { extraArgs: ['--max-allowed-packet=1G'] };

// ---- mariadb-dump ---------------------------------------------------------------------------

add('mariadb-dump', [
  // none: the tool did its job
  {
    name: 'clean-single-transaction',
    fault: 'no fault: a consistent dump of one database with routines, events and triggers',
    label: 'none',
    run: (c) => c.dump(['--single-transaction', '--routines', '--events', '--triggers', 'shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-verbose',
    fault: 'no fault: --verbose prints its progress comments on stderr',
    label: 'none',
    run: (c) => c.dump(['--verbose', '--single-transaction', 'shop']),
    expect: { ...CLEAN, stderr: /Retrieving table structure/ },
    stdoutTail: true,
  },
  {
    name: 'clean-lock-tables',
    fault: 'no fault: a dump with the default LOCK TABLES',
    label: 'none',
    run: (c) => c.dump(['shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-all-databases',
    fault: 'no fault: --all-databases in one transaction',
    label: 'none',
    run: (c) => c.dump(['--all-databases', '--single-transaction', '--routines', '--events']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-master-data',
    fault: 'no fault: --master-data=2 with the binary log on and every grant',
    label: 'none',
    run: (c) => c.dump(['--single-transaction', '--master-data=2', '--gtid', 'shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-verbose-flush-logs',
    fault: 'no fault: --verbose with --flush-logs and --master-data (FTWRL) on a server with the binary log',
    label: 'none',
    run: (c) => c.dump(['--verbose', '--flush-logs', '--master-data=1', '--lock-all-tables', 'shop']),
    expect: { ...CLEAN, stderr: /Retrieving rows/ },
    stdoutTail: true,
  },
  {
    name: 'clean-force',
    fault: 'no fault: --force on a run that had nothing to force',
    label: 'none',
    run: (c) => c.dump(['--force', '--single-transaction', 'shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-result-file',
    fault: 'no fault: the dump goes to --result-file, nothing on stdout',
    label: 'none',
    run: (c) => c.dump(['--single-transaction', `--result-file=${c.file('shop.sql')}`, 'shop'], { stdout: 'ignore' }),
    expect: { exit: 0 },
  },
  {
    name: 'clean-socket-quick',
    fault: 'no fault: a dump over the unix socket with --quick and --compress',
    label: 'none',
    run: (c) => c.start('mariadb-dump', [...c.clientSocket(), '--quick', '--compress', '--single-transaction', 'shop'], { stdout: 'tail' }),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-xml',
    fault: 'no fault: an --xml dump of one table',
    label: 'none',
    run: (c) => c.dump(['--xml', '--single-transaction', 'shop', 'customers']),
    expect: { exit: 0, stdout: /<\/mysqldump>/ },
    stdoutTail: true,
  },
  {
    name: 'clean-no-trigger-grant',
    fault: 'the backup user lacks TRIGGER: mariadb-dump leaves the triggers out silently and exits 0 (evidence of a clean run)',
    label: 'none',
    server: { grants: ['SELECT, SHOW VIEW, EVENT, LOCK TABLES, RELOAD ON *.*'] },
    run: (c) => c.dump(['--single-transaction', '--triggers', 'shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-routines-not-visible',
    fault: 'the backup user has grants on shop only: --routines leaves the procedure out silently and exits 0',
    label: 'none',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON shop.*'] },
    run: (c) => c.dump(['--single-transaction', '--routines', 'shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-dump-slave-not-replica',
    fault: 'no fault visible: --dump-slave on a server that is no replica writes no CHANGE MASTER and exits 0',
    label: 'none',
    run: (c) => c.dump(['--single-transaction', '--dump-slave=2', 'shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-definer-dropped-trigger',
    fault: "a trigger's DEFINER user was dropped: dumping it still works and exits 0",
    label: 'none',
    run: async (c) => {
      await c.server.exec(`CREATE USER 'ghost'@'%'; GRANT ALL ON shop.* TO 'ghost'@'%';
        CREATE DEFINER='ghost'@'%' TRIGGER shop.customers_ai AFTER INSERT ON shop.customers FOR EACH ROW SET @n = 1;
        DROP USER 'ghost'@'%';`);
      return c.dump(['--single-transaction', '--triggers', 'shop', 'customers']);
    },
    expect: { ...CLEAN, stdout: /Dump completed/ },
    stdoutTail: true,
  },

  // auth: the login itself is refused
  {
    name: 'wrong-password',
    fault: "the backup user's password is wrong",
    label: 'auth',
    run: (c) => c.start('mariadb-dump', [...c.client('backup', 'not-the-password'), '--single-transaction', 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /1045/ },
    stdoutTail: true,
  },
  {
    name: 'wrong-password-socket',
    fault: "the backup user's password is wrong, over the unix socket",
    label: 'auth',
    run: (c) => c.start('mariadb-dump', [...c.clientSocket('backup', 'not-the-password'), 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /1045/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-user',
    fault: 'the configured user does not exist on the server',
    label: 'auth',
    run: (c) => c.start('mariadb-dump', [...c.client('bakup', PW), '--single-transaction', 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /1045/ },
    stdoutTail: true,
  },
  {
    name: 'no-password',
    fault: 'the password was left out of the configuration',
    label: 'auth',
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--host=127.0.0.1', `--port=${c.port}`, '--user=backup', '--single-transaction', 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /using password: NO/ },
    stdoutTail: true,
  },
  {
    name: 'host-not-allowed',
    fault: 'the backup user exists only for another host and no account matches the client host',
    label: 'auth',
    server: { grants: [] },
    run: async (c) => {
      // The harness's root@127.0.0.1 is the only account matching the client's address; drop it.
      await c.server.exec(`DROP USER 'root'@'127.0.0.1';
        CREATE USER 'backup'@'10.20.0.5' IDENTIFIED BY '${PW}'; GRANT SELECT ON *.* TO 'backup'@'10.20.0.5';`);
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /1130/ },
    stdoutTail: true,
  },
  {
    name: 'host-not-allowed-1045',
    fault: "the backup user exists only for another host ('backup'@'10.20.0.5'); other accounts match the client host",
    label: 'auth',
    server: { grants: [] },
    run: async (c) => {
      await c.server.exec(`CREATE USER 'backup'@'10.20.0.5' IDENTIFIED BY '${PW}'; GRANT SELECT ON *.* TO 'backup'@'10.20.0.5';`);
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /1045/ },
    stdoutTail: true,
  },
  {
    name: 'unix-socket-account',
    fault: 'the account authenticates with unix_socket and the OS user running the dump is not that user',
    label: 'auth',
    server: { grants: [] },
    run: async (c) => {
      await c.server.exec("CREATE USER 'backup'@'localhost' IDENTIFIED VIA unix_socket; GRANT SELECT, LOCK TABLES ON *.* TO 'backup'@'localhost';");
      return c.start('mariadb-dump', ['--no-defaults', `--socket=${c.server.socket}`, '--user=backup', 'shop'], { stdout: 'tail' });
    },
    expect: { exit: 2, stderr: /1698/ },
    stdoutTail: true,
  },
  {
    name: 'expired-password',
    fault: "the backup user's password has expired",
    label: 'auth',
    run: async (c) => {
      await c.server.exec("ALTER USER 'backup'@'%' PASSWORD EXPIRE; ALTER USER 'backup'@'localhost' PASSWORD EXPIRE;");
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /SET PASSWORD|expired/ },
    stdoutTail: true,
  },
  {
    name: 'locked-account',
    fault: 'the backup account is locked (ACCOUNT LOCK)',
    label: 'auth',
    run: async (c) => {
      await c.server.exec("ALTER USER 'backup'@'%' ACCOUNT LOCK; ALTER USER 'backup'@'localhost' ACCOUNT LOCK;");
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /4151|locked/ },
    stdoutTail: true,
  },
  {
    name: 'auth-plugin-missing',
    fault: 'the account uses ed25519 and the client cannot load its client_ed25519 plugin',
    label: 'auth',
    server: { grants: [] },
    run: async (c) => {
      await c.server.exec(`INSTALL SONAME 'auth_ed25519';
        CREATE USER 'backup'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('${PW}'); GRANT SELECT ON *.* TO 'backup'@'%';`);
      await fsp.mkdir(c.file('plugins'));
      return c.dump([`--plugin-dir=${c.file('plugins')}`, '--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /2059|cannot be loaded|plugin/i },
    stdoutTail: true,
  },
  {
    name: 'ed25519-wrong-password',
    fault: "the account uses ed25519 and the password is wrong",
    label: 'auth',
    server: { grants: [] },
    run: async (c) => {
      await c.server.exec(`INSTALL SONAME 'auth_ed25519';
        CREATE USER 'backup'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('${PW}'); GRANT SELECT ON *.* TO 'backup'@'%';`);
      return c.start('mariadb-dump', [...c.client('backup', 'nope'), '--single-transaction', 'shop'], { stdout: 'tail' });
    },
    expect: { exit: 2, stderr: /1045/ },
    stdoutTail: true,
  },

  // privilege: logged in, then refused for a missing grant
  {
    name: 'no-lock-tables',
    fault: 'the backup user lacks LOCK TABLES and the dump runs without --single-transaction',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, EVENT ON *.*'] },
    run: (c) => c.dump(['shop']),
    expect: { exit: 2, stderr: /LOCK TABLES/ },
    stdoutTail: true,
  },
  {
    name: 'no-show-view',
    fault: 'the backup user lacks SHOW VIEW and the database has a view',
    label: 'privilege',
    server: { grants: ['SELECT, TRIGGER, EVENT, LOCK TABLES ON *.*'] },
    run: (c) => c.dump(['--single-transaction', 'shop']),
    expect: { exit: 2, stderr: /SHOW VIEW/ },
    stdoutTail: true,
  },
  {
    name: 'no-show-view-lock-tables',
    fault: 'the backup user lacks SHOW VIEW; the dump locks the tables first',
    label: 'privilege',
    server: { grants: ['SELECT, TRIGGER, EVENT, LOCK TABLES ON *.*'] },
    run: (c) => c.dump(['shop']),
    expect: { exit: 2, stderr: /SHOW VIEW|denied/ },
    stdoutTail: true,
  },
  {
    name: 'no-event',
    fault: 'the backup user lacks EVENT and the dump asks for --events',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, LOCK TABLES ON *.*'] },
    run: (c) => c.dump(['--single-transaction', '--events', 'shop']),
    expect: { exit: 2, stderr: /show events|denied/i },
    stdoutTail: true,
  },
  {
    name: 'no-reload-master-data',
    fault: 'the backup user lacks RELOAD and the dump asks for --master-data (FLUSH TABLES)',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, BINLOG MONITOR ON *.*'] },
    run: (c) => c.dump(['--master-data=2', 'shop']),
    expect: { exit: 2, stderr: /RELOAD/ },
    stdoutTail: true,
  },
  {
    name: 'no-reload-flush-logs',
    fault: 'the backup user lacks RELOAD and the dump asks for --flush-logs',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, BINLOG MONITOR ON *.*'] },
    run: (c) => c.dump(['--single-transaction', '--flush-logs', 'shop']),
    expect: { exit: 2, stderr: /RELOAD/ },
    stdoutTail: true,
  },
  {
    name: 'no-reload-lock-all-tables',
    fault: 'the backup user lacks RELOAD and the dump asks for --lock-all-tables (FTWRL)',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON *.*'] },
    run: (c) => c.dump(['--lock-all-tables', 'shop']),
    expect: { exit: 2, stderr: /RELOAD/ },
    stdoutTail: true,
  },
  {
    name: 'no-binlog-monitor',
    fault: 'the backup user lacks BINLOG MONITOR and the dump asks for --master-data',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD ON *.*'] },
    run: (c) => c.dump(['--master-data=2', 'shop']),
    expect: { exit: 2, stderr: /BINLOG MONITOR/ },
    stdoutTail: true,
  },
  {
    name: 'no-slave-monitor',
    fault: 'the backup user lacks SLAVE MONITOR and the dump asks for --dump-slave',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, RELOAD, BINLOG MONITOR ON *.*'] },
    run: (c) => c.dump(['--single-transaction', '--dump-slave=2', 'shop']),
    expect: { exit: 2, stderr: /SLAVE MONITOR/ },
    stdoutTail: true,
  },
  {
    name: 'no-select-database',
    fault: 'the backup user has no grant at all on the database it dumps',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, LOCK TABLES ON mysql.*'] },
    run: (c) => c.dump(['--single-transaction', 'shop']),
    expect: { exit: 2, stderr: /1044/ },
    stdoutTail: true,
  },
  {
    name: 'no-select-table-looks-missing',
    fault: 'the backup user may read every table of shop but orders, which the dump names: a table it cannot see is reported as not found',
    label: 'not_found',
    server: { grants: ['SELECT ON shop.customers', 'SELECT ON shop.sessions', 'SELECT ON shop.legacy_log'] },
    run: (c) => c.dump(['--single-transaction', 'shop', 'customers', 'orders']),
    expect: { exit: 'nonzero', stderr: /orders/ },
    stdoutTail: true,
  },
  {
    name: 'column-grant-only',
    fault: 'the backup user has a column-level grant only (SELECT (id) ON shop.customers)',
    label: 'privilege',
    server: { grants: ['SELECT (id) ON shop.customers'] },
    run: (c) => c.dump(['--single-transaction', 'shop', 'customers']),
    expect: { exit: 2, stderr: /denied/ },
    stdoutTail: true,
  },
  {
    name: 'column-grant-only-lock-tables',
    fault: 'the backup user has a column-level grant only and the dump locks the table first',
    label: 'privilege',
    server: { grants: ['SELECT (id) ON shop.customers'] },
    run: (c) => c.dump(['shop', 'customers']),
    expect: { exit: 2, stderr: /denied/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-database-db-grants-only',
    fault: 'a database that does not exist, asked by a user with database-level grants only: the server answers access denied',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, LOCK TABLES ON shop.*'] },
    run: (c) => c.dump(['--single-transaction', 'shopp']),
    expect: { exit: 2, stderr: /1044/ },
    stdoutTail: true,
  },
  {
    name: 'definer-dropped-view-non-root',
    fault: "a view's DEFINER user was dropped; the backup user (no SUPER) is told access denied (1045) at LOCK TABLES, not 1449",
    label: 'privilege',
    run: async (c) => {
      await c.server.exec(`CREATE USER 'ghost'@'%'; GRANT ALL ON shop.* TO 'ghost'@'%';
        CREATE DEFINER='ghost'@'%' VIEW shop.customer_emails AS SELECT email FROM shop.customers;
        DROP USER 'ghost'@'%';`);
      return c.dump(['shop']);
    },
    expect: { exit: 2, stderr: /denied/ },
    stdoutTail: true,
  },

  // connection: the server cannot be reached, or the connection dropped
  {
    name: 'closed-port',
    fault: 'nothing listens on the configured port',
    label: 'connection',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--host=127.0.0.1', `--port=${c.closedPort}`, '--user=backup', `--password=${PW}`, 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /2002|2003/ },
    stdoutTail: true,
  },
  {
    name: 'missing-socket',
    fault: 'the configured unix socket does not exist (server down)',
    label: 'connection',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', `--socket=${c.file('mysqld.sock')}`, '--user=backup', `--password=${PW}`, 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /2002/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-host',
    fault: 'the configured host name does not resolve',
    label: 'connection',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--host=db-primary.invalid', '--user=backup', `--password=${PW}`, 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /2005/ },
    stdoutTail: true,
  },
  {
    name: 'handshake-hangup',
    fault: 'the server end accepts the TCP connection and closes it before the handshake',
    label: 'connection',
    server: false,
    run: async (c) => {
      const port = await listener(c, 'hangup');
      return c.start('mariadb-dump', ['--no-defaults', '--host=127.0.0.1', `--port=${port}`, '--user=backup', `--password=${PW}`, 'shop'], { stdout: 'tail' });
    },
    expect: { exit: 2, stderr: /2013|handshake/ },
    stdoutTail: true,
  },
  {
    name: 'server-killed-mid-dump',
    fault: 'mariadbd was SIGKILLed while the dump waited on a table lock',
    label: 'connection',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], () => c.server.kill('SIGKILL')),
    expect: { exit: 'nonzero', stderr: /2013|2006|Lost connection|gone away/ },
    stdoutTail: true,
  },
  {
    name: 'server-killed-mid-lock-tables',
    fault: 'mariadbd was SIGKILLed while the dump waited in LOCK TABLES',
    label: 'connection',
    run: (c) => heldDump(c, ['shop'], () => c.server.kill('SIGKILL')),
    expect: { exit: 'nonzero', stderr: /2013|2006|Lost connection|gone away/ },
    stdoutTail: true,
  },
  {
    name: 'server-restarted-mid-dump',
    fault: 'mariadbd was shut down cleanly and restarted while the dump waited on a table lock',
    label: 'connection',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], () => c.restartServer()),
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },
  {
    name: 'server-killed-streaming',
    fault: 'mariadbd was SIGKILLed while the dump streamed a large table',
    label: 'connection',
    server: { orders: 300_000 },
    run: async (c) => {
      const r = c.dump(['--single-transaction', 'shop', 'orders']);
      await c.waitStdout(r, 200_000);
      await c.server.kill('SIGKILL');
      return r;
    },
    expect: { exit: 'nonzero', stderr: /2013|Lost connection/ },
    stdoutTail: true,
  },
  {
    name: 'kill-connection',
    fault: "the dump's session was ended with KILL CONNECTION while it waited on a table lock",
    label: 'connection',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], () => killSession(c, 'CONNECTION')),
    expect: { exit: 'nonzero', stderr: /2013|Lost connection/ },
    stdoutTail: true,
  },
  {
    name: 'too-many-connections',
    fault: "the server's max_connections are all taken",
    label: 'connection',
    run: async (c) => {
      await exhaustConnections(c);
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /1040/ },
    stdoutTail: true,
  },
  {
    name: 'max-user-connections',
    fault: "the backup user's MAX_USER_CONNECTIONS 1 is taken by another session",
    label: 'connection',
    run: async (c) => {
      await c.server.exec("ALTER USER 'backup'@'%' WITH MAX_USER_CONNECTIONS 1;");
      const other = await mysql.createConnection({ host: '127.0.0.1', port: c.port, user: 'backup', password: PW });
      c.defer(() => other.destroy());
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /1226/ },
    stdoutTail: true,
  },
  {
    name: 'net-write-timeout',
    fault: 'net_write_timeout=1 while the dump was stopped (SIGSTOP) mid-table, then continued',
    label: 'connection',
    server: { orders: 300_000 },
    run: async (c) => {
      await c.server.query('SET GLOBAL net_write_timeout = 1');
      const r = c.dump(['--single-transaction', 'shop', 'orders']);
      await c.waitStdout(r, 100_000);
      r.signal('SIGSTOP');
      await sleep(5000);
      r.signal('SIGCONT');
      return r;
    },
    expect: { exit: 'nonzero', stderr: /2013|Lost connection/ },
    stdoutTail: true,
  },

  // killed: the tool stopped by a signal, or its query killed on the server
  {
    name: 'sigkill-mid-dump',
    fault: 'the dump was SIGKILLed while it waited on a table lock',
    label: 'killed',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], (r) => r.signal('SIGKILL')),
    expect: { signal: 'SIGKILL' },
    stdoutTail: true,
  },
  {
    name: 'sigterm-mid-dump',
    fault: 'the dump was SIGTERMed while it waited on a table lock',
    label: 'killed',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], (r) => r.signal('SIGTERM')),
    expect: { signal: 'SIGTERM' },
    stdoutTail: true,
  },
  {
    name: 'sigint-mid-dump',
    fault: 'the dump was interrupted (SIGINT) while it waited on a table lock',
    label: 'killed',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], (r) => r.signal('SIGINT')),
    expect: { signal: 'SIGINT' },
    stdoutTail: true,
  },
  {
    name: 'sigkill-streaming',
    fault: 'the dump was SIGKILLed while it streamed a large table',
    label: 'killed',
    server: { orders: 300_000 },
    run: async (c) => {
      const r = c.dump(['--single-transaction', 'shop', 'orders']);
      await c.waitStdout(r, 200_000);
      r.signal('SIGKILL');
      return r;
    },
    expect: { signal: 'SIGKILL' },
    stdoutTail: true,
  },
  {
    name: 'kill-query',
    fault: "the dump's SELECT was ended with KILL QUERY while it waited on a table lock",
    label: 'killed',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], () => killSession(c, 'QUERY')),
    expect: { exit: 'nonzero', stderr: /1317|interrupted/ },
    stdoutTail: true,
  },
  {
    name: 'kill-query-lock-tables',
    fault: "the dump's LOCK TABLES was ended with KILL QUERY while it waited",
    label: 'killed',
    run: (c) => heldDump(c, ['shop'], () => killSession(c, 'QUERY')),
    expect: { exit: 'nonzero', stderr: /1317|interrupted/ },
    stdoutTail: true,
  },

  // timeout: a time limit ended the run
  {
    // mariadb-dump sets the session's max_statement_time to 0 unless told otherwise, so a
    // server-side limit (SET GLOBAL, ALTER USER) never reaches it; its own option does.
    name: 'max-statement-time',
    fault: '--max-statement-time=0.01 and the dump reads a large table',
    label: 'timeout',
    server: { orders: 300_000 },
    run: (c) => c.dump(['--max-statement-time=0.01', '--single-transaction', 'shop', 'orders']),
    expect: { exit: 'nonzero', stderr: /max_statement_time|1969/ },
    stdoutTail: true,
  },
  {
    name: 'max-statement-time-lock-tables',
    fault: '--max-statement-time=0.01 (without --single-transaction) and the dump reads a large table',
    label: 'timeout',
    server: { orders: 300_000 },
    run: (c) => c.dump(['--max-statement-time=0.01', 'shop']),
    expect: { exit: 'nonzero', stderr: /max_statement_time|1969/ },
    stdoutTail: true,
  },
  {
    name: 'clean-server-max-statement-time',
    fault: 'no fault visible: the server has max_statement_time=0.001 but mariadb-dump sets its session to 0',
    label: 'none',
    server: { orders: 300_000 },
    run: async (c) => {
      await c.server.query('SET GLOBAL max_statement_time = 0.001');
      return c.dump(['--single-transaction', 'shop', 'orders']);
    },
    expect: CLEAN,
    stdoutTail: true,
  },

  // disk_full: no space where the output goes
  {
    name: 'stdout-dev-full',
    fault: 'the dump writes to stdout redirected to /dev/full',
    label: 'disk_full',
    run: (c) => c.dump(['--single-transaction', 'shop'], { stdout: c.openFd('/dev/full', 'w') }),
    expect: { exit: 'nonzero', stderr: /errno 28|No space/ },
  },
  {
    name: 'result-file-dev-full',
    fault: 'the dump writes with --result-file=/dev/full',
    label: 'disk_full',
    run: (c) => c.dump(['--single-transaction', '--result-file=/dev/full', 'shop'], { stdout: 'ignore' }),
    expect: { exit: 'nonzero', stderr: /errno 28|No space/ },
  },
  {
    name: 'result-file-tmpfs-full',
    fault: 'the dump writes with --result-file onto a 2 MB tmpfs',
    label: 'disk_full',
    run: async (c) => c.dump(['--single-transaction', `--result-file=${path.join(await c.tmpfs('2m'), 'shop.sql')}`, 'shop'], { stdout: 'ignore' }),
    expect: { exit: 'nonzero', stderr: /errno 28|No space/ },
  },
  {
    name: 'tab-tmpfs-full',
    fault: '--tab writes the data files (server side, SELECT INTO OUTFILE) onto a 2 MB tmpfs',
    label: 'disk_full',
    run: async (c) => c.start('mariadb-dump', [...c.clientSocket('root', ''), '--single-transaction', `--tab=${await c.tmpfs('2m')}`, 'shop', 'orders'], { stdout: 'ignore' }),
    expect: { exit: 'nonzero', stderr: /28|space|full/i },
  },

  // corruption: a damaged table
  {
    name: 'myisam-index-header-garbage',
    fault: "the header of a MyISAM table's index file (.MYI) was overwritten with garbage",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await c.scribble(path.join(c.server.datadir, 'shop', 'legacy_log.MYI'), 0, 4096);
      return c.dump(['shop']);
    },
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },
  {
    name: 'myisam-index-header-garbage-single-transaction',
    fault: "the header of a MyISAM table's index file (.MYI) was overwritten with garbage; --single-transaction",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await c.scribble(path.join(c.server.datadir, 'shop', 'legacy_log.MYI'), 0, 4096);
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },
  {
    name: 'myisam-data-truncated',
    fault: "a MyISAM table's data file (.MYD) was cut short",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await fsp.truncate(path.join(c.server.datadir, 'shop', 'legacy_log.MYD'), 5000);
      return c.dump(['--single-transaction', 'shop', 'legacy_log']);
    },
    expect: { exit: 'nonzero', stderr: /crashed|1194|127|126/ },
    stdoutTail: true,
  },
  {
    name: 'aria-index-header-garbage',
    fault: "the header of an Aria table's index file (.MAI) was overwritten with garbage",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await c.scribble(path.join(c.server.datadir, 'shop', 'sessions.MAI'), 0, 8192);
      return c.dump(['shop', 'sessions']);
    },
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },
  {
    name: 'aria-data-page-garbage',
    fault: "a data page of an Aria table (.MAD) was overwritten with garbage",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await c.scribble(path.join(c.server.datadir, 'shop', 'sessions.MAD'), 8192, 8192);
      return c.dump(['--single-transaction', 'shop', 'sessions']);
    },
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },
  {
    name: 'innodb-page-corrupt',
    fault: 'an InnoDB leaf page of shop.orders was overwritten with garbage while the server was down',
    label: 'corruption',
    run: async (c) => {
      await c.server.stop();
      await c.scribble(path.join(c.server.datadir, 'shop', 'orders.ibd'), 5 * 16384 + 300, 2000);
      await c.server.start();
      return c.dump(['--single-transaction', 'shop', 'orders']);
    },
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },

  // charset
  {
    name: 'default-charset-unknown',
    fault: '--default-character-set names a character set that does not exist',
    label: 'charset',
    run: (c) => c.dump(['--default-character-set=utf8mb5', '--single-transaction', 'shop']),
    expect: { exit: 'nonzero', stderr: /Character set/ },
    stdoutTail: true,
  },

  // not_found
  {
    name: 'unknown-database',
    fault: 'the database to dump does not exist',
    label: 'not_found',
    run: (c) => c.dump(['--single-transaction', 'shopp']),
    expect: { exit: 2, stderr: /1049/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-database-databases',
    fault: 'one of the databases named with --databases does not exist',
    label: 'not_found',
    run: (c) => c.dump(['--single-transaction', '--databases', 'shop', 'crm']),
    expect: { exit: 2, stderr: /1049/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-table',
    fault: 'the table to dump does not exist',
    label: 'not_found',
    run: (c) => c.dump(['--single-transaction', 'shop', 'invoices']),
    expect: { exit: 'nonzero', stderr: /invoices/ },
    stdoutTail: true,
  },
  {
    name: 'view-base-table-dropped',
    fault: 'the base table of a view was dropped',
    label: 'not_found',
    run: async (c) => {
      await c.server.exec('CREATE TABLE shop.refunds (id INT); CREATE VIEW shop.refund_view AS SELECT id FROM shop.refunds; DROP TABLE shop.refunds;');
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 2, stderr: /1356/ },
    stdoutTail: true,
  },
  {
    name: 'view-base-table-dropped-lock-tables',
    fault: 'the base table of a view was dropped; the dump locks the tables first',
    label: 'not_found',
    run: async (c) => {
      await c.server.exec('CREATE TABLE shop.refunds (id INT); CREATE VIEW shop.refund_view AS SELECT id FROM shop.refunds; DROP TABLE shop.refunds;');
      return c.dump(['shop']);
    },
    expect: { exit: 2, stderr: /1356/ },
    stdoutTail: true,
  },
  {
    name: 'definer-dropped-view',
    fault: "a view's DEFINER user was dropped (dump run by an account with SUPER)",
    label: 'not_found',
    run: async (c) => {
      await c.server.exec(`CREATE USER 'ghost'@'%'; GRANT ALL ON shop.* TO 'ghost'@'%';
        CREATE DEFINER='ghost'@'%' VIEW shop.customer_emails AS SELECT email FROM shop.customers;
        DROP USER 'ghost'@'%';`);
      return c.start('mariadb-dump', [...c.clientSocket('root', ''), 'shop'], { stdout: 'tail' });
    },
    expect: { exit: 2, stderr: /1449/ },
    stdoutTail: true,
  },
  {
    name: 'clean-definer-dropped-view-single-transaction',
    fault: "a view's DEFINER user was dropped; with --single-transaction (no LOCK TABLES) the dump completes",
    label: 'none',
    run: async (c) => {
      await c.server.exec(`CREATE USER 'ghost'@'%'; GRANT ALL ON shop.* TO 'ghost'@'%';
        CREATE DEFINER='ghost'@'%' VIEW shop.customer_emails AS SELECT email FROM shop.customers;
        DROP USER 'ghost'@'%';`);
      return c.start('mariadb-dump', [...c.clientSocket('root', ''), '--single-transaction', 'shop'], { stdout: 'tail' });
    },
    expect: CLEAN,
    stdoutTail: true,
  },

  // config: the invocation is wrong
  {
    name: 'unknown-option',
    fault: 'an option the tool does not know',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--single-transaction', '--set-gtid-purged', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /unknown option/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-variable',
    fault: 'an option with a value the tool does not know (--parallel=4)',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--single-transaction', '--parallel=4', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /unknown variable/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-variable-connect-timeout',
    fault: '--connect-timeout, which the mariadb client knows but mariadb-dump does not',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--connect-timeout=10', '--single-transaction', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /unknown variable/ },
    stdoutTail: true,
  },
  {
    name: 'option-missing-value',
    fault: 'an option that needs a value given none (--result-file last)',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--single-transaction', 'shop', '--result-file'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /requires an argument/ },
    stdoutTail: true,
  },
  {
    name: 'bad-option-value',
    fault: 'a numeric option with a value that is no number',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--max-allowed-packet=lots', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },
  {
    name: 'bad-compatible-mode',
    fault: '--compatible with a mode that does not exist',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--compatible=oracle11', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /compatible/ },
    stdoutTail: true,
  },
  {
    name: 'conflicting-single-transaction-lock-all-tables',
    fault: '--single-transaction and --lock-all-tables together',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--single-transaction', '--lock-all-tables', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /at the same time/ },
    stdoutTail: true,
  },
  {
    name: 'conflicting-xml-tab',
    fault: '--xml and --tab together',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--xml', `--tab=${c.work}`, 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /--tab/ },
    stdoutTail: true,
  },
  {
    name: 'conflicting-databases-all-databases',
    fault: '--databases and --all-databases together: usage text',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--all-databases', '--databases', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /Usage/ },
    stdoutTail: true,
  },
  {
    name: 'no-arguments',
    fault: 'no database named: usage text',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', ['--no-defaults', '--single-transaction'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /Usage/ },
    stdoutTail: true,
  },
  {
    name: 'result-file-missing-dir',
    fault: '--result-file in a directory that does not exist',
    label: 'config',
    run: (c) => c.dump(['--single-transaction', '--result-file=/nonexistent/backups/shop.sql', 'shop'], { stdout: 'ignore' }),
    expect: { exit: 'nonzero', stderr: /Errcode: 2/ },
  },
  {
    name: 'tab-missing-dir',
    fault: '--tab into a directory that does not exist',
    label: 'config',
    run: (c) => c.start('mariadb-dump', [...c.clientSocket('root', ''), '--single-transaction', '--tab=/nonexistent/backups', 'shop', 'customers'], { stdout: 'ignore' }),
    expect: { exit: 'nonzero', stderr: /Errcode: 2|No such file/ },
  },
  {
    name: 'defaults-file-missing',
    fault: '--defaults-file names a file that does not exist',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-dump', [`--defaults-file=${c.file('backup.cnf')}`, '--single-transaction', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /defaults file/ },
    stdoutTail: true,
  },
  {
    name: 'defaults-file-malformed',
    fault: 'the defaults file has an option line before any [group]',
    label: 'config',
    server: false,
    run: async (c) => {
      await fsp.writeFile(c.file('backup.cnf'), `user=backup\npassword=${PW}\n[client]\nhost=127.0.0.1\n`);
      return c.start('mariadb-dump', [`--defaults-file=${c.file('backup.cnf')}`, '--single-transaction', 'shop'], { stdout: 'tail' });
    },
    expect: { exit: 'nonzero', stderr: /preceding group|defaults/ },
    stdoutTail: true,
  },
  {
    name: 'master-data-no-binlog',
    fault: '--master-data against a server without the binary log',
    label: 'config',
    server: { binlog: false },
    run: (c) => c.dump(['--single-transaction', '--master-data=2', 'shop']),
    expect: { exit: 'nonzero', stderr: /Binlogging|binary log/i },
    stdoutTail: true,
  },
  {
    name: 'master-data-no-binlog-lock-all-tables',
    fault: '--master-data (with FTWRL) against a server without the binary log',
    label: 'config',
    server: { binlog: false },
    run: (c) => c.dump(['--master-data=1', 'shop']),
    expect: { exit: 'nonzero', stderr: /Binlogging|binary log/i },
    stdoutTail: true,
  },
  {
    name: 'bad-where',
    fault: '--where with an SQL syntax error',
    label: 'config',
    run: (c) => c.dump(['--single-transaction', '--where=id >< 3', 'shop', 'customers']),
    expect: { exit: 'nonzero', stderr: /1064/ },
    stdoutTail: true,
  },

  // lock_timeout
  {
    name: 'lock-wait-timeout',
    fault: "a LOCK TABLES … WRITE held elsewhere on shop.orders; lock_wait_timeout=1 for the dump's session",
    label: 'lock_timeout',
    run: async (c) => {
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await c.hold('shop.orders');
      return c.dump(['--single-transaction', 'shop']);
    },
    expect: { exit: 'nonzero', stderr: /1205/ },
    stdoutTail: true,
  },
  {
    name: 'lock-wait-timeout-lock-tables',
    fault: 'a LOCK TABLES … WRITE held elsewhere; the dump waits in its own LOCK TABLES with lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await c.hold('shop.orders');
      return c.dump(['shop']);
    },
    expect: { exit: 'nonzero', stderr: /1205/ },
    stdoutTail: true,
  },
  {
    name: 'ftwrl-blocked-long-query',
    fault: 'FLUSH TABLES WITH READ LOCK (--lock-all-tables) waits behind a long UPDATE; lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await longWrite(c);
      return c.dump(['--lock-all-tables', 'shop']);
    },
    expect: { exit: 'nonzero', stderr: /1205/ },
    stdoutTail: true,
  },
  {
    name: 'master-data-flush-blocked',
    fault: '--master-data --flush-logs --single-transaction: the global read lock waits behind a long UPDATE; lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await longWrite(c);
      return c.dump(['--single-transaction', '--master-data=2', '--flush-logs', 'shop']);
    },
    expect: { exit: 'nonzero', stderr: /1205/ },
    stdoutTail: true,
  },

  // out_of_memory
  {
    name: 'out-of-memory-prlimit',
    fault: 'the dump runs under prlimit --as=150M and reads a 60 MB row',
    label: 'out_of_memory',
    server: BIG_PACKET,
    run: async (c) => {
      await bigRow(c, 60);
      return c.start('prlimit', [`--as=${150 << 20}`, '--', 'mariadb-dump', ...c.client(), '--max-allowed-packet=1G', '--single-transaction', 'shop', 'attachments'], { stdout: 'tail', tool: 'mariadb-dump' });
    },
    expect: { exit: 'nonzero', stderr: /Out of memory/ },
    stdoutTail: true,
  },
  {
    name: 'out-of-memory-prlimit-skip-quick',
    fault: 'the dump runs under prlimit --as=120M with --skip-quick (whole result in memory) and reads a 60 MB row',
    label: 'out_of_memory',
    server: BIG_PACKET,
    run: async (c) => {
      await bigRow(c, 60);
      return c.start('prlimit', [`--as=${120 << 20}`, '--', 'mariadb-dump', ...c.client(), '--max-allowed-packet=1G', '--skip-quick', '--single-transaction', 'shop', 'attachments'], { stdout: 'tail', tool: 'mariadb-dump' });
    },
    expect: { exit: 'nonzero', stderr: /Out of memory|2008|memory/ },
    stdoutTail: true,
  },
  {
    name: 'out-of-memory-seen-as-lost-connection',
    fault: 'the dump runs under prlimit --as=60M and reads a 60 MB row: the client cannot grow its packet buffer and reports a lost connection',
    label: 'connection',
    server: BIG_PACKET,
    run: async (c) => {
      await bigRow(c, 60);
      return c.start('prlimit', [`--as=${60 << 20}`, '--', 'mariadb-dump', ...c.client(), '--max-allowed-packet=1G', '--single-transaction', 'shop', 'attachments'], { stdout: 'tail', tool: 'mariadb-dump' });
    },
    expect: { exit: 'nonzero', stderr: /2013/ },
    stdoutTail: true,
  },

  // unknown
  {
    name: 'epipe',
    fault: 'the reader of the dump went away after 100 bytes (EPIPE)',
    label: 'unknown',
    run: (c) => c.dump(['--single-transaction', 'shop'], { closeStdoutAfter: 100 }),
    expect: { exit: 'nonzero', stderr: /errno 32/ },
    stdoutTail: true,
  },
  {
    name: 'sigsegv',
    fault: 'the dump died of SIGSEGV (sent while it waited on a table lock): a crash',
    label: 'unknown',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], (r) => r.signal('SIGSEGV')),
    expect: { signal: 'SIGSEGV' },
    stdoutTail: true,
  },
  {
    name: 'sigabrt',
    fault: 'the dump died of SIGABRT (sent while it waited on a table lock), as on a failed assertion',
    label: 'unknown',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], (r) => r.signal('SIGABRT')),
    expect: { signal: 'SIGABRT' },
    stdoutTail: true,
  },
]);

// ---- mysqldump: the same binary under its old name, which prints `mysqldump:` --------------

function alias(c: Ctx, args: string[], opts: StartOptions = {}): Running {
  return c.start('mysqldump', [...c.client(), ...args], { stdout: 'tail', ...opts });
}

add('mysqldump-alias', [
  {
    name: 'clean',
    fault: 'no fault: a consistent dump',
    label: 'none',
    run: (c) => alias(c, ['--single-transaction', '--routines', 'shop']),
    expect: CLEAN,
    stdoutTail: true,
  },
  {
    name: 'clean-verbose',
    fault: 'no fault: --verbose progress on stderr',
    label: 'none',
    run: (c) => alias(c, ['--verbose', '--single-transaction', 'shop']),
    expect: { ...CLEAN, stderr: /Retrieving/ },
    stdoutTail: true,
  },
  {
    name: 'wrong-password',
    fault: "the backup user's password is wrong",
    label: 'auth',
    run: (c) => c.start('mysqldump', [...c.client('backup', 'wrong'), 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /1045/ },
    stdoutTail: true,
  },
  {
    name: 'locked-account',
    fault: 'the backup account is locked',
    label: 'auth',
    run: async (c) => {
      await c.server.exec("ALTER USER 'backup'@'%' ACCOUNT LOCK;");
      return alias(c, ['shop']);
    },
    expect: { exit: 2, stderr: /4151|locked/ },
    stdoutTail: true,
  },
  {
    name: 'no-lock-tables',
    fault: 'the backup user lacks LOCK TABLES (no --single-transaction)',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW ON *.*'] },
    run: (c) => alias(c, ['shop']),
    expect: { exit: 2, stderr: /LOCK TABLES/ },
    stdoutTail: true,
  },
  {
    name: 'no-show-view',
    fault: 'the backup user lacks SHOW VIEW',
    label: 'privilege',
    server: { grants: ['SELECT, LOCK TABLES ON *.*'] },
    run: (c) => alias(c, ['--single-transaction', 'shop']),
    expect: { exit: 2, stderr: /SHOW VIEW/ },
    stdoutTail: true,
  },
  {
    name: 'no-reload',
    fault: 'the backup user lacks RELOAD and the dump asks for --master-data',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, LOCK TABLES ON *.*'] },
    run: (c) => alias(c, ['--master-data', 'shop']),
    expect: { exit: 2, stderr: /RELOAD/ },
    stdoutTail: true,
  },
  {
    name: 'closed-port',
    fault: 'nothing listens on the configured port',
    label: 'connection',
    server: false,
    run: (c) => c.start('mysqldump', ['--no-defaults', '--host=127.0.0.1', `--port=${c.closedPort}`, '--user=backup', `--password=${PW}`, 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /2002|2003/ },
    stdoutTail: true,
  },
  {
    name: 'missing-socket',
    fault: 'the unix socket does not exist',
    label: 'connection',
    server: false,
    run: (c) => c.start('mysqldump', ['--no-defaults', `--socket=${c.file('mysql.sock')}`, '--user=backup', `--password=${PW}`, 'shop'], { stdout: 'tail' }),
    expect: { exit: 2, stderr: /2002/ },
    stdoutTail: true,
  },
  {
    name: 'server-killed-mid-dump',
    fault: 'mariadbd was SIGKILLed while the dump waited on a table lock',
    label: 'connection',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], () => c.server.kill('SIGKILL'), 'mysqldump'),
    expect: { exit: 'nonzero', stderr: /2013|Lost connection/ },
    stdoutTail: true,
  },
  {
    name: 'sigterm-mid-dump',
    fault: 'the dump was SIGTERMed while it waited on a table lock',
    label: 'killed',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], (r) => r.signal('SIGTERM'), 'mysqldump'),
    expect: { signal: 'SIGTERM' },
    stdoutTail: true,
  },
  {
    name: 'kill-query',
    fault: "the dump's SELECT was ended with KILL QUERY",
    label: 'killed',
    run: (c) => heldDump(c, ['--single-transaction', 'shop'], () => killSession(c, 'QUERY'), 'mysqldump'),
    expect: { exit: 'nonzero', stderr: /1317/ },
    stdoutTail: true,
  },
  {
    name: 'max-statement-time',
    fault: '--max-statement-time=0.01 and the dump reads a large table',
    label: 'timeout',
    server: { orders: 300_000 },
    run: (c) => alias(c, ['--max-statement-time=0.01', '--single-transaction', 'shop', 'orders']),
    expect: { exit: 'nonzero', stderr: /max_statement_time/ },
    stdoutTail: true,
  },
  {
    name: 'stdout-dev-full',
    fault: 'stdout redirected to /dev/full',
    label: 'disk_full',
    run: (c) => alias(c, ['--single-transaction', 'shop'], { stdout: c.openFd('/dev/full', 'w') }),
    expect: { exit: 'nonzero', stderr: /errno 28/ },
  },
  {
    name: 'myisam-crashed',
    fault: "a MyISAM table's data file was cut short",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await fsp.truncate(path.join(c.server.datadir, 'shop', 'legacy_log.MYD'), 5000);
      return alias(c, ['shop']);
    },
    expect: { exit: 'nonzero' },
    stdoutTail: true,
  },
  {
    name: 'default-charset-unknown',
    fault: '--default-character-set=nosuch',
    label: 'charset',
    run: (c) => alias(c, ['--default-character-set=nosuch', 'shop']),
    expect: { exit: 'nonzero', stderr: /Character set/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-database',
    fault: 'the database does not exist',
    label: 'not_found',
    run: (c) => alias(c, ['--single-transaction', 'nosuchdb']),
    expect: { exit: 2, stderr: /1049/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-table',
    fault: 'the table does not exist',
    label: 'not_found',
    run: (c) => alias(c, ['--single-transaction', 'shop', 'nosuchtable']),
    expect: { exit: 'nonzero', stderr: /nosuchtable/ },
    stdoutTail: true,
  },
  {
    name: 'unknown-option',
    fault: 'an option the tool does not know (a MySQL 8 option)',
    label: 'config',
    server: false,
    run: (c) => c.start('mysqldump', ['--no-defaults', '--set-gtid-purged=OFF', 'shop'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /unknown variable/ },
    stdoutTail: true,
  },
  {
    name: 'no-arguments',
    fault: 'no database named: usage text',
    label: 'config',
    server: false,
    run: (c) => c.start('mysqldump', ['--no-defaults'], { stdout: 'tail' }),
    expect: { exit: 'nonzero', stderr: /Usage/ },
    stdoutTail: true,
  },
  {
    name: 'result-file-missing-dir',
    fault: '-r into a directory that does not exist',
    label: 'config',
    run: (c) => alias(c, ['-r', '/nonexistent/dir/out.sql', 'shop'], { stdout: 'ignore' }),
    expect: { exit: 'nonzero', stderr: /Errcode: 2/ },
  },
  {
    name: 'lock-wait-timeout',
    fault: 'LOCK TABLES … WRITE held elsewhere; lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await c.hold('shop.orders');
      return alias(c, ['shop']);
    },
    expect: { exit: 'nonzero', stderr: /1205/ },
    stdoutTail: true,
  },
  {
    name: 'epipe',
    fault: 'the reader went away after 100 bytes (EPIPE)',
    label: 'unknown',
    run: (c) => alias(c, ['--single-transaction', 'shop'], { closeStdoutAfter: 100 }),
    expect: { exit: 'nonzero', stderr: /errno 32/ },
    stdoutTail: true,
  },
]);

// ---- mydumper ---------------------------------------------------------------------------------

function mydumper(c: Ctx, args: string[], opts: StartOptions = {}): Running {
  return c.start('mydumper', [...c.mydumperConn(), ...args], opts);
}

/**
 * mydumper (default FTWRL) waits behind a LOCK TABLES … WRITE on shop.orders. The lock goes away
 * after the fault, or a mydumper that carries on regardless would wait on it for ever.
 */
async function heldMydumper(c: Ctx, args: string[], fault: (r: Running) => Promise<void> | void): Promise<Running> {
  const release = await c.hold('shop.orders');
  return whileHeld(() => mydumper(c, args), () => c.waitState(/lock|flush/i, /FLUSH TABLES|orders/i), async (r) => {
    await fault(r);
    await sleep(500);
    await release();
  });
}

add('mydumper', [
  {
    name: 'clean',
    fault: 'no fault: a dump of one database at the default verbosity',
    label: 'none',
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 0 },
  },
  {
    name: 'clean-verbose',
    fault: 'no fault: -v 3 prints every step',
    label: 'none',
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '-v', '3', '-t', '2']),
    expect: { exit: 0, stderr: /Finished dump at/ },
  },
  {
    name: 'clean-verbose-everything',
    fault: 'no fault: -v 3 with routines, triggers, events, compression and chunks',
    label: 'none',
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '-v', '3', '-G', '-E', '-R', '-c', '-r', '5000']),
    expect: { exit: 0, stderr: /Finished dump at/ },
  },
  {
    name: 'clean-no-locks',
    fault: 'no fault: --no-locks prints a consistency warning',
    label: 'none',
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '--no-locks']),
    expect: { exit: 0, stderr: /no-locks/ },
  },
  {
    name: 'clean-trx-consistency-only',
    fault: 'no fault: --trx-consistency-only prints a warning about non-transactional tables',
    label: 'none',
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '--trx-consistency-only', '-v', '3']),
    expect: { exit: 0, stderr: /trx_consistency_only/ },
  },
  {
    name: 'clean-lock-all-tables',
    fault: 'no fault: --lock-all-tables instead of FTWRL, quiet (-v 0)',
    label: 'none',
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '--lock-all-tables', '-v', '0']),
    expect: { exit: 0 },
  },
  {
    name: 'clean-large-row-warning',
    fault: 'no fault: a row bigger than --statement-size prints a warning',
    label: 'none',
    server: BIG_PACKET,
    run: async (c) => {
      await bigRow(c, 2);
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump')]);
    },
    expect: { exit: 0, stderr: /statement_size/ },
  },
  {
    name: 'wrong-password',
    fault: "the backup user's password is wrong",
    label: 'auth',
    run: (c) => c.start('mydumper', [...c.mydumperConn('backup', 'wrong'), '-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /Access denied/ },
  },
  {
    name: 'unknown-user',
    fault: 'the user does not exist',
    label: 'auth',
    run: (c) => c.start('mydumper', [...c.mydumperConn('dumper', PW), '-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /Access denied/ },
  },
  {
    name: 'locked-account',
    fault: 'the backup account is locked',
    label: 'auth',
    run: async (c) => {
      await c.server.exec("ALTER USER 'backup'@'%' ACCOUNT LOCK;");
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump')]);
    },
    expect: { exit: 'nonzero', stderr: /locked/ },
  },
  {
    name: 'no-reload',
    fault: 'the backup user lacks RELOAD: FTWRL is refused',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, LOCK TABLES, PROCESS ON *.*'] },
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /RELOAD/ },
  },
  {
    name: 'no-reload-trx-consistency-only',
    fault: 'the backup user lacks RELOAD; --trx-consistency-only',
    label: 'privilege',
    server: { grants: ['SELECT, SHOW VIEW, LOCK TABLES, PROCESS ON *.*'] },
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '--trx-consistency-only']),
    expect: { exit: 'nonzero', stderr: /RELOAD/ },
  },
  {
    name: 'no-select-database',
    fault: 'the backup user has no grant on the database',
    label: 'privilege',
    server: { grants: ['RELOAD, PROCESS ON *.*'] },
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /denied/ },
  },
  {
    name: 'no-show-view',
    fault: 'the backup user lacks SHOW VIEW and the database has a view',
    label: 'privilege',
    server: { grants: ['SELECT, LOCK TABLES, RELOAD, PROCESS ON *.*'] },
    run: (c) => mydumper(c, ['-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /SHOW VIEW|denied/ },
  },
  {
    name: 'closed-port',
    fault: 'nothing listens on the configured port',
    label: 'connection',
    server: false,
    run: (c) => c.start('mydumper', ['-h', '127.0.0.1', '-P', String(c.closedPort), '-u', 'backup', '-p', PW, '-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /Can't connect/ },
  },
  {
    name: 'unknown-host',
    fault: 'the host name does not resolve',
    label: 'connection',
    server: false,
    run: (c) => c.start('mydumper', ['-h', 'db-primary.invalid', '-u', 'backup', '-p', PW, '-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /Unknown server host/ },
  },
  {
    name: 'missing-socket',
    fault: 'the unix socket does not exist',
    label: 'connection',
    server: false,
    run: (c) => c.start('mydumper', ['-S', c.file('mysqld.sock'), '-u', 'backup', '-p', PW, '-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /socket/ },
  },
  {
    name: 'server-killed-mid-dump',
    fault: 'mariadbd was SIGKILLed while the dump streamed a large table',
    label: 'connection',
    server: { orders: 300_000 },
    run: async (c) => {
      const r = mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '-t', '1', '-v', '3']);
      await c.waitState(/Sending data|Writing to net|Sending to client/i, /orders/);
      await c.server.kill('SIGKILL');
      return r;
    },
    expect: { exit: 'nonzero', stderr: /Lost connection|gone away/ },
  },
  {
    name: 'kill-connection',
    fault: "the dump's session was ended with KILL CONNECTION while it waited for FLUSH TABLES WITH READ LOCK",
    label: 'connection',
    run: (c) => heldMydumper(c, ['-B', 'shop', '-o', c.file('dump')], () => killSession(c, 'CONNECTION')),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'server-restarted-mid-dump',
    fault: 'mariadbd was shut down cleanly and restarted while mydumper waited for its global read lock',
    label: 'connection',
    run: (c) => heldMydumper(c, ['-B', 'shop', '-o', c.file('dump')], () => c.restartServer()),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'too-many-connections',
    fault: "the server's max_connections are all taken",
    label: 'connection',
    run: async (c) => {
      await exhaustConnections(c);
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump')]);
    },
    expect: { exit: 'nonzero', stderr: /Too many connections/ },
  },
  {
    name: 'net-write-timeout',
    fault: 'net_write_timeout=1 while mydumper was stopped (SIGSTOP) mid-table, then continued',
    label: 'connection',
    server: { orders: 300_000 },
    run: async (c) => {
      await c.server.query('SET GLOBAL net_write_timeout = 1');
      const r = mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '-t', '2']);
      await c.waitState(/Sending data|Writing to net|Sending to client/i, /orders/);
      r.signal('SIGSTOP');
      await sleep(5000);
      r.signal('SIGCONT');
      return r;
    },
    expect: { exit: 'nonzero', stderr: /Lost connection|gone away/ },
  },
  {
    name: 'max-user-connections',
    fault: 'MAX_USER_CONNECTIONS 2 for a dump with 4 threads',
    label: 'connection',
    run: async (c) => {
      await c.server.exec("ALTER USER 'backup'@'%' WITH MAX_USER_CONNECTIONS 2;");
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '-t', '4']);
    },
    expect: { exit: 'nonzero', stderr: /max_user_connections/ },
  },
  {
    name: 'sigkill-mid-dump',
    fault: 'mydumper was SIGKILLed while it waited for its global read lock',
    label: 'killed',
    run: (c) => heldMydumper(c, ['-B', 'shop', '-o', c.file('dump')], (r) => r.signal('SIGKILL')),
    expect: { signal: 'SIGKILL' },
  },
  {
    name: 'sigterm-mid-dump',
    fault: 'mydumper was SIGTERMed while it waited for its global read lock',
    label: 'killed',
    run: (c) => heldMydumper(c, ['-B', 'shop', '-o', c.file('dump')], (r) => r.signal('SIGTERM')),
    expect: { signal: 'SIGTERM' },
  },
  {
    name: 'sigint-mid-dump',
    fault: 'mydumper was interrupted (SIGINT) while it waited for its global read lock',
    label: 'killed',
    run: (c) => heldMydumper(c, ['-B', 'shop', '-o', c.file('dump')], (r) => r.signal('SIGINT')),
    expect: { signal: 'SIGINT' },
  },
  {
    name: 'kill-query',
    fault: "mydumper's FLUSH TABLES WITH READ LOCK was ended with KILL QUERY",
    label: 'killed',
    run: (c) => heldMydumper(c, ['-B', 'shop', '-o', c.file('dump')], () => killSession(c, 'QUERY', 'backup', /FLUSH/)),
    expect: { exit: 'nonzero', stderr: /interrupted/ },
  },
  {
    name: 'max-statement-time',
    fault: 'the backup user has MAX_STATEMENT_TIME 0.001 and the dump reads a large table',
    label: 'timeout',
    server: { orders: 300_000 },
    run: async (c) => {
      await c.server.exec("ALTER USER 'backup'@'%' WITH MAX_STATEMENT_TIME 0.001;");
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump')]);
    },
    expect: { exit: 'nonzero', stderr: /max_statement_time/ },
  },
  {
    name: 'outdir-tmpfs-full',
    fault: 'the output directory is on a 2 MB tmpfs',
    label: 'disk_full',
    run: async (c) => mydumper(c, ['-B', 'shop', '-o', path.join(await c.tmpfs('2m'), 'dump')]),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'myisam-crashed',
    fault: "a MyISAM table's data file (.MYD) was cut short",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await fsp.truncate(path.join(c.server.datadir, 'shop', 'legacy_log.MYD'), 5000);
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump')]);
    },
    expect: { exit: 'nonzero', stderr: /crashed/ },
  },
  {
    name: 'aria-index-garbage',
    fault: "the header of an Aria table's index file (.MAI) was overwritten with garbage: mydumper warns of a broken table, skips it and exits 0",
    label: 'corruption',
    run: async (c) => {
      await c.server.query('FLUSH TABLES');
      await c.scribble(path.join(c.server.datadir, 'shop', 'sessions.MAI'), 0, 8192);
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump')]);
    },
    expect: { exit: 0, stderr: /Broken table detected/ },
  },
  {
    name: 'unknown-database',
    fault: 'the database does not exist',
    label: 'not_found',
    run: (c) => mydumper(c, ['-B', 'shopp', '-o', c.file('dump')]),
    expect: { exit: 'nonzero', stderr: /Unknown database/ },
  },
  {
    name: 'outdir-missing-parent',
    fault: '-o in a directory whose parent does not exist',
    label: 'config',
    run: (c) => mydumper(c, ['-B', 'shop', '-o', '/nonexistent/backups/shop']),
    expect: { exit: 'nonzero', stderr: /No such file/ },
  },
  {
    name: 'outdir-not-writable',
    fault: '-o in a read-only file system',
    label: 'config',
    run: async (c) => mydumper(c, ['-B', 'shop', '-o', path.join(await c.readOnlyDir(), 'dump')]),
    expect: { exit: 'nonzero', stderr: /Read-only|Permission/ },
  },
  {
    name: 'outdir-is-a-file',
    fault: '-o names a path below a regular file',
    label: 'config',
    run: async (c) => {
      await fsp.writeFile(c.file('not-a-dir'), 'x');
      return mydumper(c, ['-B', 'shop', '-o', path.join(c.file('not-a-dir'), 'dump')]);
    },
    expect: { exit: 'nonzero', stderr: /Not a directory/ },
  },
  {
    name: 'clean-defaults-file-missing',
    fault: 'no fault visible: --defaults-file names a file that does not exist; mydumper 0.10 ignores it and dumps',
    label: 'none',
    run: (c) => mydumper(c, ['--defaults-file', c.file('mydumper.cnf'), '-B', 'shop', '-o', c.file('dump')]),
    expect: { exit: 0 },
  },
  {
    name: 'long-query-guard',
    fault: 'a query has run longer than --long-query-guard=1 when mydumper wants its global lock',
    label: 'lock_timeout',
    run: async (c) => {
      await c.background('SELECT SLEEP(60) FROM shop.customers LIMIT 1');
      await c.waitState(/User sleep/);
      await sleep(2500);
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump'), '-l', '1']);
    },
    expect: { exit: 'nonzero', stderr: /long-query-guard|longer than/ },
  },
  {
    name: 'ftwrl-lock-wait-timeout',
    fault: 'FTWRL waits behind LOCK TABLES … WRITE held elsewhere; lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await c.hold('shop.orders');
      return mydumper(c, ['-B', 'shop', '-o', c.file('dump')]);
    },
    expect: { exit: 'nonzero', stderr: /Lock wait timeout/ },
  },
  {
    name: 'out-of-memory-prlimit',
    fault: 'mydumper runs under prlimit --as=150M and reads a 60 MB row (GLib aborts with SIGTRAP)',
    label: 'out_of_memory',
    server: BIG_PACKET,
    run: async (c) => {
      await bigRow(c, 60);
      return c.start('prlimit', [`--as=${150 << 20}`, '--', 'mydumper', ...c.mydumperConn(), '-B', 'shop', '-o', c.file('dump'), '-t', '1'], { tool: 'mydumper' });
    },
    expect: { signal: 'SIGTRAP', stderr: /failed to allocate/ },
  },
  {
    name: 'out-of-memory-seen-as-lost-connection',
    fault: 'mydumper runs under prlimit --as=60M and reads a 60 MB row: the client cannot grow its buffer and reports a lost connection',
    label: 'connection',
    server: BIG_PACKET,
    run: async (c) => {
      await bigRow(c, 60);
      return c.start('prlimit', [`--as=${60 << 20}`, '--', 'mydumper', ...c.mydumperConn(), '-B', 'shop', '-o', c.file('dump'), '-t', '1'], { tool: 'mydumper' });
    },
    expect: { exit: 'nonzero', stderr: /Lost connection/ },
  },
  {
    name: 'sigsegv',
    fault: 'mydumper died of SIGSEGV (sent while it waited for its global read lock)',
    label: 'unknown',
    run: (c) => heldMydumper(c, ['-B', 'shop', '-o', c.file('dump')], (r) => r.signal('SIGSEGV')),
    expect: { signal: 'SIGSEGV' },
  },
]);

// ---- myloader ---------------------------------------------------------------------------------

function myloader(c: Ctx, args: string[], user = 'restore', opts: StartOptions = {}): Running {
  return c.start('myloader', ['-h', '127.0.0.1', '-P', String(c.port), '-u', user, '-p', PW, ...args], opts);
}

/** A user allowed to restore anything. */
async function restoreUser(c: Ctx, grants = 'ALL PRIVILEGES ON *.*'): Promise<void> {
  await c.server.createUser('restore', PW, [grants]);
}

add('myloader', [
  {
    name: 'clean',
    fault: 'no fault: a mydumper dump loaded into a new database',
    label: 'none',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      return myloader(c, ['-d', dir, '-B', 'shop_restored']);
    },
    expect: { exit: 0 },
  },
  {
    name: 'clean-verbose',
    fault: 'no fault: -v 3 prints every step',
    label: 'none',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      return myloader(c, ['-d', dir, '-B', 'shop_restored', '-v', '3']);
    },
    expect: { exit: 0, stderr: /Thread \d+ restoring/ },
  },
  {
    name: 'clean-overwrite',
    fault: 'no fault: -o drops and reloads the existing tables, -v 3',
    label: 'none',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      return myloader(c, ['-d', dir, '-o', '-v', '3']);
    },
    expect: { exit: 0, stderr: /Dropping table/ },
  },
  {
    name: 'wrong-password',
    fault: "the restore user's password is wrong",
    label: 'auth',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      return c.start('myloader', ['-h', '127.0.0.1', '-P', String(c.port), '-u', 'backup', '-p', 'wrong', '-d', dir, '-B', 'shop2']);
    },
    expect: { exit: 'nonzero', stderr: /Access denied/ },
  },
  {
    name: 'no-create',
    fault: 'the restore user may insert but not create tables (the target database exists)',
    label: 'privilege',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c, 'SELECT, INSERT ON *.*');
      await c.server.query('CREATE DATABASE shop_restored');
      return myloader(c, ['-d', dir, '-B', 'shop_restored']);
    },
    expect: { exit: 'nonzero', stderr: /denied/ },
  },
  {
    name: 'no-drop-overwrite',
    fault: 'the restore user lacks DROP and -o asks to drop the existing tables',
    label: 'privilege',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c, 'SELECT, INSERT, CREATE, CREATE VIEW, ALTER, INDEX ON *.*');
      return myloader(c, ['-d', dir, '-o']);
    },
    expect: { exit: 'nonzero', stderr: /denied/ },
  },
  {
    name: 'closed-port',
    fault: 'nothing listens on the configured port',
    label: 'connection',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      return c.start('myloader', ['-h', '127.0.0.1', '-P', String(c.closedPort), '-u', 'restore', '-p', PW, '-d', dir]);
    },
    expect: { exit: 'nonzero', stderr: /Can't connect/ },
  },
  {
    name: 'server-killed-mid-restore',
    fault: 'mariadbd was SIGKILLed while myloader waited to drop a locked table',
    label: 'connection',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      await c.hold('shop.orders');
      return whileHeld(() => myloader(c, ['-d', dir, '-o']), () => c.waitState(/metadata lock/i, /orders/), () => c.server.kill('SIGKILL'));
    },
    expect: { exit: 'nonzero' },
  },
  {
    name: 'sigkill-mid-restore',
    fault: 'myloader was SIGKILLed while it waited to drop a locked table',
    label: 'killed',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      await c.hold('shop.orders');
      return whileHeld(() => myloader(c, ['-d', dir, '-o']), () => c.waitState(/metadata lock/i, /orders/), (r) => r.signal('SIGKILL'));
    },
    expect: { signal: 'SIGKILL' },
  },
  {
    name: 'sigterm-mid-restore',
    fault: 'myloader was SIGTERMed while it waited to drop a locked table',
    label: 'killed',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      await c.hold('shop.orders');
      return whileHeld(() => myloader(c, ['-d', dir, '-o', '-v', '3']), () => c.waitState(/metadata lock/i, /orders/), (r) => r.signal('SIGTERM'));
    },
    expect: { signal: 'SIGTERM' },
  },
  {
    name: 'table-full',
    fault: 'the tables are restored as MEMORY tables and max_heap_table_size is tiny (1114)',
    label: 'disk_full',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      // The schema files say ENGINE=InnoDB; make them MEMORY so the server runs out of table space.
      for (const f of await fsp.readdir(dir)) {
        if (!f.endsWith('-schema.sql')) continue;
        const sql = await fsp.readFile(path.join(dir, f), 'utf8');
        await fsp.writeFile(path.join(dir, f), sql.replace(/ENGINE=\w+/g, 'ENGINE=MEMORY'));
      }
      await c.server.query('SET GLOBAL max_heap_table_size = 65536');
      return myloader(c, ['-d', dir, '-B', 'shop_restored']);
    },
    expect: { exit: 'nonzero', stderr: /is full/ },
  },
  {
    name: 'tables-exist-without-overwrite',
    fault: 'restored into the database the dump came from without -o (--overwrite-tables)',
    label: 'config',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      return myloader(c, ['-d', dir]);
    },
    expect: { exit: 'nonzero', stderr: /already exists/ },
  },
  {
    name: 'directory-missing',
    fault: '-d names a directory that does not exist',
    label: 'config',
    run: async (c) => {
      await restoreUser(c);
      return myloader(c, ['-d', c.file('dump-2026-01-01')]);
    },
    expect: { exit: 'nonzero' },
  },
  {
    name: 'not-a-backup',
    fault: '-d names a directory that holds no mydumper backup',
    label: 'config',
    run: async (c) => {
      await restoreUser(c);
      await fsp.mkdir(c.file('empty'));
      return myloader(c, ['-d', c.file('empty')]);
    },
    expect: { exit: 'nonzero', stderr: /not a mydumper backup/ },
  },
  {
    name: 'no-directory',
    fault: 'no -d given',
    label: 'config',
    run: async (c) => {
      await restoreUser(c);
      return myloader(c, ['-B', 'shop']);
    },
    expect: { exit: 'nonzero', stderr: /directory/ },
  },
  {
    name: 'lock-wait-timeout',
    fault: 'myloader -o must drop a table locked elsewhere; lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await c.hold('shop.orders');
      return myloader(c, ['-d', dir, '-o']);
    },
    expect: { exit: 'nonzero', stderr: /Lock wait timeout/ },
  },
  {
    name: 'innodb-lock-wait-timeout',
    fault: 'rows myloader inserts are locked by another transaction; innodb_lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      const dir = await c.mydumperOutput();
      await restoreUser(c);
      // The restore goes into an empty copy whose key range another transaction holds locked.
      await c.server.exec('CREATE DATABASE shop_restored; CREATE TABLE shop_restored.customers LIKE shop.customers; SET GLOBAL innodb_lock_wait_timeout = 1;');
      const s = await c.session();
      await s.query('BEGIN');
      await s.query('SELECT * FROM shop_restored.customers WHERE id BETWEEN 1 AND 1000 FOR UPDATE');
      const schema = path.join(dir, 'shop.customers-schema.sql');
      await fsp.writeFile(schema, (await fsp.readFile(schema, 'utf8')).replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS'));
      return myloader(c, ['-d', dir, '-B', 'shop_restored']);
    },
    expect: { exit: 'nonzero', stderr: /Lock wait timeout/ },
  },
]);

// ---- mariadb-backup ---------------------------------------------------------------------------

function backup(c: Ctx, args: string[], opts: StartOptions = {}, program = 'mariadb-backup'): Running {
  return c.start(program, [...c.backupConn(), ...args], opts);
}

/** Garbage over page 3 (the clustered index root) of a shop table, flushed to disk first. */
async function corruptInnodbPage(c: Ctx, table: string, pageSize: number): Promise<void> {
  await c.server.query(`FLUSH TABLES shop.${table} FOR EXPORT`);
  await c.server.query('UNLOCK TABLES');
  await c.scribble(path.join(c.server.datadir, 'shop', `${table}.ibd`), 3 * pageSize + pageSize / 8, pageSize / 4);
}

/** mariadb-backup waits at BACKUP STAGE START behind a LOCK TABLES … WRITE. */
async function heldBackup(c: Ctx, fault: (r: Running) => Promise<void> | void): Promise<Running> {
  await c.hold('shop.legacy_log');
  return whileHeld(() => backup(c, [`--target-dir=${c.file('backup')}`]), () => c.waitState(/backup lock/i), fault);
}

add('mariadb-backup', [
  {
    name: 'clean-backup',
    fault: 'no fault: a full backup, its long informational log ending in completed OK!',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: (c) => backup(c, [`--target-dir=${c.file('backup')}`]),
    expect: OK_BACKUP,
  },
  {
    name: 'clean-backup-mariabackup',
    fault: 'no fault: a full backup run under the old name mariabackup',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: (c) => backup(c, [`--target-dir=${c.file('backup')}`, '--parallel=2'], {}, 'mariabackup'),
    expect: OK_BACKUP,
  },
  {
    name: 'clean-backup-socket',
    fault: 'no fault: a full backup over the unix socket with --slave-info on a server that is no replica',
    label: 'none',
    server: { grants: [...BACKUP_GRANTS, 'SLAVE MONITOR ON *.*'] },
    run: (c) =>
      c.start('mariadb-backup', ['--no-defaults', '--backup', `--socket=${c.server.socket}`, '--user=backup', `--password=${PW}`, `--datadir=${c.server.datadir}`, '--slave-info', `--target-dir=${c.file('backup')}`]),
    expect: OK_BACKUP,
  },
  {
    name: 'clean-stream',
    fault: 'no fault: --stream=xbstream to stdout (the stream goes to a file)',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: (c) => backup(c, ['--stream=xbstream', `--target-dir=${c.file('tmp')}`], { stdout: c.openFd(c.file('backup.xb'), 'w') }),
    expect: OK_BACKUP,
  },
  {
    name: 'clean-no-target-dir',
    fault: 'no --target-dir: mariadb-backup writes into ./xtrabackup_backupfiles and succeeds',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: (c) => backup(c, [], { cwd: c.work }),
    expect: OK_BACKUP,
  },
  {
    name: 'clean-prepare',
    fault: 'no fault: --prepare of a finished backup',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => c.start('mariadb-backup', ['--no-defaults', '--prepare', `--target-dir=${await c.physicalBackup()}`]),
    expect: OK_BACKUP,
  },
  {
    name: 'clean-prepare-mariabackup',
    fault: 'no fault: --prepare under the old name mariabackup, with --use-memory',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => c.start('mariabackup', ['--no-defaults', '--prepare', '--use-memory=64M', `--target-dir=${await c.physicalBackup()}`]),
    expect: OK_BACKUP,
  },
  {
    name: 'clean-databases-filter-nonexistent',
    fault: 'no fault visible: --databases names a database that does not exist; the backup completes',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: (c) => backup(c, [`--target-dir=${c.file('backup')}`, '--databases=crm']),
    expect: OK_BACKUP,
  },
  {
    name: 'wrong-password',
    fault: "the backup user's password is wrong",
    label: 'auth',
    server: { grants: BACKUP_GRANTS },
    run: (c) => c.start('mariadb-backup', [...c.backupConn('backup', 'wrong'), `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /Access denied/ },
  },
  {
    name: 'unknown-user',
    fault: 'the user does not exist',
    label: 'auth',
    server: { grants: BACKUP_GRANTS },
    run: (c) => c.start('mariadb-backup', [...c.backupConn('mariabackup', PW), `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /Access denied/ },
  },
  {
    name: 'datadir-unreadable',
    fault: "the tool's user cannot enter the server's datadir (mariadb-backup run as nobody, the datadir 0700)",
    label: 'config',
    server: { grants: BACKUP_GRANTS },
    run: (c) =>
      c.start('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'mariadb-backup', ...c.backupConn(), '--stream=mbstream', `--target-dir=${os.tmpdir()}`], {
        stdout: 'ignore',
        tool: 'mariadb-backup',
      }),
    expect: { exit: 'nonzero', stderr: /my_setwd\(\) failed/ },
  },
  {
    name: 'no-reload-process',
    fault: 'the backup user has SELECT only: no RELOAD, no PROCESS',
    label: 'privilege',
    server: { grants: ['SELECT ON *.*'] },
    run: (c) => backup(c, [`--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /missing required privilege/ },
  },
  {
    name: 'no-reload',
    fault: 'the backup user lacks RELOAD',
    label: 'privilege',
    server: { grants: ['SELECT, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.*'] },
    run: (c) => backup(c, [`--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /RELOAD/ },
  },
  {
    name: 'no-binlog-monitor',
    fault: 'the backup user lacks BINLOG MONITOR (SHOW MASTER STATUS at the end)',
    label: 'privilege',
    server: { grants: ['SELECT, RELOAD, PROCESS, LOCK TABLES ON *.*'] },
    run: (c) => backup(c, [`--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /BINLOG MONITOR/ },
  },
  {
    name: 'wrong-password-mariabackup',
    fault: "the backup user's password is wrong; the tool run under its old name mariabackup",
    label: 'auth',
    server: { grants: BACKUP_GRANTS },
    run: (c) => c.start('mariabackup', [...c.backupConn('backup', 'wrong'), `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /Access denied/ },
  },
  {
    name: 'no-reload-mariabackup',
    fault: 'the backup user lacks RELOAD; the tool run under its old name mariabackup',
    label: 'privilege',
    server: { grants: ['SELECT, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.*'] },
    run: (c) => c.start('mariabackup', [...c.backupConn(), `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /RELOAD/ },
  },
  {
    name: 'closed-port',
    fault: 'nothing listens on the configured port',
    label: 'connection',
    run: (c) =>
      c.start('mariadb-backup', ['--no-defaults', '--backup', '--host=127.0.0.1', `--port=${c.closedPort}`, '--user=backup', `--password=${PW}`, `--datadir=${c.server.datadir}`, `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /connect/i },
  },
  {
    name: 'missing-socket',
    fault: 'the unix socket does not exist',
    label: 'connection',
    run: (c) =>
      c.start('mariadb-backup', ['--no-defaults', '--backup', `--socket=${c.file('mysqld.sock')}`, '--user=backup', `--password=${PW}`, `--datadir=${c.server.datadir}`, `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /connect/i },
  },
  {
    name: 'server-killed-mid-backup',
    fault: 'mariadbd was SIGKILLed while the backup waited for its backup lock',
    label: 'connection',
    server: { grants: BACKUP_GRANTS },
    run: (c) => heldBackup(c, () => c.server.kill('SIGKILL')),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'server-restarted-mid-backup',
    fault: 'mariadbd was shut down cleanly and restarted while the backup waited for its backup lock',
    label: 'connection',
    server: { grants: BACKUP_GRANTS },
    run: (c) => heldBackup(c, () => c.restartServer()),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'too-many-connections',
    fault: "the server's max_connections are all taken",
    label: 'connection',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      await exhaustConnections(c);
      return backup(c, [`--target-dir=${c.file('backup')}`]);
    },
    expect: { exit: 'nonzero', stderr: /Too many connections/ },
  },
  {
    name: 'kill-connection',
    fault: "the backup's session was ended with KILL CONNECTION while it waited for its backup lock",
    label: 'connection',
    server: { grants: BACKUP_GRANTS },
    run: (c) => heldBackup(c, () => killSession(c, 'CONNECTION', 'backup', /BACKUP STAGE/)),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'sigkill-mid-backup',
    fault: 'mariadb-backup was SIGKILLed while it waited for its backup lock',
    label: 'killed',
    server: { grants: BACKUP_GRANTS },
    run: (c) => heldBackup(c, (r) => r.signal('SIGKILL')),
    expect: { signal: 'SIGKILL' },
  },
  {
    name: 'clean-sigterm-ignored',
    fault: 'mariadb-backup got SIGTERM while it waited for its backup lock; it ignored it and completed once the lock went away',
    label: 'none',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      const release = await c.hold('shop.legacy_log');
      return whileHeld(() => backup(c, [`--target-dir=${c.file('backup')}`]), () => c.waitState(/backup lock/i), async (r) => {
        r.signal('SIGTERM');
        await sleep(1000);
        await release();
      });
    },
    expect: OK_BACKUP,
  },
  {
    name: 'sigint-mid-backup',
    fault: 'mariadb-backup was interrupted (SIGINT) while it waited for its backup lock',
    label: 'killed',
    server: { grants: BACKUP_GRANTS },
    run: (c) => heldBackup(c, (r) => r.signal('SIGINT')),
    expect: { signal: 'SIGINT' },
  },
  {
    name: 'kill-query',
    fault: "the backup's BACKUP STAGE was ended with KILL QUERY",
    label: 'killed',
    server: { grants: BACKUP_GRANTS },
    run: (c) => heldBackup(c, () => killSession(c, 'QUERY', 'backup', /BACKUP STAGE/)),
    expect: { exit: 'nonzero', stderr: /interrupted/ },
  },
  {
    name: 'target-tmpfs-full',
    fault: '--target-dir on a 2 MB tmpfs',
    label: 'disk_full',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => backup(c, [`--target-dir=${path.join(await c.tmpfs('2m'), 'backup')}`]),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'stream-dev-full',
    fault: '--stream=xbstream to stdout redirected to /dev/full',
    label: 'disk_full',
    server: { grants: BACKUP_GRANTS },
    run: (c) => backup(c, ['--stream=xbstream', `--target-dir=${c.file('tmp')}`], { stdout: c.openFd('/dev/full', 'w') }),
    expect: { exit: 'nonzero' },
  },
  {
    // The bad page is printed after the error, in hex and as text: with 16 KiB pages the 16 KiB
    // the agent keeps hold only the page as text and the final "failed to copy datafile".
    name: 'innodb-page-corrupt',
    fault: 'an InnoDB page of shop.customers was overwritten with garbage on disk (16 KiB page)',
    label: 'corruption',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      await corruptInnodbPage(c, 'customers', 16384);
      return backup(c, [`--target-dir=${c.file('backup')}`]);
    },
    expect: { exit: 'nonzero', stderr: /failed to copy datafile/ },
  },
  {
    name: 'innodb-page-corrupt-compressed',
    fault: 'an InnoDB page of a ROW_FORMAT=COMPRESSED table (1 KiB pages) was overwritten with garbage on disk',
    label: 'corruption',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      await c.server.exec(`USE shop; CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(200)) ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=1;
        INSERT INTO notes SELECT seq, REPEAT(MD5(seq), 4) FROM seq_1_to_2000;`);
      await corruptInnodbPage(c, 'notes', 1024);
      return backup(c, [`--target-dir=${c.file('backup')}`]);
    },
    expect: { exit: 'nonzero', stderr: /corrupt/ },
  },
  {
    name: 'target-holds-backup',
    fault: '--target-dir already holds a backup',
    label: 'config',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => backup(c, [`--target-dir=${await c.physicalBackup()}`]),
    expect: { exit: 'nonzero', stderr: /File exists|exists/ },
  },
  {
    name: 'target-not-writable',
    fault: '--target-dir on a read-only file system',
    label: 'config',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => backup(c, [`--target-dir=${path.join(await c.readOnlyDir(), 'backup')}`]),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'prepare-not-a-backup',
    fault: '--prepare of a directory that holds no backup',
    label: 'config',
    server: false,
    run: async (c) => {
      await fsp.mkdir(c.file('backup'));
      return c.start('mariadb-backup', ['--no-defaults', '--prepare', `--target-dir=${c.file('backup')}`]);
    },
    expect: { exit: 'nonzero', stderr: /backup-my.cnf/ },
  },
  {
    name: 'prepare-missing-dir',
    fault: '--prepare of a directory that does not exist',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-backup', ['--no-defaults', '--prepare', `--target-dir=${c.file('backup-2026-01-01')}`]),
    expect: { exit: 'nonzero', stderr: /No such file/ },
  },
  {
    name: 'copy-back-datadir-not-empty',
    fault: '--copy-back into a data directory that is not empty',
    label: 'config',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      const dir = await c.physicalBackup();
      await fsp.mkdir(c.file('datadir'));
      await fsp.writeFile(c.file('datadir/ibdata1'), 'x');
      return c.start('mariadb-backup', ['--no-defaults', '--copy-back', `--target-dir=${dir}`, `--datadir=${c.file('datadir')}`]);
    },
    expect: { exit: 'nonzero', stderr: /not empty/ },
  },
  {
    name: 'unknown-option',
    fault: 'an option mariadb-backup does not know (an xtrabackup 8 option)',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-backup', ['--no-defaults', '--backup', '--lock-ddl-timeout=10', `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero', stderr: /unknown/ },
  },
  {
    name: 'defaults-file-missing',
    fault: '--defaults-file names a file that does not exist',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb-backup', [`--defaults-file=${c.file('backup.cnf')}`, '--backup', `--target-dir=${c.file('backup')}`]),
    expect: { exit: 'nonzero' },
  },
  {
    name: 'ftwrl-wait-timeout',
    fault: 'a long query runs when the backup wants its lock; --ftwrl-wait-timeout=1',
    label: 'lock_timeout',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      await c.background('SELECT SLEEP(60) FROM shop.legacy_log LIMIT 1');
      await c.waitState(/User sleep/);
      await sleep(1500);
      return backup(c, [`--target-dir=${c.file('backup')}`, '--ftwrl-wait-timeout=1', '--ftwrl-wait-threshold=1']);
    },
    expect: { exit: 'nonzero', stderr: /Unable to obtain lock/ },
  },
  {
    name: 'out-of-memory-prepare',
    fault: '--prepare with --use-memory=2G under prlimit --as=1G',
    label: 'out_of_memory',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      const dir = await c.physicalBackup();
      return c.start('prlimit', [`--as=${1 << 30}`, '--', 'mariadb-backup', '--no-defaults', '--prepare', '--use-memory=2G', `--target-dir=${dir}`], { tool: 'mariadb-backup' });
    },
    expect: { exit: 'nonzero' },
  },
  {
    name: 'sigsegv',
    fault: 'mariadb-backup died of SIGSEGV (sent while it waited for its backup lock)',
    label: 'unknown',
    server: { grants: BACKUP_GRANTS },
    run: (c) => heldBackup(c, (r) => r.signal('SIGSEGV')),
    expect: { signal: 'SIGSEGV' },
  },
]);

// ---- the mariadb client (restores, checks) ----------------------------------------------------

function client(c: Ctx, args: string[], opts: StartOptions = {}, user = 'restore'): Running {
  return c.start('mariadb', [...c.client(user), ...args], opts);
}

/** mariadb < shop.sql into shop_restored, as a restore does. */
async function restore(c: Ctx, args: string[] = [], dumpArgs: string[] = []): Promise<Running> {
  const file = await c.sqlDump(dumpArgs);
  await c.server.query('CREATE DATABASE IF NOT EXISTS shop_restored');
  return client(c, [...args, 'shop_restored'], { stdin: c.openFd(file, 'r') });
}

add('mariadb-client', [
  {
    name: 'clean-restore',
    fault: 'no fault: a dump restored with mariadb < file',
    label: 'none',
    run: async (c) => {
      await restoreUser(c);
      return restore(c);
    },
    expect: { exit: 0 },
  },
  {
    name: 'clean-restore-verbose',
    fault: 'no fault: a restore with -v --show-warnings; the dump triggers a warning',
    label: 'none',
    run: async (c) => {
      await restoreUser(c);
      return restore(c, ['-v', '--show-warnings', '--force']);
    },
    expect: { exit: 0 },
  },
  {
    name: 'clean-query-warning',
    fault: 'no fault: a statement that truncates a value under a non-strict sql_mode prints a warning',
    label: 'none',
    run: async (c) => {
      await restoreUser(c);
      return client(c, ['--show-warnings', '-e', "SET SESSION sql_mode=''; CREATE TEMPORARY TABLE t (v VARCHAR(3)); INSERT INTO t VALUES ('truncated'); SELECT COUNT(*) FROM orders", 'shop']);
    },
    expect: { exit: 0 },
  },
  {
    name: 'wrong-password',
    fault: "the restore user's password is wrong",
    label: 'auth',
    run: async (c) => {
      await restoreUser(c);
      return c.start('mariadb', [...c.client('restore', 'wrong'), '-e', 'SELECT 1']);
    },
    expect: { exit: 1, stderr: /1045/ },
  },
  {
    name: 'expired-password',
    fault: "the user's password has expired",
    label: 'auth',
    run: async (c) => {
      await restoreUser(c);
      await c.server.exec("ALTER USER 'restore'@'%' PASSWORD EXPIRE;");
      return client(c, ['-e', 'SELECT COUNT(*) FROM shop.orders']);
    },
    expect: { exit: 1, stderr: /18[26]\d|expired|SET PASSWORD/ },
  },
  {
    name: 'locked-account',
    fault: 'the account is locked',
    label: 'auth',
    run: async (c) => {
      await restoreUser(c);
      await c.server.exec("ALTER USER 'restore'@'%' ACCOUNT LOCK;");
      return client(c, ['-e', 'SELECT 1']);
    },
    expect: { exit: 1, stderr: /locked/ },
  },
  {
    name: 'unix-socket-account',
    fault: 'the account authenticates with unix_socket and the OS user is someone else',
    label: 'auth',
    run: async (c) => {
      await c.server.exec("CREATE USER 'restore'@'localhost' IDENTIFIED VIA unix_socket;");
      return c.start('mariadb', ['--no-defaults', `--socket=${c.server.socket}`, '--user=restore', '-e', 'SELECT 1']);
    },
    expect: { exit: 1, stderr: /1698/ },
  },
  {
    name: 'no-create',
    fault: 'the restore user may insert but not create tables',
    label: 'privilege',
    run: async (c) => {
      await restoreUser(c, 'SELECT, INSERT ON *.*');
      return restore(c);
    },
    expect: { exit: 1, stderr: /denied/ },
  },
  {
    name: 'no-super-binlog',
    fault: 'the dump disables the binary log (SET sql_log_bin=0) and the restore user lacks the privilege',
    label: 'privilege',
    run: async (c) => {
      await restoreUser(c, 'ALL PRIVILEGES ON shop_restored.*');
      const file = c.file('restore.sql');
      await fsp.writeFile(file, 'SET SESSION sql_log_bin = 0;\nCREATE TABLE t (id INT);\n');
      await c.server.query('CREATE DATABASE shop_restored');
      return client(c, ['shop_restored'], { stdin: c.openFd(file, 'r') });
    },
    expect: { exit: 1, stderr: /denied/ },
  },
  {
    name: 'closed-port',
    fault: 'nothing listens on the configured port',
    label: 'connection',
    server: false,
    run: (c) => c.start('mariadb', ['--no-defaults', '--host=127.0.0.1', `--port=${c.closedPort}`, '--user=restore', `--password=${PW}`, '-e', 'SELECT 1']),
    expect: { exit: 1, stderr: /2002|2003/ },
  },
  {
    name: 'missing-socket',
    fault: 'the unix socket does not exist',
    label: 'connection',
    server: false,
    run: (c) => c.start('mariadb', ['--no-defaults', `--socket=${c.file('mysqld.sock')}`, '--user=restore', `--password=${PW}`, '-e', 'SELECT 1']),
    expect: { exit: 1, stderr: /2002/ },
  },
  {
    name: 'unknown-host',
    fault: 'the host name does not resolve',
    label: 'connection',
    server: false,
    run: (c) => c.start('mariadb', ['--no-defaults', '--host=db-replica.invalid', '--user=restore', `--password=${PW}`, '-e', 'SELECT 1']),
    expect: { exit: 1, stderr: /2005/ },
  },
  {
    name: 'kill-connection',
    fault: "the client's session was ended with KILL CONNECTION during a long query",
    label: 'connection',
    run: async (c) => {
      await restoreUser(c);
      const r = client(c, ['-e', 'SELECT SLEEP(30)']);
      await c.waitState(/User sleep/);
      await killSession(c, 'CONNECTION', 'restore');
      return r;
    },
    expect: { exit: 1 },
  },
  {
    name: 'server-killed',
    fault: 'mariadbd was SIGKILLed during a restore that waited on a lock',
    label: 'connection',
    run: async (c) => {
      await restoreUser(c);
      const file = await c.sqlDump();
      await c.hold('shop.orders');
      return whileHeld(() => client(c, ['shop'], { stdin: c.openFd(file, 'r') }), () => c.waitState(/metadata lock/i), () => c.server.kill('SIGKILL'));
    },
    expect: { exit: 1, stderr: /2013|Lost connection/ },
  },
  {
    name: 'too-many-connections',
    fault: "the server's max_connections are all taken",
    label: 'connection',
    run: async (c) => {
      await c.server.createUser('restore', PW, ['SELECT ON shop.*']);
      await exhaustConnections(c);
      return client(c, ['-e', 'SELECT 1']);
    },
    expect: { exit: 1, stderr: /1040/ },
  },
  {
    name: 'handshake-timeout',
    fault: 'something listens on the port but never answers; --connect-timeout=1',
    label: 'connection',
    server: false,
    run: async (c) => {
      const port = await listener(c, 'silent');
      return c.start('mariadb', ['--no-defaults', '--host=127.0.0.1', `--port=${port}`, '--connect-timeout=1', '--user=restore', `--password=${PW}`, '-e', 'SELECT 1']);
    },
    expect: { exit: 1, stderr: /2013|handshake/ },
  },
  {
    name: 'kill-query',
    fault: "the client's query was ended with KILL QUERY",
    label: 'killed',
    run: async (c) => {
      await restoreUser(c);
      const r = client(c, ['-e', 'SELECT SLEEP(30) FROM shop.customers LIMIT 1; SELECT 1']);
      await c.waitState(/User sleep/);
      await killSession(c, 'QUERY', 'restore');
      return r;
    },
    expect: { exit: 1, stderr: /1317|interrupted/ },
  },
  {
    name: 'sigterm',
    fault: 'the client was SIGTERMed during a long query',
    label: 'killed',
    run: async (c) => {
      await restoreUser(c);
      const r = client(c, ['-e', 'SELECT SLEEP(30)']);
      await c.waitState(/User sleep/);
      r.signal('SIGTERM');
      return r;
    },
    expect: { signal: 'SIGTERM' },
  },
  {
    name: 'max-statement-time',
    fault: "the user's MAX_STATEMENT_TIME 0.01 ends a long query",
    label: 'timeout',
    run: async (c) => {
      await restoreUser(c);
      await c.server.exec("ALTER USER 'restore'@'%' WITH MAX_STATEMENT_TIME 0.01;");
      return client(c, ['-e', 'SELECT COUNT(*) FROM shop.orders a, shop.customers b WHERE a.note > b.name']);
    },
    expect: { exit: 1, stderr: /max_statement_time|1969/ },
  },
  {
    name: 'table-full',
    fault: 'a restore into a MEMORY table with max_heap_table_size tiny (1114)',
    label: 'disk_full',
    run: async (c) => {
      await restoreUser(c);
      await c.server.query('SET GLOBAL max_heap_table_size = 65536');
      const file = await c.sqlDump();
      const sql = (await fsp.readFile(file, 'utf8')).replace(/ENGINE=\w+/g, 'ENGINE=MEMORY');
      await fsp.writeFile(file, sql);
      await c.server.query('CREATE DATABASE shop_restored');
      return client(c, ['shop_restored'], { stdin: c.openFd(file, 'r') });
    },
    expect: { exit: 1, stderr: /1114|is full/ },
  },
  {
    name: 'tmpdir-full',
    fault: "the server's tmpdir is a 2 MB tmpfs and a query needs a large on-disk temporary table",
    label: 'disk_full',
    server: false,
    run: async (c) => {
      const tmp = await c.tmpfs('2m');
      const server = await startMariaDB({ extraArgs: [`--tmpdir=${tmp}`, '--max-heap-table-size=16384', '--tmp-table-size=16384'] });
      c.defer(() => server.cleanup());
      c.replacements.push([server.baseDir, `${NEUTRAL}/mariadb`]);
      await server.exec(shopSql(100_000));
      return c.start('mariadb', ['--no-defaults', `--socket=${server.socket}`, '--user=root', '-e', 'SELECT note, COUNT(*) FROM shop.orders GROUP BY note, id ORDER BY 2 DESC LIMIT 1']);
    },
    expect: { exit: 1 },
  },
  {
    name: 'myisam-crashed',
    fault: "a check query reads a MyISAM table whose data file (.MYD) was cut short",
    label: 'corruption',
    run: async (c) => {
      await restoreUser(c);
      await c.server.query('FLUSH TABLES');
      await fsp.truncate(path.join(c.server.datadir, 'shop', 'legacy_log.MYD'), 5000);
      return client(c, ['-e', 'SELECT COUNT(*), MAX(msg) FROM shop.legacy_log']);
    },
    expect: { exit: 1, stderr: /crashed|1194|145|127/ },
  },
  {
    name: 'aria-checksum',
    fault: 'a check query reads an Aria table one of whose data pages was overwritten with garbage',
    label: 'corruption',
    run: async (c) => {
      await restoreUser(c);
      await c.server.query('FLUSH TABLES');
      await c.scribble(path.join(c.server.datadir, 'shop', 'sessions.MAD'), 8192, 8192);
      return client(c, ['-e', 'SELECT COUNT(*), MAX(token) FROM shop.sessions']);
    },
    expect: { exit: 1, stderr: /176|checksum|crashed/ },
  },
  {
    name: 'default-charset-unknown',
    fault: '--default-character-set names a character set that does not exist',
    label: 'charset',
    run: (c) => c.start('mariadb', [...c.client('backup'), '--default-character-set=utf8mb5', '-e', 'SELECT 1']),
    expect: { exit: 1, stderr: /character set/i },
  },
  {
    name: 'incorrect-string-value',
    // A mariadb-dump file sets a non-strict sql_mode and converts silently; a plain script does not.
    fault: "a load script writes emoji into a latin1 column under the server's strict sql_mode (1366)",
    label: 'charset',
    run: async (c) => {
      await restoreUser(c);
      await c.server.exec('CREATE TABLE shop.legacy_names (id INT PRIMARY KEY, name VARCHAR(64)) CHARACTER SET latin1;');
      const file = c.file('names.sql');
      await fsp.writeFile(file, "INSERT INTO legacy_names VALUES (1, 'Seán');\nINSERT INTO legacy_names VALUES (2, 'Zoë 😀 Ångström');\n");
      return client(c, ['--default-character-set=utf8mb4', 'shop'], { stdin: c.openFd(file, 'r') });
    },
    expect: { exit: 1, stderr: /1366/ },
  },
  {
    name: 'illegal-mix-of-collations',
    fault: 'a check query joins columns of two different collations (1267)',
    label: 'charset',
    run: async (c) => {
      await restoreUser(c);
      await c.server.exec("CREATE TABLE shop.legacy_names (name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci); INSERT INTO shop.legacy_names VALUES ('x');");
      return client(c, ['-e', 'SELECT COUNT(*) FROM shop.customers c JOIN shop.legacy_names l ON c.name = l.name']);
    },
    expect: { exit: 1, stderr: /1253|1267|collation/i },
  },
  {
    name: 'unknown-database',
    fault: 'the database to restore into does not exist',
    label: 'not_found',
    run: async (c) => {
      await restoreUser(c);
      const file = await c.sqlDump();
      return client(c, ['shop_restored'], { stdin: c.openFd(file, 'r') });
    },
    expect: { exit: 1, stderr: /1049/ },
  },
  {
    name: 'unknown-table',
    fault: 'a verification query names a table that does not exist (1146)',
    label: 'not_found',
    run: async (c) => {
      await restoreUser(c);
      return client(c, ['-e', 'SELECT COUNT(*) FROM shop.invoices']);
    },
    expect: { exit: 1, stderr: /1146/ },
  },
  {
    name: 'view-base-table-dropped',
    fault: 'a query through a view whose base table was dropped (1356)',
    label: 'not_found',
    run: async (c) => {
      await restoreUser(c);
      await c.server.exec('CREATE TABLE shop.refunds (id INT); CREATE VIEW shop.refund_view AS SELECT id FROM shop.refunds; DROP TABLE shop.refunds;');
      return client(c, ['-e', 'SELECT COUNT(*) FROM shop.refund_view']);
    },
    expect: { exit: 1, stderr: /1356/ },
  },
  {
    name: 'definer-dropped',
    fault: "a restore calls a view whose DEFINER user does not exist (1449)",
    label: 'not_found',
    run: async (c) => {
      await restoreUser(c);
      await c.server.exec(`CREATE USER 'ghost'@'%'; GRANT ALL ON shop.* TO 'ghost'@'%';
        CREATE DEFINER='ghost'@'%' VIEW shop.customer_emails AS SELECT email FROM shop.customers;
        DROP USER 'ghost'@'%';`);
      return client(c, ['-e', 'SELECT COUNT(*) FROM shop.customer_emails']);
    },
    expect: { exit: 1, stderr: /1449/ },
  },
  {
    name: 'unknown-option',
    fault: 'an option the client does not know',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb', ['--no-defaults', '--ssl-mode=REQUIRED', '-e', 'SELECT 1']),
    expect: { exit: 'nonzero', stderr: /unknown/ },
  },
  {
    name: 'defaults-file-missing',
    fault: '--defaults-file names a file that does not exist',
    label: 'config',
    server: false,
    run: (c) => c.start('mariadb', [`--defaults-file=${c.file('restore.cnf')}`, '-e', 'SELECT 1']),
    expect: { exit: 'nonzero', stderr: /defaults file/ },
  },
  {
    name: 'lock-wait-timeout',
    fault: 'a restore must drop a table locked elsewhere; lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      await restoreUser(c);
      const file = await c.sqlDump();
      await c.server.query('SET GLOBAL lock_wait_timeout = 1');
      await c.hold('shop.orders');
      return client(c, ['shop'], { stdin: c.openFd(file, 'r') });
    },
    expect: { exit: 1, stderr: /1205/ },
  },
  {
    name: 'innodb-lock-wait-timeout',
    fault: 'a row the client updates is locked by another transaction; innodb_lock_wait_timeout=1',
    label: 'lock_timeout',
    run: async (c) => {
      await restoreUser(c);
      await c.server.query('SET GLOBAL innodb_lock_wait_timeout = 1');
      const s = await c.session();
      await s.query('BEGIN');
      await s.query('UPDATE shop.customers SET name = name WHERE id = 1');
      return client(c, ['-e', "UPDATE shop.customers SET email = 'x@example.com' WHERE id = 1"]);
    },
    expect: { exit: 1, stderr: /1205/ },
  },
  {
    name: 'deadlock',
    fault: 'two transactions lock rows in opposite orders; the client is the victim (1213)',
    label: 'lock_timeout',
    run: async (c) => {
      await restoreUser(c);
      const s = await c.session();
      // The other transaction changes many rows, so InnoDB picks the client's smaller one as the victim.
      await s.query('BEGIN');
      await s.query('UPDATE shop.orders SET total = total WHERE id <= 2000');
      await s.query('UPDATE shop.customers SET name = name WHERE id = 2');
      const r = client(c, ['-e', 'BEGIN; UPDATE shop.customers SET name = name WHERE id = 1; UPDATE shop.customers SET name = name WHERE id = 2; COMMIT;']);
      await c.waitState(/./, /id = 2/);
      s.query('UPDATE shop.customers SET name = name WHERE id = 1').catch(() => undefined);
      return r;
    },
    expect: { exit: 1, stderr: /1213/ },
  },
  {
    name: 'sigsegv',
    fault: 'the client died of SIGSEGV during a long query: a crash',
    label: 'unknown',
    run: async (c) => {
      const r = client(c, ['-e', 'SELECT SLEEP(30)'], {}, 'backup');
      await c.waitState(/User sleep/);
      r.signal('SIGSEGV');
      return r;
    },
    expect: { signal: 'SIGSEGV' },
  },
  {
    name: 'out-of-memory-prlimit',
    fault: 'the client runs under prlimit --as=100M and reads a 60 MB row',
    label: 'out_of_memory',
    server: BIG_PACKET,
    run: async (c) => {
      await bigRow(c, 60);
      return c.start('prlimit', [`--as=${100 << 20}`, '--', 'mariadb', ...c.client(), '--max-allowed-packet=1G', '-e', 'SELECT body FROM shop.attachments'], { tool: 'mariadb' });
    },
    expect: { exit: 1, stderr: /2008|memory/ },
  },
]);

// ---- shell wrappers (bash -c, pipelines, timeout(1)) -----------------------------------------

/** A bash wrapper around a command line; the tool named in the evidence is the one inside. */
function shell(c: Ctx, script: string, tool: string, opts: StartOptions = {}): Running {
  return c.start(BASH, ['-c', script], { tool, ...opts });
}

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
const dumpLine = (c: Ctx, args: string[]) => ['mariadb-dump', ...c.client(), ...args].map(q).join(' ');

/** A wrapper script whose dump waits on shop.orders; `fault` acts on the tool inside. */
async function heldShell(c: Ctx, script: string, tool: string, fault: (r: Running) => Promise<void>): Promise<Running> {
  await c.hold('shop.orders');
  return whileHeld(() => shell(c, script, tool), () => c.waitState(/metadata lock|lock|flush/i), fault);
}

add('shell', [
  {
    name: 'clean-pipeline-zstd',
    fault: 'no fault: mariadb-dump | zstd > file under pipefail',
    label: 'none',
    run: (c) => shell(c, `set -o pipefail; ${dumpLine(c, ['--single-transaction', 'shop'])} | zstd -q -3 > ${q(c.file('shop.sql.zst'))}`, 'mariadb-dump'),
    expect: { exit: 0 },
  },
  {
    name: 'bash-sigkill',
    fault: 'the dump under bash -c was SIGKILLed while it waited on a table lock: bash reports 137',
    label: 'killed',
    run: (c) => heldShell(c, `${dumpLine(c, ['--single-transaction', 'shop'])} > ${q(c.file('shop.sql'))}; exit $?`, 'mariadb-dump', (r) => r.signalDescendant('mariadb-dump', 'SIGKILL')),
    expect: { exit: 137 },
  },
  {
    name: 'bash-sigterm',
    fault: 'the dump under bash -c was SIGTERMed while it waited on a table lock: bash reports 143',
    label: 'killed',
    run: (c) => heldShell(c, `${dumpLine(c, ['--single-transaction', 'shop'])} > ${q(c.file('shop.sql'))}; exit $?`, 'mariadb-dump', (r) => r.signalDescendant('mariadb-dump', 'SIGTERM')),
    expect: { exit: 143 },
  },
  {
    name: 'bash-sigint',
    fault: 'the dump under bash -c was interrupted (SIGINT) while it waited on a table lock: bash reports 130',
    label: 'killed',
    run: (c) => heldShell(c, `${dumpLine(c, ['--single-transaction', 'shop'])} > ${q(c.file('shop.sql'))}; exit $?`, 'mariadb-dump', (r) => r.signalDescendant('mariadb-dump', 'SIGINT')),
    expect: { exit: 130 },
  },
  {
    name: 'pipeline-sigkill',
    fault: 'the dump in mariadb-dump | zstd (pipefail) was SIGKILLed while it waited on a table lock',
    label: 'killed',
    run: (c) =>
      heldShell(c, `set -o pipefail; ${dumpLine(c, ['--single-transaction', 'shop'])} | zstd -q > ${q(c.file('shop.sql.zst'))}`, 'mariadb-dump', (r) => r.signalDescendant('mariadb-dump', 'SIGKILL')),
    expect: { exit: 137 },
  },
  {
    name: 'mydumper-bash-sigkill',
    fault: 'mydumper under bash -c was SIGKILLed while it waited for its global read lock',
    label: 'killed',
    run: (c) => heldShell(c, `mydumper ${c.mydumperConn().map(q).join(' ')} -B shop -o ${q(c.file('dump'))}; exit $?`, 'mydumper', (r) => r.signalDescendant('mydumper', 'SIGKILL')),
    expect: { exit: 137 },
  },
  {
    name: 'mariadb-backup-bash-sigint',
    fault: 'mariadb-backup under bash -c was interrupted (SIGINT) while it waited for its backup lock: bash reports 130',
    label: 'killed',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      await c.hold('shop.legacy_log');
      const line = ['mariadb-backup', ...c.backupConn(), `--target-dir=${c.file('backup')}`].map(q).join(' ');
      return whileHeld(() => shell(c, `${line}; exit $?`, 'mariadb-backup'), () => c.waitState(/backup lock/i), (r) => r.signalDescendant('mariadb-backup', 'SIGINT'));
    },
    expect: { exit: 130 },
  },
  {
    name: 'timeout-dump',
    fault: 'timeout 2 mariadb-dump …, the dump held on a table lock: exit 124',
    label: 'timeout',
    run: async (c) => {
      await c.hold('shop.orders');
      return c.start('timeout', ['2', 'mariadb-dump', ...c.client(), '--single-transaction', 'shop'], { tool: 'mariadb-dump', stdout: 'tail' });
    },
    expect: { exit: 124 },
    stdoutTail: true,
  },
  {
    name: 'timeout-dump-bash',
    fault: "bash -c 'timeout 2 mariadb-dump … | zstd', the dump held on a table lock",
    label: 'timeout',
    run: async (c) => {
      await c.hold('shop.orders');
      return shell(c, `set -o pipefail; timeout 2 ${dumpLine(c, ['--single-transaction', 'shop'])} | zstd -q > ${q(c.file('shop.sql.zst'))}`, 'mariadb-dump');
    },
    expect: { exit: 124 },
  },
  {
    name: 'timeout-mydumper',
    fault: 'timeout 2 mydumper …, mydumper held at its global read lock: exit 124',
    label: 'timeout',
    run: async (c) => {
      await c.hold('shop.orders');
      return c.start('timeout', ['2', 'mydumper', ...c.mydumperConn(), '-B', 'shop', '-o', c.file('dump')], { tool: 'mydumper' });
    },
    expect: { exit: 124 },
  },
  {
    name: 'timeout-mariadb-backup',
    fault: 'timeout -s INT 3 mariadb-backup …, the backup held at its backup lock: exit 124',
    label: 'timeout',
    server: { grants: BACKUP_GRANTS },
    run: async (c) => {
      await c.hold('shop.legacy_log');
      // mariadb-backup ignores SIGTERM while it waits for a lock; timeout's -s INT ends it.
      return c.start('timeout', ['-s', 'INT', '3', 'mariadb-backup', ...c.backupConn(), `--target-dir=${c.file('backup')}`], { tool: 'mariadb-backup' });
    },
    expect: { exit: 124 },
  },
  {
    name: 'timeout-client',
    fault: 'timeout 2 mariadb -e "SELECT SLEEP(30)": exit 124',
    label: 'timeout',
    run: (c) => c.start('timeout', ['2', 'mariadb', ...c.client(), '-e', 'SELECT SLEEP(30)'], { tool: 'mariadb' }),
    expect: { exit: 124 },
  },
  {
    name: 'command-not-found-bash',
    fault: 'mariadb-dump is not installed (not on PATH): bash reports 127',
    label: 'not_found',
    server: false,
    run: (c) => shell(c, `mariadb-dump --single-transaction shop > ${q(c.file('shop.sql'))}`, 'mariadb-dump', { env: { PATH: c.file('empty-bin') } }),
    versionOf: BASH,
    expect: { exit: 127, stderr: /not found/ },
  },
  {
    name: 'command-not-found-sh',
    fault: 'mariadb-dump is not installed (not on PATH): sh (dash) reports 127',
    label: 'not_found',
    server: false,
    run: (c) => c.start('/bin/sh', ['-c', `mariadb-dump --single-transaction shop > ${q(c.file('shop.sql'))}`], { tool: 'mariadb-dump', env: { PATH: c.file('empty-bin') } }),
    versionOf: '/bin/sh',
    expect: { exit: 127, stderr: /not found/ },
  },
  {
    name: 'mydumper-not-found',
    fault: 'mydumper is not installed: bash reports 127',
    label: 'not_found',
    server: false,
    run: (c) => shell(c, `mydumper -B shop -o ${q(c.file('dump'))}`, 'mydumper', { env: { PATH: c.file('empty-bin') } }),
    versionOf: BASH,
    expect: { exit: 127, stderr: /not found/ },
  },
  {
    name: 'mariadb-backup-not-found',
    fault: 'mariadb-backup is not installed: bash reports 127',
    label: 'not_found',
    server: false,
    run: (c) => shell(c, `mariadb-backup --backup --target-dir=${q(c.file('backup'))}`, 'mariadb-backup', { env: { PATH: c.file('empty-bin') } }),
    versionOf: BASH,
    expect: { exit: 127, stderr: /not found/ },
  },
  {
    name: 'redirect-missing-dir',
    fault: 'the shell redirects the dump into a directory that does not exist',
    label: 'config',
    run: (c) => shell(c, `${dumpLine(c, ['--single-transaction', 'shop'])} > /nonexistent/backups/shop.sql`, 'mariadb-dump'),
    expect: { exit: 1, stderr: /No such file/ },
  },
  {
    name: 'redirect-tmpfs-full',
    fault: 'the shell redirects the dump onto a 2 MB tmpfs',
    label: 'disk_full',
    run: async (c) => shell(c, `${dumpLine(c, ['--single-transaction', 'shop'])} > ${q(path.join(await c.tmpfs('2m'), 'shop.sql'))}`, 'mariadb-dump'),
    expect: { exit: 'nonzero', stderr: /errno 28/ },
  },
  {
    name: 'pipeline-zstd-dev-full',
    fault: 'mariadb-dump | zstd > /dev/full under pipefail: zstd cannot write, the dump then loses its reader',
    label: 'disk_full',
    run: (c) => shell(c, `set -o pipefail; ${dumpLine(c, ['--single-transaction', 'shop'])} | zstd -q > /dev/full`, 'mariadb-dump'),
    expect: { exit: 'nonzero', stderr: /No space/ },
  },
  {
    name: 'pipeline-head-epipe',
    fault: 'mariadb-dump | head -c 100: the reader went away (EPIPE)',
    label: 'unknown',
    run: (c) => shell(c, `set -o pipefail; ${dumpLine(c, ['--single-transaction', 'shop'])} | head -c 100 > /dev/null`, 'mariadb-dump'),
    expect: { exit: 'nonzero', stderr: /errno 32/ },
  },
  {
    name: 'bash-sigsegv',
    fault: 'the dump under bash -c died of SIGSEGV (sent while it waited on a table lock): bash reports 139',
    label: 'unknown',
    run: (c) => heldShell(c, `${dumpLine(c, ['--single-transaction', 'shop'])} > ${q(c.file('shop.sql'))}; exit $?`, 'mariadb-dump', (r) => r.signalDescendant('mariadb-dump', 'SIGSEGV')),
    expect: { exit: 139 },
  },
]);

// ---------------------------------------------------------------------------------------------
// Capturing

const versions = new Map<string, string>();

/** `mariadb-dump Ver 10.19 Distrib 10.11.19-MariaDB`, `mydumper 0.10.0, built against MySQL 10.11.14`, … */
function toolVersion(tool: string): string {
  let v = versions.get(tool);
  if (v === undefined && tool === '/bin/sh') {
    // dash has no --version; its package has.
    try {
      v = `dash ${execFileSync('dpkg-query', ['-W', '-f=${Version}', 'dash'], { encoding: 'utf8' }).trim()}`;
    } catch {
      v = 'sh';
    }
    versions.set(tool, v);
  }
  if (v === undefined) {
    let out = '';
    try {
      out = execFileSync(tool, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? '');
    }
    if (!out.trim()) {
      // mariadb-backup prints its version on stderr.
      out = execFileSync(BASH, ['-c', `${tool} --version 2>&1`], { encoding: 'utf8' });
    }
    v = out
      .split('\n')[0]!
      .replace(/\s+/g, ' ')
      .replace(/, for \S+ \(\S+\).*$/, '')
      .replace(/ \S+-linux-gnu \(\S+\)$/, '')
      .trim();
    versions.set(tool, v);
  }
  return v;
}

/** FNV-1a, to pick the same cases on every run. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** About one case in five names its tool with the version, as a field log line would. */
function toolField(id: string, tool: string): string {
  if (hash(id) % 5 !== 0) return tool;
  const version = /\d+\.\d+\.\d+(-MariaDB)?/.exec(toolVersion(tool).replace(/^\S+ Ver \S+ Distrib /, ''))?.[0];
  return version ? `${tool} (${version})` : tool;
}

function neutral(text: string, c: Ctx): string {
  // A placeholder first, so the catch-all below cannot rewrite a path already made neutral.
  const mark = '\u0000';
  let out = text;
  for (const [from, to] of c.replacements) out = out.replaceAll(from, to.replace(NEUTRAL, mark));
  // Anything else of ours under the temp dir (a second server, say).
  const tmp = os.tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return out.replace(new RegExp(`${tmp}/warden-[\\w-]+`, 'g'), mark).replaceAll(mark, NEUTRAL);
}

function unmet(e: Expectation, o: Outcome): string | undefined {
  if (e.signal !== undefined && o.signal !== e.signal) return `expected signal ${e.signal}, got exit ${o.exitCode} signal ${o.signal}`;
  if (e.signal === undefined && o.signal !== null) return `unexpected signal ${o.signal}`;
  if (e.exit === 'nonzero' && (o.exitCode === 0 || o.exitCode === null)) return `expected a failure status, got ${o.exitCode}`;
  if (typeof e.exit === 'number' && o.exitCode !== e.exit) return `expected exit ${e.exit}, got ${o.exitCode}`;
  if (e.stderr && !e.stderr.test(o.stderr)) return `stderr does not show ${e.stderr}`;
  if (e.stdout && !e.stdout.test(o.stdoutTail.toString('utf8'))) return `stdout does not show ${e.stdout}`;
  return undefined;
}

async function prepareServer(spec: ServerSpec): Promise<TestServer> {
  const server = await startMariaDB({ binlog: spec.binlog ?? true, extraArgs: spec.extraArgs });
  try {
    await server.exec(shopSql(spec.orders ?? 20_000));
    const grants = spec.grants ?? DUMP_GRANTS;
    if (grants.length > 0) await server.createUser('backup', PW, grants);
    return server;
  } catch (err) {
    await server.cleanup();
    throw err;
  }
}

async function capture(s: Scenario, closedPort: number): Promise<Case> {
  const id = `captured-${s.group}/${s.name}`;
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'warden-capture-'));
  liveWorkDirs.add(work);
  let server: TestServer | undefined;
  let c: Ctx | undefined;
  try {
    server = s.server === false ? undefined : await prepareServer(s.server ?? {});
    c = new Ctx(work, server, closedPort);
    const running = await s.run(c);
    const o = await withTimeout(running.done, 60_000, `${running.tool} did not end`);
    const why = unmet(s.expect, o);
    if (why) throw new Error(`the fault did not show: ${why}\n${indent(excerpt(o.stderr))}`);
    const evidence: Evidence = {
      tool: toolField(id, running.tool),
      exitCode: o.exitCode,
      signal: o.signal,
      stderr: neutral(o.stderr, c).slice(-STDERR_LIMIT),
    };
    if (s.stdoutTail) evidence.stdoutTail = neutral(o.stdoutTail.toString('utf8'), c);
    // What is kept (the last 16 KiB) must still show the fault, not only what the tool printed.
    const lost = unmet(s.expect, { ...o, stderr: evidence.stderr });
    if (lost) throw new Error(`the kept evidence does not show the fault: ${lost}`);
    return {
      id,
      origin: 'captured',
      toolVersion: toolVersion(s.versionOf ?? running.tool),
      fault: s.fault,
      evidence,
      expect: { class: s.label, retryable: s.label !== 'none' && isRetryable(s.label) },
    };
  } finally {
    await c?.cleanup();
    await server?.cleanup();
    await fsp.rm(work, { recursive: true, force: true });
    liveWorkDirs.delete(work);
  }
}

/** The start and the end of a long stderr, for a skipped scenario's reason. */
function excerpt(text: string): string {
  return text.length <= 1600 ? text : `${text.slice(0, 800)}\n…\n${text.slice(-800)}`;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]).finally(() => clearTimeout(timer));
}

const indent = (s: string) =>
  s
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');

function summary(k: Case): string {
  const e = k.evidence;
  const status = e.signal ? `signal ${e.signal}` : `exit ${e.exitCode}`;
  const lines = e.stderr.trimEnd().split('\n').filter(Boolean);
  const shown = lines.length <= 3 ? lines : [lines[0]!, '…', ...lines.slice(-2)];
  return `  ${k.id} [${k.expect.class}] ${status}\n${indent(shown.map((l) => l.slice(0, 220)).join('\n'))}`;
}

function reapAllSync(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const dir of liveMounts) {
    try {
      execFileSync('umount', ['-l', dir]);
    } catch {
      // best effort
    }
  }
  for (const dir of liveWorkDirs) fs.rmSync(dir, { recursive: true, force: true });
}

function parseArgs(argv: string[]): { only?: Group; match?: string; dryRun: boolean } {
  const out: { only?: Group; match?: string; dryRun: boolean } = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') {
      const g = argv[++i];
      if (!GROUPS.includes(g as Group)) throw new Error(`--only: one of ${GROUPS.join(', ')}`);
      out.only = g as Group;
    } else if (a === '--case') out.match = argv[++i];
    else if (a === '--dry-run') out.dryRun = true;
    else throw new Error(`unknown argument ${a}; usage: capture.ts [--only GROUP] [--case TEXT] [--dry-run]`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.once('exit', reapAllSync);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      reapAllSync();
      process.exit(130);
    });
  }
  const dryRun = args.dryRun || args.match !== undefined;
  const selected = scenarios.filter((s) => (!args.only || s.group === args.only) && (!args.match || `${s.group}/${s.name}`.includes(args.match)));
  const closedPort = await freePort();
  const byGroup = new Map<Group, Case[]>();
  const skipped: string[] = [];
  for (const s of selected) {
    try {
      const k = await capture(s, closedPort);
      console.log(summary(k));
      if (args.match) console.log(JSON.stringify(k));
      byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), k]);
    } catch (err) {
      const line = `captured-${s.group}/${s.name}: skipped: ${(err as Error).message}`;
      skipped.push(line.split('\n')[0]!);
      console.log(`  ${line}`);
    }
  }
  if (!dryRun) {
    for (const group of GROUPS) {
      if (args.only && group !== args.only) continue;
      const cases = byGroup.get(group) ?? [];
      const file = path.join(CORPUS_DIR, `captured-${group}.jsonl`);
      // A machine without the tool must not wipe what another machine captured.
      if (cases.length === 0) {
        console.log(`nothing captured for ${group}; ${path.relative(process.cwd(), file)} left as it was`);
        continue;
      }
      await fsp.writeFile(file, cases.map((k) => JSON.stringify(k)).join('\n') + '\n');
      console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), file)}`);
    }
  }
  const all = [...byGroup.values()].flat();
  const perClass = CLASSES.map((k) => `${k} ${all.filter((c) => c.expect.class === k).length}`).join(', ');
  console.log(`\n${all.length} cases (${perClass}); ${skipped.length} skipped`);
  for (const s of skipped) console.log(`  ${s}`);
}

await main();
