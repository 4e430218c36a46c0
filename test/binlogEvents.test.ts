// The binlog reader's transactions against the server's own account of the same file (SHOW BINLOG
// EVENTS): every GTID, where each transaction starts and where its commit ends, for the shapes a
// MariaDB writes (DDL, autocommit rows, a multi-statement transaction, a non-transactional table's
// BEGIN … COMMIT, a rolled-back transaction that leaves nothing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BinlogReader, type Transaction } from '../backend/src/binlogfile/events.js';
import { useMariaDB } from './harness/mariadb.js';

const getServer = useMariaDB({ binlog: true });
let file: string;

beforeAll(async () => {
  const s = getServer();
  await s.query('FLUSH BINARY LOGS');
  file = (await s.query<{ File: string }>('SHOW MASTER STATUS'))[0]!.File;
  await s.createDatabase('ev');
  await s.query('CREATE TABLE ev.t (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB');
  await s.query('CREATE TABLE ev.m (id INT PRIMARY KEY) ENGINE=MyISAM');
  await s.query("INSERT INTO ev.t VALUES (1, 'a'), (2, REPEAT('x', 5000))");
  await s.exec("BEGIN; INSERT INTO ev.t VALUES (3, 'b'); UPDATE ev.t SET v = 'c' WHERE id = 1; DELETE FROM ev.t WHERE id = 2; COMMIT;");
  await s.exec('BEGIN; INSERT INTO ev.t VALUES (9, NULL); ROLLBACK;');
  await s.query('INSERT INTO ev.m VALUES (1), (2)');
  await s.query('ALTER TABLE ev.t ADD COLUMN w INT');
  await s.query('FLUSH BINARY LOGS');
});

describe('the binlog reader', () => {
  it('finds every transaction where the server says it starts and commits', async () => {
    const events = await getServer().query<{ Pos: number; Event_type: string; End_log_pos: number; Info: string }>(`SHOW BINLOG EVENTS IN '${file}'`);
    const expected: { gtid: string; start: number; end: number }[] = [];
    for (const [i, e] of events.entries()) {
      if (e.Event_type !== 'Gtid') continue;
      const gtid = /GTID (\d+-\d+-\d+)/.exec(e.Info)![1]!;
      const standalone = !/^BEGIN/.test(e.Info);
      // A standalone (DDL) transaction is its one Query event; the others end at Xid or COMMIT.
      const end = standalone ? events[i + 1]! : events.slice(i + 1).find((n) => n.Event_type === 'Xid' || (n.Event_type === 'Query' && /^COMMIT/.test(n.Info)))!;
      expected.push({ gtid, start: Number(e.Pos), end: Number(end.End_log_pos) });
    }
    const reader = new BinlogReader();
    const seen: Transaction[] = [];
    reader.onTransaction = (t) => seen.push(t);
    const bytes = readFileSync(path.join(getServer().baseDir, file));
    // Fed in small pieces, as a stream arrives.
    for (let at = 0; at < bytes.length; at += 777) reader.push(bytes.subarray(at, at + 777));
    expect(seen.map(({ gtid, start, end }) => ({ gtid, start, end }))).toEqual(expected);
    expect(expected.length).toBe(7);
    expect(reader.facts.transactions).toBe(7);
    expect(reader.facts.committedBytes).toBe(expected.at(-1)!.end);
    expect(reader.facts.nextFile).not.toBeNull();
    for (const t of seen) expect(t.timestamp).toBeGreaterThan(Date.now() / 1000 - 600);
  });
});
