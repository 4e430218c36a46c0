// bench/RESULTS.md: one block per section between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`.
// A run rewrites only the blocks of the sections it ran, so results of other sections survive.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const HEADER = `# Warden benchmarks

Written by \`npm run bench\` (code in \`bench/\`). Each section below is rewritten only by its own run
(\`npm run bench -- --only <section>\`); the others keep their last results.
`;

export function writeSection(file: string, name: string, markdown: string): void {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const start = current.indexOf(open);
  const end = current.indexOf(close, start);
  const next =
    start >= 0 && end >= 0
      ? current.slice(0, start) + block + current.slice(end + close.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(`${file}.tmp`, next);
  renameSync(`${file}.tmp`, file);
}

export interface Table {
  headers: string[];
  rows: string[][];
  /** 'l' or 'r' per column; default: the first column names the row (left), the others hold numbers (right) */
  align?: string;
}

const alignOf = (t: Table, i: number) => t.align?.[i] ?? (i === 0 ? 'l' : 'r');

export function textTable(t: Table): string[] {
  const { headers, rows } = t;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (alignOf(t, i) === 'l' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function markdownTable(t: Table): string {
  const row = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [row(t.headers), `|${t.headers.map((_, i) => (alignOf(t, i) === 'l' ? '---' : '---:')).join('|')}|`, ...t.rows.map(row)].join('\n');
}

export const fmt = {
  seconds: (s: number) => `${s.toFixed(2)} s`,
  mb: (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`,
  ratio: (r: number) => `${r.toFixed(2)}×`,
  verdict: (ok: boolean) => (ok ? 'PASS' : 'FAIL'),
  count: (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`,
};
