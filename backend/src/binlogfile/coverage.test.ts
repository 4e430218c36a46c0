import { describe, expect, it } from 'vitest';
import type { Manifest } from '../contract/manifest.js';
import type { ArchiveIndex, ArchivedFile } from './archive.js';
import { archiveCoverage, type ReplayBase, replayBases } from './coverage.js';

const T0 = Date.parse('2026-05-01T00:00:00Z');
const at = (minutes: number) => T0 + minutes * 60_000;
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

const name = (n: number) => `binlog.${String(n).padStart(6, '0')}`;
const file = (n: number, lastEventMinute: number): ArchivedFile => ({
  name: name(n),
  object: `${name(n)}.zst`,
  bytes: 1,
  sha256: '0'.repeat(64),
  rawBytes: 1,
  rawSha256: '0'.repeat(64),
  events: 1,
  transactions: 1,
  firstEventTime: iso(lastEventMinute - 1),
  lastEventTime: iso(lastEventMinute),
  serverId: 1,
  gtidsBefore: null,
  gtidsIn: null,
  nextFile: null,
  archivedAt: iso(lastEventMinute),
});

/** Files 1..5 archived (last events at minutes 10, 20, …, 50), file 6 being written. */
function index(patch: Partial<ArchiveIndex> = {}): ArchiveIndex {
  return {
    version: 1,
    target: 'shop',
    files: [1, 2, 3, 4, 5].map((n) => file(n, n * 10)),
    gaps: [],
    current: { name: name(6), bytes: 100, lastEventTime: iso(55), gtidsIn: null, flushedAt: iso(60), caughtUpAt: iso(60) },
    ...patch,
  };
}
const base = (minute: number, n: number): ReplayBase => ({ startedAt: at(minute), file: name(n) });
const idle = { lastEventTime: null, caughtUpAt: null };

describe('archiveCoverage', () => {
  it('reaches the caught-up time from a backup the archive holds the file of', () => {
    expect(archiveCoverage(index(), [base(25, 3)], idle)).toEqual({ lastEventTime: at(55), caughtUpAt: at(60), gap: false, recoverableTo: at(60) });
  });

  it('reaches the newest event when the archive fell behind, and takes the running archiver’s fresher view', () => {
    const behind = index({ current: { ...index().current!, caughtUpAt: iso(30) } });
    expect(archiveCoverage(behind, [base(25, 3)], idle).recoverableTo).toBe(at(55));
    expect(archiveCoverage(behind, [base(25, 3)], { lastEventTime: at(58), caughtUpAt: at(62) })).toMatchObject({ lastEventTime: at(58), caughtUpAt: at(62), recoverableTo: at(62) });
  });

  it('reaches nothing without a backup, from a backup newer than the archive, or one older than its first file', () => {
    expect(archiveCoverage(index(), [], idle).recoverableTo).toBeNull();
    expect(archiveCoverage(index(), [base(70, 7)], idle).recoverableTo).toBeNull();
    const later = index({ files: index().files.slice(2) });
    expect(archiveCoverage(later, [base(5, 1)], idle).recoverableTo).toBeNull();
    // An older backup serves when the newest is beyond the archive.
    expect(archiveCoverage(index(), [base(70, 7), base(25, 3)], idle).recoverableTo).toBe(at(60));
  });

  it('counts a gap after the newest backup’s coordinates, and stops the replay where the gap begins', () => {
    const gapped = index({ files: index().files.filter((f) => f.name !== name(4)), gaps: [{ after: name(3), resumedAt: name(5), detectedAt: iso(45), reason: 'purged' }] });
    expect(archiveCoverage(gapped, [base(25, 3)], idle)).toMatchObject({ gap: true, recoverableTo: at(30) });
    // A backup taken after the gap starts a whole replay again.
    expect(archiveCoverage(gapped, [base(45, 5), base(25, 3)], idle)).toMatchObject({ gap: false, recoverableTo: at(60) });
    // Without a backup, any gap counts.
    expect(archiveCoverage(gapped, [], idle).gap).toBe(true);
  });
});

describe('replayBases', () => {
  const manifest = (startedMinute: number, patch: Partial<Manifest> = {}) =>
    ({ status: 'success', startedAt: iso(startedMinute), server: { endpoint: 'db:3306', version: null, flavor: null }, binlog: { file: name(2), position: 4, gtid: null }, ...patch }) as Manifest;

  it('keeps good logical backups of the target’s own server with a binlog position, newest first', () => {
    const bases = replayBases(
      [
        manifest(10),
        manifest(30),
        manifest(40, { status: 'failed' }),
        manifest(45, { verification: { level: 'restore', ok: false, at: iso(46), problems: [], durationSeconds: 1, restoreSeconds: null } }),
        manifest(50, { binlog: { file: null, position: null, gtid: '0-1-5' } }),
        manifest(60, { server: { endpoint: 'replica:3306', version: null, flavor: null } }),
        // A physical backup is not loaded into a server: nothing can be replayed onto it.
        manifest(70, { method: 'physical' }),
      ],
      'db:3306',
    );
    expect(bases).toEqual([base(30, 2), base(10, 2)]);
  });
});
