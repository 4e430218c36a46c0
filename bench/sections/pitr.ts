// Issue "Point-in-time recovery": how fast `warden restore --to` replays the binlog archive,
// against `mariadb-binlog … | mariadb` by hand on the same files; how far `warden binlog` lags
// behind a server written at a steady rate; and whether its memory stays flat while it archives.
// On a throwaway server of its own that writes a row-based binary log.
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { startMariaDB, type TestServer } from '../../test/harness/mariadb.js';
import { ArchiveWatch, SAMPLE_MS, type WatchSample } from '../archiveWatch.js';
import { BULK_ROUND, type BulkResult, bulkWrites, createLedger, LEDGER, steadyWrites } from '../binlogLoad.js';
import { type BenchContext, type Section, serverTuning, tcpArgs } from '../context.js';
import { alternate, measureNode, measurePipeline, type Measurement, quantile, shellQuote, spawnTracked, stats, which } from '../measure.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';
import { describeCheckout, wardenCli, type WardenConfig, writeWardenConfig } from '../warden.js';

const TARGETS = { replayVsPipe: 1.1, lagMedianSeconds: 2, rssGrowth: 1.1 };
const STEADY = { rowsPerSecond: 300, seconds: 60 };
/**
 * The bulk writes come in two halves, each followed by the steady load again for this long: the
 * archiver's memory under the same work with half and with all of the bulk archived.
 */
const STEADY_AFTER_SECONDS = 15;
/** Rows in the table when the full backup is taken: the load it starts from stays small. */
const BASE_ROWS = 20_000;
const MAX_BINLOG_MB = 64;
const WAIT_MS = 120_000;
/** (a) this checkout's restore to T, (a') another checkout's (with `--against`), (b)+(c) the load and the pipe. */
type Variant = 'warden' | 'against' | 'pipe';
const DB: Record<Variant, string> = { warden: 'ledger_pitr', against: 'ledger_against', pipe: 'ledger_pipe' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | null | false>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** CHECKSUM TABLE … EXTENDED and the row count of the ledger's table in `db`. */
async function fingerprint(server: TestServer, db: string): Promise<string> {
  const [c] = await server.query<{ Checksum: string }>(`CHECKSUM TABLE \`${db}\`.moves EXTENDED`);
  const [n] = await server.query<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${db}\`.moves`);
  return `${n!.n} rows, checksum ${c!.Checksum}`;
}

interface PlanFile {
  name: string;
  from: number | null;
  to: number | null;
  source: 'archived' | 'current';
}

interface Archiver {
  watch: ArchiveWatch;
  stop(): Promise<void>;
}

/** `warden binlog` in the background, watched from the moment its index names a current file. */
async function startArchiver(ctx: BenchContext, server: TestServer, config: WardenConfig, dir: string): Promise<Archiver> {
  const { child, stderr } = spawnTracked(process.execPath, [wardenCli(ctx.repoRoot), 'binlog', '--config', config.file, '--target', config.target], { cwd: ctx.repoRoot });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await until('warden binlog to write its index', async () => {
    if (child.exitCode !== null) throw new Error(`warden binlog exited (${child.exitCode}): ${stderr().slice(-2000)}`);
    return readFile(path.join(dir, 'index.json'), 'utf8').then((t) => (JSON.parse(t) as { current: unknown }).current !== null, () => false);
  });
  const watch = new ArchiveWatch(server, dir, child.pid!);
  return {
    watch,
    async stop() {
      await watch.stop();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** After the last write: a second with no event in it, flushed so that every file is archived. */
async function quietPoint(server: TestServer, dir: string): Promise<Date> {
  const next = Math.floor(Date.now() / 1000) + 1;
  await sleep(next * 1000 - Date.now() + 1100);
  const point = new Date(next * 1000);
  await server.query('FLUSH BINARY LOGS');
  const logs = (await server.query<{ Log_name: string }>('SHOW BINARY LOGS')).map((l) => l.Log_name);
  await until('the archive to hold every finished file', async () => {
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as { files: { name: string }[]; current: { caughtUpAt: string | null } | null };
    const caughtUp = index.current?.caughtUpAt ? Date.parse(index.current.caughtUpAt) > point.getTime() : false;
    return caughtUp && logs.slice(0, -1).every((l) => index.files.some((f) => f.name === l));
  });
  return point;
}

/** The plan's files decompressed into `rawDir`, for the hand-made replay; throws unless all are archived. */
async function rawCopies(files: PlanFile[], dir: string, rawDir: string): Promise<string[]> {
  await mkdir(rawDir);
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as { files: { name: string; object: string }[] };
  const out: string[] = [];
  for (const f of files) {
    const archived = index.files.find((a) => a.name === f.name);
    if (f.source !== 'archived' || !archived) throw new Error(`${f.name} is not archived`);
    const raw = path.join(rawDir, f.name);
    await measurePipeline(`zstd -dcq ${shellQuote(path.join(dir, archived.object))} > ${shellQuote(raw)}`);
    out.push(raw);
  }
  return out;
}

type NodeRun = Measurement & { nodeCpu: number };

/** A load and when it began and ended, in ms on the watch's clock. */
interface Timed<T> {
  from: number;
  to: number;
  result: T;
}

interface Round {
  /** `warden restore --to` */
  pitr: NodeRun;
  /** the same, by the `--against` checkout */
  against?: NodeRun;
  /** `warden restore <id>` into the pipe's database, before the pipe */
  load: NodeRun;
  pipe: Measurement;
}

const cpuOf = (m: Measurement, program: string) => m.processes.find((p) => p.name === program)?.cpuSeconds ?? 0;
const mbps = (bytes: number, seconds: number) => `${(bytes / 1e6 / seconds).toFixed(1)} MB/s`;
const rssLine = (values: number[]) => {
  const s = stats(values);
  return [fmt.mb(values[0]!), fmt.mb(s.median), fmt.mb(s.max)];
};

export const section: Section = {
  name: 'pitr',
  title: 'Point-in-time recovery: binlog replay vs mariadb-binlog | mariadb, archive lag, archiver memory',
  async run(ctx) {
    const client = which('mariadb');
    const binlogTool = which('mariadb-binlog');
    if (!client || !binlogTool) throw new Error('the mariadb client and mariadb-binlog are needed');
    const tuning = [...serverTuning(ctx.sizeMb), `--max-binlog-size=${MAX_BINLOG_MB}M`];
    ctx.log('starting a throwaway mariadbd with its binary log on');
    const server = await startMariaDB({ binlog: true, extraArgs: tuning });
    try {
      return await measureAll(ctx, server, { client, binlogTool, tuning });
    } finally {
      await server.cleanup();
    }
  },
};

async function measureAll(ctx: BenchContext, server: TestServer, tools: { client: string; binlogTool: string; tuning: string[] }) {
  const cli = wardenCli(ctx.repoRoot);
  await createLedger(server, BASE_ROWS);
  const config = await writeWardenConfig(ctx, server, LEDGER, { binlog: { archive: true, flushSeconds: 1 } });
  const dir = path.join(ctx.tmpDir, 'repository', config.target, 'binlog');
  const archiver = await startArchiver(ctx, server, config, dir);
  const { watch } = archiver;

  ctx.log('the full backup the replays start from');
  const backup = await measureNode([cli, 'backup', '--config', config.file, '--target', config.target, '--json'], { cwd: ctx.repoRoot });
  const manifest = JSON.parse(await readFile(path.join((JSON.parse(backup.stdout) as { dir: string }).dir, 'manifest.json'), 'utf8')) as {
    id: string;
    binlog: { file: string; position: number };
  };

  /** Runs one load, noting when it began and ended on the watch's clock. */
  const phase = async <T>(what: string, load: () => Promise<T>): Promise<Timed<T>> => {
    ctx.log(what);
    const from = watch.now();
    const result = await load();
    return { from, to: watch.now(), result };
  };
  const steady = await phase(`steady writes: ${STEADY.rowsPerSecond} rows/s for ${STEADY.seconds} s`, () => steadyWrites(server, STEADY.rowsPerSecond, STEADY.seconds));
  const halves: { bulk: Timed<BulkResult>; after: Timed<unknown> }[] = [];
  for (const half of [1, 2]) {
    const bulk = await phase(`bulk writes, half ${half}: ${ctx.sizeMb / 2} MB of binary log`, () => bulkWrites(server, (ctx.sizeMb / 2) * 1e6, ctx.log));
    const after = await phase(`steady writes again for ${STEADY_AFTER_SECONDS} s`, () => steadyWrites(server, STEADY.rowsPerSecond, STEADY_AFTER_SECONDS));
    halves.push({ bulk, after });
  }
  const bulkTotal = (f: (b: BulkResult) => number) => halves.reduce((n, h) => n + f(h.bulk.result), 0);
  const point = await quietPoint(server, dir);
  await archiver.stop();
  const source = await fingerprint(server, LEDGER);

  const restoreArgs = ['--config', config.file, '--target', config.target, '--json'];
  const dry = JSON.parse((await measureNode([cli, 'restore', ...restoreArgs, '--to', point.toISOString(), '--database', DB.warden, '--dry-run'])).stdout) as {
    plan: { files: PlanFile[] };
  };
  const files = dry.plan.files;
  if (files[0]?.from !== manifest.binlog.position || files.slice(1).some((f) => f.from !== null) || files.slice(0, -1).some((f) => f.to !== null)) {
    throw new Error(`unexpected plan: ${JSON.stringify(files)}`);
  }
  const raw = await rawCopies(files, dir, path.join(ctx.tmpDir, 'raw'));
  const rawBytes = Number((await measurePipeline(`cat ${raw.map(shellQuote).join(' ')} | wc -c`)).stdout.trim());
  const stop = files.at(-1)!.to;
  const replay = [
    tools.binlogTool,
    `--start-position=${manifest.binlog.position}`,
    ...(stop !== null ? [`--stop-position=${stop}`] : []),
    `--rewrite-db=${LEDGER}->${DB.pipe}`,
    `--database=${LEDGER}`,
    ...raw,
  ];
  // Not logged again, as warden's replay does (replayPrelude), so the server does the same work.
  const pipeScript = `{ echo 'SET SESSION sql_log_bin = 0;'; ${replay.map(shellQuote).join(' ')}; } | ${[tools.client, ...tcpArgs(server)].map(shellQuote).join(' ')}`;

  const fingerprints: string[] = [];
  let transactions = 0;
  /** The database's rows, then the database dropped: untimed. */
  const settle = async (db: string) => {
    fingerprints.push(await fingerprint(server, db));
    await server.query(`DROP DATABASE \`${db}\``);
  };
  const toPoint = async (root: string, db: string): Promise<NodeRun> => {
    const m = await measureNode([wardenCli(root), 'restore', ...restoreArgs, '--to', point.toISOString(), '--database', db], { cwd: root });
    const out = JSON.parse(m.stdout) as { ok: boolean; error: unknown; replayed: { transactions: number } };
    if (!out.ok) throw new Error(`warden restore --to failed: ${JSON.stringify(out.error)}`);
    transactions = out.replayed.transactions;
    await settle(db);
    return { ...m, nodeCpu: m.node.cpuSeconds };
  };
  const variants: Variant[] = ctx.against ? ['warden', 'against', 'pipe'] : ['warden', 'pipe'];
  const results = await alternate(variants, ctx.runs, async (v, round): Promise<Partial<Round>> => {
    ctx.log(`round ${round + 1}/${ctx.runs}: ${v}`);
    if (v === 'warden') return { pitr: await toPoint(ctx.repoRoot, DB.warden) };
    if (v === 'against') return { against: await toPoint(ctx.against!, DB.against) };
    const load = await measureNode([cli, 'restore', manifest.id, ...restoreArgs, '--database', DB.pipe], { cwd: ctx.repoRoot });
    if (!(JSON.parse(load.stdout) as { ok: boolean }).ok) throw new Error(`warden restore failed: ${load.stdout}`);
    const pipe = await measurePipeline(pipeScript);
    await settle(DB.pipe);
    return { load: { ...load, nodeCpu: load.node.cpuSeconds }, pipe };
  });
  const rounds = results.get('warden')!.map((w, i) => Object.assign({}, w, ...variants.slice(1).map((v) => results.get(v)![i])) as Round);

  // --- 1. replay speed
  const replaySeconds = rounds.map((r) => r.pitr.wallSeconds - r.load.wallSeconds);
  const replay1 = stats(replaySeconds);
  const pipe1 = stats(rounds.map((r) => r.pipe.wallSeconds));
  const pitr1 = stats(rounds.map((r) => r.pitr.wallSeconds));
  const load1 = stats(rounds.map((r) => r.load.wallSeconds));
  const replayRatio = replay1.median / pipe1.median;
  const same = fingerprints.every((f) => f === source);
  const range = (s: ReturnType<typeof stats>) => `${s.min.toFixed(2)}–${s.max.toFixed(2)} s`;
  const med = (f: (r: Round) => number) => stats(rounds.map(f)).median;
  const cpu = (f: (r: Round) => number) => fmt.seconds(med(f));
  const programs = ['node', 'zstd', 'mariadb-binlog', 'mariadb'] as const;
  const cpuCells = (m: (r: Round) => Measurement & { nodeCpu?: number }) =>
    programs.map((p) => cpu((r) => (p === 'node' ? (m(r).nodeCpu ?? 0) : cpuOf(m(r), p))));
  const against = ctx.against ? { commit: await describeCheckout(ctx.against), all: stats(rounds.map((r) => r.against!.wallSeconds)), replay: stats(rounds.map((r) => r.against!.wallSeconds - r.load.wallSeconds)) } : null;
  const replayTable: Table = {
    headers: ['variant', 'median', 'min–max', 'binlog MB/s', 'node CPU', 'zstd CPU', 'mariadb-binlog CPU', 'mariadb CPU'],
    rows: [
      ['(a) warden restore --to T', fmt.seconds(pitr1.median), range(pitr1), '—', ...cpuCells((r) => r.pitr)],
      ...(against ? [[`(a') the same, checkout ${against.commit.split(' ')[0]}`, fmt.seconds(against.all.median), range(against.all), '—', ...cpuCells((r) => r.against!)]] : []),
      ['(b) warden restore <backup> (the load alone)', fmt.seconds(load1.median), range(load1), '—', ...cpuCells((r) => r.load)],
      ["(a) − (b): warden's replay, per round", fmt.seconds(replay1.median), range(replay1), mbps(rawBytes, replay1.median), '', '', '', ''],
      ...(against ? [[`(a') − (b): ${against.commit.split(' ')[0]}'s replay`, fmt.seconds(against.replay.median), range(against.replay), mbps(rawBytes, against.replay.median), '', '', '', '']] : []),
      ['(c) mariadb-binlog … | mariadb', fmt.seconds(pipe1.median), range(pipe1), mbps(rawBytes, pipe1.median), '—', '—', ...cpuCells((r) => r.pipe).slice(2)],
    ],
  };

  // --- 2. archive lag
  const steadyLag = watch.lags(steady.from, steady.to);
  const bulkLags = halves.map((h) => watch.lags(h.bulk.from, h.bulk.to));
  const bulkLag = { indexed: bulkLags.flatMap((l) => l.indexed), streamed: bulkLags.flatMap((l) => l.streamed) };
  const lagRow = (label: string, values: number[]) => [label, values.length ? fmt.seconds(quantile(values, 0.5)) : '—', values.length ? fmt.seconds(quantile(values, 0.95)) : '—', values.length ? fmt.seconds(Math.max(...values)) : '—', String(values.length)];
  const lagTable: Table = {
    headers: ['phase: the archive holds it', 'median', 'p95', 'max', 'positions'],
    rows: [
      lagRow(`steady ${STEADY.rowsPerSecond} rows/s: in the index (flushed, restorable)`, steadyLag.indexed),
      lagRow(`steady ${STEADY.rowsPerSecond} rows/s: streamed into incoming/`, steadyLag.streamed),
      lagRow('bulk writes: in the index (flushed, restorable)', bulkLag.indexed),
      lagRow('bulk writes: streamed into incoming/', bulkLag.streamed),
    ],
  };
  const lagMedian = quantile(steadyLag.indexed, 0.5);

  // --- 3. memory of the archiver and its tool
  const samples = watch.samples.filter((s) => s.archiverRss !== null);
  const within = (from: number, to: number) => samples.filter((s) => s.t >= from && s.t <= to);
  const [before, half, all] = [steady, ...halves.map((h) => h.after)].map((p) => within(p.from, p.to)) as [WatchSample[], WatchSample[], WatchSample[]];
  const rss = (f: (s: (typeof samples)[number]) => number | null) => {
    const medians = [before, half, all].map((list) => stats(list.map((s) => f(s) ?? 0)).median);
    return { cells: [...rssLine(samples.map((s) => f(s) ?? 0)), ...medians.map(fmt.mb)], growth: medians[2]! / medians[1]! };
  };
  const nodeRss = rss((s) => s.archiverRss);
  const toolRss = rss((s) => s.toolRss);
  const growth = Math.max(nodeRss.growth, toolRss.growth);
  const archivedBy = (list: WatchSample[]) => fmt.mb(list.at(-1)!.indexedBytes);
  const rssTable: Table = {
    headers: [
      'process',
      'first',
      'median',
      'max',
      `steady load, before the bulk (${archivedBy(before)} archived)`,
      `after half the bulk (${archivedBy(half)})`,
      `after all of it (${archivedBy(all)})`,
      'all ÷ half',
    ],
    rows: [
      ['warden binlog (node)', ...nodeRss.cells, fmt.ratio(nodeRss.growth)],
      ['mariadb-binlog', ...toolRss.cells, fmt.ratio(toolRss.growth)],
    ],
  };

  const checks: [string, string, string, boolean][] = [
    ["warden's replay vs mariadb-binlog | mariadb (wall)", fmt.ratio(replayRatio), `≤ ${fmt.ratio(TARGETS.replayVsPipe)}`, replayRatio <= TARGETS.replayVsPipe],
    ['both replays end in the same rows as the source at T', same ? 'same' : 'DIFFERENT', 'same', same],
    [`archive lag (index), steady load, median`, fmt.seconds(lagMedian), `≤ ${fmt.seconds(TARGETS.lagMedianSeconds)}`, lagMedian <= TARGETS.lagMedianSeconds],
    ['RSS flat, the larger of the two: steady load after all ÷ after half the bulk', fmt.ratio(growth), `≤ ${fmt.ratio(TARGETS.rssGrowth)}`, growth <= TARGETS.rssGrowth],
  ];
  const targets: Table = { headers: ['target', 'measured', 'limit', 'verdict'], rows: checks.map(([a, b, c, ok]) => [a, b, c, fmt.verdict(ok)]) };

  const [{ v: version }] = (await server.query<{ v: string }>('SELECT VERSION() AS v')) as [{ v: string }];
  const load = [
    `Table \`${LEDGER}.moves\` (BIGINT key, INT, DECIMAL, VARCHAR(8), VARCHAR(200), DATETIME; one secondary index), ${BASE_ROWS} rows at the full backup ` +
      `(at ${manifest.binlog.file}:${manifest.binlog.position}). Then, with \`warden binlog\` (\`flushSeconds: 1\`) running: ${steady.result.rows} rows inserted at ` +
      `${STEADY.rowsPerSecond} rows/s for ${STEADY.seconds} s (${STEADY.rowsPerSecond / 20} rows every 50 ms, ${steady.result.late} statements late); then twice ` +
      `half of the bulk writes, each followed by ${STEADY_AFTER_SECONDS} s of the steady load again: ${bulkTotal((b) => b.rounds)} rounds in all of ${BULK_ROUND.inserted} rows inserted, ` +
      `${BULK_ROUND.updated} of them updated and ${BULK_ROUND.deleted} deleted, ${fmt.mb(bulkTotal((b) => b.binlogBytes))} of binary log in ${fmt.seconds(bulkTotal((b) => b.seconds))}. T is a quiet second after the last write; the replay covers ${files.length} binlog files, ` +
      `${fmt.mb(rawBytes)} from the backup's position, ${transactions} transactions.`,
  ];
  const notes = [
    ...(against ? [`(a') is \`warden restore --to\` of another checkout, ${against.commit}, on the same archive: this checkout's replay took ${fmt.ratio(replay1.median / against.replay.median)} its time.`] : []),
    `Each replay ended in \`${source}\`, as the source table at T (CHECKSUM TABLE … EXTENDED): ${same ? 'all the same' : 'NOT all the same'}.`,
    `Lag: every ${SAMPLE_MS} ms SHOW MASTER STATUS, then the archive's index.json (\`files\`, \`current.bytes\`: what a restore can use) and the size of the ` +
      `file in incoming/ (what the tool has streamed); a position counts from the first sample that saw the server at it, ` +
      `to the first sample at which the archive held it (resolution ${SAMPLE_MS} ms).`,
  ];
  const markdown = [
    (await ctx.environment()).split('\n').filter((l) => !l.startsWith('- Server:')).join('\n'),
    `- Server: MariaDB ${version}, a throwaway mariadbd of this section with its binary log on (ROW, server-id 1), started with \`${tools.tuning.join(' ')}\``,
    '',
    ...load,
    '',
    `### 1. Replay (${fmt.count(ctx.runs, 'run')} of each, alternating, medians)`,
    '',
    markdownTable(replayTable),
    '',
    '### 2. Archive lag',
    '',
    markdownTable(lagTable),
    '',
    `### 3. Memory while archiving (RSS every ${SAMPLE_MS} ms, ${samples.length} samples over the three loads)`,
    '',
    markdownTable(rssTable),
    '',
    '### Targets',
    '',
    markdownTable(targets),
    '',
    ...notes,
    '',
    '### Commands',
    '',
    `- (a) \`warden restore --target ${config.target} --to T --database ${DB.warden} --json\`: the backup loaded, then each archived file read back (zstd -d, both sha256 checked), through \`mariadb-binlog --start-position … --rewrite-db --database -\` (one process per file) into one \`mariadb\` client; then \`DROP DATABASE\``,
    `- (b) \`warden restore <backup id> --target ${config.target} --database ${DB.pipe} --json\`: the same load without the replay, measured in the same round; (a) − (b) is the replay`,
    `- (c) into (b)'s database: \`{ echo 'SET SESSION sql_log_bin = 0;'; mariadb-binlog --start-position=${manifest.binlog.position}${stop !== null ? ` --stop-position=${stop}` : ''} --rewrite-db='${LEDGER}->${DB.pipe}' --database=${LEDGER} FILE…; } | mariadb …\` on the same files, decompressed beforehand (the baseline does not pay for decompression nor checks checksums); then \`DROP DATABASE\``,
  ].join('\n');
  const lines = [...load, '', ...textTable(replayTable), '', ...textTable(lagTable), '', ...textTable(rssTable), '', ...textTable(targets), '', ...notes];
  await rm(path.join(ctx.tmpDir, 'raw'), { recursive: true, force: true });
  return { markdown, lines };
}
