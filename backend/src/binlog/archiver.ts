// The binlog archiver of one target: mariadb-binlog (or mysqlbinlog) streams the server's binary
// logs into incoming/ as the server writes them; each file the tool has moved past is archived
// (publish.ts), the file being written is flushed to disk every `binlog.flushSeconds`, and the index
// says how far the archive reaches. A tool that dies is restarted with backoff from the start of
// the file it was writing, so a kill at any byte loses no event. Logs the server purged before
// they were archived are a gap (class binlog_gap), recorded in the index.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import {
  type ArchiveIndex,
  type ArchivedFile,
  binlogDir,
  compareFileNames,
  incomingDir,
  nextFileName,
  readArchiveIndex,
  writeArchiveIndex,
} from '../binlogfile/archive.js';
import { BinlogReader } from '../binlogfile/events.js';
import { failureOf } from '../classify/failure.js';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig } from '../config/schema.js';
import type { Failure } from '../contract/manifest.js';
import { collectStderr, killChild, spawnChild } from '../mysql/children.js';
import { resolvePassword, writeDefaultsFile } from '../mysql/credentials.js';
import { BINARY_LOGS_SQL, binlogStatusSql, binlogStreamArgs, type Server } from '../mysql/dialect.js';
import { archiverServerId } from '../mysql/replicaId.js';
import { connect, endpointArgs, endpointOf, rows, ServerError } from '../mysql/server.js';
import { findBinlogTool, ToolNotFoundError } from '../mysql/tool.js';
import { storageOf } from '../storage/index.js';
import { backoffMs, sleep } from '../util/backoff.js';
import type { Logger } from '../util/log.js';
import { PublishError, publishFinished } from './publish.js';

export interface ArchiverStatus {
  target: string;
  state: 'starting' | 'streaming' | 'waiting' | 'stopped';
  /** The server file being written, as the archive holds it. */
  current: string | null;
  /** Unix seconds of the newest event the archive holds. */
  lastEventTime: number | null;
  /** When the archive last held everything the server had written (ms since the epoch). */
  caughtUpAt: number | null;
  /** Files archived since the archiver started. */
  archived: number;
  /** The archive has a gap (index.gaps is not empty). */
  gap: boolean;
  lastFailure: Failure | null;
  /** Times the tool was started again after it ended. */
  restarts: number;
}

export interface ArchiveOptions {
  signal: AbortSignal;
  log: Logger;
  onStatus?: (status: ArchiverStatus) => void;
  /** How often incoming/ is looked at, in ms (default: 1 s, or less when flushSeconds is less). */
  pollMs?: number;
}

/** A session that lasted this long was streaming: its end is a new failure, not one more in a row. */
const STEADY_MS = 60_000;

class ArchiveFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

const asFailure = (err: unknown, what: string): Failure => {
  if (err instanceof ArchiveFailure) return err.failure;
  if (err instanceof ServerError) return failureOf({ tool: 'mariadb', exitCode: 1, stderr: err.message }, `${what}: ${err.message}`);
  if (err instanceof ToolNotFoundError) return failureOf({ class: 'not_found', hint: 'Install mariadb-binlog (MariaDB client) or mysqlbinlog (MySQL client) on the agent host.' }, err.message);
  if (err instanceof PublishError) return failureOf({ tool: 'warden', osErrors: err.failure?.osErrors ?? [], ...(err.failure?.compressor ? { compressor: err.failure.compressor } : {}) }, err.message);
  const e = err as NodeJS.ErrnoException;
  return failureOf({ tool: 'warden', osErrors: e.code ? [{ code: e.code, syscall: e.syscall, path: e.path, message: e.message }] : [], stderr: e.message }, `${what}: ${e.message}`);
};

/** Runs until `signal` aborts: the archiver of `target`. Resolves with its last status. */
export async function archiveBinlogs(config: LoadedConfig, target: TargetConfig, opts: ArchiveOptions): Promise<ArchiverStatus> {
  const archiver = new Archiver(config, target, opts);
  return archiver.run();
}

class Archiver {
  private readonly status: ArchiverStatus;
  private readonly repository: string;
  private readonly incoming: string;
  private readonly flushMs: number;
  private readonly pollMs: number;
  private index!: ArchiveIndex;

  constructor(
    private readonly config: LoadedConfig,
    private readonly target: TargetConfig,
    private readonly opts: ArchiveOptions,
  ) {
    this.repository = config.repositoryPath;
    this.incoming = incomingDir(config.repositoryPath, target.name);
    this.flushMs = (target.binlog?.flushSeconds ?? 10) * 1000;
    this.pollMs = opts.pollMs ?? Math.min(1000, this.flushMs);
    this.status = { target: target.name, state: 'starting', current: null, lastEventTime: null, caughtUpAt: null, archived: 0, gap: false, lastFailure: null, restarts: 0 };
  }

  private report(patch: Partial<ArchiverStatus>): void {
    Object.assign(this.status, patch);
    this.opts.onStatus?.({ ...this.status });
  }

  async run(): Promise<ArchiverStatus> {
    const { signal, log } = this.opts;
    const storage = storageOf(this.repository);
    const dir = binlogDir(this.repository, this.target.name);
    await storage.makeFolder(dir);
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    const retry = this.target.retry ?? this.config.retry;
    let failedInARow = 0;
    while (!signal.aborted) {
      let release: (() => Promise<void>) | undefined;
      const began = Date.now();
      try {
        release = await storage.lock(dir).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ELOCKED') throw err;
          throw new ArchiveFailure(failureOf({ class: 'config', rule: 'archiver-locked', hint: 'Another agent archives the binary logs of this target: run one archiver per target.' }, `the binlog archive of ${this.target.name} is locked by another archiver`));
        });
        this.index = await readArchiveIndex(this.repository, this.target.name);
        this.report({ gap: this.index.gaps.length > 0 });
        await this.session();
        failedInARow = 0;
      } catch (err) {
        const failure = asFailure(err, 'binlog archiving');
        // A tool that streamed for a while and then stopped starts the backoff afresh.
        failedInARow = Date.now() - began > STEADY_MS ? 1 : failedInARow + 1;
        log.error({ target: this.target.name, class: failure.class, err: failure.message }, 'binlog archiver failed');
        this.report({ lastFailure: failure, state: 'waiting' });
      } finally {
        await release?.().catch(() => undefined);
      }
      if (signal.aborted) break;
      this.report({ restarts: this.status.restarts + 1 });
      await sleep(failedInARow === 0 ? 1000 : Math.max(1000, backoffMs(failedInARow, retry)), signal);
    }
    this.report({ state: 'stopped' });
    return { ...this.status };
  }

  /** One life of the tool: resolves when the archiver is stopped, throws why the tool ended otherwise. */
  private async session(): Promise<void> {
    const { signal, log } = this.opts;
    const password = resolvePassword(this.target, this.config.file);
    const conn = await connect(this.target, password);
    try {
      const server = await this.serverOf(conn);
      const tool = await findBinlogTool(server.flavor);
      const onServer = (await rows(conn, BINARY_LOGS_SQL)).map((r) => String(r.Log_name));
      if (onServer.length === 0) throw new ArchiveFailure(failureOf({ class: 'config', rule: 'no-binlog' }, 'the server lists no binary log (SHOW BINARY LOGS is empty)'));
      const start = await this.startFile(onServer);
      const defaults = writeDefaultsFile(this.target.user, password);
      const serverId = archiverServerId(this.target);
      const args = [`--defaults-file=${defaults.path}`, ...endpointArgs(endpointOf(this.target)), ...binlogStreamArgs(tool, serverId, `${this.incoming}${path.sep}`, start)];
      const child = spawnChild(tool.path, args, ['ignore', 'ignore', 'pipe']);
      const stderr = collectStderr(child);
      const exited = once(child, 'close').then(
        ([code, sig]) => ({ code: code as number | null, signal: sig as NodeJS.Signals | null }),
        (err: Error) => ({ code: 127, signal: null, spawnError: err.message }),
      );
      log.info({ target: this.target.name, tool: tool.path, start, serverId }, 'binlog archiver streaming');
      this.report({ state: 'streaming', current: start });
      try {
        await this.watch(child, exited, conn, server);
      } finally {
        killChild(child, 'SIGTERM');
        await exited;
        defaults.remove();
      }
      if (signal.aborted) return;
      const end = await exited;
      const text = stderr() || ('spawnError' in end ? String(end.spawnError) : '');
      throw new ArchiveFailure(
        failureOf({ tool: path.basename(tool.path), exitCode: end.code, signal: end.signal, stderr: text }, `${path.basename(tool.path)} stopped streaming${text ? `: ${text.trim().split('\n').pop()}` : ` (exit ${end.code ?? end.signal})`}`),
      );
    } finally {
      await conn.end().catch(() => undefined);
    }
  }

  private async serverOf(conn: mysql.Connection): Promise<Server> {
    const [info] = await rows(conn, 'SELECT VERSION() AS version, @@version_comment AS comment, @@log_bin AS logBin');
    const version = String(info?.version ?? '');
    if (Number(info?.logBin) !== 1) {
      throw new ArchiveFailure(failureOf({ class: 'config', rule: 'log-bin-off', hint: 'Start the server with log_bin (and binlog_format=ROW) to archive its binary logs.' }, 'the server writes no binary log (log_bin is OFF)'));
    }
    return { flavor: /mariadb/i.test(`${version} ${String(info?.comment ?? '')}`) ? 'mariadb' : 'mysql', version };
  }

  /** Files in incoming/, oldest first. */
  private async incomingFiles(): Promise<string[]> {
    const names = (await readdir(this.incoming, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    return names.sort(compareFileNames);
  }

  /**
   * Where the tool starts: the file it was writing when it stopped (all of it again), else the one
   * after the newest archived, else the oldest the server has. Files it had moved past are archived
   * first. A file the server no longer has is a gap: archiving goes on from the oldest it has.
   */
  private async startFile(onServer: string[]): Promise<string> {
    const files = await this.incomingFiles();
    for (const name of files.slice(0, -1)) await this.archive(name);
    const last = this.index.files.at(-1);
    const wanted = files.at(-1) ?? (last ? (last.nextFile ?? nextFileName(last.name)) : null) ?? onServer[0]!;
    if (onServer.includes(wanted)) return wanted;
    const resumedAt = onServer.find((n) => compareFileNames(n, wanted) > 0);
    if (resumedAt === undefined) {
      // Every file the server has comes before what the archive holds: another server, or RESET
      // MASTER. Going on would write its files over archived ones of the same names.
      this.report({ gap: true });
      throw new ArchiveFailure(
        failureOf(
          {
            class: 'binlog_gap',
            rule: 'archive-server-changed',
            hint: `Move ${binlogDir(this.repository, this.target.name)} aside (it still serves restores to points before now), take a full backup, and start the archiver again: it begins a new archive.`,
          },
          `the server's binary logs start over (it has ${onServer[0]} to ${onServer.at(-1)}, the archive already holds up to ${last?.name ?? files.at(-1)}): another server, or RESET MASTER`,
        ),
      );
    }
    let after = last?.name ?? null;
    if (files.at(-1) === wanted) {
      // What the archive had of it is kept, up to its last whole event; the gap starts after it.
      await trimToWholeEvents(path.join(this.incoming, wanted));
      after = (await this.archive(wanted)).name;
    }
    await this.recordGap(after, resumedAt, `${wanted === after ? `the rest of ${wanted} and what followed` : wanted} was purged from the server before it was archived`);
    return resumedAt;
  }

  private async recordGap(after: string | null, resumedAt: string, reason: string): Promise<void> {
    this.index.gaps.push({ after, resumedAt, detectedAt: new Date().toISOString(), reason });
    await writeArchiveIndex(this.repository, this.index);
    const failure = failureOf({ class: 'binlog_gap', rule: 'archive-gap' }, `binlog archive of ${this.target.name}: ${reason}; it goes on from ${resumedAt}`);
    this.opts.log.error({ target: this.target.name, class: failure.class, after, resumedAt }, reason);
    this.report({ gap: true, lastFailure: failure });
  }

  /** Archives a file the tool has finished with, and checks it follows the file before it. */
  private async archive(name: string): Promise<ArchivedFile> {
    const previous = this.index.files.at(-1);
    const again = this.index.files.some((f) => f.name === name);
    const archived = await publishFinished(this.repository, this.index, path.join(this.incoming, name), this.target.compression, this.target.compressionLevel);
    if (again) return archived;
    const expected = previous ? (previous.nextFile ?? nextFileName(previous.name)) : null;
    if (previous && expected !== name && !this.index.gaps.some((g) => g.resumedAt === name)) {
      await this.recordGap(previous.name, name, `the archive goes from ${previous.name} to ${name}, but the server went on with ${expected}`);
    }
    this.report({ archived: this.status.archived + 1 });
    this.opts.log.info({ target: this.target.name, file: name, events: archived.events, bytes: archived.bytes }, 'binlog file archived');
    return archived;
  }

  /** Until the tool ends or the archiver is stopped: archive finished files, flush, measure the lag. */
  private async watch(child: ChildProcess, exited: Promise<unknown>, conn: mysql.Connection, server: Server): Promise<void> {
    const { signal } = this.opts;
    let ended = false;
    void exited.then(() => (ended = true));
    let reader = null as { name: string; reader: BinlogReader; offset: number } | null;
    let lastFlush = 0;
    while (!ended && !signal.aborted && child.exitCode === null) {
      await sleep(this.pollMs, signal);
      const files = await this.incomingFiles();
      for (const name of files.slice(0, -1)) await this.archive(name);
      const current = files.at(-1);
      if (!current) continue;
      if (reader?.name !== current) reader = { name: current, reader: new BinlogReader(), offset: 0 };
      reader.offset = await readNew(path.join(this.incoming, current), reader.reader, reader.offset);
      const facts = reader.reader.facts;
      this.report({ current, lastEventTime: facts.lastEventTime ?? this.status.lastEventTime });
      if (Date.now() - lastFlush >= this.flushMs) {
        lastFlush = Date.now();
        await this.flush(current, facts.completeBytes, facts.lastEventTime, facts.gtidsIn, conn, server);
      }
    }
  }

  /** Makes the file being written durable, notes it in the index, and checks whether the archive is caught up. */
  private async flush(name: string, bytes: number, lastEventTime: number | null, gtidsIn: string | null, conn: mysql.Connection, server: Server): Promise<void> {
    const handle = await open(path.join(this.incoming, name), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Asked after the sync: a server position at or before what is on disk means nothing is missing.
    const caughtUp = await rows(conn, binlogStatusSql(server)).then(
      ([row]) => row !== undefined && String(row.File) === name && Number(row.Position) <= bytes,
      () => false, // the tool's own end says what is wrong with the server
    );
    const now = new Date();
    const previous = this.index.current?.name === name ? this.index.current.caughtUpAt : null;
    this.index.current = {
      name,
      bytes,
      lastEventTime: lastEventTime === null ? null : new Date(lastEventTime * 1000).toISOString(),
      gtidsIn,
      flushedAt: now.toISOString(),
      caughtUpAt: caughtUp ? now.toISOString() : previous,
    };
    await writeArchiveIndex(this.repository, this.index);
    if (caughtUp) this.report({ caughtUpAt: now.getTime() });
  }
}

/** Feeds what was appended to a file since `offset` to the reader; returns the new offset. */
async function readNew(file: string, reader: BinlogReader, offset: number): Promise<number> {
  const size = (await stat(file)).size;
  if (size <= offset) return offset;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size - offset, 1 << 20));
    let at = offset;
    while (at < size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
      if (bytesRead === 0) break;
      reader.push(Buffer.from(buffer.subarray(0, bytesRead)));
      at += bytesRead;
    }
    return at;
  } finally {
    await handle.close();
  }
}

/** Cuts a file the tool left torn (killed inside an event) back to its last whole event. */
async function trimToWholeEvents(file: string): Promise<void> {
  const reader = new BinlogReader();
  await readNew(file, reader, 0);
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(reader.facts.completeBytes);
  } finally {
    await handle.close();
  }
}
