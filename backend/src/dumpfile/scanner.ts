// A streaming scanner for SQL dumps written by mysqldump / mariadb-dump.
//
// Hand-written on purpose: no SQL parser library splits a multi-gigabyte dump in constant memory
// and at hundreds of MB/s while counting the tuples of multi-row INSERTs. It knows exactly what a
// dump contains: quoted strings with backslash escapes, backtick identifiers, `--`/`#`/`/* */`
// comments, executable `/*!NNNNN ... */` comments, `DELIMITER` commands and extended INSERTs.

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
        case S.SingleQuote:
        case S.DoubleQuote:
        case S.Backtick:
          i = this.quoted(buf, i, n);
          break;
        case S.LineComment: {
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
        case S.BlockComment: {
          let prev = this.prevInComment;
          while (i < n) {
            const c = buf[i++]!;
            if (c === SLASH && prev === STAR) {
              this.state = S.Normal;
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
    const quote = this.state === S.SingleQuote ? SQ : this.state === S.DoubleQuote ? DQ : BT;
    const backslashEscapes = this.state !== S.Backtick;
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
    const end = backslashEscapes ? stringEnd(buf, i, n, quote, escaped) : buf.indexOf(quote, i);
    if (end < 0) {
      this.escaped = end === ESCAPED_AT_END;
      return n;
    }
    this.state = S.Normal;
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
          this.state = quote === SQ ? S.SingleQuote : S.DoubleQuote;
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
    this.state = S.Normal;
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
