// Issue "Grafana app plugin": what the browser downloads — the built plugin's bundles, raw and gzipped.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { BenchContext, Section } from '../context.js';
import { markdownTable, textTable } from '../results.js';

const run = promisify(execFile);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function bundles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await bundles(path.join(dir, e.name), `${prefix}${e.name}/`)));
    else if (e.name.endsWith('.js')) out.push(prefix + e.name);
  }
  return out;
}

export const section: Section = {
  name: 'bundle',
  title: 'Plugin bundle size',
  async run(ctx: BenchContext) {
    ctx.log('building the plugin (npm run build:plugin)');
    await run('npm', ['run', '--silent', 'build:plugin'], { cwd: ctx.repoRoot, maxBuffer: 1 << 26 });
    const dist = path.join(ctx.repoRoot, 'dist');
    const rows: string[][] = [];
    let raw = 0;
    let gz = 0;
    for (const file of (await bundles(dist)).sort()) {
      const size = (await stat(path.join(dist, file))).size;
      const zipped = gzipSync(await readFile(path.join(dist, file))).length;
      raw += size;
      gz += zipped;
      rows.push([file, kib(size), kib(zipped)]);
    }
    rows.push(['**total**', kib(raw), kib(gz)]);
    const table = { headers: ['bundle', 'size', 'gzip'], rows, align: 'lrr' };
    return {
      markdown: [`- Date: ${new Date().toISOString()}`, '- Built by `npm run build:plugin` (webpack, production; Grafana\'s packages are externals).', '', markdownTable(table)].join('\n'),
      lines: textTable(table),
    };
  },
};
