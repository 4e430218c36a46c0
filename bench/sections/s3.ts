// Issue "Repository on S3": `warden backup` into a bucket of S3-compatible object storage (Ceph's
// gateway, started as the tests start it: test/harness/objectStore.ts) against the same backup into
// a local folder, side by side and alternating; then the agent's peak memory when the data doubles.
// The gateway runs on the same host: its CPU counts against the S3 variant, as a local MinIO's would.
import { startObjectStore } from '../../test/harness/objectStore.js';
import { S3Storage } from '../../backend/src/storage/s3.js';
import type { TestServer } from '../../test/harness/mariadb.js';
import { consoleSummary, cpuTable, programCpu, type Sample, summarize, type Summary, targetsAndCpuMarkdown, timingTable } from '../compare.js';
import { type BenchContext, describeDataset, MAIN_DATABASE, type Section } from '../context.js';
import { alternate, measureNode, stats } from '../measure.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';
import { runWardenBackup, type WardenConfig, type WardenSummary, wardenCli, writeWardenConfig } from '../warden.js';

const VARIANTS = ['local', 's3'] as const;
type Variant = (typeof VARIANTS)[number];

const LABEL: Record<Variant, string> = {
  local: '(a) warden backup, repository in a local folder',
  s3: '(b) warden backup, repository s3://bucket/prefix',
};

/** (b) at most this many times (a); peak RSS at twice the data at most this many times once. */
const TARGETS = { vsLocal: 1.5, rssGrowth: 1.1 };
const DOUBLE_DATABASE = 'bench_s3_2x';

/** One measured backup into the bucket, removed afterwards (the gateway keeps objects in memory). */
async function s3Backup(ctx: BenchContext, config: WardenConfig, storage: S3Storage): Promise<Sample & { rssBytes: number }> {
  const m = await measureNode([wardenCli(ctx.repoRoot), 'backup', '--config', config.file, '--target', config.target, '--json'], { cwd: ctx.repoRoot });
  const out = JSON.parse(m.stdout) as WardenSummary;
  if (!out.ok) throw new Error(`warden backup to S3 failed: [${out.error?.class}] ${out.error?.message}`);
  await storage.removeFolder(out.dir);
  return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, storedBytes: out.bytes, cpuByProgram: programCpu(m).set('node', m.node.cpuSeconds), rssBytes: m.node.peakRssBytes };
}

async function localBackup(ctx: BenchContext, config: WardenConfig): Promise<Sample & { rssBytes: number }> {
  const { measurement: m, summary } = await runWardenBackup(ctx, config);
  return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, storedBytes: summary.bytes, cpuByProgram: programCpu(m).set('node', m.node.cpuSeconds), rssBytes: m.node.peakRssBytes };
}

function targetsTable(sum: Record<Variant, Summary>, rss: number, doubleRss: number, runs: number): Table {
  const vsLocal = sum.s3.wall.median / sum.local.wall.median;
  const growth = doubleRss / rss;
  const checks: [string, string, string, boolean][] = [
    ['(b) S3 vs (a) local, median wall time', fmt.ratio(vsLocal), `≤ ${fmt.ratio(TARGETS.vsLocal)}`, vsLocal <= TARGETS.vsLocal],
    [`(b) peak RSS at 2× data (median of ${runs}: ${fmt.mb(doubleRss)}) vs 1× (${fmt.mb(rss)})`, fmt.ratio(growth), `≤ ${fmt.ratio(TARGETS.rssGrowth)}`, growth <= TARGETS.rssGrowth],
  ];
  return { headers: ['target', 'measured', 'limit', 'verdict'], rows: checks.map(([what, got, limit, ok]) => [what, got, limit, fmt.verdict(ok)]) };
}

function rssTable(rows: [string, number[]][]): Table {
  return { headers: ['variant', 'peak RSS median', 'min–max'], rows: rows.map(([what, v]) => [what, fmt.mb(stats(v).median), `${fmt.mb(stats(v).min)}–${fmt.mb(stats(v).max)}`]) };
}

async function s3Config(ctx: BenchContext, server: TestServer, database: string, bucket: string, settings: unknown): Promise<WardenConfig> {
  return writeWardenConfig(ctx, server, database, { name: `${database.replace(/_/g, '-')}-s3` }, { repository: `s3://${bucket}/warden`, s3: settings });
}

export const section: Section = {
  name: 's3',
  title: 'Repository on S3: backup into a bucket vs into a local folder, and memory as the data doubles',
  async run(ctx) {
    const { server, dataset } = await ctx.main();
    ctx.log('starting the object store (Ceph radosgw)');
    const store = await startObjectStore();
    Object.assign(process.env, store.env);
    try {
      const storage = new S3Storage(store.settings);
      const bucket = await store.createBucket();
      const configs = { local: await writeWardenConfig(ctx, server, MAIN_DATABASE), s3: await s3Config(ctx, server, MAIN_DATABASE, bucket, store.settings) };
      const results = await alternate(VARIANTS, ctx.runs, async (v: Variant, round: number) => {
        ctx.log(`round ${round + 1}/${ctx.runs}: ${LABEL[v]}`);
        return v === 's3' ? s3Backup(ctx, configs.s3, storage) : localBackup(ctx, configs.local);
      });
      const sum = Object.fromEntries(VARIANTS.map((v) => [v, summarize(results.get(v)!)])) as Record<Variant, Summary>;
      const rss = Object.fromEntries(VARIANTS.map((v) => [v, results.get(v)!.map((s) => s.rssBytes)])) as Record<Variant, number[]>;

      const double = await ctx.extra(DOUBLE_DATABASE, ctx.sizeMb * 2);
      const doubleRuns: number[] = [];
      let doubleStored = 0;
      try {
        const config = await s3Config(ctx, server, DOUBLE_DATABASE, bucket, store.settings);
        for (let i = 0; i < Math.min(ctx.runs, 2); i++) {
          ctx.log(`2x data: warden backup to S3 ${i + 1}`);
          const s = await s3Backup(ctx, config, storage);
          doubleRuns.push(s.rssBytes);
          doubleStored = s.storedBytes!;
        }
      } finally {
        await double.drop();
      }

      const timing = timingTable(VARIANTS, LABEL, sum, { ratios: [['local', '× (a)']], size: ['local', 'size × (a)'] });
      const memory = rssTable([
        [LABEL.local, rss.local],
        [LABEL.s3, rss.s3],
        [`(b) at 2× data (${fmt.mb(double.dataset.rawDumpBytes)} raw, ${fmt.mb(doubleStored)} stored)`, doubleRuns],
      ]);
      const targets = targetsTable(sum, stats(rss.s3).median, stats(doubleRuns).median, doubleRuns.length);
      const cpu = cpuTable(VARIANTS, LABEL, sum);
      const markdown = [
        await ctx.environment(),
        '- Object storage: Ceph RADOS Gateway 16 (Debian `radosgw`), one monitor and one in-memory OSD on this host, path-style, `checksums: false`',
        '',
        describeDataset(dataset),
        '',
        `### Wall time and stored size (${fmt.count(ctx.runs, 'run')} of each, order ab, ba, ab, …)`,
        '',
        markdownTable(timing),
        '',
        '### Agent peak memory (VmHWM of the node process)',
        '',
        markdownTable(memory),
        '',
        ...targetsAndCpuMarkdown(targets, cpu),
        '',
        "CPU total is the children's CPU time (the node process's own at exit for `node`); the gateway's CPU is not in it. MB = 10^6 bytes.",
        '',
        '### Commands',
        '',
        `- (a) \`warden backup --target ${configs.local.target} --json\`: single-stream, zstd level 3, \`verifyAfterBackup: none\`, repository a local folder (zstd writes the file itself)`,
        `- (b) \`warden backup --target ${configs.s3.target} --json\`: the same into \`s3://BUCKET/warden\`: zstd's output through the agent into a multipart upload (8 MiB parts, 4 in flight); the run's objects deleted after each run, not timed`,
      ].join('\n');
      const lines = consoleSummary(`${fmt.mb(dataset.rawDumpBytes)} raw SQL`, ctx.runs, [timing, memory, targets], cpu);
      return { markdown, lines };
    } finally {
      await store.cleanup();
    }
  },
};
