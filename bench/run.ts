// `npm run bench [-- --size-mb N --runs N --only a,b]`: runs the benchmark sections against a
// throwaway server with a generated dataset, prints each summary and rewrites their blocks in
// bench/RESULTS.md. The machine may be shared and noisy: sections compare side by side, alternating.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Bench, type Section } from './context.js';
import { writeSection } from './results.js';
import { section as api } from './sections/api.js';
import { section as backup } from './sections/backup.js';
import { section as bundle } from './sections/bundle.js';
import { section as pertable } from './sections/pertable.js';
import { section as pitr } from './sections/pitr.js';
import { section as physical } from './sections/physical.js';
import { section as previous } from './sections/previous.js';
import { section as s3 } from './sections/s3.js';
import { section as scanner } from './sections/scanner.js';
import { section as verify } from './sections/verify.js';

/** Every section, in the order they run; add new ones here. */
const SECTIONS: Section[] = [scanner, backup, pertable, api, verify, pitr, physical, s3, bundle, previous];

const USAGE = `usage: npm run bench -- [--size-mb N] [--runs N] [--only ${SECTIONS.map((s) => s.name).join(',')}]
  --size-mb N   raw SQL size of the generated dataset (default 300)
  --runs N      runs of each variant (default 3)
  --only LIST   comma-separated sections to run (default: all)
  --against DIR another built checkout of warden (npm ci done there) that section "previous"
                compares with this one, side by side; without it that section is skipped.
                Section "pitr" then also times that checkout's restore to the point`;

function options(): { sizeMb: number; runs: number; sections: Section[]; against: string | null } {
  const { values } = parseArgs({
    options: {
      'size-mb': { type: 'string', default: '300' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
      against: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sizeMb = Number(values['size-mb']);
  const runs = Number(values.runs);
  if (!(sizeMb > 0) || !Number.isInteger(runs) || runs < 1) throw new UsageError('--size-mb must be > 0 and --runs an integer >= 1');
  const names = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names?.filter((n) => !SECTIONS.some((s) => s.name === n)) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown section(s): ${unknown.join(', ')}`);
  const against = values.against ? path.resolve(values.against) : null;
  const chosen = names ? SECTIONS.filter((s) => names.includes(s.name)) : SECTIONS.filter((s) => s !== previous || against !== null);
  return { sizeMb, runs, sections: chosen, against };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { sizeMb, runs, sections, against } = options();
  const repoRoot = path.resolve(import.meta.dirname, '..');
  const resultsFile = path.join(import.meta.dirname, 'RESULTS.md');
  const bench = await Bench.create({ repoRoot, sizeMb, runs, against });
  // On Ctrl-C or kill: exit, so that the exit hooks kill the server and the running commands; then
  // remove the scratch folder.
  process.once('exit', () => rmSync(bench.tmpRoot, { recursive: true, force: true }));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(128 + os.constants.signals[signal]));

  let failed = 0;
  try {
    for (const s of sections) {
      bench.log(`section ${s.name}: ${s.title}`);
      try {
        const result = await s.run(await bench.context(s));
        console.log(`\n== ${s.title} ==\n${result.lines.join('\n')}\n`);
        writeSection(resultsFile, s.name, `## ${s.title}\n\n${result.markdown}`);
        bench.log(`section ${s.name}: written to ${path.relative(process.cwd(), resultsFile)}`);
      } catch (err) {
        failed++;
        console.error(`section ${s.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  } finally {
    await bench.close();
  }
  return failed > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : err);
  process.exitCode = 2;
}
