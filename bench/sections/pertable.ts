// Issue "per-table backups": `warden backup` with `method: per-table` (2 dump processes, one
// consistent snapshot) against mydumper with 2 threads, and against warden's own single stream.
// Side by side on the same server and dataset, alternating.
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TestServer } from '../../test/harness/mariadb.js';
import { consoleSummary, cpuTable, median, programCpu, type Sample as BaseSample, summarize, type Summary, targetsAndCpuMarkdown, timingTable } from '../compare.js';
import { type BenchContext, type Dataset, describeDataset, firstLine, MAIN_DATABASE, type Section } from '../context.js';
import { alternate, measure, measurePipeline, shellQuote, stats, which } from '../measure.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';
import { runWardenBackup, type WardenConfig, writeWardenConfig } from '../warden.js';

const VARIANTS = ['mydumper', 'perTable', 'single'] as const;
type Variant = (typeof VARIANTS)[number];

const LABEL: Record<Variant, string> = {
  mydumper: '(a) mydumper -t 2 -c',
  perTable: '(b) warden per-table, parallel 2',
  single: '(c) warden single-stream',
};

const THREADS = 2;
const TARGET_VS_MYDUMPER = 1.2;
/** The server's CPU is not the bench's child: it is read from /proc around each run, apart from the totals. */
const SERVER = 'mariadbd (server)';
const TICKS_PER_SECOND = 100;

interface Sample extends BaseSample {
  /** SQL written before compression (mydumper: first round only, by decompressing its files) */
  rawBytes: number | null;
  files: number;
  /** processes per program in the measured tree */
  processCount: Map<string, number>;
  /** the agent's peak RSS */
  rssBytes: number | null;
}

/** CPU seconds the server process has used so far, or null if /proc does not tell. */
async function serverCpu(server: TestServer): Promise<() => number | null> {
  let pid: number | null = null;
  try {
    const [row] = await server.query<{ f: string }>('SELECT @@pid_file AS f');
    pid = Number((await readFile(path.resolve(server.datadir, row!.f), 'utf8')).trim());
  } catch {
    // no pid file: no server column
  }
  return () => {
    if (pid === null) return null;
    try {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND; // utime + stime
    } catch {
      return null;
    }
  };
}

async function dirBytes(dir: string): Promise<{ bytes: number; names: string[] }> {
  const names = await readdir(dir);
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(dir, n))).size));
  return { bytes: sizes.reduce((a, b) => a + b, 0), names };
}

function mydumperArgs(server: TestServer, outDir: string): string[] {
  return [
    '--host', server.host, '--port', String(server.port), '--user', 'root',
    '--database', MAIN_DATABASE, '--outputdir', outDir, '--threads', String(THREADS), '--compress',
  ];
}

/** (a): one mydumper run; its output folder is measured, checked for every table and removed. */
async function runMydumper(bin: string, server: TestServer, dataset: Dataset, outDir: string, countRaw: boolean): Promise<Sample> {
  await rm(outDir, { recursive: true, force: true });
  try {
    const m = await measure(bin, mydumperArgs(server, outDir));
    const { bytes, names } = await dirBytes(outDir);
    // A run that silently skipped a table would not be a fair comparison.
    const missing = dataset.tables.filter((t) => !names.some((n) => n.startsWith(`${MAIN_DATABASE}.${t.name}.`) && n.endsWith('.sql.gz')));
    if (missing.length > 0) throw new Error(`mydumper wrote no data file for ${missing.map((t) => t.name).join(', ')} (files: ${names.join(' ')})`);
    let rawBytes: number | null = null;
    if (countRaw) {
      const gz = names.filter((n) => n.endsWith('.gz')).map((n) => shellQuote(path.join(outDir, n)));
      rawBytes = Number((await measurePipeline(`gzip -dc ${gz.join(' ')} | wc -c`)).stdout.trim());
    }
    return {
      wallSeconds: m.wallSeconds,
      cpuSeconds: m.cpuSeconds,
      storedBytes: bytes,
      cpuByProgram: programCpu(m),
      rawBytes,
      files: names.length,
      processCount: new Map(m.processes.map((p) => [p.name, p.count])),
      rssBytes: null,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** (b) and (c): one `warden backup --json`, the backup deleted afterwards. */
async function runWarden(ctx: BenchContext, config: WardenConfig, method: string): Promise<Sample> {
  const { measurement: m, summary } = await runWardenBackup(ctx, config);
  if (summary.method !== method) throw new Error(`warden ran method ${summary.method}, not ${method}`);
  return {
    wallSeconds: m.wallSeconds,
    cpuSeconds: m.cpuSeconds,
    storedBytes: summary.bytes,
    cpuByProgram: programCpu(m).set('node', m.node.cpuSeconds),
    rawBytes: summary.rawBytes,
    files: summary.files.length,
    processCount: new Map(m.processes.map((p) => [p.name, p.count])),
    rssBytes: m.node.peakRssBytes,
  };
}

function targetsTable(sum: Record<Variant, Summary>): Table {
  const vs = sum.perTable.wall.median / sum.mydumper.wall.median;
  return {
    headers: ['target', 'measured', 'limit', 'verdict'],
    rows: [['warden per-table median vs (a) mydumper', fmt.ratio(vs), `≤ ${fmt.ratio(TARGET_VS_MYDUMPER)}`, fmt.verdict(vs <= TARGET_VS_MYDUMPER)]],
  };
}

/** "4 mariadb-dump, 7 zstd": the child processes a variant ran (median counts), the node process itself left out. */
function processes(samples: Sample[]): string {
  const names = [...new Set(samples.flatMap((s) => [...s.processCount.keys()]))].filter((n) => n !== 'node');
  return names.map((n) => `${median(samples.map((s) => s.processCount.get(n) ?? 0))} ${n}`).join(', ');
}

export const section: Section = {
  name: 'pertable',
  title: 'Per-table backups: warden parallel vs mydumper',
  async run(ctx) {
    const mydumper = which('mydumper');
    if (!mydumper) throw new Error('mydumper is not on PATH');
    const { server, dataset } = await ctx.main();
    const common = { parallel: THREADS, consistent: true, compression: 'zstd', verifyAfterBackup: 'none' };
    const configs: Record<'perTable' | 'single', WardenConfig> = {
      perTable: await writeWardenConfig(ctx, server, MAIN_DATABASE, { name: 'bench-pertable', method: 'per-table', ...common }),
      single: await writeWardenConfig(ctx, server, MAIN_DATABASE, { name: 'bench-single', method: 'single-stream', ...common }),
    };
    const outDir = path.join(ctx.tmpDir, 'mydumper');
    const serverCpuNow = await serverCpu(server);

    const results = await alternate(VARIANTS, ctx.runs, async (v, round) => {
      ctx.log(`round ${round + 1}/${ctx.runs}: ${LABEL[v]}`);
      const before = serverCpuNow();
      let s: Sample;
      switch (v) {
        case 'mydumper':
          s = await runMydumper(mydumper, server, dataset, outDir, round === 0);
          break;
        case 'perTable':
          s = await runWarden(ctx, configs.perTable, 'per-table');
          break;
        case 'single':
          s = await runWarden(ctx, configs.single, 'single-stream');
          break;
      }
      const after = serverCpuNow();
      // Includes mydumper's raw-size count (gzip -dc, client side only) in its first round: none of the server's work.
      if (before !== null && after !== null) s.cpuByProgram.set(SERVER, after - before);
      return s;
    });

    const samples = Object.fromEntries(results) as Record<Variant, Sample[]>;
    const sum = Object.fromEntries(VARIANTS.map((v) => [v, summarize(samples[v])])) as Record<Variant, Summary>;
    const timing = timingTable(VARIANTS, LABEL, sum, {
      ratios: [
        ['mydumper', '× (a)'],
        ['single', '× (c)'],
      ],
      size: ['mydumper', 'size × (a)'],
    });
    const targets = targetsTable(sum);
    const cpu = cpuTable(VARIANTS, LABEL, sum);
    const raw = (v: Variant) => median(samples[v].map((s) => s.rawBytes).filter((b): b is number => b !== null));
    const files = (v: Variant) => median(samples[v].map((s) => s.files));
    const rss = (v: Variant) => stats(samples[v].map((s) => s.rssBytes!)).max;
    const version = await firstLine(mydumper);
    const ratios = [
      `(b)/(a) ${fmt.ratio(sum.perTable.wall.median / sum.mydumper.wall.median)}`,
      `(c)/(a) ${fmt.ratio(sum.single.wall.median / sum.mydumper.wall.median)}`,
      `(b)/(c) ${fmt.ratio(sum.perTable.wall.median / sum.single.wall.median)}`,
    ].join(', ');
    const hasServer = VARIANTS.some((v) => sum[v].cpuByProgram.has(SERVER));

    const notes = [
      `- Median wall-time ratios: ${ratios}.`,
      `- SQL written before compression: (a) ${fmt.mb(raw('mydumper'))} in ${files('mydumper')} files ` +
        `(gzip, zlib's default level 6), (b) ${fmt.mb(raw('perTable'))} in ${files('perTable')} files, (c) ${fmt.mb(raw('single'))} in ${files('single')} file (zstd -3).`,
      `- Processes per run, as the 100 ms sampler saw them (the agent's \`mariadb-dump --version\` probe only when caught): ` +
        `(a) ${processes(samples.mydumper)}; (b) ${processes(samples.perTable)}; (c) ${processes(samples.single)}.`,
      `- Agent peak RSS (highest of the runs): (b) ${fmt.mb(rss('perTable'))}, (c) ${fmt.mb(rss('single'))}.`,
    ];

    const markdown = [
      await ctx.environment(),
      `- mydumper: \`${version}\` (Debian's package; 0.10 compresses with zlib, i.e. gzip, only)`,
      '',
      describeDataset(dataset),
      '',
      `### Wall time and stored size (${fmt.count(ctx.runs, 'run')} of each, order abc, cba, abc, …)`,
      '',
      markdownTable(timing),
      '',
      ...notes,
      '',
      ...targetsAndCpuMarkdown(targets, cpu),
      '',
      'CPU total is exact (the children CPU time the kernel accounts once the tree is reaped); the per-program',
      "columns are sampled from /proc every 100 ms (they miss at most each process's last 100 ms), except",
      "`node` for (b) and (c), which is the agent's own `process.cpuUsage()` at exit. mydumper compresses in its",
      'own threads, so its column holds the dump and the gzip work together.' +
        (hasServer
          ? ` \`${SERVER}\` is the throwaway mariadbd's CPU time over the run, read from /proc/PID/stat: not part of CPU total, and it includes` +
            " whatever the server did in the background meanwhile. (a)'s first round also counts its raw SQL (`gzip -dc | wc -c`) after the timed run; the server is idle then."
          : ''),
      'MB = 10^6 bytes.',
      '',
      '### Commands',
      '',
      `- (a) \`mydumper ${mydumperArgs(server, 'DIR').join(' ').replace(String(server.port), 'PORT')}\`: ` +
        `${THREADS} threads, each table to its own gzip file, and its default consistent snapshot (FLUSH TABLES WITH READ LOCK, ` +
        'START TRANSACTION WITH CONSISTENT SNAPSHOT in every thread, the lock released once the non-InnoDB tables are dumped); DIR is removed after each run, its total size is "stored".',
      `- (b) \`node backend/bin/warden.js backup --config C --target bench-pertable --json\` with \`method: per-table, parallel: ${THREADS}, consistent: true, compression: zstd, verifyAfterBackup: none\`: ` +
        'a schema dump, then the tables split into 2 size-balanced groups, each dumped by its own mariadb-dump (`--single-transaction --no-create-info --extended-insert --force`, ' +
        'started one after the other under one FLUSH TABLES WITH READ LOCK held until each has opened its snapshot), split per table into zstd files, then a trigger dump; the backup is deleted after each run.',
      '- (c) the same config with `method: single-stream`: one mariadb-dump of the whole database into one zstd file.',
      '- Warden runs include node\'s start-up.',
    ].join('\n');

    const lines = [
      ...consoleSummary(`${fmt.mb(dataset.rawDumpBytes)} raw SQL (${dataset.tables.map((t) => `${t.name} ${t.rows}`).join(', ')} rows)`, ctx.runs, [timing, targets], cpu),
      '',
      ...notes,
    ];
    return { markdown, lines };
  },
};
