// How far a target's binlog archive reaches for a point-in-time restore: a replay starts from a
// good full backup's binlog coordinates and goes through the archive to the newest moment it
// holds; a gap after the coordinates stops it there.
import type { Manifest } from '../contract/manifest.js';
import { type ArchiveIndex, compareFileNames } from './archive.js';

/** A full backup a replay can start from: when it started, and the file its coordinates name. */
export interface ReplayBase {
  startedAt: number;
  file: string;
}

/**
 * A backup a replay can start from: a good logical one (not failed a verification; a physical
 * backup is not loaded into a server) of `endpoint` with binlog coordinates. One taken from a
 * replica after fail-over is left out: its coordinates name the replica's files.
 */
export function isReplayBase(m: Manifest, endpoint: string): m is Manifest & { binlog: { file: string; position: number } } {
  return (
    m.method !== 'physical' &&
    m.status === 'success' &&
    m.verification?.ok !== false &&
    m.server.endpoint === endpoint &&
    m.binlog?.file != null &&
    m.binlog.position != null
  );
}

/** The backups a replay can start from (isReplayBase), newest first. */
export function replayBases(manifests: Manifest[], endpoint: string): ReplayBase[] {
  return manifests
    .flatMap((m) => (isReplayBase(m, endpoint) ? [{ startedAt: Date.parse(m.startedAt), file: m.binlog.file }] : []))
    .sort((a, b) => b.startedAt - a.startedAt);
}

/** Times in ms since the epoch. */
export interface Coverage {
  /** The newest event the archive holds. */
  lastEventTime: number | null;
  /** When the archive last held everything the server had written. */
  caughtUpAt: number | null;
  /** Logs are missing after the newest base's coordinates (any gap when there is no base). */
  gap: boolean;
  /** The latest moment a replay from a base reaches; null when no base can start one. */
  recoverableTo: number | null;
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
const latest = (...times: (number | null)[]): number | null => {
  const known = times.filter((t) => t !== null);
  return known.length > 0 ? Math.max(...known) : null;
};

/**
 * `live` is what the running archiver has seen since it last wrote the index. The archive reaches
 * the later of its caught-up time and its newest event; a base counts when the archive holds its
 * file and it started before that. A gap counts when it resumed after a base's file: the files the
 * replay needs from there are missing, so it stops at the newest event before the gap.
 */
export function archiveCoverage(index: ArchiveIndex, bases: ReplayBase[], live: { lastEventTime: number | null; caughtUpAt: number | null }): Coverage {
  const lastEventTime = latest(ms(index.current?.lastEventTime), ms(index.files.at(-1)?.lastEventTime), live.lastEventTime);
  const caughtUpAt = latest(ms(index.current?.caughtUpAt), live.caughtUpAt);
  const gapAfter = (base: ReplayBase) =>
    index.gaps.filter((g) => compareFileNames(g.resumedAt, base.file) > 0).sort((a, b) => compareFileNames(a.resumedAt, b.resumedAt))[0];
  const gap = bases[0] ? gapAfter(bases[0]) !== undefined : index.gaps.length > 0;

  const reach = latest(caughtUpAt, lastEventTime);
  const first = index.files[0]?.name ?? index.current?.name;
  const last = index.current?.name ?? index.files.at(-1)?.name;
  const base =
    reach === null || first === undefined || last === undefined
      ? undefined
      : bases.find((b) => b.startedAt <= reach && compareFileNames(first, b.file) <= 0 && compareFileNames(b.file, last) <= 0);
  if (!base) return { lastEventTime, caughtUpAt, gap, recoverableTo: null };
  const stop = gapAfter(base);
  if (!stop) return { lastEventTime, caughtUpAt, gap, recoverableTo: reach };
  const beforeGap = index.files.filter((f) => compareFileNames(f.name, base.file) >= 0 && compareFileNames(f.name, stop.resumedAt) < 0);
  return { lastEventTime, caughtUpAt, gap, recoverableTo: latest(...beforeGap.map((f) => ms(f.lastEventTime))) };
}
