// What the binary logs say a replay does to each table's row count: the server's binlog tool
// decodes the same stretch a point-in-time restore replays into one line per row changed
// (`### INSERT INTO`, `### DELETE FROM`), counted here. A second reading, by another path than the
// replay's BINLOG statements, to check the replay against.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { openBinlog, readFailure } from '../binlogfile/read.js';
import type { Failure } from '../contract/manifest.js';
import { collectStderr, spawnChild } from '../mysql/children.js';
import { binlogDecodeArgs } from '../mysql/dialect.js';
import type { BinlogTool } from '../mysql/tool.js';
import type { ReplaySlice } from '../restore/pitrPlan.js';
import { failureOf } from '../classify/failure.js';

export interface RowChanges {
  /** Net rows added (inserts − deletes) per table name, in the source database. */
  delta: Map<string, number>;
  /** Tables a statement named (DDL, or statement-based DML): their counts cannot be worked out from rows. */
  statements: Set<string>;
}

const ROW = /^### (INSERT INTO|DELETE FROM) `((?:[^`]|``)+)`\.`((?:[^`]|``)+)`/;
// A statement the tool prints as SQL (not a row): what it names can change counts in ways rows do
// not show. ALTER TABLE keeps the rows unless it drops partitions or skips duplicates (IGNORE).
const STATEMENT = /^(CREATE|DROP|TRUNCATE|RENAME|INSERT|REPLACE|UPDATE|DELETE|LOAD)\b|^ALTER\b.*\b((DROP|TRUNCATE|EXCHANGE)\s+PARTITION|IGNORE)\b/i;
const NAMES = /`((?:[^`]|``)+)`|\b([A-Za-z_$][\w$]*)\b/g;
const unquote = (name: string) => name.replace(/``/g, '`');

export async function countRowChanges(o: { repository: string; target: string; slices: ReplaySlice[]; tool: BinlogTool; sourceDb: string; signal?: AbortSignal }): Promise<RowChanges | Failure> {
  const out: RowChanges = { delta: new Map(), statements: new Set() };
  for (const slice of o.slices) {
    const opened = openBinlog(o.repository, o.target, slice.chain, { until: slice.to ?? undefined, signal: o.signal });
    const tool = spawnChild(o.tool.path, binlogDecodeArgs({ from: slice.from, to: slice.to, sourceDb: o.sourceDb }), ['pipe', 'pipe', 'pipe']);
    const stderr = collectStderr(tool);
    const exit = once(tool, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    tool.stdin!.on('error', () => undefined);
    opened.stream.pipe(tool.stdin!);
    // A tool that ended before reading everything would leave the reading side waiting.
    void exit.then(() => opened.stream.readableEnded || opened.abort());
    for await (const line of createInterface({ input: tool.stdout!, crlfDelay: Infinity })) {
      const row = ROW.exec(line);
      if (row) {
        if (unquote(row[2]!) === o.sourceDb) {
          const table = unquote(row[3]!);
          out.delta.set(table, (out.delta.get(table) ?? 0) + (row[1] === 'INSERT INTO' ? 1 : -1));
        }
      } else if (STATEMENT.test(line)) {
        for (const m of line.matchAll(NAMES)) out.statements.add(unquote(m[1] ?? m[2]!));
      }
    }
    const [code, signal] = await exit;
    const problem = await opened.problem();
    if (problem) return readFailure(problem, '');
    if (code !== 0 || signal !== null) {
      const text = stderr();
      return failureOf({ tool: o.tool.path, exitCode: code, signal, stderr: text }, `decoding ${slice.chain.file.name} failed: ${text.trim().split('\n').pop() ?? `exit ${code ?? signal}`}`);
    }
  }
  return out;
}
