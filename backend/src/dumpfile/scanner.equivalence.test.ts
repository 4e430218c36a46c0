// The scanner against the previous implementation (kept below, unchanged, as the oracle) and against
// the row counts a generator knows: generated dumps full of the literals that make scanning hard,
// random fuzz, truncations, and every way of cutting them into chunks. Both must report the same
// statements, comments, offsets, settled positions and summary, whatever the chunk boundaries.
import { describe, expect, it } from 'vitest';
import { DumpScanner, type ObjectKind, type ScanEvents, type ScanSummary, type StatementInfo } from './scanner.js';
import { mulberry32, type Rng } from '../../../bench/random.js';

const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const times = (n: number, f: (i: number) => string, sep = '') => Array.from({ length: n }, (_, i) => f(i)).join(sep);

/** Characters that mean something to a scanner, mixed with ordinary text and multi-byte UTF-8. */
const STRING_CHARS = [..."abcxyz019 ,.'\"`\\();-#/*!\n\r\t\0\x1aéß中😀", '),(', '--', '/*', '*/', ';;', "\\'", '\\\\', "''"];

function escapeSql(r: Rng, text: string, quote: "'" | '"'): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += pick(r, [`\\${quote}`, quote + quote]);
    else if (ch === '\0') out += '\\0';
    else if (ch === '\n') out += pick(r, ['\\n', '\n']);
    else out += ch;
  }
  return out;
}

function randomText(r: Rng, length: number): string {
  return times(length, () => pick(r, STRING_CHARS));
}

/** One value of a row, as dump tools (and people) write them. */
function value(r: Rng): string {
  switch (int(r, 0, 15)) {
    case 0:
      return String(int(r, -100000, 100000));
    case 1:
      return `${(r() - 0.5).toExponential(4)}`;
    case 2:
      return 'NULL';
    case 3:
    case 4:
      return `'${escapeSql(r, randomText(r, int(r, 0, 12)), "'")}'`;
    case 5:
      return `'${escapeSql(r, randomText(r, int(r, 40, 700)), "'")}'`;
    case 6:
      return `"${escapeSql(r, randomText(r, int(r, 0, 60)), '"')}"`;
    case 7:
      // A hex BLOB literal, long enough at times to be skipped by memchr.
      return `0x${times(int(r, 0, pick(r, [4, 60, 3000])), () => pick(r, [...'0123456789ABCDEF']))}`;
    case 8:
      return pick(r, ["X'00FF27'", "b'0101'", "_binary 'a\\'b)(;'", "_binary ''", "x'5c'"]);
    case 9:
      // A backslash run at the very end of a string.
      return `'${'\\\\'.repeat(int(r, 0, 5))}'`;
    case 10:
      return `'${'\\\\'.repeat(int(r, 0, 3))}\\''`;
    case 11:
      // Nested parentheses are not rows.
      return pick(r, ['POINT(1,2)', 'CONCAT((1),(2))', "FROM_BASE64('KCk=')"]);
    case 12:
      // Comments inside a row.
      return pick(r, ['/* ; ( */ 1', '2 -- ( ;\n', '3 # ) ;\n', '/*!50000 4 */']);
    case 13:
      return `'${int(r, 2000, 2030)}-0${int(r, 1, 9)}-1${int(r, 0, 9)} 0${int(r, 0, 9)}:1${int(r, 0, 9)}:2${int(r, 0, 9)}'`;
    default:
      return String(int(r, 0, 9999));
  }
}

const TABLES = ['t1', 'orders', 'we``ird', 'tä', 'x'];

interface Generated {
  sql: string;
  /** rows the INSERTs carry, per table as the scanner names it */
  rows: Record<string, number>;
}

/** An INSERT in one of the shapes dump tools write; returns its SQL and its rows. */
function insert(r: Rng, db: string, table: string, rows: number): string {
  const name = pick(r, [`\`${table}\``, `\`${db}\`.\`${table}\``]);
  const verb = pick(r, ['INSERT INTO', 'INSERT IGNORE INTO', 'REPLACE INTO', 'INSERT  LOW_PRIORITY INTO']);
  const columns = r() < 0.2 ? ` (\`a\`, \`b\`)` : '';
  const row = () => `(${times(int(r, 1, 8), () => value(r), ',')})`;
  const sep = pick(r, [',', ',\n']);
  const lead = sep === ',\n' ? '\n' : ' ';
  return `${verb} ${name}${columns} VALUES${lead}${times(rows, row, sep)};\n`;
}

function routines(r: Rng, db: string): string {
  const delimiter = pick(r, [';;', '$$', '//']);
  return [
    `DELIMITER ${delimiter}`,
    `/*!50003 CREATE*/ /*!50017 DEFINER=\`root\`@\`localhost\`*/ /*!50003 TRIGGER trg_${int(r, 0, 99)} BEFORE INSERT ON \`t1\` FOR EACH ROW BEGIN`,
    "  -- don't stop at this quote; or ;; this",
    `  SET NEW.a = CONCAT(NEW.a, ';', '${delimiter}');`,
    `END */${delimiter}`,
    `CREATE DEFINER=\`root\`@\`localhost\` PROCEDURE \`p${int(r, 0, 99)}\`(IN x INT)`,
    "BEGIN\n  SELECT x; SELECT ')(' /* ; */;\nEND " + delimiter,
    `CREATE DEFINER=\`root\`@\`localhost\` FUNCTION \`${db}\`.\`f\`() RETURNS int(11)\nRETURN 1 ${delimiter}`,
    `/*!50106 CREATE*/ /*!50117 DEFINER=\`root\`@\`localhost\`*/ /*!50106 EVENT \`e\` ON SCHEDULE EVERY 1 DAY DO DELETE FROM t1 */ ${delimiter}`,
    'DELIMITER ;',
    '',
  ].join('\n');
}

/** A dump with the layout of mariadb-dump's, its pieces and values drawn at random. */
function generateDump(seed: number, statements: number): Generated {
  const r = mulberry32(seed);
  const db = pick(r, ['shop', 'd`b', 'bench']);
  const qdb = db.replace(/`/g, '``');
  const rows: Record<string, number> = {};
  const parts = [
    '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n--\n-- Host: 127.0.0.1    Database: shop\n',
    '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*M!999999\\- enable the sandbox mode */ ;\n',
    `CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`${qdb}\` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n\nUSE \`${qdb}\`;\n`,
  ];
  for (let s = 0; s < statements; s++) {
    const table = pick(r, TABLES);
    const qualified = `${db}.${table.replace(/``/g, '`')}`;
    switch (int(r, 0, 9)) {
      case 0:
        parts.push(
          `--\n-- Table structure for table \`${table}\`\n--\n\nDROP TABLE IF EXISTS \`${table}\`;\n` +
            `CREATE TABLE \`${table}\` (\n  \`a\` text COMMENT 'a ; and a ''quote'' (x)',\n${times(int(r, 0, 30), (i) => `  \`c${i}\` int(11) DEFAULT NULL,\n`)}  PRIMARY KEY (\`a\`(10))\n) ENGINE=InnoDB;\n`,
        );
        rows[qualified] ??= 0;
        break;
      case 1:
        parts.push(pick(r, ['-- a comment; (with) \'quote\n', '#hash comment )\n', '/* block ; ( */\n', '--\n', '-- Dumping data for table `t1`\n', '/*!40000 ALTER TABLE `t1` DISABLE KEYS */;\n']));
        break;
      case 2:
        parts.push(routines(r, qdb));
        break;
      case 3:
        parts.push(`/*!50001 CREATE VIEW \`v\` AS SELECT\n 1 AS \`id\` */;\n/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=\`root\`@\`localhost\` SQL SECURITY DEFINER */\n/*!50001 VIEW \`v\` AS select 1 AS \`id\` */;\n`);
        break;
      case 4:
        parts.push('LOCK TABLES `t1` WRITE;\nUNLOCK TABLES;\nSET @x = \'a;b\';\n');
        break;
      default: {
        const n = int(r, 1, pick(r, [3, 40]));
        parts.push(insert(r, qdb, table, n));
        rows[qualified] = (rows[qualified] ?? 0) + n;
      }
    }
  }
  parts.push('/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n\n-- Dump completed on 2026-11-22  1:39:41\n');
  return { sql: parts.join(''), rows };
}

/** Random sequences of the tokens that steer a scanner: most of it is not valid SQL at all. */
function fuzz(seed: number, tokens: number): string {
  const r = mulberry32(seed);
  const TOKENS = [
    "'", '"', '`', '\\', '(', ')', ';', ';;', '$$', '--', '-- ', '--\n', '#', '/*', '*/', '/*!50001 ', '/*M!999999', '/*!', '*', '/', '-', '\n', '\r\n', ' ', '\t',
    'DELIMITER ;;\n', 'DELIMITER ;\n', 'DELIMITER $$\n', 'delimiter //\n', 'D', 'INSERT INTO `t` VALUES ', 'INSERT INTO `a`.`b` (`x`) VALUES ', 'REPLACE INTO `c` VALUES',
    'CREATE TABLE `x` (', 'CREATE VIEW `v` AS', 'USE `d`;', '0x1F', '0x', 'a', '1', ',', 'é', '中', '\0', '-- Dump completed on x\n',
  ];
  let out = '';
  for (let t = 0; t < tokens; t++) {
    const roll = r();
    if (roll < 0.03) out += pick(r, ['x', '0', 'ab', "\\'"]).repeat(int(r, 40, 700));
    else out += pick(r, TOKENS);
  }
  return out;
}

interface Scanner {
  write(chunk: Uint8Array): void;
  end(): ScanSummary;
  settledUpTo(): number;
}

/** Everything a scanner reports: its events in order, what was settled after each chunk, and the summary. */
function record(make: (events: ScanEvents) => Scanner, data: Buffer, cuts: number[]) {
  const events: unknown[] = [];
  const scanner = make({
    comment: (text, offset) => events.push(['comment', text, offset]),
    statement: (info: StatementInfo) => events.push(['statement', info]),
  });
  const settled: number[] = [];
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    scanner.write(data.subarray(at, cut));
    settled.push(scanner.settledUpTo());
    at = cut;
  }
  const s = scanner.end();
  const summary = { ...s, tables: [...s.tables], objects: structuredClone(s.objects) };
  return { events, settled, summary };
}

const current = (events: ScanEvents) => new DumpScanner(events);
const previous = (events: ScanEvents) => new PreviousScanner(events);

/** Chunk boundaries every `size` bytes. */
function everyN(length: number, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < length; at += size) cuts.push(at);
  return cuts;
}

/** Boundaries at random, chunks of 1 byte up to `max`. */
function randomCuts(r: Rng, length: number, max: number): number[] {
  const cuts: number[] = [];
  for (let at = int(r, 1, max); at < length; at += int(r, 1, max)) cuts.push(at);
  return cuts;
}

function expectSame(data: Buffer, cuts: number[], label: string): ReturnType<typeof record> {
  const got = record(current, data, cuts);
  const want = record(previous, data, cuts);
  expect(got.summary, label).toEqual(want.summary);
  expect(got.events, label).toEqual(want.events);
  expect(got.settled, label).toEqual(want.settled);
  return got;
}

describe('DumpScanner against the previous scanner', () => {
  it('agrees on small generated dumps cut into chunks of every size from 1 to 64 bytes', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { sql, rows } = generateDump(seed, 12);
      const data = Buffer.from(sql);
      for (let size = 1; size <= 64; size++) expectSame(data, everyN(data.length, size), `seed ${seed}, chunks of ${size}`);
      const whole = record(current, data, []).summary;
      expect(Object.fromEntries(whole.tables), `seed ${seed}`).toEqual(rows);
      expect(whole.cut, `seed ${seed}`).toBeNull();
      expect(whole.lastComment).toMatch(/^Dump completed on/);
      expect(whole.contentAfterLastComment).toBe(false);
    }
  });

  it('agrees on larger dumps cut at random, and counts every row the generator wrote', () => {
    for (let seed = 100; seed < 112; seed++) {
      const { sql, rows } = generateDump(seed, 300);
      const data = Buffer.from(sql);
      const r = mulberry32(seed);
      for (const max of [7, 300, 5000, 70000]) {
        const got = expectSame(data, randomCuts(r, data.length, max), `seed ${seed}, chunks up to ${max}`);
        expect(Object.fromEntries(got.summary.tables), `seed ${seed}`).toEqual(rows);
        expect(got.summary.objects.trigger.length).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('agrees on dumps cut short at random offsets (cut detection)', () => {
    const { sql } = generateDump(7, 120);
    const data = Buffer.from(sql);
    const r = mulberry32(7);
    const reasons = new Set<string>();
    for (let k = 0; k < 300; k++) {
      const cutAt = int(r, 0, data.length);
      const part = data.subarray(0, cutAt);
      const got = expectSame(part, randomCuts(r, part.length, pick(r, [5, 400, 9000])), `cut at ${cutAt}`);
      reasons.add(got.summary.cut?.replace(/\d+/g, 'N') ?? 'none');
    }
    // The offsets hit strings, statements and comments alike.
    expect(reasons.size).toBeGreaterThanOrEqual(3);
  });

  it('agrees on random token soup, valid SQL or not', () => {
    for (let seed = 1000; seed < 1400; seed++) {
      const data = Buffer.from(fuzz(seed, 200));
      const r = mulberry32(seed);
      expectSame(data, randomCuts(r, data.length, pick(r, [1, 3, 17, 200, 5000])), `fuzz seed ${seed}`);
    }
  });

  it('agrees on single bytes flipped, removed or added in a dump', () => {
    const { sql } = generateDump(11, 60);
    const original = Buffer.from(sql);
    const r = mulberry32(11);
    for (let k = 0; k < 150; k++) {
      const at = int(r, 0, original.length - 1);
      const b = pick(r, [0x27, 0x22, 0x60, 0x5c, 0x28, 0x29, 0x3b, 0x2d, 0x2f, 0x2a, 0x23, 0x0a, 0x41]);
      const edited = pick(r, [
        Buffer.concat([original.subarray(0, at), Buffer.from([b]), original.subarray(at + 1)]),
        Buffer.concat([original.subarray(0, at), original.subarray(at + 1)]),
        Buffer.concat([original.subarray(0, at), Buffer.from([b]), original.subarray(at)]),
      ]);
      expectSame(edited, randomCuts(r, edited.length, pick(r, [2, 64, 4096])), `edit ${k} at ${at}`);
    }
  });

  it('takes plain Uint8Arrays as well as Buffers', () => {
    const { sql, rows } = generateDump(5, 40);
    const bytes = new Uint8Array(Buffer.from(sql));
    const s = new DumpScanner();
    for (let at = 0; at < bytes.length; at += 1000) s.write(bytes.subarray(at, at + 1000));
    expect(Object.fromEntries(s.end().tables)).toEqual(rows);
  });
});

// ---------------------------------------------------------------------------------------------
// The oracle: the scanner before its rows were searched with memchr, unchanged but for its names.
// ---------------------------------------------------------------------------------------------

const enum PS {
  Normal,
  SingleQuote,
  DoubleQuote,
  Backtick,
  LineComment,
  BlockComment,
}

const SQ = 0x27; // '
const DQ = 0x22; // "
const BT = 0x60; // `
const BS = 0x5c; // backslash
const LF = 0x0a;
const DASH = 0x2d;
const HASH = 0x23;
const SLASH = 0x2f;
const STAR = 0x2a;
const BANG = 0x21;
const LPAREN = 0x28;
const RPAREN = 0x29;

// What a byte means inside a long statement (see `skip`): most bytes mean nothing.
const PLAIN = 0;
const STOP = 1;
const OPEN = 2;
const CLOSE = 3;
const STRING = 4;

/** Per byte value: PLAIN, or what `skip` must do with it, for statements ended by `delimiter`. */
function byteClasses(delimiter: Uint8Array): Uint8Array {
  const classes = new Uint8Array(256);
  for (const c of [BT, DASH, HASH, SLASH, STAR]) classes[c] = STOP;
  classes[SQ] = STRING;
  classes[DQ] = STRING;
  classes[LPAREN] = OPEN;
  classes[RPAREN] = CLOSE;
  classes[delimiter[0]!] = STOP;
  return classes;
}

const OPEN_AT_END = -1;
const ESCAPED_AT_END = -2;
/** Strings longer than this are searched natively, from quote to quote. */
const SHORT_STRING = 32;

/**
 * Where the backslash-escaped string whose body starts at `from` ends (its closing quote), or, when
 * it goes on past the buffer, OPEN_AT_END / ESCAPED_AT_END (the last byte escapes the next one).
 */
function stringEnd(buf: Uint8Array, from: number, n: number, quote: number, escapedAtFrom: boolean): number {
  let escaped = escapedAtFrom;
  let j = from;
  const short = Math.min(n, from + SHORT_STRING);
  for (; j < short; j++) {
    const c = buf[j]!;
    if (escaped) escaped = false;
    else if (c === BS) escaped = true;
    else if (c === quote) return j;
  }
  // A long string: jump from quote to quote (memchr); a quote is escaped when an odd run of
  // backslashes precedes it (the run may begin before `j`, which `escaped` stands for).
  for (;;) {
    const q = buf.indexOf(quote, j);
    const stop = q === -1 ? n : q;
    let run = 0;
    while (stop - run - 1 >= j && buf[stop - run - 1] === BS) run++;
    if (stop - run === j && escaped) run++;
    if (q === -1) return run % 2 === 1 ? ESCAPED_AT_END : OPEN_AT_END;
    if (run % 2 === 0) return q;
    j = q + 1;
    escaped = false;
  }
}

/** Bytes of each statement kept to recognise what it is; the rest is only counted. */
const PREFIX_LIMIT = 512;
const COMMENT_LIMIT = 512;





// Trigger definitions are stored as their author wrote them, so names may be unquoted or qualified.
const CREATE_RE =
  /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*(?:`[^`]*`|'[^']*'|[^\s@]+)(?:@(?:`[^`]*`|'[^']*'|\S+))?\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?(?:AGGREGATE\s+)?(TABLE|VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:(?:`(?:[^`]|``)+`|[\w$]+)\s*\.\s*)?(?:`((?:[^`]|``)+)`|([\w$]+))/i;
const INSERT_RE = /^(?:INSERT|REPLACE)\s+(?:(?:IGNORE|DELAYED|LOW_PRIORITY|HIGH_PRIORITY)\s+)*(?:INTO\s+)?`((?:[^`]|``)+)`(?:\s*\.\s*`((?:[^`]|``)+)`)?\s*(\()?/i;
const USE_RE = /^USE\s+`((?:[^`]|``)+)`/i;
const DELIMITER_RE = /^DELIMITER\s+(\S+)/i;

const unquote = (name: string): string => name.replace(/``/g, '`');

class PreviousScanner {
  private state = PS.Normal;
  /** Stream offset of the first byte of the buffer being scanned. */
  private base = 0;
  private total = 0;
  /** Bytes held back because a token needs more lookahead than the chunk had. */
  private carry: Buffer | null = null;
  private final = false;
  private escaped = false;
  /** Previous byte inside a plain block comment, to find its end across chunks. */
  private prevInComment = -1;

  private delimiter = Buffer.from(';');
  private classes = byteClasses(this.delimiter);
  private delimMatched = 0;

  private stmtStart = -1;
  private prefix: number[] = [];
  private depth = 0;
  private tuples = 0;
  private lineStart = true;
  private topLevelComment = false;
  private commentStart = 0;
  private commentBuf: number[] = [];
  private inExecutableComment = false;

  private db: string | null = null;
  private readonly summary: ScanSummary = {
    bytes: 0,
    statements: 0,
    tables: new Map(),
    objects: { view: [], trigger: [], procedure: [], function: [], event: [] },
    cut: null,
    lastComment: null,
    contentAfterLastComment: false,
  };

  constructor(private readonly events: ScanEvents = {}) {}

  write(chunk: Uint8Array): void {
    this.total += chunk.length;
    this.summary.bytes = this.total;
    let buf: Uint8Array = chunk;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    this.scan(buf);
  }

  private scan(buf: Uint8Array): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case PS.SingleQuote:
        case PS.DoubleQuote:
        case PS.Backtick:
          i = this.quoted(buf, i, n);
          break;
        case PS.LineComment: {
          let j = buf.indexOf(LF, i);
          if (j === -1) j = n;
          if (this.topLevelComment) {
            for (let k = i; k < j && this.commentBuf.length < COMMENT_LIMIT; k++) this.commentBuf.push(buf[k]!);
          }
          i = j;
          if (j < n) {
            i++;
            this.endLineComment();
          }
          break;
        }
        case PS.BlockComment: {
          let prev = this.prevInComment;
          while (i < n) {
            const c = buf[i++]!;
            if (c === SLASH && prev === STAR) {
              this.state = PS.Normal;
              break;
            }
            prev = c;
          }
          this.prevInComment = prev;
          break;
        }
        default:
          i = this.normal(buf, i, n);
      }
    }
    if (this.carry) this.base += n - this.carry.length;
    else this.base += n;
  }

  /** Inside a quoted string or identifier only the closing quote and escapes matter: tight loop. */
  private quoted(buf: Uint8Array, start: number, n: number): number {
    const quote = this.state === PS.SingleQuote ? SQ : this.state === PS.DoubleQuote ? DQ : BT;
    const backslashEscapes = this.state !== PS.Backtick;
    const prefix = this.prefix;
    let escaped = this.escaped;
    let i = start;
    while (i < n && prefix.length < PREFIX_LIMIT) {
      const c = buf[i]!;
      i++;
      prefix.push(c);
      if (escaped) escaped = false;
      else if (c === BS && backslashEscapes) escaped = true;
      else if (c === quote) {
        this.state = PS.Normal;
        this.escaped = false;
        return i;
      }
    }
    if (i === n) {
      this.escaped = escaped;
      return i;
    }
    // The prefix is complete: only the closing quote matters.
    const end = backslashEscapes ? stringEnd(buf, i, n, quote, escaped) : buf.indexOf(quote, i);
    if (end < 0) {
      this.escaped = end === ESCAPED_AT_END;
      return n;
    }
    this.state = PS.Normal;
    this.escaped = false;
    return end + 1;
  }

  /** Holds back the rest of the buffer until more bytes arrive (unless the stream has ended). */
  private needMore(buf: Uint8Array, i: number, n: number, lookahead: number): boolean {
    if (this.final || i + lookahead < n) return false;
    this.carry = Buffer.from(buf.subarray(i, n));
    return true;
  }

  /** Scans bytes outside strings and comments; returns where it stopped. */
  private normal(buf: Uint8Array, start: number, n: number): number {
    let i = start;
    while (i < n) {
      if (this.stmtStart !== -1 && this.delimMatched === 0 && this.prefix.length >= PREFIX_LIMIT) {
        i = this.skip(buf, i, n);
        if (i === n) break;
      }
      const c = buf[i]!;

      // A delimiter ends the statement (DELIMITER lines are handled at statement start).
      if (c === this.delimiter[this.delimMatched]) {
        this.delimMatched++;
        i++;
        if (this.delimMatched === this.delimiter.length) {
          this.delimMatched = 0;
          if (this.stmtStart !== -1) this.endStatement(this.base + i);
        }
        continue;
      }
      if (this.delimMatched > 0) {
        // A partial delimiter match that failed: those bytes were statement content.
        const pos = this.base + i - this.delimMatched;
        for (let k = 0; k < this.delimMatched; k++) this.content(this.delimiter[k]!, pos + k);
        this.delimMatched = 0;
        continue; // re-examine c
      }

      if (this.stmtStart === -1) {
        if (c === 0x20 || c === 0x09 || c === 0x0d) {
          i++;
          continue;
        }
        if (c === LF) {
          this.lineStart = true;
          i++;
          continue;
        }
        if (this.lineStart && (c === 0x44 || c === 0x64)) {
          // `DELIMITER x` at the start of a line, outside any statement (a mysql client command).
          let eol = buf.indexOf(LF, i);
          if (eol === -1) {
            if (n - i < 256 && this.needMore(buf, i, n, 256)) return n;
            eol = n;
          }
          const m = DELIMITER_RE.exec(Buffer.from(buf.subarray(i, Math.min(eol, i + 256))).toString('latin1'));
          if (m) {
            this.delimiter = Buffer.from(m[1]!, 'latin1');
            this.classes = byteClasses(this.delimiter);
            this.summary.contentAfterLastComment = true;
            return eol;
          }
        }
      }

      if (c === DASH || c === HASH || c === SLASH || c === STAR) {
        if (this.needMore(buf, i, n, c === SLASH ? 9 : 2)) return n;
        const next = buf[i + 1];
        if (c === HASH || (c === DASH && next === DASH && (buf[i + 2] ?? 0x20) <= 0x20)) {
          this.topLevelComment = this.stmtStart === -1;
          this.commentStart = this.base + i;
          this.commentBuf = [];
          this.state = PS.LineComment;
          return i + (c === HASH ? 1 : 2);
        }
        if (c === SLASH && next === STAR) {
          let j = i + 2;
          if (buf[j] === 0x4d /* M */ && buf[j + 1] === BANG) j++;
          if (buf[j] === BANG) {
            // Executable comment `/*!50003 ... */`: its content is SQL for the server.
            j++;
            while (j < n && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
            this.inExecutableComment = true;
            i = j;
            continue;
          }
          this.state = PS.BlockComment;
          this.prevInComment = -1;
          return i + 2;
        }
        if (c === STAR && next === SLASH && this.inExecutableComment) {
          this.inExecutableComment = false;
          i += 2;
          continue;
        }
      }

      this.content(c, this.base + i);
      i++;
      if (c === SQ) {
        this.state = PS.SingleQuote;
        return i;
      }
      if (c === DQ) {
        this.state = PS.DoubleQuote;
        return i;
      }
      if (c === BT) {
        this.state = PS.Backtick;
        return i;
      }
      if (c === LPAREN) {
        if (this.depth === 0) this.tuples++;
        this.depth++;
      } else if (c === RPAREN) {
        if (this.depth > 0) this.depth--;
      }
    }
    return i;
  }

  /**
   * Inside a statement whose prefix is complete (the rows of an INSERT), only parentheses and the
   * ends of strings matter: one tight loop over them, up to the next byte that may matter more
   * (a delimiter, a comment, a backtick) or to the end of the buffer, possibly inside a string.
   */
  private skip(buf: Uint8Array, start: number, n: number): number {
    const classes = this.classes;
    let depth = this.depth;
    let tuples = this.tuples;
    let i = start;
    for (; i < n; i++) {
      const k = classes[buf[i]!]!;
      if (k === PLAIN) continue;
      if (k === OPEN) {
        if (depth === 0) tuples++;
        depth++;
      } else if (k === CLOSE) {
        if (depth > 0) depth--;
      } else if (k === STRING) {
        const quote = buf[i]!;
        const end = stringEnd(buf, i + 1, n, quote, false);
        if (end < 0) {
          // The string goes on in the next chunk.
          this.state = quote === SQ ? PS.SingleQuote : PS.DoubleQuote;
          this.escaped = end === ESCAPED_AT_END;
          i = n;
          break;
        }
        i = end;
      } else break;
    }
    this.depth = depth;
    this.tuples = tuples;
    return i;
  }

  /** One byte of statement text (outside comments). */
  private content(c: number, pos: number): void {
    if (this.stmtStart === -1) {
      this.stmtStart = pos;
      this.prefix = [];
      this.depth = 0;
      this.tuples = 0;
    }
    this.lineStart = c === LF;
    if (this.prefix.length < PREFIX_LIMIT) this.prefix.push(c);
  }

  private endLineComment(): void {
    this.state = PS.Normal;
    this.lineStart = true;
    if (!this.topLevelComment) return;
    const text = Buffer.from(this.commentBuf).toString('utf8').trim();
    this.commentBuf = [];
    this.summary.lastComment = text;
    this.summary.contentAfterLastComment = false;
    this.events.comment?.(text, this.commentStart);
  }

  private endStatement(end: number): void {
    const prefix = Buffer.from(this.prefix).toString('utf8').trimStart();
    const info: StatementInfo = {
      prefix,
      offset: this.stmtStart,
      bytes: end - this.stmtStart,
      insert: null,
      create: null,
      use: null,
    };
    this.summary.statements++;
    this.summary.contentAfterLastComment = true;

    const first = prefix.slice(0, 8).toUpperCase();
    if (first.startsWith('INSERT') || first.startsWith('REPLACE')) {
      const m = INSERT_RE.exec(prefix);
      if (m) {
        const table = m[2] ? `${unquote(m[1]!)}.${unquote(m[2])}` : this.qualify(unquote(m[1]!));
        // A column list `INSERT INTO t (a, b) VALUES` is one parenthesis group that is not a row.
        const rows = this.tuples - (m[3] ? 1 : 0);
        info.insert = { table, rows };
        this.summary.tables.set(table, (this.summary.tables.get(table) ?? 0) + rows);
      }
    } else if (first.startsWith('CREATE')) {
      const m = CREATE_RE.exec(prefix.replace(/\s+/g, ' '));
      if (m) {
        const kind = m[1]!.toLowerCase() as ObjectKind;
        const name = this.qualify(m[2] !== undefined ? unquote(m[2]) : m[3]!);
        info.create = { kind, name };
        this.registerObject(kind, name);
      }
    } else if (first.startsWith('USE')) {
      const m = USE_RE.exec(prefix);
      if (m) {
        this.db = unquote(m[1]!);
        info.use = this.db;
      }
    }
    this.events.statement?.(info);
    this.stmtStart = -1;
    this.prefix = [];
    this.lineStart = false;
  }

  private registerObject(kind: ObjectKind, name: string): void {
    if (kind === 'table') {
      if (!this.summary.tables.has(name)) this.summary.tables.set(name, 0);
      return;
    }
    if (kind === 'view' && this.summary.tables.get(name) === 0) {
      // Old dumps stand in for a view with a temporary table of the same name.
      this.summary.tables.delete(name);
    }
    const list = this.summary.objects[kind];
    // Views are written twice (a stand-in first, then the real definition).
    if (!list.includes(name)) list.push(name);
  }

  private qualify(name: string): string {
    return this.db === null ? name : `${this.db}.${name}`;
  }

  /** The summary so far (tables and rows grow while the stream is scanned). */
  peek(): Readonly<ScanSummary> {
    return this.summary;
  }

  /**
   * Bytes before this stream offset can no longer start a top-level comment that has not been
   * reported: what a stream splitter may route on. Later bytes are held back for lookahead or
   * belong to a comment line still being read.
   */
  settledUpTo(): number {
    let at = this.total - (this.carry?.length ?? 0);
    if (this.state === PS.LineComment && this.topLevelComment) at = Math.min(at, this.commentStart);
    return at;
  }

  /** Finishes the scan; call after the last chunk. */
  end(): ScanSummary {
    this.final = true;
    if (this.carry) {
      const rest = this.carry;
      this.carry = null;
      this.scan(rest);
    }
    if (this.state === PS.LineComment) this.endLineComment();
    if (this.state === PS.SingleQuote || this.state === PS.DoubleQuote || this.state === PS.Backtick) {
      this.summary.cut = `the stream ends inside a quoted string (statement at byte ${this.stmtStart})`;
    } else if (this.state === PS.BlockComment) {
      this.summary.cut = 'the stream ends inside a comment';
    } else if (this.stmtStart !== -1 || this.delimMatched > 0) {
      this.summary.cut = `the stream ends inside an unterminated statement at byte ${this.stmtStart}`;
    }
    return this.summary;
  }
}
