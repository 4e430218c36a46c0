// The point a restore replays the binary logs up to, and whether a transaction lies before it.
// Inclusive everywhere: "--to T" keeps what committed at T, "--to-gtid G" keeps G itself, and
// "--to-position F:P" keeps everything that ends at or before P of F (P as SHOW MASTER STATUS gives it).
import { compareFileNames } from './archive.js';
import type { Transaction } from './events.js';

export type RecoveryPoint =
  | { kind: 'time'; /** Unix seconds: binlog events carry whole seconds. */ at: number; text: string }
  | { kind: 'gtid'; gtid: string; text: string }
  | { kind: 'position'; file: string; position: number; text: string };

export class PointError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'PointError';
  }
}

// An ISO 8601 time with a zone, or "YYYY-MM-DD HH:MM:SS" read as UTC (the zone the agent logs in).
const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const MARIADB_GTID = /^(\d{1,10})-(\d{1,10})-(\d{1,20})$/;
// MySQL 8.4's tagged GTIDs (uuid:tag:n) come in a different event (Gtid_tagged_log_event) this reader does not know.
const MYSQL_GTID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(\d{1,19})$/i;
const POSITION = /^([^/\\\0:]+):(\d{1,19})$/;

export function parseTimePoint(text: string): RecoveryPoint {
  const m = TIME.exec(text.trim());
  const ms = m ? Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${m[4] ?? 'Z'}`) : NaN;
  if (!m || Number.isNaN(ms)) {
    throw new PointError(`"${text}" is not a time`, 'Give an ISO 8601 time such as 2026-12-06T10:41:59Z or 2026-12-06T12:41:59+02:00; without a zone it is read as UTC.');
  }
  return { kind: 'time', at: Math.floor(ms / 1000), text: new Date(Math.floor(ms / 1000) * 1000).toISOString() };
}

export function parseGtidPoint(text: string): RecoveryPoint {
  const gtid = text.trim();
  if (!MARIADB_GTID.test(gtid) && !MYSQL_GTID.test(gtid)) {
    throw new PointError(`"${text}" is not one GTID`, 'Give one transaction: domain-server-sequence on MariaDB (0-1-42), uuid:number on MySQL (3E11FA47-71CA-11E1-9E33-C80AA9429562:23).');
  }
  return { kind: 'gtid', gtid: gtid.toLowerCase(), text: gtid };
}

export function parsePositionPoint(text: string): RecoveryPoint {
  const m = POSITION.exec(text.trim());
  if (!m || Number(m[2]) < 4) throw new PointError(`"${text}" is not a binlog position`, 'Give FILE:POSITION as SHOW MASTER STATUS prints it, e.g. binlog.000042:1234.');
  return { kind: 'position', file: m[1]!, position: Number(m[2]), text: `${m[1]}:${m[2]}` };
}

/** The one point of `--to` / `--to-gtid` / `--to-position` (the CLI) or `to` / `toGtid` / `toPosition` (the API). */
export function parsePoint(p: { to?: string; toGtid?: string; toPosition?: string }): RecoveryPoint {
  if (p.to !== undefined) return parseTimePoint(p.to);
  if (p.toGtid !== undefined) return parseGtidPoint(p.toGtid);
  if (p.toPosition !== undefined) return parsePositionPoint(p.toPosition);
  throw new PointError('no recovery point given', 'Give one of a time, a GTID or a FILE:POSITION.');
}

/** The last GTID of `gtid`'s domain (MariaDB) or source (MySQL) in a list such as an index's gtidsIn. */
function sameStream(gtid: string, list: string | null): string | null {
  if (!list) return null;
  const key = (g: string) => (MARIADB_GTID.test(g) ? g.split('-')[0] : g.slice(0, g.lastIndexOf(':')));
  return list.split(',').find((g) => key(g.trim().toLowerCase()) === key(gtid)) ?? null;
}

const sequenceOf = (gtid: string) => BigInt(MARIADB_GTID.test(gtid) ? gtid.split('-')[2]! : gtid.slice(gtid.lastIndexOf(':') + 1));

/**
 * Whether a file, by its index entry alone, ends before the point: then all of it is replayed
 * without reading it to find where to stop.
 */
export function fileEndsBefore(point: RecoveryPoint, file: { name: string; lastEventTime: string | null; gtidsIn: string | null }): boolean {
  switch (point.kind) {
    case 'time':
      return file.lastEventTime !== null && Date.parse(file.lastEventTime) / 1000 <= point.at;
    case 'gtid': {
      const last = sameStream(point.gtid, file.gtidsIn);
      return last !== null && sequenceOf(last) < sequenceOf(point.gtid);
    }
    case 'position':
      return compareFileNames(file.name, point.file) < 0;
  }
}

/** Whether a transaction is replayed: it is before the point, or is the point itself. */
export function includes(point: RecoveryPoint, file: string, t: Transaction): boolean {
  switch (point.kind) {
    case 'time':
      return t.timestamp <= point.at;
    case 'gtid':
      return true; // every transaction up to and with the GTID: the caller stops after it
    case 'position':
      return compareFileNames(file, point.file) < 0 || t.end <= point.position;
  }
}

/** Whether this transaction is the last one the point includes (only a GTID point names one). */
export function isLast(point: RecoveryPoint, t: Transaction): boolean {
  return point.kind === 'gtid' && t.gtid === point.gtid;
}
