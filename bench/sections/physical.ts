// Issue "Physical backups": `warden backup` of a `method: physical` target against mariadb-backup's
// stream piped to zstd by hand and against the logical backup of the same data; then restoring
// each: the physical one into a datadir a mariadbd starts on, the logical one into a new database.
// Side by side on the bench's server (the agent runs on its host and reads its datadir), alternating.
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { makeScratchDir, startThrowawayServer } from '../../backend/src/mysql/throwawayServer.js';
import type { TestServer } from '../../test/harness/mariadb.js';
import { consoleSummary, cpuTable, programCpu, type Sample, summarize, type Summary, targetsAndCpuMarkdown, timingTable } from '../compare.js';
import { type BenchContext, describeDataset, firstLine, MAIN_DATABASE, type Section, tcpArgs } from '../context.js';
import { alternate, measureNode, measurePipeline, type NodeMeasurement, shellQuote } from '../measure.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';
import { runWardenBackup, type WardenConfig, wardenCli, writeWardenConfig } from '../warden.js';

const BACKUPS = ['byHand', 'physical', 'logical'] as const;
const RESTORES = ['restorePhysical', 'restoreLogical'] as const;
const VARIANTS = [...BACKUPS, ...RESTORES] as const;
type Variant = (typeof VARIANTS)[number];

const LABEL: Record<Variant, string> = {
  byHand: '(a) mariadb-backup --stream=mbstream | zstd',
  physical: '(b) warden backup, physical',
  logical: '(c) warden backup, single-stream',
  restorePhysical: '(d) warden restore --datadir, then mariadbd up',
  restoreLogical: '(e) warden restore --database',
};

/** (b) at most 1.15× (a); (e) at least this many times (d). */
const TARGETS = { vsByHand: 1.15, restoreSpeedup: 3 };
const RESTORED = 'bench_restored';
const BACKUP_TOOL = 'mariadb-backup';

/** `warden restore --json`'s fields read here. */
interface RestoreOutput {
  ok: boolean;
  error: unknown;
  /** physical: the InnoDB options the restored datadir must be started with */
  serverOptions?: string[];
}

/** A sample of one measured `warden` command (its node's CPU is exact). */
function wardenSample(m: NodeMeasurement, storedBytes: number | null, extraSeconds = 0): Sample {
  return { wallSeconds: m.wallSeconds + extraSeconds, cpuSeconds: m.cpuSeconds, storedBytes, cpuByProgram: programCpu(m).set('node', m.node.cpuSeconds) };
}

async function wardenRestore(ctx: BenchContext, config: WardenConfig, args: string[]) {
  const m = await measureNode([wardenCli(ctx.repoRoot), 'restore', ...args, '--config', config.file, '--json'], { cwd: ctx.repoRoot });
  const out = JSON.parse(m.stdout) as RestoreOutput;
  if (!out.ok) throw new Error(`warden restore ${args.join(' ')} failed: ${JSON.stringify(out.error)}`);
  return { m, out };
}

/** (d): the datadir restored, then a mariadbd started on it until it accepts connections; removed after. */
async function restorePhysical(ctx: BenchContext, config: WardenConfig, backupDir: string): Promise<Sample> {
  const baseDir = await makeScratchDir();
  let stop = () => rm(baseDir, { recursive: true, force: true });
  try {
    const { m, out } = await wardenRestore(ctx, config, [backupDir, '--datadir', path.join(baseDir, 'data')]);
    const started = performance.now();
    // The readiness check logs in as a passwordless root over the socket, which the restored grants need not allow.
    const server = await startThrowawayServer({ baseDir, serverArgs: [...(out.serverOptions ?? []), '--skip-grant-tables'] });
    stop = server.stop;
    return wardenSample(m, null, (performance.now() - started) / 1000);
  } finally {
    await stop();
  }
}

/** (e): the dump loaded into a new database, dropped after. */
async function restoreLogical(ctx: BenchContext, server: TestServer, config: WardenConfig, backupDir: string): Promise<Sample> {
  try {
    const { m } = await wardenRestore(ctx, config, [backupDir, '--target', config.target, '--database', RESTORED]);
    return wardenSample(m, null);
  } finally {
    await server.query(`DROP DATABASE IF EXISTS \`${RESTORED}\``);
  }
}

async function backupSample(ctx: BenchContext, config: WardenConfig): Promise<Sample> {
  const { measurement: m, summary } = await runWardenBackup(ctx, config);
  return wardenSample(m, summary.bytes);
}

/** (a): what (b) runs, without hashing, row counts or a manifest. */
function byHandScript(server: TestServer, scratch: string, file: string): string {
  const tool = [BACKUP_TOOL, ...tcpArgs(server), '--backup', '--stream=mbstream', `--target-dir=${scratch}`].map(shellQuote).join(' ');
  return `${tool} | zstd -q -T0 > ${shellQuote(file)}`;
}

async function byHand(server: TestServer, scratch: string, file: string): Promise<Sample> {
  const m = await measurePipeline(byHandScript(server, scratch, file));
  const storedBytes = (await stat(file)).size;
  await rm(file, { force: true });
  return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, storedBytes, cpuByProgram: programCpu(m) };
}

function targetsTable(sum: Record<Variant, Summary>): Table {
  const vsByHand = sum.physical.wall.median / sum.byHand.wall.median;
  const speedup = sum.restoreLogical.wall.median / sum.restorePhysical.wall.median;
  const vsLogical = sum.physical.wall.median / sum.logical.wall.median;
  const checks: [string, string, string, boolean | null][] = [
    ['(b) physical backup vs (a) by hand', fmt.ratio(vsByHand), `≤ ${fmt.ratio(TARGETS.vsByHand)}`, vsByHand <= TARGETS.vsByHand],
    ['(b) physical backup vs (c) logical', fmt.ratio(vsLogical), '(for scale)', null],
    ['(e) logical restore / (d) physical restore', fmt.ratio(speedup), `≥ ${fmt.ratio(TARGETS.restoreSpeedup)}`, speedup >= TARGETS.restoreSpeedup],
  ];
  return { headers: ['target', 'measured', 'limit', 'verdict'], rows: checks.map(([what, got, limit, ok]) => [what, got, limit, ok === null ? '—' : fmt.verdict(ok)]) };
}

export const section: Section = {
  name: 'physical',
  title: 'Physical backups: warden vs mariadb-backup by hand, and vs logical backup and restore',
  async run(ctx) {
    const { server, dataset } = await ctx.main();
    const physical = await writeWardenConfig(ctx, server, MAIN_DATABASE, { name: 'bench-physical', method: 'physical' });
    const logical = await writeWardenConfig(ctx, server, MAIN_DATABASE);
    ctx.log('the backups that are restored');
    const keep = async (config: WardenConfig) => (await runWardenBackup(ctx, config, ctx.repoRoot, true)).summary.dir;
    const kept = { physical: await keep(physical), logical: await keep(logical) };
    const scratch = path.join(ctx.tmpDir, 'by-hand');
    // Backups and restores alternate apart, and each run starts after the writes of the one before
    // reached the disk: a restore's copy would otherwise slow the backup that follows it.
    const runOne = async (v: Variant, round: number): Promise<Sample> => {
      await measurePipeline('sync');
      ctx.log(`round ${round + 1}/${ctx.runs}: ${LABEL[v]}`);
      switch (v) {
        case 'byHand':
          await rm(scratch, { recursive: true, force: true });
          return byHand(server, scratch, path.join(ctx.tmpDir, 'byhand.mbstream.zst'));
        case 'physical':
          return backupSample(ctx, physical);
        case 'logical':
          return backupSample(ctx, logical);
        case 'restorePhysical':
          return restorePhysical(ctx, physical, kept.physical);
        case 'restoreLogical':
          return restoreLogical(ctx, server, logical, kept.logical);
      }
    };
    const results = new Map([...(await alternate(BACKUPS, ctx.runs, runOne)), ...(await alternate(RESTORES, ctx.runs, runOne))]);
    const sum = Object.fromEntries(VARIANTS.map((v) => [v, summarize(results.get(v)!)])) as Record<Variant, Summary>;
    const backups = timingTable(BACKUPS, LABEL, sum, { ratios: [['byHand', '× (a)'], ['logical', '× (c)']], size: ['byHand', 'size × (a)'] });
    const restores = timingTable(RESTORES, LABEL, sum, { ratios: [['restorePhysical', '× (d)']] });
    const targets = targetsTable(sum);
    const cpu = cpuTable(VARIANTS, LABEL, sum);
    const tool = await firstLine(BACKUP_TOOL);

    const markdown = [
      await ctx.environment(),
      `- Physical backup tool: \`${tool}\``,
      '',
      describeDataset(dataset),
      '',
      `### Backups (${fmt.count(ctx.runs, 'run')} of each, order abc, cba, abc, …; then the restores, de, ed, …; \`sync\` before each run, not timed)`,
      '',
      markdownTable(backups),
      '',
      '### Restores',
      '',
      markdownTable(restores),
      '',
      ...targetsAndCpuMarkdown(targets, cpu),
      '',
      "CPU total is the children's CPU time (the node process's own at exit for `node`); for (d) it leaves out",
      "the mariadbd started on the restored datadir, whose start-up counts in (d)'s wall time only. MB = 10^6 bytes.",
      '',
      '### Commands',
      '',
      `- (a) \`${byHandScript(server, 'T', 'f').replace(/--port=\d+/, '--port=PORT')}\` (T a fresh scratch folder each run)`,
      `- (b) \`warden backup --target ${physical.target} --json\`, \`method: physical\`, zstd level 3, \`verifyAfterBackup: none\`: the whole server's files ` +
        '(one stream, hashed, compressed, published) plus the row counts from information_schema; node\'s start-up included',
      `- (c) \`warden backup --target ${logical.target} --json\`: the single-stream dump of \`${MAIN_DATABASE}\`, zstd level 3`,
      '- (d) `warden restore <physical backup> --datadir DIR --json` (unpack, checksum, `--prepare`, `--copy-back`), then a throwaway ' +
        "`mariadbd` started on DIR with the backup's InnoDB options until it accepts a connection on its socket; the wall time is the sum",
      `- (e) \`warden restore <logical backup> --target ${logical.target} --database ${RESTORED} --json\`, then \`DROP DATABASE\` (not timed)`,
    ].join('\n');

    const lines = consoleSummary(`${fmt.mb(dataset.rawDumpBytes)} raw SQL`, ctx.runs, [backups, restores, targets], cpu);
    return { markdown, lines };
  },
};
