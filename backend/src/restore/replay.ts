// Replays a stretch of the binlog archive into a server: each file is read back (checksums checked),
// cut at the plan's stop, turned into SQL by the server's own binlog tool (one process per file,
// reading stdin) writing straight into one client session's stdin, so the replay is what
// `mariadb-binlog … | mariadb` would do, with the database renamed.
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable, Writable } from 'node:stream';
import { BinlogFormatError, BinlogReader } from '../binlogfile/events.js';
import { chainName, formatProblem, openBinlog, readFailure } from '../binlogfile/read.js';
import { failureOf } from '../classify/failure.js';
import type { Failure } from '../contract/manifest.js';
import { collectStderr, killChild, spawnChild } from '../mysql/children.js';
import { startClient } from '../mysql/client.js';
import { binlogReplayArgs, replayPrelude } from '../mysql/dialect.js';
import type { ServerLogin } from '../mysql/login.js';
import type { BinlogTool } from '../mysql/tool.js';
import type { ReplaySlice } from './pitrPlan.js';

export interface ReplayReport {
  files: { name: string; from: number | null; to: number | null; transactions: number }[];
  transactions: number;
  /** Time of the last transaction replayed (ISO), null when none. */
  lastEventTime: string | null;
  lastGtid: string | null;
  failure: Failure | null;
}

export interface ReplayRequest {
  repository: string;
  target: string;
  slices: ReplaySlice[];
  tool: BinlogTool;
  login: ServerLogin;
  sourceDb: string;
  newDb: string;
  signal?: AbortSignal;
}

/** Writes a chunk, waiting while the reader is behind; false when the reader has gone (it exited). */
async function put(sink: Writable, chunk: Buffer): Promise<boolean> {
  if (sink.destroyed || sink.writableEnded) return false;
  if (sink.write(chunk)) return true;
  // The listener that loses the race goes too, or each wait would leave one on the sink.
  const settled = new AbortController();
  try {
    return await Promise.race([once(sink, 'drain', { signal: settled.signal }).then(() => true), once(sink, 'close', { signal: settled.signal }).then(() => false)]);
  } finally {
    settled.abort();
  }
}

/** Feeds `source` into `sink`, then ends it; calls `gone` and stops when the sink has gone. */
async function pour(source: Readable, sink: Writable, o: { onChunk: (chunk: Buffer) => void; gone: () => void }): Promise<void> {
  for await (const chunk of source) {
    o.onChunk(chunk as Buffer);
    if (!(await put(sink, chunk as Buffer))) {
      o.gone();
      return;
    }
  }
  sink.end();
}

/** How long a failed tool waits for the client to say it quit first. */
const CLIENT_GRACE_MS = 2_000;

export async function replayBinlogs(r: ReplayRequest): Promise<ReplayReport> {
  const report: ReplayReport = { files: [], transactions: 0, lastEventTime: null, lastGtid: null, failure: null };
  const client = startClient(r.login);
  const sql = client.child.stdin!;
  // A client that died early: its exit status and stderr say why, not EPIPE.
  sql.on('error', () => undefined);
  try {
    // On the pipe before any tool writes to it.
    await new Promise<void>((resolve, reject) => sql.write(replayPrelude(r.tool), (err) => (err ? reject(err) : resolve())));
    for (const slice of r.slices) {
      if (r.signal?.aborted) throw new Error('the restore was stopped');
      const name = chainName(slice.chain);
      const counted = { name, from: slice.from, to: slice.to, transactions: 0 };
      report.files.push(counted);
      const reader = new BinlogReader();
      // What the tool replays of this file: transactions from `from` up to `to`.
      reader.onTransaction = (t) => {
        if ((slice.from !== null && t.start < slice.from) || (slice.to !== null && t.end > slice.to)) return;
        counted.transactions++;
        report.transactions++;
        report.lastEventTime = new Date(t.timestamp * 1000).toISOString();
        report.lastGtid = t.gtid;
      };
      const opened = openBinlog(r.repository, r.target, slice.chain, { until: slice.to ?? undefined, signal: r.signal });
      // The SQL goes from the tool to the client without passing through this process: one copy less.
      const tool = spawnChild(r.tool.path, binlogReplayArgs(r.tool, { from: slice.from, to: slice.to, sourceDb: r.sourceDb, newDb: r.newDb }), ['pipe', sql, 'pipe']);
      const toolErr = collectStderr(tool);
      const toolExit = once(tool, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
      tool.stdin!.on('error', () => undefined);
      try {
        await pour(opened.stream, tool.stdin!, { onChunk: (chunk) => reader.push(chunk), gone: () => opened.abort() });
      } catch (err) {
        // The reader found the bytes are not a whole binary log: nothing more of it goes to the server.
        opened.abort();
        killChild(tool, 'SIGKILL');
        await toolExit;
        if (!(err instanceof BinlogFormatError)) throw err;
        report.failure = readFailure(formatProblem(name, err), '; the replay stopped there');
        break;
      }
      const [code, signal] = await toolExit;
      const problem = await opened.problem();
      // Damaged bytes explain whatever the tool then said about them.
      if (problem?.damaged) {
        report.failure = readFailure(problem, '; the replay stopped there');
        break;
      }
      if (code !== 0 || signal !== null) {
        // A client that refused a statement and quit leaves the tool writing into a closed pipe:
        // then the client's exit says why (the tool's broken pipe says nothing).
        const clientEnd = await Promise.race([client.exit, sleep(CLIENT_GRACE_MS).then(() => null)]);
        const stderr = toolErr();
        report.failure =
          clientEnd && failed(clientEnd)
            ? clientFailure(client.name, clientEnd)
            : failureOf({ tool: r.tool.path, exitCode: code, signal, stderr }, `replaying ${name} failed: ${stderr.trim().split('\n').pop() ?? `exit ${code ?? signal}`}`);
        break;
      }
      if (problem) {
        report.failure = readFailure(problem, '; the replay stopped there');
        break;
      }
    }
  } catch (err) {
    report.failure ??= failureOf({ tool: 'warden', stderr: (err as Error).message }, `the replay stopped: ${(err as Error).message}`);
  } finally {
    if (report.failure) killChild(client.child, 'SIGTERM');
    sql.end();
  }
  const end = await client.exit;
  if (!report.failure && failed(end)) report.failure = clientFailure(client.name, end);
  return report;
}

type ClientEnd = Awaited<ReturnType<typeof startClient>['exit']>;
const failed = (end: ClientEnd) => end.exitCode !== 0 || end.signal !== null;

function clientFailure(name: string, end: ClientEnd): Failure {
  return failureOf(
    { tool: name, exitCode: end.exitCode, signal: end.signal, stderr: end.stderr },
    `the ${name} client failed while replaying the binary logs: ${end.stderr.trim().split('\n').pop() ?? `exit ${end.exitCode ?? end.signal}`}`,
  );
}

