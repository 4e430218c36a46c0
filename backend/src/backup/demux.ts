// Splits one dump process's data-only stream (several tables of one database, one snapshot) into
// one file per table, at the `-- Dumping data for table `t`` comments the dump tool writes.
// Each table file starts with the stream's prologue (session settings) and ends with a trailer,
// so every file is a complete dump of its table that verifies and restores on its own.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { DumpScanner } from '../dumpfile/scanner.js';

const SECTION_RE = /^Dumping data for table `((?:[^`]|``)+)`$/;
/** Written after a table's section when the next one began: the section is complete. */
export const SECTION_TRAILER = Buffer.from('\n-- Dump completed (table section)\n');

export interface Section {
  table: string;
  write(chunk: Buffer): Promise<void>;
}

export interface DemuxHandlers {
  /** A table's section begins: open where its bytes go. */
  open(table: string): Section;
  /**
   * The section ended because the next one began (the last section is closed by the caller); the
   * next section opens once what it returns settles, so a slow store holds the dump back.
   */
  complete(section: Section): Promise<void> | void;
}

/** Recognises a section boundary among the scanner's comments; use it as the scanner's comment event. */
export class SectionBoundaries {
  readonly pending: { offset: number; table: string }[] = [];

  onComment = (text: string, offset: number): void => {
    const m = SECTION_RE.exec(text);
    if (m) this.pending.push({ offset, table: m[1]!.replace(/``/g, '`') });
  };
}

export async function writeChunk(stream: Writable, chunk: Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

export class TableDemux extends Writable {
  private held: Buffer = Buffer.alloc(0);
  /** Stream offset of held[0]. */
  private heldAt = 0;
  private readonly prologue: Buffer[] = [];
  private current: Section | null = null;

  constructor(
    private readonly scanner: DumpScanner,
    private readonly boundaries: SectionBoundaries,
    private readonly handlers: DemuxHandlers,
  ) {
    super();
  }

  /** The section still open when the stream ended: complete only if the whole dump was. */
  get openSection(): Section | null {
    return this.current;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.held = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    // The scanner has already seen this chunk (it sits upstream): route what it has settled.
    this.route(Math.min(this.scanner.settledUpTo(), this.heldAt + this.held.length)).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.route(this.heldAt + this.held.length).then(() => cb(), cb);
  }

  private async route(limit: number): Promise<void> {
    const queue = this.boundaries.pending;
    while (queue.length > 0 && queue[0]!.offset < limit) {
      const b = queue.shift()!;
      await this.forward(b.offset);
      if (this.current) {
        await this.current.write(SECTION_TRAILER);
        await this.handlers.complete(this.current);
      }
      this.current = this.handlers.open(b.table);
      for (const p of this.prologue) await this.current.write(p);
    }
    await this.forward(limit);
  }

  /** Sends held bytes up to stream offset `end` to the open section, or to the prologue before the first. */
  private async forward(end: number): Promise<void> {
    const n = end - this.heldAt;
    if (n <= 0) return;
    const part = this.held.subarray(0, n);
    this.held = this.held.subarray(n);
    this.heldAt = end;
    if (this.current) await this.current.write(part);
    else this.prologue.push(Buffer.from(part));
  }
}
