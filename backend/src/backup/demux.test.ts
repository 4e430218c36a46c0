import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DumpScanner } from '../dumpfile/scanner.js';
import { SECTION_TRAILER, SectionBoundaries, TableDemux } from './demux.js';
import { attribute, balance } from './perTable.js';
import { ScanTap } from '../dumpfile/stream.js';

const PROLOGUE = `/*M!999999\\- enable the sandbox mode */
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB
--
-- Host: 127.0.0.1    Database: shop
/*!40103 SET TIME_ZONE='+00:00' */;
`;
const A = `
--
-- Dumping data for table \`a\`
--

LOCK TABLES \`a\` WRITE;
INSERT INTO \`a\` VALUES (1,'-- Dumping data for table \`b\`'),(2,'y');
UNLOCK TABLES;
`;
const B = `
--
-- Dumping data for table \`b\`
--

LOCK TABLES \`b\` WRITE;
UNLOCK TABLES;
`;
const EPILOGUE = `/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

-- Dump completed on 2026-11-22  1:59:34
`;
const STREAM = PROLOGUE + A + B + EPILOGUE;

async function split(chunkSize: number) {
  const boundaries = new SectionBoundaries();
  const tap = new ScanTap({ comment: boundaries.onComment });
  const out = new Map<string, string>();
  const completed: string[] = [];
  const demux = new TableDemux(tap.scanner, boundaries, {
    open(table) {
      out.set(table, '');
      return { table, write: async (c) => void out.set(table, out.get(table)! + c.toString()) };
    },
    complete: (s) => void completed.push(s.table),
  });
  const buf = Buffer.from(STREAM);
  const chunks = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  await pipeline(Readable.from(chunks), tap, demux);
  return { out, completed, open: demux.openSection?.table, scanner: tap.scanner };
}

describe('TableDemux', () => {
  it.each([1, 3, 7, 64, 100_000])('splits a stream per table with the prologue and a trailer (chunks of %i)', async (size) => {
    const { out, completed, open, scanner } = await split(size);
    expect([...out.keys()]).toEqual(['a', 'b']);
    // The boundary is the `-- Dumping data` line: the blank `--` line before it stays with `a`.
    expect(out.get('a')).toBe(PROLOGUE + A + '\n--\n' + SECTION_TRAILER.toString());
    expect(out.get('b')).toBe(PROLOGUE + B + EPILOGUE);
    expect(completed).toEqual(['a']);
    expect(open).toBe('b');
    // Every table file is itself a dump the scanner accepts: rows counted, trailer last.
    for (const text of out.values()) {
      const s = new DumpScanner();
      s.write(Buffer.from(text));
      const sum = s.end();
      expect(sum.cut).toBeNull();
      expect(sum.lastComment).toMatch(/^Dump completed/);
      expect(sum.contentAfterLastComment).toBe(false);
    }
    expect(scanner.peek().tables.get('a')).toBe(2);
  });
});

describe('per-table helpers', () => {
  it('balances tables over workers by size', () => {
    const groups = balance([{ size: 10 }, { size: 1 }, { size: 9 }, { size: 2 }], 2);
    expect(groups.map((g) => g.reduce((n, x) => n + x.size, 0)).sort()).toEqual([11, 11]);
    expect(balance([{ size: 1 }], 4)).toHaveLength(1);
  });

  it('attributes error lines to the table they name', () => {
    const stderr = [
      "mariadb-dump: Error 1194: Table 'legacy_notes' is marked as crashed and should be repaired when dumping table `legacy_notes` at row: 0",
      "mysqldump: Couldn't execute 'SELECT /*!40001 SQL_NO_CACHE */ * FROM `orders`': Table './shop/orders' is marked as crashed (145)",
      'Warning: something about `customers` that is not an error',
    ].join('\n');
    const found = attribute(`${stderr}\nmariadb-dump: Got error: 130: "Incorrect file format" when retrieving data from server`, ['legacy_notes', 'orders', 'customers']);
    expect([...found.keys()]).toEqual(['legacy_notes', 'orders']);
    // A line naming no table continues the one before it.
    expect(found.get('orders')).toHaveLength(2);
  });
});
