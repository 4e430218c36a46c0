// The statement scanner (what a backup runs) and the grammar validator (what `verify --level parse`
// runs) on their own, without a database: a synthetic dump of the benchmark's tables
// (bench/syntheticDump.ts) read in this process in pipe-sized chunks, with sha256 of the same
// chunks for scale. `node --import tsx bench/scanSpeed.ts` runs the same measurement standalone.
import path from 'node:path';
import type { BenchContext, Section } from '../context.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';
import { measureScanSpeed, removeDump } from '../scanSpeed.js';

const SIZE_MB = 200;
const CHUNK_BYTES = 64 << 10;
const MIN_RUNS = 5;

export const section: Section = {
  name: 'scanner',
  title: 'Scanner: statement scanner and grammar validator throughput, no database',
  async run(ctx: BenchContext) {
    const file = path.join(ctx.tmpDir, 'synthetic.sql');
    const runs = Math.max(ctx.runs, MIN_RUNS);
    try {
      const r = measureScanSpeed({ sizeMb: SIZE_MB, runs, chunkBytes: CHUNK_BYTES, file, log: ctx.log });
      const row = (what: string, s: typeof r.scan, first: number) => [what, `${s.median.toFixed(0)} MB/s`, `${s.min.toFixed(0)}–${s.max.toFixed(0)}`, `${first.toFixed(0)} MB/s`];
      const table: Table = {
        headers: ['measure', 'median', 'min–max', 'first run'],
        rows: [
          row('DumpScanner.write, 64 KiB chunks (backup)', r.scan, r.scanMbPerSecond[0]!),
          row('DumpValidator.write, 64 KiB chunks (verify --level parse)', r.validate, r.validateMbPerSecond[0]!),
          row('sha256 of the same chunks (node:crypto)', r.sha256, r.sha256MbPerSecond[0]!),
        ],
      };
      const tables = Object.entries(r.dump.rows).map(([t, n]) => `${t.split('.').pop()} ${n}`).join(', ');
      const notes = [
        `The dump: ${fmt.mb(r.dump.bytes)} written by \`bench/syntheticDump.ts\`${r.generateSeconds === null ? '' : ` in ${fmt.seconds(r.generateSeconds)}`} ` +
          `with the dataset's tables and value generators as \`mariadb-dump --hex-blob --extended-insert\` lays them out ` +
          `(rows: ${tables}); \`tricky_literals\` holds escaped quotes, backslash runs, \`),(\` and comment markers inside strings, bit, binary and hex literals.`,
        `${runs} passes in one process, each checked against the rows the generator wrote (the validator also finds no grammar problem); the first pass includes the JIT warming up, as`,
        'a `warden verify` or a backup (one pass each) does. Only the time inside `write`/`end` and `update` is counted, not reading the file. MB = 10^6 bytes.',
      ];
      return {
        markdown: [await ctx.environment(), '', markdownTable(table), '', ...notes].join('\n'),
        lines: [...textTable(table), '', ...notes],
      };
    } finally {
      removeDump(file);
    }
  },
};
