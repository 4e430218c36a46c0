// The grammar validator as the end of a stream: what `parse` runs over each file's SQL.
import { Writable } from 'node:stream';
import { DumpValidator, type ValidatorOptions } from './grammar.js';

export class GrammarSink extends Writable {
  readonly validator: DumpValidator;
  bytes = 0;

  constructor(opts: ValidatorOptions = {}) {
    super({ highWaterMark: 1 << 20 });
    this.validator = new DumpValidator(opts);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.validator.write(chunk);
    this.bytes += chunk.length;
    cb();
  }
}
