// Streams a dump while renaming its databases: `CREATE/ALTER/DROP DATABASE` and `USE` of a source
// database are rewritten to the name it is loaded as, and everything belonging to a database that
// is not being loaded is dropped. Views, triggers, routines and events have their references to a
// loaded database renamed too, and events arrive DISABLED (objectRefs.ts). Statements are found by
// the dump scanner, so a `USE` inside a string or a routine body is never touched. Memory stays
// constant: bytes are held back only long enough (HOLDBACK) to rewrite a statement before it leaves.
import { Transform, type TransformCallback } from 'node:stream';
import { DumpScanner, type ObjectKind, type ScanSummary, type StatementInfo } from '../dumpfile/scanner.js';
import { rewriteObject } from './objectRefs.js';

/** More than the longest statement we rewrite (a routine body); a longer one is refused, never half-sent. */
const HOLDBACK = 1 << 20;

const DB_STATEMENT = /^(?:CREATE|ALTER|DROP)\s+(?:DATABASE|SCHEMA)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:`((?:[^`]|``)+)`|([\w$]+))/i;
const KEYWORD = /\b(?:DATABASE|SCHEMA|USE)\b/gi;

export interface ObjectReport {
  kind: ObjectKind;
  name: string;
  /** Loaded databases it named, now renamed. */
  renamed: string[];
  /** Databases of the backup it names that this restore does not load: still the originals. */
  foreign: string[];
}

type Op = { kind: 'edit'; start: number; end: number; replacement: Buffer | null } | { kind: 'mode'; at: number; keep: boolean };

export interface RewriteOptions {
  /** Source database → the name it is loaded as. Statements of any other database are dropped. */
  databases: ReadonlyMap<string, string>;
  /** Every statement as it passes (progress reporting). */
  onStatement?: (s: StatementInfo) => void;
  /** Every database of the backup: an object naming one that is not loaded is reported. */
  backupDatabases?: readonly string[];
  /** A view, trigger, routine or event that names databases of the backup. */
  onObject?: (o: ObjectReport) => void;
  /** Asked before the last bytes leave: a reason to fail instead (the stream was cut, the decompressor broke). */
  check?: (scan: ScanSummary) => Promise<string | null>;
  /** Called just before the rewriter fails, while whoever reads its output has not seen an end yet. */
  onFail?: () => void;
}

export class DatabaseRewriter extends Transform {
  private readonly scanner: DumpScanner;
  private readonly pending: Buffer[] = [];
  /** Stream offset of the first byte not yet passed on or dropped. */
  private emitted = 0;
  private received = 0;
  /** Where the last statement ended. */
  private lastEnd = 0;
  private readonly ops: Op[] = [];
  private keep = true;
  private failure: Error | null = null;
  private summary: ScanSummary | null = null;

  constructor(private readonly opts: RewriteOptions) {
    super({ highWaterMark: 1 << 20 });
    this.scanner = new DumpScanner({ statement: (s) => this.onStatement(s) });
  }

  /** What the scanner saw (rows, trailer, cut); available after the stream ended. */
  scan(): ScanSummary | null {
    return this.summary;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.pending.push(chunk);
    this.received += chunk.length;
    this.scanner.write(chunk);
    if (this.failure) return this.fail(cb, this.failure);
    this.release(this.received - HOLDBACK);
    cb();
  }

  /** A stream that ends badly never hands its last bytes over: a client would run a half statement. */
  override _flush(cb: TransformCallback): void {
    const scan = this.scanner.end();
    this.summary = scan;
    if (this.failure) return this.fail(cb, this.failure);
    void (this.opts.check?.(scan) ?? Promise.resolve(null)).then(
      (veto) => {
        if (veto) return this.fail(cb, new Error(veto));
        this.release(this.received);
        cb();
      },
      (err: Error) => this.fail(cb, err),
    );
  }

  private fail(cb: TransformCallback, err: Error): void {
    this.opts.onFail?.();
    cb(err);
  }

  private onStatement(s: StatementInfo): void {
    this.opts.onStatement?.(s);
    const end = s.offset + s.bytes;
    const gapStart = this.lastEnd;
    this.lastEnd = end;
    if (s.create && s.create.kind !== 'table' && this.keep && !this.failure) return this.onObject(s, s.create.kind, s.create.name);
    const name = s.use ?? databaseOf(s.prefix);
    if (name === null || this.failure) return;
    if (gapStart < this.emitted) {
      this.failure = new Error(`a statement naming database ${name} at byte ${s.offset} is too long to rewrite safely`);
      return;
    }
    // A statement owns the comments and whitespace before it, so dropping it never leaves half of
    // an executable comment (`/*!40000 DROP DATABASE ...*/`) behind; but not a DELIMITER line
    // there, which belongs to what came before.
    const start = gapStart + afterLastDelimiterLine(this.bytes(gapStart, s.offset));
    const target = this.opts.databases.get(name);
    let replacement: Buffer | null = null;
    try {
      if (target !== undefined) replacement = renameIn(this.bytes(start, end), s.offset - start, name, target);
    } catch (err) {
      this.failure = err as Error;
      return;
    }
    this.ops.push({ kind: 'edit', start, end, replacement });
    if (s.use !== null) this.ops.push({ kind: 'mode', at: end, keep: target !== undefined });
  }

  private onObject(s: StatementInfo, kind: Exclude<ObjectKind, 'table'>, name: string): void {
    const end = s.offset + s.bytes;
    if (s.offset < this.emitted) {
      this.failure = new Error(`${kind} ${name} at byte ${s.offset} is longer than ${HOLDBACK} bytes: it cannot be checked for references to the source database`);
      return;
    }
    // latin1 keeps every byte as one char; names are compared as the UTF-8 bytes the dump holds.
    const loaded = new Map([...this.opts.databases].map(([from, to]) => [latin(from), latin(to)]));
    const all = (this.opts.backupDatabases ?? []).map(latin);
    const original = this.bytes(s.offset, end).toString('latin1');
    const r = rewriteObject(original, kind, loaded, all);
    const utf8 = (names: string[]) => names.map((n) => Buffer.from(n, 'latin1').toString('utf8'));
    if (r.renamed.length > 0 || r.foreign.length > 0) this.opts.onObject?.({ kind, name, renamed: utf8(r.renamed), foreign: utf8(r.foreign) });
    if (r.text !== original) this.ops.push({ kind: 'edit', start: s.offset, end, replacement: Buffer.from(r.text, 'latin1') });
  }

  /** Passes on (or drops) every byte before `limit`, applying the edits on the way. */
  private release(limit: number): void {
    for (;;) {
      const op = this.ops[0];
      if (op && this.opStart(op) === this.emitted) {
        this.ops.shift();
        if (op.kind === 'mode') this.keep = op.keep;
        else {
          if (op.replacement) this.push(op.replacement);
          this.consume(op.end - op.start);
        }
        continue;
      }
      const until = Math.min(limit, op ? this.opStart(op) : Infinity);
      if (until <= this.emitted) return;
      for (const part of this.consume(until - this.emitted)) if (this.keep) this.push(part);
    }
  }

  private opStart(op: Op): number {
    return op.kind === 'mode' ? op.at : op.start;
  }

  /** Removes the next `n` pending bytes, returning them as slices (no copy). */
  private consume(n: number): Buffer[] {
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const head = this.pending[0]!;
      if (head.length <= left) {
        parts.push(head);
        this.pending.shift();
        left -= head.length;
      } else {
        parts.push(head.subarray(0, left));
        this.pending[0] = head.subarray(left);
        left = 0;
      }
    }
    this.emitted += n;
    return parts;
  }

  /** A copy of pending bytes [start, end) (a short statement). */
  private bytes(start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(end - start);
    let offset = this.emitted;
    let written = 0;
    for (const part of this.pending) {
      const from = Math.max(start - offset, 0);
      const to = Math.min(end - offset, part.length);
      if (from < to) written += part.copy(out, written, from, to);
      offset += part.length;
      if (offset >= end) break;
    }
    return out;
  }
}

const DELIMITER_LINE = /^DELIMITER[ \t]+\S+[^\n]*(?:\n|$)/gim;

/** Where the text after the last `DELIMITER x` line of a gap between statements begins. */
function afterLastDelimiterLine(gap: Buffer): number {
  let after = 0;
  for (const m of gap.toString('latin1').matchAll(DELIMITER_LINE)) after = m.index + m[0].length;
  return after;
}

function databaseOf(prefix: string): string | null {
  const m = DB_STATEMENT.exec(prefix);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/``/g, '`') : m[2]!;
}

/**
 * The statement (which starts at `skip`, after its leading comments) with its database name
 * replaced; every other byte is kept, executable comments included.
 */
/** A name as the latin1 string of its UTF-8 bytes: how statements are edited byte for byte. */
function latin(name: string): string {
  return Buffer.from(name, 'utf8').toString('latin1');
}

export function renameIn(statement: Buffer, skip: number, from: string, to: string): Buffer {
  // latin1 maps bytes 1:1 to chars, so the UTF-8 bytes around the name survive untouched.
  const text = statement.toString('latin1');
  const quoted = latin(`\`${from.replace(/`/g, '``')}\``);
  KEYWORD.lastIndex = skip;
  const keyword = KEYWORD.exec(text);
  const after = keyword ? keyword.index + keyword[0].length : skip;
  let at = text.indexOf(quoted, after);
  let length = quoted.length;
  if (at === -1) {
    const bare = new RegExp(`(?<![\\w$\`])${latin(from).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$\`])`, 'g');
    bare.lastIndex = after;
    const m = bare.exec(text);
    if (!m) throw new Error(`cannot find database ${from} in: ${text.slice(0, 200)}`);
    at = m.index;
    length = m[0].length;
  }
  const renamed = text.slice(0, at) + latin(`\`${to.replace(/`/g, '``')}\``) + text.slice(at + length);
  return Buffer.from(renamed, 'latin1');
}
