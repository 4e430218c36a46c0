// A streaming grammar validator for SQL dumps written by mysqldump / mariadb-dump, and for the
// agent's per-table files cut from them.
//
// Hand-written on purpose, like the scanner: no SQL parser library validates a multi-gigabyte dump
// at hundreds of MB/s in constant memory, and a dump is a small, known language. The statements
// around the rows (SET, CREATE, DROP, LOCK, DELIMITER blocks, …) are tokenised and checked by
// statements.ts against the forms the dump tools write; the rows of INSERTs, nearly every byte of a
// dump, are read here by a fast path that makes no tokens: strings are skipped from quote to quote
// with memchr (Buffer.indexOf), everything else through a byte-class table, and each tuple's values
// are counted against its table's columns.
//
// Chunk-boundary independent: a token that may need more bytes than the chunk holds (anything but
// strings, hex digits and comments, which resume) is held back and joined to the next chunk, so
// every token is read whole and the result is the same however the stream is cut.
import { isUtf8 } from 'node:buffer';
import { asBuffer, ByteRun } from './byteRun.js';
import type { ScanSummary } from './scanner.js';
import { type Catalog, Session } from './session.js';
import { StatementParser } from './statements.js';
import { CLASS, DIGIT, GrammarError, HEXDIGIT, K, SPACE, TEXT_LIMIT, type Token, WORD, WORD_START } from './tokens.js';
import { isCharset } from './vocabulary.js';

export type { Catalog } from './session.js';

export interface GrammarProblem {
  /** Byte offset in the SQL stream. */
  offset: number;
  /** The table whose INSERT it is in, if any. */
  table: string | null;
  expected: string;
  found: string;
}

export interface ValidatorOptions {
  /** Tables created elsewhere (per-table data files: the schema file's tables). */
  catalog?: Catalog;
  /** Database of unqualified names before any USE (per-table data files are dumped without USE). */
  database?: string | null;
  /** Problems kept; later ones are counted only. */
  maxProblems?: number;
}

export interface ValidationResult {
  /** The same facts the scanner reports, for the same checks. */
  summary: ScanSummary;
  createdTables: Set<string>;
  trailerSeen: boolean;
  problems: GrammarProblem[];
  /** Problems beyond maxProblems, not kept. */
  moreProblems: number;
  /** Every table created (by `db.table`), with its columns: what data files are checked against. */
  catalog: Catalog;
}

const SQ = 0x27;
const DQ = 0x22;
const BT = 0x60;
const BS = 0x5c;
const LF = 0x0a;
const DASH = 0x2d;
const HASH = 0x23;
const SLASH = 0x2f;
const STAR = 0x2a;
const BANG = 0x21;
const AT = 0x40;
const LP = 0x28;
const RP = 0x29;
const COMMA = 0x2c;
const DOT = 0x2e;
const SQ_BYTE = Buffer.from("'");
const DQ_BYTE = Buffer.from('"');
const BT_BYTE = Buffer.from('`');

/** Every token but strings, hex runs and comments is read whole within this many bytes. */
const LOOKAHEAD = 640;
/** Bytes of the next chunk joined to held-back bytes: more than LOOKAHEAD, far less than a chunk. */
const BRIDGE = 4096;
const COMMENT_LIMIT = 512;
/** The versions of executable comments in dumps (client/mysqldump.cc of MySQL 5.7–8.4 and MariaDB). */
const KNOWN_VERSIONS = new Set(
  '32311 32312 40000 40014 40100 40101 40103 40111 50001 50002 50003 50013 50017 50100 50106 50117 50503 50606 50717 80000 80002 80003 80013 80016 80017 80023 80024 80027'.split(' '),
);
/** mariadb-dump's first line: a command for its own client, a comment for servers. */
const SANDBOX = '/*M!999999\\- enable the sandbox mode */';

/** What the bytes at the current position belong to when a chunk ends inside it. */
const enum In {
  Nothing,
  TokenString,
  LineComment,
  BlockComment,
  RowString,
  RowHex,
}

/** Where the rows' fast path is within `VALUES (…), (…);`. */
const enum R {
  /** before a tuple's `(` */
  Open,
  /** before a value */
  Value,
  /** after a value: `,` or `)` */
  After,
  /** after a tuple: `,` or the delimiter */
  Next,
}

const PUNCT2 = new Set(['<=', '>=', '<>', '!=', ':=', '||', '&&', '<<', '>>', '->', '..']);
const PUNCT1 = new Set('()[]{},.;=<>!+-*/%&|^~:?'.split(''));


/** A short, printable view of the bytes at `i`, for "found …". */
function foundAt(buf: Buffer, i: number, n: number): string {
  if (i >= n) return 'the end of the stream';
  const text = buf.toString('latin1', i, Math.min(n, i + 24)).split('\n')[0]!;
  return text === '' ? 'a line break' : JSON.stringify(text);
}

export class DumpValidator {
  private base = 0;
  private total = 0;
  private carry: Buffer | null = null;
  private final = false;
  /** The byte before the next buffer (-1 at the start of the stream). */
  private beforeBuffer = -1;
  /** Positions at or past this need a carry before a new token starts (unless the stream ended). */
  private limit = 0;

  private inside = In.Nothing;
  private quote = SQ;
  private escaped = false;
  /** A quote ended the last buffer: it closes the string unless the next byte doubles it. */
  private quotePending = false;
  private prevStar = false;
  private prevSlash = false;
  private readonly text = new ByteRun(TEXT_LIMIT);
  private tokenAt = 0;
  private readonly commentText = new ByteRun(COMMENT_LIMIT);
  private topLevelComment = false;
  private execOpen = false;

  private delimiter: Buffer = Buffer.from(';');
  private rowsMode = false;
  private rs = R.Open;
  private values = 0;
  private tuples = 0;
  private arity = -1;
  private hexDigits = 0;
  private hexQuoted = false;
  private statementAt = 0;
  private tupleAt = 0;

  private readonly session: Session;
  private readonly parser: StatementParser;
  private readonly problems: GrammarProblem[] = [];
  private moreProblems = 0;
  private readonly maxProblems: number;
  private trailerSeen = false;
  private nulSeen = false;

  constructor(opts: ValidatorOptions = {}) {
    this.maxProblems = opts.maxProblems ?? 5;
    this.session = new Session(opts.catalog ?? new Map(), opts.database ?? null);
    this.parser = new StatementParser(this.session, {
      startRows: (arity) => this.startRows(arity),
      problem: (e, table) => this.report(e.at, e.expected, e.found, table),
    });
  }

  write(chunk: Uint8Array): void {
    this.total += chunk.length;
    this.session.summary.bytes = this.total;
    let buf = asBuffer(chunk);
    while (this.carry && buf.length > 0) {
      const carry = this.carry;
      const take = Math.min(buf.length, BRIDGE);
      this.carry = null;
      this.scan(Buffer.concat([carry, buf.subarray(0, take)], carry.length + take));
      buf = buf.subarray(take);
    }
    if (buf.length > 0) this.scan(buf);
  }

  end(): ValidationResult {
    this.final = true;
    const rest = this.carry;
    this.carry = null;
    this.scan(rest ?? Buffer.alloc(0));
    if (this.inside === In.LineComment) this.endLineComment();
    const s = this.session.summary;
    if (this.inside === In.TokenString || this.inside === In.RowString) {
      s.cut = `the stream ends inside a quoted string (statement at byte ${this.statementAt})`;
    } else if (this.inside === In.BlockComment) {
      s.cut = 'the stream ends inside a comment';
    } else if (this.rowsMode || !this.parser.idle || this.inside === In.RowHex) {
      s.cut = `the stream ends inside an unterminated statement at byte ${this.statementAt}`;
    } else if (this.execOpen) {
      s.cut = 'the stream ends inside a comment';
    }
    return {
      summary: s,
      createdTables: this.session.createdTables,
      trailerSeen: this.trailerSeen,
      problems: this.problems,
      moreProblems: this.moreProblems,
      catalog: this.session.catalog,
    };
  }

  private report(at: number, expected: string, found: string, table: string | null): void {
    if (this.problems.length < this.maxProblems) this.problems.push({ offset: at, table, expected, found });
    else this.moreProblems++;
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    this.limit = this.final ? n : n - LOOKAHEAD;
    let i = 0;
    if (!this.nulSeen) {
      // No dump tool writes a NUL byte (they escape it as \0), and the mysql client refuses one.
      const z = buf.indexOf(0);
      if (z !== -1) {
        this.nulSeen = true;
        this.report(this.base + z, 'no NUL byte (dumps write it as \\0)', 'a NUL byte', this.session.rowsTable);
      }
    }
    // At the end of the stream an empty buffer still settles a quote that ended the last one.
    if (n === 0 && this.quotePending) this.closePendingString(buf, 0);
    while (i < n) {
      switch (this.inside) {
        case In.TokenString:
          i = this.tokenString(buf, i, n);
          continue;
        case In.RowString:
          i = this.rowString(buf, i, n);
          continue;
        case In.RowHex:
          i = this.rowHex(buf, i, n);
          continue;
        case In.LineComment:
          i = this.lineComment(buf, i, n);
          continue;
        case In.BlockComment:
          i = this.blockComment(buf, i, n);
          continue;
      }
      i = this.rowsMode ? this.rows(buf, i, n) : this.token(buf, i, n);
      if (this.carry) break;
    }
    this.base += n - (this.carry?.length ?? 0);
    if (!this.carry && n > 0) this.beforeBuffer = buf[n - 1]!;
  }

  /** Holds back buf[i..] until more bytes arrive; true when it did. */
  private holdBack(buf: Buffer, i: number, n: number): boolean {
    if (i < this.limit || this.final) return false;
    this.carry = Buffer.from(buf.subarray(i, n));
    if (i > 0) this.beforeBuffer = buf[i - 1]!;
    return true;
  }

  // ---- strings, comments ----------------------------------------------------------------------

  /**
   * Where the string whose body resumes at `from` ends (just past its closing quote), or -1 when
   * it goes on past the buffer (this.escaped / this.quotePending then say how it stands).
   * Backslashes escape unless NO_BACKSLASH_ESCAPES is set; a doubled quote is a quote either way.
   */
  private stringEnd(buf: Buffer, from: number, n: number): number {
    const quote = this.quote;
    const backslashes = !this.session.noBackslashEscapes;
    let j = from;
    let escaped = this.escaped;
    if (this.quotePending) {
      this.quotePending = false;
      if (buf[j] !== quote) return j;
      j++;
    }
    for (;;) {
      const q = buf.indexOf(quote, j);
      const stop = q === -1 ? n : q;
      let run = 0;
      if (backslashes) {
        while (stop - run - 1 >= j && buf[stop - run - 1] === BS) run++;
        if (stop - run === j && escaped) run++;
      }
      if (q === -1) {
        this.escaped = run % 2 === 1;
        return -1;
      }
      escaped = false;
      if (run % 2 === 1) {
        j = q + 1;
        continue;
      }
      if (q + 1 === n) {
        if (this.final) return n;
        this.escaped = false;
        this.quotePending = true;
        return -1;
      }
      if (buf[q + 1] === quote) {
        j = q + 2;
        continue;
      }
      this.escaped = false;
      return q + 1;
    }
  }

  private closePendingString(buf: Buffer, i: number): void {
    const end = this.stringEnd(buf, i, buf.length);
    if (end >= 0) this.finishString(buf, i, end);
  }

  private finishString(buf: Buffer, from: number, end: number): void {
    if (this.inside === In.TokenString) {
      this.text.append(buf, from, end - 1);
      this.inside = In.Nothing;
      const k = this.quote === BT || (this.quote === DQ && this.session.ansiQuotes) ? K.Ident : K.Str;
      // A string need not be UTF-8 (a server takes other bytes with a warning); a name must.
      if (k === K.Ident && this.session.utf8Client && !this.text.isUtf8()) this.fail(this.tokenAt, 'UTF-8 text', JSON.stringify(this.text.text().slice(0, 24)));
      const raw = this.text.text();
      // Aliases in a body may be any text; the names of objects may not.
      if (this.quote === BT && !this.session.inBody && (raw === '' || raw.endsWith(' ') || /[\x00-\x1f]/.test(raw))) this.fail(this.tokenAt, 'a name (not empty, without control characters, not ending in a space)', JSON.stringify(raw));
      this.emit(k, k === K.Ident ? raw.replaceAll(this.quote === BT ? '``' : '""', this.quote === BT ? '`' : '"') : raw, this.tokenAt);
    } else {
      this.inside = In.Nothing;
      this.afterValue();
    }
  }

  private tokenString(buf: Buffer, i: number, n: number): number {
    const pending = this.quotePending;
    const end = this.stringEnd(buf, i, n);
    // The quote that ended the last buffer was doubled: it is part of the text.
    if (pending && end !== i) this.text.append(this.quote === SQ ? SQ_BYTE : this.quote === DQ ? DQ_BYTE : BT_BYTE, 0, 1);
    if (end < 0) {
      this.text.append(buf, i, this.quotePending ? n - 1 : n);
      return n;
    }
    this.finishString(buf, i, end);
    return end;
  }

  private rowString(buf: Buffer, i: number, n: number): number {
    const end = this.stringEnd(buf, i, n);
    if (end < 0) return n;
    this.inside = In.Nothing;
    this.afterValue();
    return end;
  }

  private lineComment(buf: Buffer, i: number, n: number): number {
    let j = buf.indexOf(LF, i);
    if (j === -1) j = n;
    if (this.topLevelComment) this.commentText.append(buf, i, j);
    if (j === n) return n;
    this.endLineComment();
    return j + 1;
  }

  private endLineComment(): void {
    this.inside = In.Nothing;
    if (!this.topLevelComment) return;
    const text = this.commentText.text().trim();
    const s = this.session.summary;
    s.lastComment = text;
    s.contentAfterLastComment = false;
    if (/^Dump completed\b/.test(text)) this.trailerSeen = true;
  }

  private blockComment(buf: Buffer, i: number, n: number): number {
    let from = i;
    if (this.prevSlash && buf[i] === STAR && i < n) {
      this.prevSlash = false;
      this.fail(this.base + i - 1, '"*/" closing the comment before another "/*"', foundAt(buf, i, n));
      this.inside = In.Nothing;
      return i + 1;
    }
    this.prevSlash = false;
    for (;;) {
      const slash = buf.indexOf(SLASH, from);
      if (slash === -1) {
        if (n > i) this.prevStar = buf[n - 1] === STAR;
        return n;
      }
      const star = slash > i ? buf[slash - 1] === STAR : this.prevStar;
      if (star) {
        this.inside = In.Nothing;
        // The server does not nest comments: inside `/*!50003 … */` this `*/` ends the executable
        // comment too, and what follows is read as SQL. mariadb-dump wraps triggers and events so,
        // and a body comment cuts them (the restore fails with 1064).
        if (this.execOpen) {
          this.execOpen = false;
          this.fail(this.base + slash - 1, 'a comment that ends before the executable comment around it', 'its "*/", which ends the executable comment too (comments do not nest): the server reads the rest of the object as SQL');
        }
        return slash + 1;
      }
      // Comments do not nest: a `/*` inside one is a comment cut short or run together with the next.
      if (slash + 1 === n) this.prevSlash = true;
      else if (buf[slash + 1] === STAR) {
        this.fail(this.base + slash, '"*/" closing the comment before another "/*"', foundAt(buf, slash, n));
        this.inside = In.Nothing;
        return slash;
      }
      from = slash + 1;
    }
  }

  // ---- tokens ---------------------------------------------------------------------------------

  private emit(k: K, text: string, at: number): void {
    if (this.parser.idle) this.statementAt = at;
    const t: Token = { k, text, upper: k === K.Word ? text.toUpperCase() : text, at };
    this.parser.push(t);
    if (k === K.Delim) this.session.summary.contentAfterLastComment = true;
  }

  private fail(at: number, expected: string, found: string): void {
    this.parser.fail(new GrammarError(at, expected, found));
  }

  private isDelimiter(buf: Buffer, i: number, n: number): boolean {
    const d = this.delimiter;
    if (buf[i] !== d[0]) return false;
    if (i + d.length > n) return false;
    for (let k = 1; k < d.length; k++) if (buf[i + k] !== d[k]) return false;
    return true;
  }

  /** Reads one token (or skips space or a comment) at i; returns where it stopped. */
  private token(buf: Buffer, i: number, n: number): number {
    const c = buf[i]!;
    if (CLASS[c]! & SPACE) {
      let j = i + 1;
      while (j < n && CLASS[buf[j]!]! & SPACE) j++;
      return j;
    }
    if (this.holdBack(buf, i, n)) return n;
    const at = this.base + i;

    if (this.isDelimiter(buf, i, n)) {
      if (this.execOpen) {
        this.fail(at, 'the end of the executable comment (*/) before the delimiter', foundAt(buf, i, n));
        this.execOpen = false;
      }
      this.emit(K.Delim, this.delimiter.toString('latin1'), at);
      return i + this.delimiter.length;
    }
    const next = i + 1 < n ? buf[i + 1]! : -1;
    if (c === HASH || (c === DASH && next === DASH && (i + 2 >= n || buf[i + 2]! <= 0x20))) {
      this.topLevelComment = this.parser.idle && !this.execOpen;
      this.commentText.length = 0;
      this.inside = In.LineComment;
      return i + (c === HASH ? 1 : 2);
    }
    if (c === SLASH && next === STAR) return this.commentOpen(buf, i, n);
    if (c === STAR && next === SLASH) {
      if (!this.execOpen) {
        this.fail(at, 'a token', '"*/" outside a comment');
        return i + 2;
      }
      this.execOpen = false;
      return i + 2;
    }
    if (c === SQ || c === DQ || c === BT) {
      this.quote = c;
      this.escaped = false;
      this.quotePending = false;
      this.text.length = 0;
      this.tokenAt = at;
      if (this.parser.idle) this.statementAt = at;
      this.inside = In.TokenString;
      return i + 1;
    }
    if ((c | 0x20) === 0x78 && next === SQ) return this.quotedLiteral(buf, i, n, K.Hex);
    if ((c | 0x20) === 0x62 && next === SQ) return this.quotedLiteral(buf, i, n, K.Bits);
    if ((c | 0x20) === 0x6e && next === SQ) return i + 1; // N'…': a national string, read as a string
    if (c === DOT && next >= 0 && CLASS[next]! & DIGIT && endsName(i > 0 ? buf[i - 1]! : this.beforeBuffer)) {
      // `t.1st`, `t.5`: after a name and ".", a server reads a name even when it starts with a digit.
      this.emit(K.Punct, '.', at);
      return this.word(buf, i + 1, n);
    }
    if (CLASS[c]! & DIGIT || (c === DOT && next >= 0 && CLASS[next]! & DIGIT)) return this.number(buf, i, n);
    if (CLASS[c]! & WORD_START) return this.word(buf, i, n);
    if (c === AT) return this.variable(buf, i, n);
    const two = buf.toString('latin1', i, Math.min(n, i + 2));
    if (two === '<=' && buf[i + 2] === 0x3e) {
      this.emit(K.Punct, '<=>', at);
      return i + 3;
    }
    if (two === '->' && buf[i + 2] === 0x3e) {
      this.emit(K.Punct, '->>', at);
      return i + 3;
    }
    if (PUNCT2.has(two)) {
      this.emit(K.Punct, two, at);
      return i + 2;
    }
    if (PUNCT1.has(two[0]!)) {
      this.emit(K.Punct, two[0]!, at);
      return i + 1;
    }
    this.fail(at, 'a token', foundAt(buf, i, n));
    return i + 1;
  }

  private commentOpen(buf: Buffer, i: number, n: number): number {
    let j = i + 2;
    if (buf[j] === 0x4d /* M */ && buf[j + 1] === BANG) j++;
    if (buf[j] !== BANG) {
      this.inside = In.BlockComment;
      this.prevStar = false;
      return i + 2;
    }
    j++;
    const digits = j;
    while (j < n && CLASS[buf[j]!]! & DIGIT) j++;
    // mariadb-dump's first line, `/*M!999999\- enable the sandbox mode */`, is for its client only.
    if (buf[j] === BS) {
      if (buf.toString('latin1', i, i + SANDBOX.length) !== SANDBOX) this.fail(this.base + i, SANDBOX, foundAt(buf, i, n));
      return i + SANDBOX.length;
    }
    // A version changes which servers run the comment (MariaDB skips 50700–99999): only the
    // versions the dump tools write, or MariaDB's own six-digit ones.
    const version = buf.toString('latin1', digits, j);
    // In a body a user wrote the comment (MySQL keeps it there): any version.
    if (version !== '' && !KNOWN_VERSIONS.has(version) && !/^1\d{5}$/.test(version) && !(this.session.inBody && /^\d{5,6}$/.test(version))) {
      this.fail(this.base + digits, 'a server version the dump tools write', foundAt(buf, digits, n));
    }
    if (this.execOpen) this.fail(this.base + i, 'the end of the open executable comment', '"/*!"');
    this.execOpen = true;
    return j;
  }

  private quotedLiteral(buf: Buffer, i: number, n: number, k: K.Hex | K.Bits): number {
    const close = buf.indexOf(SQ, i + 2);
    const at = this.base + i;
    if (close === -1 || close - i > LOOKAHEAD) {
      this.fail(at, k === K.Hex ? "the end of the X'…' literal" : "the end of the b'…' literal", foundAt(buf, i, n));
      return i + 2;
    }
    const body = buf.toString('latin1', i + 2, close);
    const ok = k === K.Hex ? /^(?:[0-9a-fA-F]{2})*$/.test(body) : /^[01]*$/.test(body);
    if (!ok) this.fail(at, k === K.Hex ? 'an even number of hex digits' : 'binary digits', JSON.stringify(body));
    this.emit(k, body, at);
    return close + 1;
  }

  private number(buf: Buffer, i: number, n: number): number {
    const at = this.base + i;
    const end = numberEnd(buf, i, n);
    if (end < 0) return this.notNumber(buf, i, n);
    const text = buf.toString('latin1', i, end);
    const k = text.length > 1 && (text[1] === 'x' || text[1] === 'X') ? K.Hex : text.length > 1 && (text[1] === 'b' || text[1] === 'B') ? K.Bits : K.Num;
    this.emit(k, k === K.Num ? text : text.slice(2), at);
    return end;
  }

  /** What a server reads where no number ends: `1st`, `0x1G` are names; `1.5abc` is 1.5 and a name. */
  private notNumber(buf: Buffer, i: number, n: number): number {
    let w = i;
    while (w < n && CLASS[buf[w]!]! & WORD) w++;
    if (w > i && buf[w] !== DOT) return this.word(buf, i, n);
    let j = i;
    while (j < n && CLASS[buf[j]!]! & DIGIT) j++;
    if (buf[j] === DOT) j++;
    while (j < n && CLASS[buf[j]!]! & DIGIT) j++;
    this.emit(K.Num, buf.toString('latin1', i, j), this.base + i);
    return j;
  }

  private word(buf: Buffer, i: number, n: number): number {
    let j = i + 1;
    while (j < n && CLASS[buf[j]!]! & WORD) j++;
    if (this.session.utf8Client && !isUtf8(buf.subarray(i, j))) this.fail(this.base + i, 'UTF-8 text', foundAt(buf, i, j));
    const text = buf.toString('utf8', i, j);
    // DELIMITER is a command of the mysql client, read up to the end of its line.
    if (this.parser.idle && !this.execOpen && j - i === 9 && text.toUpperCase() === 'DELIMITER') return this.delimiterCommand(buf, i, j, n);
    this.emit(K.Word, text, this.base + i);
    return j;
  }

  private delimiterCommand(buf: Buffer, i: number, j: number, n: number): number {
    // The mysql client reads DELIMITER at the start of a line only.
    const before = i > 0 ? buf[i - 1] : this.beforeBuffer;
    if (before !== LF && before !== -1) this.fail(this.base + i, 'DELIMITER at the start of a line', foundAt(buf, i, n));
    let eol = buf.indexOf(LF, j);
    if (eol === -1 || eol - i > LOOKAHEAD) eol = Math.min(n, i + LOOKAHEAD);
    const line = buf.toString('latin1', j, eol);
    const m = /^[ \t]+(\S+)[ \t\r]*$/.exec(line);
    if (!m || m[1]!.includes('\\')) {
      this.fail(this.base + j, 'a delimiter after DELIMITER', foundAt(buf, j, n));
      return eol;
    }
    this.delimiter = Buffer.from(m[1]!, 'latin1');
    this.session.summary.contentAfterLastComment = true;
    return eol;
  }

  private variable(buf: Buffer, i: number, n: number): number {
    const at = this.base + i;
    if (buf[i + 1] === AT) {
      let j = i + 2;
      while (j < n && (CLASS[buf[j]!]! & WORD || buf[j] === DOT)) j++;
      if (j === i + 2) {
        this.fail(at, 'a system variable name', foundAt(buf, i, n));
        return j;
      }
      this.emit(K.SysVar, buf.toString('latin1', i + 2, j), at);
      return j;
    }
    const q = buf[i + 1]!;
    if (q === BT || q === SQ || q === DQ) {
      const close = buf.indexOf(q, i + 2);
      if (close === -1 || close - i > LOOKAHEAD) {
        this.fail(at, 'the end of the quoted name', foundAt(buf, i, n));
        return i + 2;
      }
      if (this.session.utf8Client && !isUtf8(buf.subarray(i + 2, close))) this.fail(at, 'UTF-8 text', foundAt(buf, i, close));
      this.emit(K.Var, buf.toString('utf8', i + 2, close), at);
      return close + 1;
    }
    let j = i + 1;
    while (j < n && (CLASS[buf[j]!]! & WORD || buf[j] === DOT)) j++;
    if (j === i + 1) {
      this.fail(at, 'a variable name', foundAt(buf, i, n));
      return j;
    }
    if (this.session.utf8Client && !isUtf8(buf.subarray(i + 1, j))) this.fail(at, 'UTF-8 text', foundAt(buf, i, j));
    this.emit(K.Var, buf.toString('utf8', i + 1, j), at);
    return j;
  }

  // ---- rows -----------------------------------------------------------------------------------

  private startRows(arity: number): void {
    this.rowsMode = true;
    this.rs = R.Open;
    this.values = 0;
    this.tuples = 0;
    this.arity = arity;
  }

  /**
   * Reports where the rows break; the rest of the statement is read token by token and its tuples
   * counted as the scanner counts them, so the row count of the table is not wrong as well.
   */
  private rowsFail(buf: Buffer, i: number, n: number, expected: string, found = foundAt(buf, i, n), at = this.base + i, inTuple = true): number {
    this.report(at, expected, found, this.session.rowsTable);
    this.rowsMode = false;
    this.parser.skipRows(this.tuples + (inTuple ? 1 : 0), inTuple ? 1 : 0);
    return i;
  }

  private afterValue(): void {
    this.rs = R.After;
  }

  private endTuple(buf: Buffer, i: number, n: number): boolean {
    const count = this.values + 1;
    if (this.arity < 0) this.arity = count;
    else if (count !== this.arity) {
      const values = (k: number) => `${k} value${k === 1 ? '' : 's'}`;
      this.rowsFail(buf, i, n, `${values(this.arity)} in each row (the columns of ${this.session.rowsTable})`, values(count), this.tupleAt);
      return false;
    }
    this.tuples++;
    this.values = 0;
    this.rs = R.Next;
    return true;
  }

  /**
   * The rows of an INSERT: `(v, …), (v, …);`. Runs until the statement ends, the buffer ends or a
   * string or hex literal goes on into the next buffer. Strings, numbers and NULL, nearly all the
   * values of a dump, are read inline with the state in locals; the rest by `value`.
   */
  private rows(buf: Buffer, start: number, n: number): number {
    const limit = this.limit;
    let i = start;
    let rs = this.rs;
    let values = this.values;
    while (i < n) {
      let c = buf[i]!;
      if (rs === R.Value) {
        if (i >= limit && this.holdBack(buf, i, n)) break;
        if (c === SQ) {
          // The closing quote by memchr; an odd run of backslashes before it escapes it.
          const q = buf.indexOf(SQ, i + 1);
          if (q > 0 && buf[q - 1] !== BS && q + 1 < n && buf[q + 1] !== SQ) i = q + 1;
          else {
            this.quote = SQ;
            this.escaped = false;
            this.quotePending = false;
            const end = this.stringEnd(buf, i + 1, n);
            if (end < 0) {
              this.values = values;
              this.inside = In.RowString;
              return n;
            }
            i = end;
          }
        } else if (((c >= 0x30 && c <= 0x39) || c === DASH) && !(c === 0x30 && buf[i + 1] === 0x78)) {
          // Integers and plain decimals end at "," or ")"; anything else is read by numberEnd.
          const from = c === DASH ? i + 1 : i;
          let j = from;
          let b = 0;
          while (j < n && (b = buf[j]!) >= 0x30 && b <= 0x39) j++;
          if (b === DOT && j > from) {
            j++;
            while (j < n && (b = buf[j]!) >= 0x30 && b <= 0x39) j++;
          }
          if (j > from && (b === COMMA || b === RP)) i = j;
          else {
            const end = numberEnd(buf, from, n);
            if (end < 0) return this.rowsFail(buf, i, n, 'a number');
            i = end;
          }
        } else if (c === 0x4e && buf[i + 1] === 0x55 && buf[i + 2] === 0x4c && buf[i + 3] === 0x4c && !(i + 4 < n && CLASS[buf[i + 4]!]! & WORD)) {
          i += 4;
        } else if (c === 0x20 || c === LF || c === 0x09 || c === 0x0d) {
          i++;
          continue;
        } else {
          this.rs = rs;
          this.values = values;
          i = this.value(buf, i, n, c);
          if (!this.rowsMode || this.inside !== In.Nothing) return i;
          rs = this.rs as R;
          if ((rs as R) !== R.After) continue;
        }
        rs = R.After;
        if (i >= n) break;
        c = buf[i]!;
      }
      if (rs === R.After) {
        if (c === COMMA) {
          values++;
          rs = R.Value;
          i++;
          continue;
        }
        if (c === RP) {
          this.values = values;
          if (!this.endTuple(buf, i, n)) return i;
          values = 0;
          rs = R.Next;
          i++;
          continue;
        }
        if (c === 0x20 || c === LF || c === 0x09 || c === 0x0d) {
          i++;
          continue;
        }
        return this.rowsFail(buf, i, n, '"," or ")" after a value');
      }
      if (c === 0x20 || c === LF || c === 0x09 || c === 0x0d) {
        i++;
        continue;
      }
      if (i >= limit && this.holdBack(buf, i, n)) break;
      if (rs === R.Open) {
        if (c !== LP) return this.rowsFail(buf, i, n, this.tuples === 0 ? '"(" opening the first tuple' : '"(" opening the next tuple', undefined, undefined, false);
        rs = R.Value;
        values = 0;
        this.tupleAt = this.base + i;
        i++;
        continue;
      }
      // R.Next
      if (c === COMMA) {
        rs = R.Open;
        i++;
        continue;
      }
      if (this.isDelimiter(buf, i, n)) {
        this.session.endRows(this.tuples);
        this.session.summary.contentAfterLastComment = true;
        this.rowsMode = false;
        this.parser.endRows();
        return i + this.delimiter.length;
      }
      return this.rowsFail(buf, i, n, `"," and the next tuple, or "${this.delimiter.toString('latin1')}" ending the INSERT`, undefined, undefined, false);
    }
    this.rs = rs;
    this.values = values;
    return i;
  }

  /**
   * One value at i (c = buf[i]); returns where it ended. After a character set introducer
   * (`introduced`) only a string or a hex literal may follow.
   */
  private value(buf: Buffer, i: number, n: number, c: number, introduced = false): number {
    if (c === SQ) {
      this.quote = SQ;
      this.escaped = false;
      this.quotePending = false;
      const end = this.stringEnd(buf, i + 1, n);
      if (end < 0) {
        this.inside = In.RowString;
        return n;
      }
      this.rs = R.After;
      return end;
    }
    if (introduced && !((c === 0x30 && buf[i + 1] === 0x78) || ((c | 0x20) === 0x78 && buf[i + 1] === SQ))) {
      return this.rowsFail(buf, i, n, 'a string or hex literal after the character set introducer');
    }
    if (c === 0x4e || c === 0x6e) {
      // NULL
      if ((buf[i + 1]! | 0x20) === 0x75 && (buf[i + 2]! | 0x20) === 0x6c && (buf[i + 3]! | 0x20) === 0x6c && !(i + 4 < n && CLASS[buf[i + 4]!]! & WORD)) {
        this.rs = R.After;
        return i + 4;
      }
      return this.rowsFail(buf, i, n, 'a value');
    }
    if (c === 0x30 && buf[i + 1] === 0x78) {
      this.hexDigits = 0;
      this.hexQuoted = false;
      this.inside = In.RowHex;
      return this.rowHex(buf, i + 2, n);
    }
    if (CLASS[c]! & DIGIT || c === DASH || c === DOT) {
      const end = numberEnd(buf, c === DASH ? i + 1 : i, n);
      if (end < 0) return this.rowsFail(buf, i, n, 'a number');
      this.rs = R.After;
      return end;
    }
    if ((c | 0x20) === 0x78 && buf[i + 1] === SQ) {
      this.hexDigits = 0;
      this.hexQuoted = true;
      this.inside = In.RowHex;
      return this.rowHex(buf, i + 2, n);
    }
    if ((c | 0x20) === 0x62 && buf[i + 1] === SQ) {
      let j = i + 2;
      while (j < n && (buf[j] === 0x30 || buf[j] === 0x31)) j++;
      if (buf[j] !== SQ) return this.rowsFail(buf, j, n, "binary digits and the closing quote of b'…'");
      this.rs = R.After;
      return j + 1;
    }
    if (c === 0x5f) {
      // A character set introducer: _binary '…', _utf8mb4'…', _latin1 0x…
      let j = i + 1;
      while (j < n && CLASS[buf[j]!]! & WORD) j++;
      const name = buf.toString('latin1', i + 1, j);
      if (!isCharset(name)) return this.rowsFail(buf, i, n, 'a value (a character set introducer names a character set)');
      while (j < n && CLASS[buf[j]!]! & SPACE) j++;
      return this.value(buf, j, n, j < n ? buf[j]! : -1, true);
    }
    return this.rowsFail(buf, i, n, "a value (a quoted string, a number, NULL, 0x…, X'…' or b'…')");
  }

  /** Hex digits of 0x… or X'…', which may run past the buffer (BLOBs: 8 bytes a step). */
  private rowHex(buf: Buffer, i: number, n: number): number {
    let j = i;
    const cls = CLASS;
    while (j + 8 <= n && (cls[buf[j]!]! & cls[buf[j + 1]!]! & cls[buf[j + 2]!]! & cls[buf[j + 3]!]! & cls[buf[j + 4]!]! & cls[buf[j + 5]!]! & cls[buf[j + 6]!]! & cls[buf[j + 7]!]! & HEXDIGIT) !== 0) j += 8;
    while (j < n && cls[buf[j]!]! & HEXDIGIT) j++;
    this.hexDigits += j - i;
    if (j === n && !this.final) return n;
    this.inside = In.Nothing;
    if (this.hexQuoted) {
      if (buf[j] !== SQ || this.hexDigits % 2 === 1) return this.rowsFail(buf, j, n, "an even number of hex digits and the closing quote of X'…'");
      this.rs = R.After;
      return j + 1;
    }
    // Dump tools write whole bytes: an odd count is a digit lost or added.
    if (this.hexDigits === 0 || this.hexDigits % 2 === 1 || (j < n && CLASS[buf[j]!]! & WORD)) return this.rowsFail(buf, j, n, 'an even number of hex digits after 0x');
    this.rs = R.After;
    return j;
  }
}

/** Whether a byte can end a name: a word character or a closing backtick or double quote. */
function endsName(byte: number): boolean {
  return byte >= 0 && ((CLASS[byte]! & WORD) !== 0 || byte === BT || byte === DQ);
}

/**
 * The end of the number at i (digits, an optional fraction and exponent, or 0x…/0b… digits), or -1
 * when what is there is not a number or runs into a word character.
 */
export function numberEnd(buf: Buffer, i: number, n: number): number {
  let j = i;
  const c = buf[j];
  // 0x… and 0b… take a lower-case x or b only (0X1 is a name to a server).
  if (c === 0x30 && j + 1 < n && (buf[j + 1] === 0x78 || buf[j + 1] === 0x62)) {
    const hex = buf[j + 1] === 0x78;
    j += 2;
    const from = j;
    while (j < n && (hex ? CLASS[buf[j]!]! & HEXDIGIT : buf[j] === 0x30 || buf[j] === 0x31)) j++;
    if (j === from || (j < n && CLASS[buf[j]!]! & WORD)) return -1;
    return j;
  }
  const from = j;
  let b = 0;
  while (j < n && (b = buf[j]!) >= 0x30 && b <= 0x39) j++;
  let digits = j - from;
  // `1..10` (a FOR loop's range) is 1, "..", 10.
  if (j < n && b === DOT && buf[j + 1] !== DOT) {
    j++;
    const f = j;
    while (j < n && (b = buf[j]!) >= 0x30 && b <= 0x39) j++;
    digits += j - f;
  }
  if (digits === 0) return -1;
  if (j < n && (buf[j]! | 0x20) === 0x65) {
    j++;
    if (j < n && (buf[j] === 0x2b || buf[j] === DASH)) j++;
    const e = j;
    while (j < n && CLASS[buf[j]!]! & DIGIT) j++;
    if (j === e) return -1;
    if (j < n && CLASS[buf[j]!]! & WORD) return -1;
    // A double beyond the largest one is a parse error on the server.
    return Number.isFinite(Number(buf.toString('latin1', i, j))) ? j : -1;
  }
  if (j < n && CLASS[buf[j]!]! & WORD) return -1;
  return j;
}
