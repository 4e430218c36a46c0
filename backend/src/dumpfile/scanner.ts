// A streaming scanner for SQL dumps written by mysqldump / mariadb-dump.
//
// Hand-written on purpose: no SQL parser library splits a multi-gigabyte dump in constant memory
// and at hundreds of MB/s while counting the tuples of multi-row INSERTs. It knows exactly what a
// dump contains: quoted strings with backslash escapes, backtick identifiers, `--`/`#`/`/* */`
// comments, executable `/*!NNNNN ... */` comments, `DELIMITER` commands and extended INSERTs.
//
// Almost every byte of a dump is in the rows of INSERTs. Past the first bytes of a statement (its
// prefix, kept to recognise it) only a few bytes matter there: parentheses, quotes and what may end
// the statement. Runs of other bytes are skipped by a table lookup per byte, strings by the native
// memchr behind Buffer.indexOf, and long runs (hex BLOB literals) by memchr on each byte that
// matters. No per-row strings or buffers are made.

import { asBuffer, ByteRun } from './byteRun.js';

const enum S {
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

// What a byte means inside the rows of a statement (see `rows`): most bytes mean nothing.
const PLAIN = 0;
const STOP = 1;
const OPEN = 2;
const CLOSE = 3;
const STRING = 4;

/** Per byte value: PLAIN, or what `rows` must do with it, for statements ended by `delimiter`. */
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

/** The byte values that are not PLAIN: what a long run of plain bytes ends at. */
function notPlain(classes: Uint8Array): number[] {
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (classes[c] !== PLAIN) out.push(c);
  return out;
}

const OPEN_AT_END = -1;
const ESCAPED_AT_END = -2;
/**
 * After this many plain bytes in a row (a hex BLOB literal, a row of numbers) the rest of the run
 * is measured with memchr per byte value that matters rather than with a lookup per byte: short
 * runs, the usual case between the strings of a row, are cheaper to walk than to search.
 */
const LONG_RUN = 48;

/** Bytes of a new chunk joined to held-back bytes: more than any lookahead (256), far less than a chunk. */
const BRIDGE = 1024;

/** Bytes of each statement kept to recognise what it is; the rest is only counted. */
const PREFIX_LIMIT = 512;
const COMMENT_LIMIT = 512;

export type ObjectKind = 'table' | 'view' | 'trigger' | 'procedure' | 'function' | 'event';

export interface ScanEvents {
  /** A top-level `--` or `#` comment line (trimmed, at most COMMENT_LIMIT bytes) and its stream offset. */
  comment?(text: string, offset: number): void;
  /** A finished statement: its normalised prefix and, for INSERTs, the number of tuples. */
  statement?(info: StatementInfo): void;
}

export interface StatementInfo {
  prefix: string;
  /** Byte offset of the statement's first byte in the stream. */
  offset: number;
  bytes: number;
  insert: { table: string; rows: number } | null;
  create: { kind: ObjectKind; name: string } | null;
  use: string | null;
}

export interface ScanSummary {
  bytes: number;
  statements: number;
  /** Tables by `db.table` (or `table` before any USE) with the tuples their INSERTs carried. */
  tables: Map<string, number>;
  objects: Record<Exclude<ObjectKind, 'table'>, string[]>;
  /** Set when the stream ended inside a statement, a string or a comment. */
  cut: string | null;
  /** The last comment line seen, e.g. `-- Dump completed on ...`. */
  lastComment: string | null;
  /** Whether anything but whitespace followed the last comment line. */
  contentAfterLastComment: boolean;
}

/** What a reader reports before it has seen a byte. */
export function emptySummary(): ScanSummary {
  return {
    bytes: 0,
    statements: 0,
    tables: new Map(),
    objects: { view: [], trigger: [], procedure: [], function: [], event: [] },
    cut: null,
    lastComment: null,
    contentAfterLastComment: false,
  };
}

// Trigger definitions are stored as their author wrote them, so names may be unquoted or qualified.
const CREATE_RE =
  /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*(?:`[^`]*`|'[^']*'|[^\s@]+)(?:@(?:`[^`]*`|'[^']*'|\S+))?\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?(?:AGGREGATE\s+)?(TABLE|VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:(?:`(?:[^`]|``)+`|[\w$]+)\s*\.\s*)?(?:`((?:[^`]|``)+)`|([\w$]+))/i;
const INSERT_RE = /^(?:INSERT|REPLACE)\s+(?:(?:IGNORE|DELAYED|LOW_PRIORITY|HIGH_PRIORITY)\s+)*(?:INTO\s+)?`((?:[^`]|``)+)`(?:\s*\.\s*`((?:[^`]|``)+)`)?\s*(\()?/i;
const USE_RE = /^USE\s+`((?:[^`]|``)+)`/i;
const DELIMITER_RE = /^DELIMITER\s+(\S+)/i;

const unquote = (name: string): string => name.replace(/``/g, '`');

export class DumpScanner {
  private state = S.Normal;
  /** Stream offset of the first byte of the buffer being scanned. */
  private base = 0;
  private total = 0;
  /** Bytes held back because a token needs more lookahead than the chunk had. */
  private carry: Buffer | null = null;
  private final = false;
  private escaped = false;
  /** Previous byte inside a plain block comment, to find its end across chunks. */
  private prevInComment = -1;

  private delimiter: Buffer = Buffer.from(';');
  private classes = byteClasses(this.delimiter);
  private stops = notPlain(this.classes);
  private delimMatched = 0;

  /**
   * For each byte value that matters in rows, where it next occurs in the buffer being scanned
   * (-1: not searched yet; the buffer's length: nowhere).
   */
  private readonly nextStop = new Int32Array(256);

  private stmtStart = -1;
  private readonly prefix = new ByteRun(PREFIX_LIMIT);
  private depth = 0;
  private tuples = 0;
  private lineStart = true;
  private topLevelComment = false;
  private commentStart = 0;
  private readonly commentText = new ByteRun(COMMENT_LIMIT);
  private inExecutableComment = false;

  private db: string | null = null;
  private readonly summary: ScanSummary = emptySummary();

  constructor(private readonly events: ScanEvents = {}) {}

  write(chunk: Uint8Array): void {
    this.total += chunk.length;
    this.summary.bytes = this.total;
    let buf = asBuffer(chunk);
    // Held-back bytes are joined with only the start of the chunk, not copied in front of all of it.
    while (this.carry && buf.length > 0) {
      const carry = this.carry;
      const take = Math.min(buf.length, BRIDGE);
      this.carry = null;
      this.scan(Buffer.concat([carry, buf.subarray(0, take)], carry.length + take));
      buf = buf.subarray(take);
    }
    if (buf.length > 0) this.scan(buf);
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    this.nextStop.fill(-1);
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S.SingleQuote:
        case S.DoubleQuote:
        case S.Backtick:
          i = this.quoted(buf, i, n);
          break;
        case S.LineComment:
          i = this.lineComment(buf, i, n);
          break;
        case S.BlockComment:
          i = this.blockComment(buf, i, n);
          break;
        default:
          i = this.normal(buf, i, n);
      }
    }
    if (this.carry) this.base += n - this.carry.length;
    else this.base += n;
  }

  /** Inside a quoted string or identifier only the closing quote and escapes matter. */
  private quoted(buf: Buffer, start: number, n: number): number {
    const quote = this.state === S.SingleQuote ? SQ : this.state === S.DoubleQuote ? DQ : BT;
    const backslashEscapes = this.state !== S.Backtick;
    const prefix = this.prefix;
    let escaped = this.escaped;
    let i = start;
    // While the prefix is being kept, byte by byte (at most PREFIX_LIMIT bytes per statement).
    while (i < n && !prefix.full) {
      const c = buf[i]!;
      i++;
      prefix.push(c);
      if (escaped) escaped = false;
      else if (c === BS && backslashEscapes) escaped = true;
      else if (c === quote) {
        this.state = S.Normal;
        this.escaped = false;
        return i;
      }
    }
    if (i === n) {
      this.escaped = escaped;
      return i;
    }
    // The prefix is complete: only the closing quote matters.
    const end = backslashEscapes ? this.stringEnd(buf, i, n, quote, escaped) : buf.indexOf(quote, i);
    if (end < 0) {
      this.escaped = end === ESCAPED_AT_END;
      return n;
    }
    this.state = S.Normal;
    this.escaped = false;
    return end + 1;
  }

  /**
   * Where the backslash-escaped string whose body starts at `from` ends (its closing quote), or, when
   * it goes on past the buffer, OPEN_AT_END / ESCAPED_AT_END (the last byte escapes the next one).
   * Jumps from quote to quote (memchr); a quote is escaped when an odd run of backslashes precedes
   * it (the run may begin before `from`, which `escapedAtFrom` stands for).
   */
  private stringEnd(buf: Buffer, from: number, n: number, quote: number, escapedAtFrom: boolean): number {
    let escaped = escapedAtFrom;
    let j = from;
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

  private lineComment(buf: Buffer, i: number, n: number): number {
    let j = buf.indexOf(LF, i);
    if (j === -1) j = n;
    if (this.topLevelComment) this.commentText.append(buf, i, j);
    if (j === n) return n;
    this.endLineComment();
    return j + 1;
  }

  /** Finds `*` `/`, where the `*` may have been the last byte of the previous buffer. */
  private blockComment(buf: Buffer, i: number, n: number): number {
    let from = i;
    for (;;) {
      const slash = buf.indexOf(SLASH, from);
      if (slash === -1) {
        if (n > i) this.prevInComment = buf[n - 1]!;
        return n;
      }
      const before = slash > i ? buf[slash - 1]! : this.prevInComment;
      if (before === STAR) {
        this.state = S.Normal;
        return slash + 1;
      }
      from = slash + 1;
    }
  }

  /** Holds back the rest of the buffer until more bytes arrive (unless the stream has ended). */
  private needMore(buf: Buffer, i: number, n: number, lookahead: number): boolean {
    if (this.final || i + lookahead < n) return false;
    this.carry = Buffer.from(buf.subarray(i, n));
    return true;
  }

  /** Scans bytes outside strings and comments; returns where it stopped. */
  private normal(buf: Buffer, start: number, n: number): number {
    let i = start;
    while (i < n) {
      if (this.stmtStart !== -1 && this.delimMatched === 0 && this.prefix.full) {
        i = this.rows(buf, i, n);
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
          const m = DELIMITER_RE.exec(buf.toString('latin1', i, Math.min(eol, i + 256)));
          if (m) {
            this.setDelimiter(Buffer.from(m[1]!, 'latin1'));
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
          this.commentText.clear();
          this.state = S.LineComment;
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
          this.state = S.BlockComment;
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
        this.state = S.SingleQuote;
        return i;
      }
      if (c === DQ) {
        this.state = S.DoubleQuote;
        return i;
      }
      if (c === BT) {
        this.state = S.Backtick;
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

  private setDelimiter(delimiter: Buffer): void {
    this.delimiter = delimiter;
    this.classes = byteClasses(delimiter);
    this.stops = notPlain(this.classes);
    this.nextStop.fill(-1);
  }

  /**
   * Inside a statement whose prefix is complete (the rows of an INSERT), only parentheses and the
   * ends of strings matter: one tight loop over them, up to the next byte that may matter more
   * (a delimiter, a comment, a backtick) or to the end of the buffer, possibly inside a string.
   */
  private rows(buf: Buffer, start: number, n: number): number {
    const classes = this.classes;
    let depth = this.depth;
    let tuples = this.tuples;
    let i = start;
    while (i < n) {
      // Plain bytes: a short run by lookup, the rest of a long one by memchr.
      const limit = i + LONG_RUN < n ? i + LONG_RUN : n;
      while (i < limit && classes[buf[i]!] === PLAIN) i++;
      if (i === limit) {
        if (i === n) break;
        i = this.endOfPlainRun(buf, i, n);
        if (i === n) break;
      }
      const k = classes[buf[i]!]!;
      if (k === OPEN) {
        if (depth === 0) tuples++;
        depth++;
        i++;
      } else if (k === CLOSE) {
        if (depth > 0) depth--;
        i++;
      } else if (k === STRING) {
        const quote = buf[i]!;
        const end = this.stringEnd(buf, i + 1, n, quote, false);
        if (end < 0) {
          // The string goes on in the next chunk.
          this.state = quote === SQ ? S.SingleQuote : S.DoubleQuote;
          this.escaped = end === ESCAPED_AT_END;
          i = n;
          break;
        }
        i = end + 1;
      } else break;
    }
    this.depth = depth;
    this.tuples = tuples;
    return i;
  }

  /**
   * The first byte at or after `from` that is not PLAIN (n when none): the nearest next occurrence
   * of each byte value that matters, each found by memchr and remembered until it is passed.
   */
  private endOfPlainRun(buf: Buffer, from: number, n: number): number {
    const next = this.nextStop;
    const stops = this.stops;
    let end = n;
    for (let s = 0; s < stops.length; s++) {
      const c = stops[s]!;
      let at = next[c]!;
      if (at < from) {
        at = buf.indexOf(c, from);
        if (at === -1) at = n;
        next[c] = at;
      }
      if (at < end) end = at;
    }
    return end;
  }

  /** One byte of statement text (outside comments). */
  private content(c: number, pos: number): void {
    if (this.stmtStart === -1) {
      this.stmtStart = pos;
      this.prefix.clear();
      this.depth = 0;
      this.tuples = 0;
    }
    this.lineStart = c === LF;
    this.prefix.push(c);
  }

  private endLineComment(): void {
    this.state = S.Normal;
    this.lineStart = true;
    if (!this.topLevelComment) return;
    const text = this.commentText.text().trim();
    this.commentText.clear();
    this.summary.lastComment = text;
    this.summary.contentAfterLastComment = false;
    this.events.comment?.(text, this.commentStart);
  }

  private endStatement(end: number): void {
    const prefix = this.prefix.text().trimStart();
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
    this.prefix.clear();
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
    if (this.state === S.LineComment && this.topLevelComment) at = Math.min(at, this.commentStart);
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
    if (this.state === S.LineComment) this.endLineComment();
    if (this.state === S.SingleQuote || this.state === S.DoubleQuote || this.state === S.Backtick) {
      this.summary.cut = `the stream ends inside a quoted string (statement at byte ${this.stmtStart})`;
    } else if (this.state === S.BlockComment) {
      this.summary.cut = 'the stream ends inside a comment';
    } else if (this.stmtStart !== -1 || this.delimMatched > 0) {
      this.summary.cut = `the stream ends inside an unterminated statement at byte ${this.stmtStart}`;
    }
    return this.summary;
  }
}
