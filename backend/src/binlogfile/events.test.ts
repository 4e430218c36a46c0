// Damaged or crafted bytes: the reader says so (BinlogFormatError, which the restore and the
// verification call corruption), never a RangeError, and never holds or copies more than it must.
import { describe, expect, it } from 'vitest';
import { BINLOG_MAGIC, BinlogFormatError, BinlogReader, EVENT } from './events.js';

/** A v4 event header: timestamp, type, server id, length, next position, flags. */
function event(type: number, body: Buffer, at: number, length = 19 + body.length): Buffer {
  const header = Buffer.alloc(19);
  header.writeUInt32LE(1_700_000_000, 0);
  header[4] = type;
  header.writeUInt32LE(1, 5);
  header.writeUInt32LE(length, 9);
  header.writeUInt32LE((at + length) % 2 ** 32, 13);
  return Buffer.concat([header, body]);
}

/** A format description event of a server without checksums. */
function formatDescription(): Buffer {
  const body = Buffer.alloc(2 + 50 + 4 + 1 + 40);
  body.writeUInt16LE(4, 0);
  body.write('10.11.19-MariaDB', 2, 'latin1');
  body[56] = 19;
  return event(EVENT.FORMAT_DESCRIPTION, body, 4);
}

const start = () => Buffer.concat([BINLOG_MAGIC, formatDescription()]);
const readAll = (bytes: Buffer) => {
  const reader = new BinlogReader();
  reader.push(bytes);
  return reader;
};

describe('the binlog reader on damaged bytes', () => {
  it.each([
    ['a Query event of two bytes', EVENT.QUERY, Buffer.alloc(2)],
    ['a MariaDB GTID event of four bytes', EVENT.MARIADB_GTID, Buffer.alloc(4)],
    ['a GTID list that claims five entries in eight bytes', EVENT.MARIADB_GTID_LIST, Buffer.from([5, 0, 0, 0, 0, 0, 0, 0])],
    ['a MySQL GTID event of three bytes', EVENT.MYSQL_GTID, Buffer.alloc(3)],
  ])('%s is a format error', (_what, type, body) => {
    const head = start();
    expect(() => readAll(Buffer.concat([head, event(type, body, head.length)]))).toThrow(BinlogFormatError);
  });

  it('refuses an event that claims gigabytes at once, without buffering towards it', () => {
    const head = start();
    const huge = event(EVENT.FORMAT_DESCRIPTION, Buffer.alloc(0), head.length, 0xfffffff0);
    expect(() => readAll(Buffer.concat([head, huge]))).toThrow(/claims 4294967280 bytes/);
  });

  it('joins the chunks of a long event once, not at every chunk', () => {
    const head = start();
    const rotate = event(EVENT.ROTATE, Buffer.concat([Buffer.alloc(8), Buffer.from('x'.repeat(4 << 20))]), head.length);
    const bytes = Buffer.concat([head, rotate]);
    const reader = new BinlogReader();
    const began = performance.now();
    for (let at = 0; at < bytes.length; at += 1024) reader.push(bytes.subarray(at, at + 1024));
    expect(reader.facts.nextFile).toHaveLength(4 << 20);
    expect(reader.facts.completeBytes).toBe(bytes.length);
    // Joining at every 1 KiB chunk copies 4 MiB four thousand times (seconds); once is milliseconds.
    expect(performance.now() - began).toBeLessThan(1000);
  });
});
