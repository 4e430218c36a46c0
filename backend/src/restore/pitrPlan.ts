// The plan of a point-in-time restore: which full backup to load, and which stretch of the binlog
// archive to replay after it, from the backup's coordinates to the point. Nothing is loaded here;
// `warden restore --dry-run` prints this plan.
import { type ArchiveIndex, compareFileNames, nextFileName, readArchiveIndex } from '../binlogfile/archive.js';
import { isReplayBase } from '../binlogfile/coverage.js';
import { BinlogFormatError, BinlogReader, type Transaction } from '../binlogfile/events.js';
import { fileEndsBefore, includes, isLast, PointError, type RecoveryPoint } from '../binlogfile/point.js';
import { type ChainFile, chainName, formatProblem, openBinlog, readFailure } from '../binlogfile/read.js';
import { listBackups } from '../catalog/store.js';
import { failureOf } from '../classify/failure.js';
import type { Failure, Manifest } from '../contract/manifest.js';

/** A stretch of one binlog file to replay: from the first event at `from`, up to byte `to` (exclusive). */
export interface ReplaySlice {
  chain: ChainFile;
  /** null: from the file's first event. */
  from: number | null;
  /** null: to its end. */
  to: number | null;
}

export interface PointInTimePlan {
  target: string;
  point: RecoveryPoint;
  backup: { id: string; dir: string; startedAt: string; binlog: { file: string; position: number; gtid: string | null } };
  slices: ReplaySlice[];
  /** The last transaction the replay applies (null: none after the backup). */
  last: { gtid: string | null; time: string; file: string; end: number } | null;
  /** The statements logged as SQL in the stretch (asked for with `withStatements`: it reads every file). */
  statements?: PlannedStatement[];
}

export interface PlannedStatement {
  file: string;
  position: number;
  time: string;
  database: string;
  text: string;
}

/** Enough to see what a stretch holds; a stretch of thousands of statements says so by its length. */
const MAX_STATEMENTS = 100;

/** The statements logged as SQL in each slice, in order, up to MAX_STATEMENTS. */
async function statementsIn(repository: string, target: string, slices: ReplaySlice[], signal?: AbortSignal): Promise<PlannedStatement[]> {
  const found: PlannedStatement[] = [];
  for (const slice of slices) {
    if (found.length >= MAX_STATEMENTS) break;
    const reader = new BinlogReader();
    reader.onStatement = (st) => {
      if (found.length < MAX_STATEMENTS && (slice.from === null || st.start >= slice.from) && (slice.to === null || st.start < slice.to)) {
        found.push({ file: chainName(slice.chain), position: st.start, time: new Date(st.timestamp * 1000).toISOString(), database: st.database, text: st.text });
      }
    };
    const opened = openBinlog(repository, target, slice.chain, { until: slice.to ?? undefined, signal });
    try {
      for await (const chunk of opened.stream) reader.push(chunk as Buffer);
    } catch (err) {
      opened.abort();
      if (err instanceof BinlogFormatError) throw new ChainError(readFailure(formatProblem(chainName(slice.chain), err), ''));
      throw err;
    }
    const problem = await opened.problem();
    if (problem) throw new ChainError(readFailure(problem, ''));
  }
  return found;
}

/** The point cannot be reached with what the archive holds: a classified failure (binlog_gap). */
export class ChainError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'ChainError';
  }
}

const gapFailure = (message: string) => new ChainError(failureOf({ class: 'binlog_gap', rule: 'archive-chain' }, message));

/** The archive's files in order, the one being written last. */
function chainOf(index: ArchiveIndex): ChainFile[] {
  const chain: ChainFile[] = index.files.map((file) => ({ kind: 'archived', file }));
  if (index.current && !index.files.some((f) => f.name === index.current!.name)) chain.push({ kind: 'current', file: index.current });
  return chain;
}

/** Whether coordinates (file, position) come at or before (file, position). */
const atOrBefore = (a: { file: string; position: number }, b: { file: string; position: number }) => {
  const byFile = compareFileNames(a.file, b.file);
  return byFile < 0 || (byFile === 0 && a.position <= b.position);
};

/**
 * Where the replay stops in the file that holds the point: reads the file's transactions and
 * returns the end of the last one the point includes, else the start of the first it excludes.
 */
async function stopIn(repository: string, target: string, c: ChainFile, point: RecoveryPoint, signal?: AbortSignal) {
  const reader = new BinlogReader();
  const seen = { last: null as Transaction | null, excluded: null as Transaction | null, cut: null as string | null };
  reader.onTransaction = (t) => {
    if (seen.excluded) return;
    if (point.kind === 'position' && t.start < point.position && t.end > point.position) {
      seen.cut = `${point.text} is inside a transaction (${t.gtid ?? 'no GTID'}, bytes ${t.start} to ${t.end} of ${chainName(c)}): give ${t.start} or ${t.end}`;
    }
    if (seen.last && isLast(point, seen.last)) seen.excluded = t;
    else if (includes(point, chainName(c), t)) seen.last = t;
    else seen.excluded = t;
  };
  const opened = openBinlog(repository, target, c, { signal });
  try {
    for await (const chunk of opened.stream) reader.push(chunk as Buffer);
  } catch (err) {
    opened.abort();
    if (err instanceof BinlogFormatError) throw new ChainError(readFailure(formatProblem(chainName(c), err), ''));
    throw err;
  }
  const problem = await opened.problem();
  if (problem) throw new ChainError(readFailure(problem, ''));
  if (seen.cut) throw new PointError(seen.cut, 'A replay stops between transactions.');
  if (point.kind === 'gtid' && seen.last?.gtid !== point.gtid) {
    throw new PointError(`GTID ${point.text} is not in the binlog archive (looked in ${chainName(c)})`, 'Give a GTID the server wrote after the oldest archived file.');
  }
  const committed = reader.facts.committedBytes;
  if (point.kind === 'position' && point.position > committed) {
    throw new PointError(`${point.text} is past the last whole transaction the archive holds of ${chainName(c)} (byte ${committed})`, 'Give an earlier position, or wait for the archiver to flush.');
  }
  return { last: seen.last, position: point.kind === 'position' ? point.position : (seen.last?.end ?? seen.excluded?.start ?? committed), committed };
}

export interface PlanRequest {
  repository: string;
  target: string;
  point: RecoveryPoint;
  /** The target's own server (describeEndpoint): whose binary logs the archive holds. */
  primary: string;
  /** The database to restore must be in the backup. */
  hasDatabase: (m: Manifest) => boolean;
  /** Start from this backup rather than the newest good one before the point. */
  backupId?: string;
  /** Also list the statements logged as SQL in the stretch (a dry run). */
  withStatements?: boolean;
  signal?: AbortSignal;
}

/** The newest good full backup before the point and the archive's stretch after it; throws PointError or ChainError. */
export async function planPointInTime(r: PlanRequest): Promise<PointInTimePlan> {
  const index = await readArchiveIndex(r.repository, r.target);
  const chain = chainOf(index);
  if (chain.length === 0) throw new PointError(`the binlog archive of ${r.target} is empty`, 'Turn on binlog.archive for the target and let `warden serve` (or `warden binlog`) run.');
  const { point } = r;

  // The file that holds the point: the first one that does not end before it.
  let at = point.kind === 'position' ? chain.findIndex((c) => chainName(c) === point.file) : chain.findIndex((c) => !fileEndsBefore(point, c.file));
  if (at < 0 && point.kind === 'position') throw new PointError(`the binlog archive has no file ${point.file}`, `It holds ${chainName(chain[0]!)} to ${chainName(chain.at(-1)!)}.`);
  if (at < 0 && point.kind === 'gtid') throw new PointError(`GTID ${point.text} is after everything the binlog archive holds`, 'Wait for the archiver, or give an earlier GTID.');
  if (at < 0) {
    // A time after the newest event: reachable when the archive was caught up with the server then.
    const current = index.current;
    const reach = current?.caughtUpAt ? Date.parse(current.caughtUpAt) / 1000 : null;
    if (point.kind === 'time' && (reach === null || point.at > reach)) {
      const newest = chain.at(-1)!.file.lastEventTime;
      throw new PointError(
        `${point.text} is after what the binlog archive is known to hold (its newest event: ${newest ?? 'none'}${current?.caughtUpAt ? `, complete up to ${current.caughtUpAt}` : ''})`,
        'Restore to an earlier time; `warden serve` reports how far the archive reaches (mysql_backup_recoverable_to_timestamp_seconds).',
      );
    }
    at = chain.length - 1;
  }
  const stopFile = chain[at]!;
  const stop = await stopIn(r.repository, r.target, stopFile, point, r.signal);
  const stopAt = { file: chainName(stopFile), position: stop.position };

  const { entries } = await listBackups(r.repository, r.target);
  const candidates = entries.filter((e) => isReplayBase(e.manifest, r.primary) && r.hasDatabase(e.manifest) && (r.backupId === undefined || e.manifest.id === r.backupId));
  if (r.backupId !== undefined && candidates.length === 0) {
    throw new PointError(`backup ${r.backupId} of ${r.target} cannot start a point-in-time restore`, 'It must be a successful full backup of the target’s own server, with binlog coordinates and the database asked for.');
  }
  if (candidates.length === 0) throw new PointError(`${r.target} has no good full backup with binlog coordinates to start from`, 'Take a backup of the target while its server writes a binary log (warden backup).');
  const chosen = candidates.find((e) => atOrBefore(coordinates(e.manifest), stopAt));
  if (!chosen) {
    const oldest = candidates.at(-1)!.manifest;
    throw new PointError(`no good full backup of ${r.target} was taken before ${point.text}`, `The oldest usable one is ${oldest.id} (at ${coordinates(oldest).file}:${coordinates(oldest).position}).`);
  }
  const from = coordinates(chosen.manifest);

  const first = chain.findIndex((c) => chainName(c) === from.file);
  if (first < 0) {
    throw gapFailure(`backup ${chosen.manifest.id} starts at ${from.file}:${from.position}, which the binlog archive does not hold (it holds ${chainName(chain[0]!)} to ${chainName(chain.at(-1)!)})`);
  }
  const stretch = chain.slice(first, at + 1);
  checkContinuity(index, stretch);

  const last = stop.last;
  const slices: ReplaySlice[] = stretch.map((chainFile, i) => ({ chain: chainFile, from: i === 0 ? from.position : null, to: i === stretch.length - 1 ? stopAt.position : null }));
  return {
    target: r.target,
    point,
    backup: { id: chosen.manifest.id, dir: chosen.dir, startedAt: chosen.manifest.startedAt, binlog: { ...from, gtid: chosen.manifest.binlog?.gtid ?? null } },
    slices,
    last: last && { gtid: last.gtid, time: new Date(last.timestamp * 1000).toISOString(), file: stopAt.file, end: last.end },
    ...(r.withStatements ? { statements: await statementsIn(r.repository, r.target, slices, r.signal) } : {}),
  };
}

const coordinates = (m: Manifest) => ({ file: m.binlog!.file!, position: m.binlog!.position! });

/** Every file of the stretch follows the one before it, and no recorded gap lies between them. */
function checkContinuity(index: ArchiveIndex, stretch: ChainFile[]): void {
  for (let i = 1; i < stretch.length; i++) {
    const before = stretch[i - 1]!;
    const name = chainName(stretch[i]!);
    const expected = before.kind === 'archived' ? (before.file.nextFile ?? nextFileName(before.file.name)) : nextFileName(before.file.name);
    const gap = index.gaps.find((g) => g.resumedAt === name);
    if (expected !== name || gap) {
      throw gapFailure(`the binlog archive has a gap between ${chainName(before)} and ${name}${gap ? ` (${gap.reason})` : ''}: no replay can cross it`);
    }
  }
}
