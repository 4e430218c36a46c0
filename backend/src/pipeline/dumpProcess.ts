// Runs one dump tool process into a consumer and reports how it ended. Every exit is checked:
// exit code, signal, the completion trailer, a cut statement, and why the agent stopped it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ScanEvents, ScanSummary } from '../dumpfile/scanner.js';
import { type DumpTool, which } from '../engine/tool.js';
import type { Logger } from '../log.js';
import { type OsError, toOsError } from './sink.js';
import { collectStderr, hasTrailer, ScanTap } from './stream.js';

/** Why the agent stopped a dump: shutdown (SIGTERM/SIGINT), the run's deadline, or no bytes for too long. */
export type StopReason = 'shutdown' | 'deadline' | 'stall';

export interface DumpProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stopReason: StopReason | null;
  /** With stopReason `stall`: how long nothing came. */
  stalledSeconds: number;
  scan: ScanSummary;
  trailerPresent: boolean;
  tail: string;
  rawBytes: number;
  osErrors: OsError[];
  /** The consumer (file, compressor) failed: the dump's own exit is then a symptom. */
  consumerFailed: boolean;
  /** With `direct`: the compressor (or tee) that failed. */
  helperFailure: HelperFailure | null;
  /** Everything ended well. */
  ok: boolean;
}

/** Environment for the dump tool: never a password variable, whatever the agent inherited. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.MYSQL_PWD;
  return env;
}

export interface DumpProcessOptions {
  tool: DumpTool;
  args: string[];
  /** Where the raw SQL goes (not used with `direct`). */
  consumer?: Writable;
  events?: ScanEvents;
  /** A tap the caller already holds (its scanner's events were set by the caller); else one is made with `events`. */
  tap?: ScanTap;
  signal?: AbortSignal;
  stallSeconds: number;
  log: Logger;
  /** Called about once a second with the raw bytes read so far. */
  onBytes?: (rawBytes: number) => void;
  /**
   * zstd straight to `file`: the dump's output is copied by `tee` to zstd and to the agent, which
   * only reads it (hash, scan); the bytes never go back out through the agent. `consumer` is unused.
   */
  direct?: { file: string; level: number };
}

export interface HelperFailure {
  name: string;
  exitCode: number | null;
  signal: string | null;
  stderr: string;
}

const KILL_GRACE_MS = 5000;

export async function runDumpProcess(o: DumpProcessOptions): Promise<DumpProcessOutcome> {
  o.log.debug({ tool: o.tool.path, args: o.args }, 'starting dump process');
  const child = spawn(o.tool.path, o.args, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  const stderr = collectStderr(child);
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const tap = o.tap ?? new ScanTap(o.events);
  const helpers = o.direct ? spawnDirect(child, o.direct) : null;
  const source = helpers?.source ?? child.stdout;
  const consumer: Writable = helpers || !o.consumer ? new Writable({ write: (_c, _e, cb) => cb() }) : o.consumer;

  let stopReason: StopReason | null = null;
  let stalledSeconds = 0;
  const stop = (reason: StopReason) => {
    if (stopReason || child.exitCode !== null) return;
    stopReason = reason;
    stalledSeconds = Math.round((Date.now() - tap.lastDataAt) / 1000);
    o.log.warn({ reason }, 'stopping the dump');
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
  };
  const onAbort = () => stop(o.signal?.reason === 'deadline' ? 'deadline' : 'shutdown');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  const watch = setInterval(() => {
    o.onBytes?.(tap.bytes);
    if (Date.now() - tap.lastDataAt > o.stallSeconds * 1000) stop('stall');
  }, 1000);

  const [flow, exit, helperExits] = await Promise.allSettled([pipeline(source, tap, consumer), exited, helpers?.done ?? Promise.resolve([])]);
  clearInterval(watch);
  o.signal?.removeEventListener('abort', onAbort);

  const osErrors: OsError[] = [];
  for (const r of [flow, exit]) {
    if (r.status === 'rejected') {
      const e = toOsError(r.reason);
      if (e) osErrors.push(e);
    }
  }
  const [exitCode, signal] = exit.status === 'fulfilled' ? exit.value : [null, null];
  const scan = tap.scanner.end();
  const trailerPresent = hasTrailer(scan.lastComment, scan.contentAfterLastComment);
  const consumerFailed = flow.status === 'rejected';
  const helperFailure = helperExits.status === 'fulfilled' ? (helperExits.value.find((h) => h.exitCode !== 0 || h.signal !== null) ?? null) : null;
  return {
    exitCode,
    signal,
    stderr: stderr(),
    stopReason,
    stalledSeconds,
    scan,
    trailerPresent,
    tail: tap.tail().slice(-1024),
    rawBytes: tap.bytes,
    osErrors,
    consumerFailed,
    helperFailure,
    ok: exitCode === 0 && signal === null && !consumerFailed && !helperFailure && trailerPresent && scan.cut === null && stopReason === null,
  };
}

/**
 * dump stdout -> tee -> (a FIFO) -> zstd -o file, and tee's stdout to the agent. A FIFO because
 * the pipes Node gives children are sockets, which tee cannot open by path.
 */
function spawnDirect(dump: ChildProcess, d: NonNullable<DumpProcessOptions['direct']>): { source: Readable; done: Promise<HelperFailure[]> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-fifo-'));
  const fifo = path.join(dir, 'dump.fifo');
  execFileSync(which('mkfifo')!, ['-m', '600', fifo]);
  const zstd = spawn(which('zstd')!, ['-q', '-f', `-${d.level}`, '-T0', '-o', d.file, fifo], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tee = spawn(which('tee')!, [fifo], { stdio: [dump.stdout!, 'pipe', 'pipe'] });
  // The children hold their own copy of the dump's pipe; the agent must not read it.
  dump.stdout!.destroy();
  const ended = (name: string, p: ChildProcess): Promise<HelperFailure> => {
    const stderr = collectStderr(p);
    return (once(p, 'close') as Promise<[number | null, string | null]>).then(
      ([exitCode, signal]) => ({ name, exitCode, signal, stderr: stderr() }),
      (err: Error) => ({ name, exitCode: null, signal: null, stderr: err.message }),
    );
  };
  const teeEnded = ended('tee', tee);
  // A tee that never opened the FIFO would leave zstd waiting for a writer forever.
  void teeEnded.then((t) => t.exitCode !== 0 && zstd.kill('SIGKILL'));
  // The compressor's failure explains the tee's (EPIPE), not the other way round: zstd first.
  const done = Promise.all([ended('zstd', zstd), teeEnded]).finally(() => rmSync(dir, { recursive: true, force: true }));
  return { source: tee.stdout!, done };
}

/** Whether the direct path (tee + zstd) is available on this machine. */
export function canCompressDirect(): boolean {
  return ['tee', 'zstd', 'mkfifo'].every((b) => which(b) !== null);
}
