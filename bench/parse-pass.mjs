// One `parse`-level pass over a stored zstd dump, as `warden verify` makes it (sha256 of the stored
// bytes, zstd -d, then the SQL), with either the grammar validator (what verify runs) or the
// previous scanner (what verify ran before, and what a backup still runs): the two side by side,
// same harness, same start-up. Plain JS over the compiled agent (`npm run build:agent`).
// Usage: node bench/parse-pass.mjs scanner|validator FILE.zst   (prints rows and problems as JSON)
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { HashTap, ScanTap } from '../backend/dist/pipeline/stream.js';
import { createDecompressor } from '../backend/dist/verify/decompress.js';
import { GrammarSink } from '../backend/dist/verify/grammarTap.js';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'scanner' && mode !== 'validator') || !file) throw new Error('usage: parse-pass.mjs scanner|validator FILE.zst');

const stored = new HashTap();
const decoder = createDecompressor('zstd');
const sink = mode === 'validator' ? new GrammarSink() : new ScanTap();
const tail = mode === 'validator' ? [sink] : [sink, new Writable({ highWaterMark: 1 << 20, write: (_c, _e, cb) => cb() })];
await Promise.all([pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stored, decoder.input), pipeline(decoder.output, ...tail)]);
const failure = await decoder.failure();
const result = mode === 'validator' ? sink.validator.end() : { summary: sink.scanner.end(), problems: [] };
const rows = [...result.summary.tables.values()].reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ mode, sha256: stored.hash.digest('hex'), rawBytes: sink.bytes, rows, problems: result.problems.length, failure }));
