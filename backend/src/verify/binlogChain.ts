// `warden verify --binlog -t TARGET`: proves a target's binlog archive can carry a point-in-time
// restore.
//   checksum  every archived file reads back with the sha256 the index recorded (stored and
//             decompressed), is a whole binary log with the events the index counted, and follows
//             the file before it; the newest good full backup's coordinates are in the archive and no
//             gap lies after them
//   restore   and a point-in-time restore to a random moment between that backup and the newest
//             the archive reaches, into a scratch server, ends with the row counts the binary logs
//             themselves say (binlogRows.ts)
import { randomBytes, randomInt } from 'node:crypto';
import { type ArchiveIndex, ArchiveIndexError, nextFileName, readArchiveIndex } from '../binlogfile/archive.js';
import { isReplayBase } from '../binlogfile/coverage.js';
import { BinlogFormatError, BinlogReader } from '../binlogfile/events.js';
import { parseTimePoint } from '../binlogfile/point.js';
import { openBinlog } from '../binlogfile/read.js';
import { listBackups } from '../catalog/store.js';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig, VerifyLevel } from '../config/schema.js';
import type { Manifest } from '../contract/manifest.js';
import { openConnection } from '../mysql/login.js';
import { describeEndpoint, endpointOf } from '../mysql/server.js';
import { findBinlogTool } from '../mysql/tool.js';
import { restoreToPoint } from '../restore/pointInTime.js';
import { countRowChanges } from './binlogRows.js';
import { problem, type VerifyProblem } from './problems.js';
import { dropScratch, scratchServer } from './restoreStage.js';

export interface ChainTableCheck {
  table: string;
  rows: number | null;
  /** What the backup's count plus the binlog's inserts and deletes make; null when statements changed the table. */
  expected: number | null;
}

export interface BinlogChainResult {
  ok: boolean;
  target: string;
  level: VerifyLevel;
  /** Archived files read back, and their decompressed bytes. */
  files: number;
  rawBytes: number;
  /** The newest good full backup a replay starts from. */
  from: { id: string; file: string; position: number } | null;
  problems: VerifyProblem[];
  /** The restore level's point-in-time restore. */
  pointInTime: { point: string; database: string; transactions: number; tables: ChainTableCheck[] } | null;
  durationSeconds: number;
}

export interface BinlogChainOptions {
  config: LoadedConfig;
  target: TargetConfig;
  level: VerifyLevel;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Reads every archived file back: checksums, whole events, the count the index has. */
async function checkFiles(config: LoadedConfig, index: ArchiveIndex, problems: VerifyProblem[], signal?: AbortSignal) {
  let rawBytes = 0;
  for (const f of index.files) {
    const opened = openBinlog(config.repositoryPath, index.target, { kind: 'archived', file: f }, { signal });
    const reader = new BinlogReader();
    try {
      for await (const chunk of opened.stream) {
        reader.push(chunk as Buffer);
        rawBytes += (chunk as Buffer).length;
      }
    } catch (err) {
      opened.abort();
      problems.push(problem(err instanceof BinlogFormatError ? 'grammar' : 'decompress', `${f.name}: ${(err as Error).message}`, f.name));
      continue;
    }
    const bad = await opened.problem();
    if (bad) problems.push(problem(bad.damaged ? 'checksum' : 'missing-file', bad.message, f.name));
    else if (reader.facts.events !== f.events || reader.facts.completeBytes !== f.rawBytes) {
      problems.push(problem('grammar', `${f.name}: ${reader.facts.events} whole events in ${reader.facts.completeBytes} bytes; the index says ${f.events} in ${f.rawBytes}`, f.name));
    }
  }
  return rawBytes;
}

/** The archive from the newest good full backup's coordinates on: present, in sequence, no gap. */
function checkChain(index: ArchiveIndex, base: { id: string; file: string } | null, problems: VerifyProblem[]): void {
  const names = [...index.files.map((f) => f.name), ...(index.current && !index.files.some((f) => f.name === index.current!.name) ? [index.current.name] : [])];
  if (!base) return;
  const first = names.indexOf(base.file);
  if (first < 0) {
    problems.push(problem('gap', `backup ${base.id} starts at ${base.file}, which the binlog archive does not hold (it holds ${names[0] ?? 'nothing'} to ${names.at(-1) ?? 'nothing'})`));
    return;
  }
  for (let i = first + 1; i < names.length; i++) {
    const before = index.files.find((f) => f.name === names[i - 1]);
    const expected = before?.nextFile ?? nextFileName(names[i - 1]!);
    const gap = index.gaps.find((g) => g.resumedAt === names[i]);
    if (expected !== names[i] || gap) problems.push(problem('gap', `the archive has a gap between ${names[i - 1]} and ${names[i]}${gap ? ` (${gap.reason})` : ''}: no replay from backup ${base.id} can cross it`));
  }
}

/** A point-in-time restore into a scratch server at a random second the archive reaches, checked against the binlog's own rows. */
async function restoreCheck(o: BinlogChainOptions, index: ArchiveIndex, base: Manifest, problems: VerifyProblem[]): Promise<BinlogChainResult['pointInTime']> {
  const reach = index.current?.caughtUpAt ?? index.current?.lastEventTime ?? index.files.at(-1)?.lastEventTime ?? null;
  const from = Math.floor(Date.parse(base.startedAt) / 1000) + 1;
  const to = reach ? Math.floor(Date.parse(reach) / 1000) : from;
  const point = parseTimePoint(new Date((to > from ? randomInt(from, to + 1) : Math.max(from, to)) * 1000).toISOString());
  const sourceDb = base.databases[0]!;
  const database = `warden_verify_pitr_${randomBytes(4).toString('hex')}`;
  const primary = describeEndpoint(endpointOf(o.target));
  const scratch = await scratchServer(o.config, o.env);
  try {
    const request = { repository: o.config.repositoryPath, target: o.target.name, primary, point, backupId: base.id, signal: o.signal };
    const r = await restoreToPoint({ ...request, login: scratch.login, database, sourceDatabase: sourceDb, force: false, parallel: o.target.parallel, dryRun: false });
    const result = { point: point.text, database, transactions: r.replay?.transactions ?? 0, tables: [] as ChainTableCheck[] };
    if (!r.ok) {
      problems.push(problem(r.failure?.class === 'binlog_gap' ? 'gap' : 'restore', `point-in-time restore to ${point.text}: [${r.failure?.class}] ${r.failure?.message}`));
      return result;
    }
    const tool = await findBinlogTool(base.server.flavor === 'mysql' ? 'mysql' : 'mariadb');
    const changes = await countRowChanges({ repository: o.config.repositoryPath, target: o.target.name, slices: r.plan.slices, tool, sourceDb, signal: o.signal });
    if ('class' in changes) {
      problems.push(problem('restore', `reading the rows the binary logs changed: [${changes.class}] ${changes.message}`));
      return result;
    }
    for (const t of r.tables) {
      const table = t.name.slice(database.length + 1);
      const backedUp = base.tables.find((b) => b.name === `${sourceDb}.${table}`)?.rows;
      const expected = changes.statements.has(table) || backedUp === undefined ? null : backedUp + (changes.delta.get(table) ?? 0);
      result.tables.push({ table, rows: t.rows, expected });
      if (expected !== null && expected !== t.rows) {
        problems.push(problem('row-count', `${sourceDb}.${table} at ${point.text}: ${t.rows} rows after the replay; the backup's ${backedUp} and the binary logs' changes make ${expected}`, `${sourceDb}.${table}`));
      }
    }
    return result;
  } finally {
    if (!scratch.throwaway) {
      const conn = await openConnection(scratch.login).catch(() => null);
      if (conn) await dropScratch(conn, scratch.login, [database], problems);
      conn?.destroy();
    }
    await scratch.stop();
  }
}

export async function verifyBinlogChain(o: BinlogChainOptions): Promise<BinlogChainResult> {
  const started = performance.now();
  const problems: VerifyProblem[] = [];
  const result: BinlogChainResult = { ok: false, target: o.target.name, level: o.level, files: 0, rawBytes: 0, from: null, problems, pointInTime: null, durationSeconds: 0 };
  const finish = () => {
    result.ok = problems.length === 0;
    result.durationSeconds = (performance.now() - started) / 1000;
    return result;
  };
  let index: ArchiveIndex;
  try {
    index = await readArchiveIndex(o.config.repositoryPath, o.target.name);
  } catch (err) {
    if (!(err instanceof ArchiveIndexError)) throw err;
    problems.push(problem('manifest', err.message));
    return finish();
  }
  result.files = index.files.length;
  if (index.files.length === 0 && !index.current) problems.push(problem('missing-file', `the binlog archive of ${o.target.name} is empty`));
  result.rawBytes = await checkFiles(o.config, index, problems, o.signal);
  const primary = describeEndpoint(endpointOf(o.target));
  const base = (await listBackups(o.config.repositoryPath, o.target.name)).entries.map((e) => e.manifest).find((m) => isReplayBase(m, primary)) ?? null;
  if (!base) problems.push(problem('gap', `${o.target.name} has no good full backup with binlog coordinates: no point-in-time restore can start`));
  else result.from = { id: base.id, file: base.binlog!.file!, position: base.binlog!.position! };
  checkChain(index, result.from, problems);
  if (o.level === 'restore' && base && problems.length === 0) result.pointInTime = await restoreCheck(o, index, base, problems);
  return finish();
}
