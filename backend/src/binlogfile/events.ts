// What a binary log file holds, read from its event headers as it streams by: where its events
// end, their times, the GTIDs before and in it, and the file the server rotated to.
//
// Hand-written because no kept npm library reads binlog files offline (the ones there are
// replication clients). Only the v4 event header and five event bodies are read; their layouts are
// fixed since MySQL 5.0 / MariaDB 10.0: MySQL Internals manual, "Binary Log" (event header, Format
// Description, Rotate); MariaDB manual, "GTID_EVENT", "GTID_LIST_EVENT"; MySQL source
// libbinlogevents/include/control_events.h (Gtid_event, Previous_gtids_event).
import type { Readable } from 'node:stream';

export const BINLOG_MAGIC = Buffer.from([0xfe, 0x62, 0x69, 0x6e]);
const HEADER = 19;

export const EVENT = {
  QUERY: 2,
  STOP: 3,
  ROTATE: 4,
  XID: 16,
  FORMAT_DESCRIPTION: 15,
  MYSQL_GTID: 33,
  MYSQL_ANONYMOUS_GTID: 34,
  MYSQL_PREVIOUS_GTIDS: 35,
  MARIADB_GTID: 162,
  MARIADB_GTID_LIST: 163,
} as const;

export interface BinlogFacts {
  /** Bytes up to the end of the last complete event (a file being written may have more). */
  completeBytes: number;
  events: number;
  /** Unix seconds of the first and last event that carry a time (the format event's counts). */
  firstEventTime: number | null;
  lastEventTime: number | null;
  /** Server id of the format description event: who wrote the file. */
  serverId: number | null;
  serverVersion: string | null;
  /** GTIDs executed before the file (MariaDB Gtid_list, MySQL Previous_gtids), in the server's text form. */
  gtidsBefore: string | null;
  /** The last GTID of each domain (MariaDB) or source (MySQL) in the file, in the same text form. */
  gtidsIn: string | null;
  /** The file the server went on with (its Rotate event); null while the file is open. */
  nextFile: string | null;
  /** The server stopped while this file was its current one (Stop event). */
  stopped: boolean;
  /** Transactions in the file (its GTID events). */
  transactions: number;
  /** Where the last whole transaction ends (its commit event's end): a safe place to stop a replay. */
  committedBytes: number;
}

/**
 * One committed transaction: from its GTID event to the end of the event that closes it. Its time
 * is the GTID event's, written at commit (the timestamp of the committing statement).
 */
export interface Transaction {
  /** `domain-server-seq` (MariaDB), `uuid:n` (MySQL), null for MySQL's anonymous transactions. */
  gtid: string | null;
  start: number;
  end: number;
  timestamp: number;
}

/** A statement the log holds as SQL, with the default database it ran in; `text` is its beginning. */
export interface Statement {
  start: number;
  timestamp: number;
  database: string;
  text: string;
}

/** What makes a binlog's transactions whole: a GTID event opens each one since MariaDB 10.0 / MySQL 5.7. */
type OpenTransaction = Omit<Transaction, 'end'> & {
  /**
   * single: the next Query event is all of it (MariaDB's FL_STANDALONE: DDL); multi: it ends at an
   * Xid event or a COMMIT/ROLLBACK query; first: MySQL's, which is multi when a BEGIN query follows.
   */
  shape: 'single' | 'multi' | 'first';
};

/** How much of a Query event is read: its fixed part, status variables, database and first words. */
const QUERY_PREFIX = 2048;
/**
 * The largest event read whole (format description, rotate, GTID and GTID-list events). Real ones
 * are bytes to kilobytes (a Previous_gtids of many sources and holes reaches megabytes); one that
 * claims more is damage, not something to hold in memory.
 */
const MAX_WHOLE_EVENT = 16 << 20;
/** MariaDB GTID event flag: the transaction is one statement with no COMMIT event. */
const FL_STANDALONE = 1;

export class BinlogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BinlogFormatError';
  }
}

/** MariaDB's `domain-server-seq` list, ordered by domain. */
function mariadbGtids(byDomain: Map<number, string>): string {
  return [...byDomain.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]).join(',');
}

function uuidOf(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** MySQL's encoded GTID set (Previous_gtids body) as text: `uuid:1-5:7-9,uuid2:1-3`. */
function mysqlGtidSet(body: Buffer): string {
  const sids = Number(body.readBigUInt64LE(0));
  const parts: string[] = [];
  let at = 8;
  for (let i = 0; i < sids; i++) {
    const uuid = uuidOf(body.subarray(at, at + 16));
    const intervals = Number(body.readBigUInt64LE(at + 16));
    at += 24;
    const ranges: string[] = [];
    for (let j = 0; j < intervals; j++) {
      const start = body.readBigUInt64LE(at);
      const end = body.readBigUInt64LE(at + 8) - 1n; // stored half-open
      ranges.push(start === end ? `${start}` : `${start}-${end}`);
      at += 16;
    }
    parts.push([uuid, ...ranges].join(':'));
  }
  return parts.join(',');
}

/** Reads a binlog file as it streams: only headers are kept, never the file. */
export class BinlogReader {
  private buffered: Buffer = Buffer.alloc(0);
  /** Chunks that arrived while an event was still short: joined once, when it is whole. */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  /** Bytes `buffered` must hold before draining can go on. */
  private needed = 0;
  /** Bytes of the current event still to skip without looking at them. */
  private skip = 0;
  private offset = 0;
  private magicSeen = false;
  private checksumBytes = 0;
  private readonly lastGtid = new Map<string | number, string>();
  private open: OpenTransaction | null = null;
  /** Called for each committed transaction, in file order. */
  onTransaction: ((t: Transaction) => void) | null = null;
  /** Called for each statement logged as SQL (DDL, statement-based DML): not BEGIN, COMMIT or ROLLBACK. */
  onStatement: ((s: Statement) => void) | null = null;
  readonly facts: BinlogFacts = {
    completeBytes: 0,
    events: 0,
    firstEventTime: null,
    lastEventTime: null,
    serverId: null,
    serverVersion: null,
    gtidsBefore: null,
    gtidsIn: null,
    nextFile: null,
    stopped: false,
    transactions: 0,
    committedBytes: 0,
  };

  push(chunk: Buffer): void {
    if (this.skip > 0) {
      const n = Math.min(this.skip, chunk.length);
      this.skip -= n;
      this.offset += n;
      chunk = chunk.subarray(n);
      if (this.skip === 0) this.facts.completeBytes = this.offset;
      if (chunk.length === 0) return;
    }
    if (this.buffered.length + this.partsBytes + chunk.length < this.needed) {
      this.parts.push(chunk);
      this.partsBytes += chunk.length;
      return;
    }
    this.buffered = this.buffered.length || this.parts.length ? Buffer.concat([this.buffered, ...this.parts, chunk]) : chunk;
    this.parts = [];
    this.partsBytes = 0;
    this.needed = 0;
    this.drain();
  }

  private drain(): void {
    if (!this.magicSeen) {
      if (this.buffered.length < 4) {
        this.needed = 4;
        return;
      }
      if (!this.buffered.subarray(0, 4).equals(BINLOG_MAGIC)) throw new BinlogFormatError('not a binary log: the file does not start with \\xfebin');
      this.magicSeen = true;
      this.buffered = this.buffered.subarray(4);
      this.offset = 4;
      this.facts.completeBytes = 4;
    }
    this.needed = HEADER;
    while (this.buffered.length >= HEADER) {
      const length = this.buffered.readUInt32LE(9);
      if (length < HEADER) throw new BinlogFormatError(`event at byte ${this.offset} claims ${length} bytes, less than its header`);
      const type = this.buffered[4]!;
      const wanted = this.bytesWanted(type, length);
      if (wanted > MAX_WHOLE_EVENT) throw new BinlogFormatError(`event of type ${type} at byte ${this.offset} claims ${length} bytes: no such event is that big`);
      if (this.buffered.length < wanted) {
        this.needed = wanted;
        return;
      }
      const nextPosition = this.buffered.readUInt32LE(13);
      if (nextPosition !== 0 && nextPosition !== this.offset + length) {
        throw new BinlogFormatError(`event at byte ${this.offset} says the next one starts at ${nextPosition}, not ${this.offset + length}`);
      }
      const at = { start: this.offset, end: this.offset + length, whole: wanted === length };
      try {
        this.onEvent(type, this.buffered.readUInt32LE(0), this.buffered.readUInt32LE(5), wanted > HEADER ? this.buffered.subarray(HEADER, wanted) : null, at);
      } catch (err) {
        // A body shorter than its kind's layout: the bytes are damaged (or not a binary log).
        if (err instanceof RangeError) throw new BinlogFormatError(`event of type ${type} at byte ${this.offset} is too short for its kind (${err.message})`);
        throw err;
      }
      if (this.buffered.length >= length) {
        this.buffered = this.buffered.subarray(length);
        this.offset += length;
        this.facts.completeBytes = this.offset;
      } else {
        this.skip = length - this.buffered.length;
        this.offset += this.buffered.length;
        this.buffered = Buffer.alloc(0);
      }
    }
  }

  /** Bytes of an event (header included) to hold before looking at it: only the few bodies read. */
  private bytesWanted(type: number, length: number): number {
    switch (type) {
      case EVENT.FORMAT_DESCRIPTION:
      case EVENT.ROTATE:
      case EVENT.MARIADB_GTID:
      case EVENT.MARIADB_GTID_LIST:
      case EVENT.MYSQL_GTID:
      case EVENT.MYSQL_ANONYMOUS_GTID:
      case EVENT.MYSQL_PREVIOUS_GTIDS:
        return length;
      case EVENT.QUERY:
        // A statement can be as big as max_allowed_packet: only its first words say BEGIN/COMMIT.
        return Math.min(length, HEADER + QUERY_PREFIX);
      default:
        return HEADER;
    }
  }

  private begin(gtid: string | null, start: number, timestamp: number, shape: OpenTransaction['shape']): void {
    this.open = { gtid, start, timestamp, shape };
    this.facts.transactions++;
  }

  private commit(end: number): void {
    if (!this.open) return;
    const { shape: _, ...t } = this.open;
    this.open = null;
    this.facts.committedBytes = end;
    this.onTransaction?.({ ...t, end });
  }

  /** A Query event inside a transaction: BEGIN, COMMIT/ROLLBACK, or a statement (DDL ends its own). */
  private onQuery(text: string, end: number): void {
    const word = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();
    const open = this.open;
    if (!open) return;
    if (open.shape === 'first' && word === 'BEGIN') open.shape = 'multi';
    else if (open.shape !== 'multi' || word === 'COMMIT' || word === 'ROLLBACK') this.commit(end);
  }

  private onEvent(type: number, timestamp: number, serverId: number, body: Buffer | null, at: { start: number; end: number; whole: boolean }): void {
    const f = this.facts;
    f.events++;
    if (timestamp > 0 && type !== EVENT.FORMAT_DESCRIPTION) {
      f.firstEventTime ??= timestamp;
      f.lastEventTime = Math.max(f.lastEventTime ?? 0, timestamp);
    }
    if (type === EVENT.XID) this.commit(at.end);
    if (!body) {
      if (type === EVENT.STOP) f.stopped = true;
      return;
    }
    // The checksum (CRC32 when the format event says so) trails every event after the format one.
    const payload = type === EVENT.FORMAT_DESCRIPTION || !at.whole ? body : body.subarray(0, body.length - this.checksumBytes);
    switch (type) {
      case EVENT.QUERY: {
        // Post-header: thread id 4, exec time 4, database length 1, error code 2, status length 2.
        const dbAt = 13 + payload.readUInt16LE(11);
        const textAt = dbAt + payload[8]! + 1;
        const text = payload.subarray(textAt, textAt + 200).toString('utf8');
        if (this.onStatement && !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(text)) {
          this.onStatement({ start: at.start, timestamp, database: payload.subarray(dbAt, dbAt + payload[8]!).toString('utf8'), text });
        }
        this.onQuery(text, at.end);
        break;
      }
      case EVENT.FORMAT_DESCRIPTION: {
        f.serverId = serverId;
        f.serverVersion = body.subarray(2, 52).toString('latin1').replace(/\0.*$/s, '');
        // Servers that know checksums put the algorithm in the byte before the event's own
        // checksum (MySQL 5.6.1+, MariaDB 5.3+): 0 none, 1 CRC32.
        const alg = body.length >= 5 ? body[body.length - 5] : 0;
        this.checksumBytes = alg === 1 ? 4 : 0;
        break;
      }
      case EVENT.ROTATE:
        f.nextFile = payload.subarray(8).toString('utf8');
        break;
      case EVENT.MARIADB_GTID: {
        const seq = payload.readBigUInt64LE(0);
        const domain = payload.readUInt32LE(8);
        const gtid = `${domain}-${serverId}-${seq}`;
        this.lastGtid.set(domain, gtid);
        f.gtidsIn = mariadbGtids(this.lastGtid as Map<number, string>);
        this.begin(gtid, at.start, timestamp, (payload[12]! & FL_STANDALONE) !== 0 ? 'single' : 'multi');
        break;
      }
      case EVENT.MARIADB_GTID_LIST: {
        const count = payload.readUInt32LE(0) & 0x0fffffff;
        const list = new Map<number, string>();
        for (let i = 0; i < count; i++) {
          const at = 4 + i * 16;
          const domain = payload.readUInt32LE(at);
          list.set(domain, `${domain}-${payload.readUInt32LE(at + 4)}-${payload.readBigUInt64LE(at + 8)}`);
        }
        f.gtidsBefore = mariadbGtids(list);
        break;
      }
      case EVENT.MYSQL_GTID: {
        const uuid = uuidOf(payload.subarray(1, 17));
        const gtid = `${uuid}:${payload.readBigUInt64LE(17)}`;
        this.lastGtid.set(uuid, gtid);
        f.gtidsIn = [...this.lastGtid.values()].join(',');
        this.begin(gtid, at.start, timestamp, 'first');
        break;
      }
      case EVENT.MYSQL_ANONYMOUS_GTID:
        this.begin(null, at.start, timestamp, 'first');
        break;
      case EVENT.MYSQL_PREVIOUS_GTIDS:
        f.gtidsBefore = mysqlGtidSet(payload);
        break;
    }
  }
}

/** Reads a whole stream of one binlog file; the stream's errors reject. */
export async function readBinlogFacts(stream: Readable): Promise<BinlogFacts> {
  const reader = new BinlogReader();
  for await (const chunk of stream) reader.push(chunk as Buffer);
  return reader.facts;
}
