// Small byte buffers the dump readers keep without an allocation per byte (a statement's head, a
// comment line, a token's text), and the one Buffer view of a chunk they both take.
import { isUtf8 } from 'node:buffer';

/** A few bytes collected up to a fixed limit; more are counted by the caller, not kept. */
export class ByteRun {
  private readonly bytes: Uint8Array;
  length = 0;

  constructor(readonly limit: number) {
    this.bytes = new Uint8Array(limit);
  }

  get full(): boolean {
    return this.length >= this.limit;
  }

  push(c: number): void {
    if (this.length < this.limit) this.bytes[this.length++] = c;
  }

  /** Appends buf[from, to) as far as the limit allows. */
  append(buf: Buffer, from: number, to: number): void {
    const end = Math.min(to, from + this.limit - this.length);
    for (let k = from; k < end; k++) this.bytes[this.length++] = buf[k]!;
  }

  text(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length).toString('utf8');
  }

  /** Whether the bytes kept are UTF-8 (a sequence cut at the limit counts as whole). */
  isUtf8(): boolean {
    let end = this.length;
    if (end === this.limit) while (end > 0 && (this.bytes[end - 1]! & 0xc0) === 0x80) end--;
    if (end === this.limit && end > 0 && this.bytes[end - 1]! >= 0xc0) end--;
    return isUtf8(this.bytes.subarray(0, end));
  }

  clear(): void {
    this.length = 0;
  }
}

/** A Buffer over the same memory (Buffer.indexOf is memchr; a plain Uint8Array has none). */
export function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
