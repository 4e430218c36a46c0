// Issue "Foundation": `warden backup` against the pipelines people write by hand, side by side on
// the same server, dataset and dump binary, plus the agent's memory at 1x and 2x the data.
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TestServer } from '../../test/harness/mariadb.js';
import { consoleSummary, cpuTable, median, programCpu, type Sample as BaseSample, summarize, type Summary, targetsAndCpuMarkdown, timingTable } from '../compare.js';
import { type BenchContext, type Dataset, describeDataset, firstLine, MAIN_DATABASE, type Section, tcpArgs } from '../context.js';
import { alternate, measurePipeline, shellQuote, stats, type Stats } from '../measure.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';
import { runWardenBackup, type WardenConfig, writeWardenConfig } from '../warden.js';

const VARIANTS = ['gzip', 'zstd', 'devnull', 'warden', 'byHand'] as const;
type Variant = (typeof VARIANTS)[number];

const LABEL: Record<Variant, string> = {
  gzip: '(a) dump | gzip -6',
  zstd: '(b) dump | zstd -T0',
  devnull: '(c) dump > /dev/null',
  warden: '(d) warden backup',
  byHand: '(e) the same work by hand',
};

const TARGETS = { vsGzip: 0.55, vsZstd: 1.15, rssBytes: 150e6, rssGrowth: 1.2 };
const BIG_DATABASE = 'bench_2x';

interface Sample extends BaseSample {
  warden?: WardenFacts;
}

interface WardenFacts {
  /** the node process's peak RSS */
  rssBytes: number;
  /** the SQL its dump wrote (warden's dump options differ from the plain dump's) */
  rawBytes: number;
  /** the dump tool's arguments, from the manifest */
  options: string[];
}

/** A hand-made pipeline storing `file` (its size is measured, then it is deleted). */
async function runPipeline(script: string, file: string | null): Promise<Sample> {
  const m = await measurePipeline(script);
  const storedBytes = file ? (await stat(file)).size : null;
  if (file) await rm(file, { force: true });
  return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, storedBytes, cpuByProgram: programCpu(m) };
}

/**
 * (e): what (d) guarantees beyond (b), done with standard tools, for scale: warden's SQL (BLOBs in
 * hex, routines, triggers, events) hashed on its way to zstd, then the file synced and hashed. It
 * counts no rows and writes no manifest.
 */
function byHandScript(dump: string, file: string): string {
  const f = shellQuote(file);
  return (
    `${dump} --hex-blob --routines --triggers --events | tee >(openssl dgst -sha256 > /dev/null) | zstd -q -T0 > ${f}` +
    // bash waits for the hash of the SQL (the process substitution) before the file is synced.
    ` && wait $! && sync ${f} && openssl dgst -sha256 ${f} > /dev/null`
  );
}

/** One `warden backup --json`; the backup is deleted afterwards to keep disk use flat. */
async function runWarden(ctx: BenchContext, config: WardenConfig): Promise<Sample> {
  const { measurement: m, summary: out, options } = await runWardenBackup(ctx, config);
  return {
    wallSeconds: m.wallSeconds,
    cpuSeconds: m.cpuSeconds,
    storedBytes: out.bytes,
    cpuByProgram: programCpu(m).set('node', m.node.cpuSeconds),
    warden: { rssBytes: m.node.peakRssBytes, rawBytes: out.rawBytes, options },
  };
}

/** (a) to (d) on the main dataset, alternating. */
async function compare(ctx: BenchContext, server: TestServer): Promise<Record<Variant, Sample[]>> {
  const dump = [ctx.dumpTool.path, ...tcpArgs(server), '--single-transaction', MAIN_DATABASE].map(shellQuote).join(' ');
  const out = (name: string) => path.join(ctx.tmpDir, name);
  const config = await writeWardenConfig(ctx, server, MAIN_DATABASE);
  const results = await alternate(VARIANTS, ctx.runs, (v, round) => {
    ctx.log(`round ${round + 1}/${ctx.runs}: ${LABEL[v]}`);
    switch (v) {
      case 'gzip':
        return runPipeline(`${dump} | gzip -6 > ${shellQuote(out('dump.sql.gz'))}`, out('dump.sql.gz'));
      case 'zstd':
        return runPipeline(`${dump} | zstd -q -T0 > ${shellQuote(out('dump.sql.zst'))}`, out('dump.sql.zst'));
      case 'devnull':
        return runPipeline(`${dump} > /dev/null`, null);
      case 'warden':
        return runWarden(ctx, config);
      case 'byHand':
        return runPipeline(byHandScript(dump, out('byhand.sql.zst')), out('byhand.sql.zst'));
    }
  });
  return Object.fromEntries(results) as Record<Variant, Sample[]>;
}

/** warden alone on a dataset twice the size, for how its memory scales. */
async function atTwiceTheData(ctx: BenchContext, server: TestServer): Promise<{ dataset: Dataset; samples: Sample[] }> {
  const runs = Math.min(ctx.runs, 2);
  const big = await ctx.extra(BIG_DATABASE, ctx.sizeMb * 2);
  try {
    const config = await writeWardenConfig(ctx, server, BIG_DATABASE);
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      ctx.log(`2x data: warden backup ${i + 1}/${runs}`);
      samples.push(await runWarden(ctx, config));
    }
    return { dataset: big.dataset, samples };
  } finally {
    await big.drop();
  }
}

function targetsTable(sum: Record<Variant, Summary>, rss: Stats, bigRss: Stats): Table {
  const w = sum.warden;
  const vs = (base: Variant) => w.wall.median / sum[base].wall.median;
  const checks: [string, string, string, boolean][] = [
    ['warden median vs (a) gzip pipe', fmt.ratio(vs('gzip')), `≤ ${fmt.ratio(TARGETS.vsGzip)}`, vs('gzip') <= TARGETS.vsGzip],
    ['warden median vs (b) zstd pipe', fmt.ratio(vs('zstd')), `≤ ${fmt.ratio(TARGETS.vsZstd)}`, vs('zstd') <= TARGETS.vsZstd],
    ['warden stored size vs (a)', fmt.ratio(w.stored! / sum.gzip.stored!), `≤ ${fmt.ratio(1)}`, w.stored! <= sum.gzip.stored!],
    [`agent peak RSS (highest of ${rss.n})`, fmt.mb(rss.max), `≤ ${fmt.mb(TARGETS.rssBytes)}`, rss.max <= TARGETS.rssBytes],
    [
      `peak RSS at 2× data (median of ${bigRss.n}: ${fmt.mb(bigRss.median)}) vs 1× (${fmt.mb(rss.median)})`,
      fmt.ratio(bigRss.median / rss.median),
      `≤ ${fmt.ratio(TARGETS.rssGrowth)}`,
      bigRss.median <= TARGETS.rssGrowth * rss.median,
    ],
  ];
  return { headers: ['target', 'measured', 'limit', 'verdict'], rows: checks.map(([what, got, limit, ok]) => [what, got, limit, fmt.verdict(ok)]) };
}

export const section: Section = {
  name: 'backup',
  title: 'Backup: warden vs hand-made dump pipelines',
  async run(ctx) {
    const { server, dataset } = await ctx.main();
    const results = await compare(ctx, server);
    const big = await atTwiceTheData(ctx, server);

    const sum = Object.fromEntries(VARIANTS.map((v) => [v, summarize(results[v])])) as Record<Variant, Summary>;
    const facts = results.warden.map((s) => s.warden!);
    const rss = stats(facts.map((f) => f.rssBytes));
    const bigRss = stats(big.samples.map((s) => s.warden!.rssBytes));
    const wardenRaw = median(facts.map((f) => f.rawBytes));
    const wardenArgs = facts[0]!.options.filter((a) => !/^--(host|port)=/.test(a)).join(' ');
    const timing = timingTable(VARIANTS, LABEL, sum, {
      ratios: [
        ['gzip', '× (a)'],
        ['zstd', '× (b)'],
        ['devnull', '× (c)'],
        ['byHand', '× (e)'],
      ],
      size: ['gzip', 'size × (a)'],
    });
    const targets = targetsTable(sum, rss, bigRss);
    const cpu = cpuTable(VARIANTS, LABEL, sum);
    // zstd frames its version line in asterisks.
    const versions = await Promise.all(['gzip', 'zstd'].map(async (b) => (await firstLine(b)).replace(/^\*+\s*|\s*\*+$/g, '')));

    const markdown = [
      await ctx.environment(),
      `- Compressors: ${versions.map((v) => `\`${v}\``).join(', ')}`,
      '',
      describeDataset(dataset),
      '',
      `### Wall time and stored size (${fmt.count(ctx.runs, 'run')} of each, order abcde, edcba, abcde, …)`,
      '',
      markdownTable(timing),
      '',
      ...targetsAndCpuMarkdown(targets, cpu),
      '',
      'CPU total is exact (the children CPU time the kernel accounts once the tree is reaped); the per-program',
      "columns are sampled from /proc every 100 ms (they miss at most each process's last 100 ms), except",
      "`node` for (d), which is the agent's own `process.cpuUsage()` at exit. Peak RSS is the node process's",
      'VmHWM read from /proc/self/status as it exits (preloaded `bench/exit-probe.mjs`); the dump tool and',
      'zstd children are not included. MB = 10^6 bytes.',
      '',
      '### Commands',
      '',
      `- dump = \`${path.basename(ctx.dumpTool.path)} --no-defaults --protocol=TCP --host=127.0.0.1 --port=PORT --user=root --single-transaction ${MAIN_DATABASE}\``,
      "- (a) `bash -o pipefail -c 'dump | gzip -6 > f'`; (b) `… | zstd -q -T0 > f`; (c) `dump > /dev/null`",
      `- (e) \`${byHandScript('dump', 'f')}\`: the SQL warden's dump writes, hashed on its way to zstd, the file synced and hashed (no row counts, no manifest)`,
      `- (d) \`node backend/bin/warden.js backup --config C --target ${MAIN_DATABASE} --json\` (zstd level 3, \`verifyAfterBackup: none\`); ` +
        `its dump runs with \`${wardenArgs}\`, which writes ${fmt.mb(wardenRaw)} of SQL ` +
        `(${fmt.ratio(wardenRaw / dataset.rawDumpBytes)} the plain dump's ${fmt.mb(dataset.rawDumpBytes)}); the warden run includes node's start-up.`,
      `- 2× data: database \`${BIG_DATABASE}\` generated for ${ctx.sizeMb * 2} MB (raw dump ${fmt.mb(big.dataset.rawDumpBytes)}), ${fmt.count(big.samples.length, 'warden run')}.`,
    ].join('\n');

    const lines = [
      ...consoleSummary(`${fmt.mb(dataset.rawDumpBytes)} raw SQL (${dataset.tables.map((t) => `${t.name} ${t.rows}`).join(', ')} rows)`, ctx.runs, [timing, targets], cpu),
      `warden dump options: ${wardenArgs} (${fmt.mb(wardenRaw)} raw SQL vs ${fmt.mb(dataset.rawDumpBytes)} plain)`,
    ];
    return { markdown, lines };
  },
};
