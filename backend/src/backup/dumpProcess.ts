// Runs one dump tool process into a consumer and reports how it ended. Every exit is checked:
// exit code, signal, the completion trailer, a cut statement, and why the agent stopped it.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { ScanEvents, ScanSummary } from '../dumpfile/scanner.js';
import { childEnv } from '../mysql/childEnv.js';
import { spawnChild } from '../mysql/children.js';
import { type DumpTool, isExecutable, which } from '../mysql/tool.js';
import type { Logger } from '../util/log.js';
import { type OsError, toOsError } from '../catalog/sink.js';
import { hasTrailer, ScanTap } from '../dumpfile/stream.js';
import { collectStderr } from '../mysql/children.js';
import { type StopReason, superviseChild } from './supervise.js';

export type { StopReason };

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
  /** With `direct`: the compressor, when it failed. */
  helperFailure: HelperFailure | null;
  /** Everything ended well. */
  ok: boolean;
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
   * zstd straight to `file`: the agent hashes and scans each chunk of the dump's output and hands
   * it on to zstd's stdin; zstd writes the file itself. `consumer` is unused.
   */
  direct?: { file: string; level: number };
}

export interface HelperFailure {
  name: string;
  exitCode: number | null;
  signal: string | null;
  stderr: string;
}

const execFileAsync = promisify(execFile);

/** The dump tool's stdout buffer under stdbuf: the most one read of a pipe takes. */
const DUMP_OUTPUT_BUFFER = '64K';

/**
 * The command that runs the dump tool. Dump tools write through stdio, which flushes a pipe every
 * 4 KiB: some 70,000 writes for 300 MB, and as many reads and stream chunks in the agent, which
 * cost it more CPU than scanning the bytes. Under coreutils' `stdbuf -o 64K` both sides move 64 KiB
 * at a time. stdbuf execs the tool, so the pid, the signals and the exit status are the tool's own;
 * without a working stdbuf (or without the tool, whose spawn error then says so) the tool runs as it is.
 */
async function dumpCommand(toolPath: string, args: string[]): Promise<{ file: string; args: string[] }> {
  const stdbuf = await workingStdbuf();
  if (!stdbuf || !isExecutable(toolPath)) return { file: toolPath, args };
  return { file: stdbuf, args: ['-o', DUMP_OUTPUT_BUFFER, toolPath, ...args] };
}

let stdbufProbe: Promise<string | null> | null = null;

/**
 * stdbuf, once seen to run a program here: a broken install (no libstdbuf) would fail every dump.
 * A run starts the probe early (while its pre-flight talks to the server) and the dump awaits it.
 */
export function workingStdbuf(): Promise<string | null> {
  stdbufProbe ??= (async () => {
    const stdbuf = which('stdbuf');
    const probe = which('true');
    if (!stdbuf || !probe) return null;
    try {
      await execFileAsync(stdbuf, ['-o', DUMP_OUTPUT_BUFFER, probe], { timeout: 10_000, env: childEnv() });
      return stdbuf;
    } catch {
      return null;
    }
  })();
  return stdbufProbe;
}

export async function runDumpProcess(o: DumpProcessOptions): Promise<DumpProcessOutcome> {
  o.log.debug({ tool: o.tool.path, args: o.args }, 'starting dump process');
  const command = await dumpCommand(o.tool.path, o.args);
  const child = spawnChild(command.file, command.args, ['ignore', 'pipe', 'pipe']);
  const stderr = collectStderr(child);
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const tap = o.tap ?? new ScanTap(o.events);
  const helpers = o.direct ? spawnDirect(o.direct) : null;
  const source = child.stdout!;
  const consumer: Writable = helpers?.input ?? o.consumer ?? new Writable({ write: (_c, _e, cb) => cb() });

  const supervisor = superviseChild(child, { signal: o.signal, stallSeconds: o.stallSeconds, log: o.log, lastDataAt: () => tap.lastDataAt, onTick: () => o.onBytes?.(tap.bytes) });
  const [flow, exit, helperExits] = await Promise.allSettled([pipeline(source, tap, consumer), exited, helpers?.done ?? Promise.resolve([])]);
  supervisor.dispose();
  const stopReason = supervisor.reason();

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
    stalledSeconds: supervisor.stalledSeconds(),
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
 * dump stdout -> agent (hash, scan) -> zstd -o file. The agent hands the chunks on itself rather
 * than through `tee`: tee copies in 8 KiB pieces and costs more CPU than the agent's own writes,
 * and the dump, zstd and the agent already share the machine's cores.
 */
function spawnDirect(d: NonNullable<DumpProcessOptions['direct']>): { input: Writable; done: Promise<HelperFailure[]> } {
  const zstd = spawnChild(which('zstd')!, ['-q', '-f', `-${d.level}`, '-T0', '-o', d.file], ['pipe', 'ignore', 'pipe']);
  const stderr = collectStderr(zstd);
  const done = (once(zstd, 'close') as Promise<[number | null, string | null]>).then(
    ([exitCode, signal]) => [{ name: 'zstd', exitCode, signal, stderr: stderr() }],
    (err: Error) => [{ name: 'zstd', exitCode: null, signal: null, stderr: err.message }],
  );
  return { input: zstd.stdin!, done };
}

/** Whether the direct path (zstd writing the file itself) is available on this machine. */
export function canCompressDirect(): boolean {
  return which('zstd') !== null;
}
