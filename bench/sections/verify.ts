// Issue "Verification and restore": how fast `warden verify --level parse` reads a backup (MB/s of
// SQL, and against the time the backup took), side by side with the same pass made with the
// previous scanner instead of the grammar validator; what `warden restore` costs over piping the
// very same dump into the mariadb client by hand, and how much a per-table backup restored in
// parallel gains over that. Side by side on one server, alternating.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TestServer } from '../../test/harness/mariadb.js';
import { type BenchContext, describeDataset, MAIN_DATABASE, type Section, tcpArgs } from '../context.js';
import { alternate, measureNode, measurePipeline, type Measurement, shellQuote, stats, which } from '../measure.js';
import { fmt, markdownTable, type Table, textTable } from '../results.js';

const VARIANTS = ['backup', 'verify', 'scannerPass', 'validatorPass', 'decompress', 'restore', 'restorePerTable', 'pipe'] as const;
type Variant = (typeof VARIANTS)[number];

const LABEL: Record<Variant, string> = {
  backup: '(a) warden backup',
  verify: '(b) warden verify --level parse',
  scannerPass: '(b1) the same pass, previous scanner',
  validatorPass: '(b2) the same pass, grammar validator',
  decompress: '(c) zstd -dc > /dev/null',
  restore: '(d) warden restore',
  restorePerTable: '(e) warden restore, per-table backup, parallel 2',
  pipe: '(f) zstd -dc | mariadb',
};

const TARGETS = { parseMbPerSecond: 300, verifyVsBackup: 0.5, restoreVsPipe: 1.1, perTableVsPipe: 1 };
const RESTORED = 'bench_restored';
const RESTORED_PER_TABLE = 'bench_restored_pt';
const PIPED = 'bench_piped';
/** Loaders of the per-table restore, as many as the per-table backup's dump processes. */
const PARALLEL = 2;

interface Sample {
  wallSeconds: number;
  cpuSeconds: number;
  cpuByProgram: Map<string, number>;
}

function sample(m: Measurement, nodeCpu?: number): Sample {
  const cpuByProgram = new Map(m.processes.map((p) => [p.name, p.cpuSeconds]));
  if (nodeCpu !== undefined) cpuByProgram.set('node', nodeCpu);
  return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds, cpuByProgram };
}

async function writeConfig(ctx: BenchContext, server: TestServer): Promise<string> {
  const file = path.join(ctx.tmpDir, 'warden.yaml');
  const target = { host: server.host, port: server.port, user: 'root', tool: ctx.dumpTool.name, verifyAfterBackup: 'none' };
  await writeFile(
    file,
    stringify({
      repository: path.join(ctx.tmpDir, 'repository'),
      targets: [
        { name: 'bench', ...target, databases: [MAIN_DATABASE], compression: 'zstd' },
        {
          name: 'bench-pertable',
          ...target,
          databases: [MAIN_DATABASE],
          compression: 'zstd',
          method: 'per-table',
          parallel: PARALLEL,
          consistent: true,
        },
        { name: 'dest', ...target },
      ],
    }),
  );
  return file;
}

/** The backup's dump with its database renamed, compressed alike: what a person would pipe by hand. */
async function renamedCopy(dump: string, out: string): Promise<void> {
  // mariadb-dump writes these two statements on lines of their own.
  const sed = `sed -e 's/^USE \`${MAIN_DATABASE}\`;$/USE \`${PIPED}\`;/' -e 's/^\\(CREATE DATABASE .*\\)\`${MAIN_DATABASE}\`/\\1\`${PIPED}\`/'`;
  await measurePipeline(`zstd -dcq ${shellQuote(dump)} | ${sed} | zstd -q -3 -o ${shellQuote(out)}`);
}

export const section: Section = {
  name: 'verify',
  title: 'Verify and restore: parse throughput, restore vs the mariadb client',
  async run(ctx) {
    const { server, dataset } = await ctx.main();
    const cli = path.join(ctx.repoRoot, 'backend', 'bin', 'warden.js');
    const parsePass = path.join(ctx.repoRoot, 'bench', 'parse-pass.mjs');
    const config = await writeConfig(ctx, server);
    const warden = async (args: string[]) => {
      const m = await measureNode([cli, ...args, '--config', config, '--json'], { cwd: ctx.repoRoot });
      return { m, out: JSON.parse(m.stdout) as Record<string, unknown> };
    };

    ctx.log('the backup that is verified and restored');
    const kept = (await warden(['backup', '--target', 'bench'])).out;
    if (kept.ok !== true) throw new Error(`warden backup failed: ${JSON.stringify(kept.error)}`);
    ctx.log('the per-table backup that is restored in parallel');
    const keptPerTable = (await warden(['backup', '--target', 'bench-pertable'])).out;
    if (keptPerTable.ok !== true) throw new Error(`warden per-table backup failed: ${JSON.stringify(keptPerTable.error)}`);
    const dir = String(kept.dir);
    const dirPerTable = String(keptPerTable.dir);
    const perTableFiles = Array.isArray(keptPerTable.files) ? keptPerTable.files.length : 0;
    const rawBytes = Number(kept.rawBytes);
    const dumpPath = String(kept.path);
    const piped = path.join(ctx.tmpDir, 'renamed.sql.zst');
    await renamedCopy(dumpPath, piped);
    const client = which('mariadb') ?? which('mysql');
    if (!client) throw new Error('the mariadb (or mysql) client is needed');
    const pipeScript = `zstd -dcq ${shellQuote(piped)} | ${[client, ...tcpArgs(server)].map(shellQuote).join(' ')}`;

    const results = await alternate(VARIANTS, ctx.runs, async (v, round): Promise<Sample> => {
      ctx.log(`round ${round + 1}/${ctx.runs}: ${LABEL[v]}`);
      switch (v) {
        case 'backup': {
          const { m, out } = await warden(['backup', '--target', 'bench']);
          if (out.ok !== true) throw new Error(`warden backup failed: ${JSON.stringify(out.error)}`);
          await rm(String(out.dir), { recursive: true, force: true });
          return sample(m, m.node.cpuSeconds);
        }
        case 'verify': {
          const { m, out } = await warden(['verify', dir, '--level', 'parse']);
          if (out.ok !== true) throw new Error(`warden verify failed: ${JSON.stringify(out.problems)}`);
          return sample(m, m.node.cpuSeconds);
        }
        case 'scannerPass':
        case 'validatorPass': {
          const mode = v === 'scannerPass' ? 'scanner' : 'validator';
          const m = await measureNode([parsePass, mode, dumpPath], { cwd: ctx.repoRoot });
          const out = JSON.parse(m.stdout) as { rawBytes: number; problems: number; failure: string | null };
          if (out.rawBytes !== rawBytes || out.problems !== 0 || out.failure) throw new Error(`parse pass (${mode}) failed: ${m.stdout}`);
          return sample(m, m.node.cpuSeconds);
        }
        case 'decompress':
          return sample(await measurePipeline(`zstd -dcq ${shellQuote(dumpPath)} > /dev/null`));
        case 'restore': {
          const { m, out } = await warden(['restore', dir, '--target', 'dest', '--database', RESTORED]);
          if (out.ok !== true) throw new Error(`warden restore failed: ${JSON.stringify(out.error)}`);
          await server.query(`DROP DATABASE ${RESTORED}`);
          return sample(m, m.node.cpuSeconds);
        }
        case 'restorePerTable': {
          const args = ['restore', dirPerTable, '--target', 'dest', '--database', RESTORED_PER_TABLE, '--parallel', String(PARALLEL)];
          const { m, out } = await warden(args);
          if (out.ok !== true) throw new Error(`warden restore (per-table) failed: ${JSON.stringify(out.error)}`);
          await server.query(`DROP DATABASE ${RESTORED_PER_TABLE}`);
          return sample(m, m.node.cpuSeconds);
        }
        case 'pipe': {
          const m = await measurePipeline(pipeScript);
          await server.query(`DROP DATABASE ${PIPED}`);
          return sample(m);
        }
      }
    });

    const median = (v: Variant) => stats(results.get(v)!.map((s) => s.wallSeconds));
    const wall = Object.fromEntries(VARIANTS.map((v) => [v, median(v)])) as Record<Variant, ReturnType<typeof stats>>;
    const cpu = (v: Variant, program?: string) =>
      stats(results.get(v)!.map((s) => (program ? (s.cpuByProgram.get(program) ?? 0) : s.cpuSeconds))).median;
    const parseRate = rawBytes / 1e6 / wall.verify.median;
    const nodeRate = rawBytes / 1e6 / cpu('verify', 'node');
    const vsBackup = wall.verify.median / wall.backup.median;
    const vsPipe = wall.restore.median / wall.pipe.median;
    const perTableVsPipe = wall.restorePerTable.median / wall.pipe.median;
    const vsDecompress = wall.verify.median / wall.decompress.median;

    const timing: Table = {
      headers: ['variant', 'median', 'min–max', 'CPU total', 'node CPU', 'zstd CPU', 'SQL MB/s'],
      rows: VARIANTS.map((v) => [
        LABEL[v],
        fmt.seconds(wall[v].median),
        `${wall[v].min.toFixed(2)}–${wall[v].max.toFixed(2)} s`,
        fmt.seconds(cpu(v)),
        v === 'pipe' || v === 'decompress' ? '—' : fmt.seconds(cpu(v, 'node')),
        fmt.seconds(cpu(v, 'zstd')),
        (rawBytes / 1e6 / wall[v].median).toFixed(0),
      ]),
    };
    const checks: [string, string, string, boolean][] = [
      ['verify --level parse, SQL per wall second', `${parseRate.toFixed(0)} MB/s`, `≥ ${TARGETS.parseMbPerSecond} MB/s`, parseRate >= TARGETS.parseMbPerSecond],
      ['verify --level parse vs backup (wall)', fmt.ratio(vsBackup), `≤ ${fmt.ratio(TARGETS.verifyVsBackup)}`, vsBackup <= TARGETS.verifyVsBackup],
      ['restore vs zstd -dc | mariadb (wall)', fmt.ratio(vsPipe), `≤ ${fmt.ratio(TARGETS.restoreVsPipe)}`, vsPipe <= TARGETS.restoreVsPipe],
      [
        `per-table restore (parallel ${PARALLEL}) vs zstd -dc | mariadb (wall)`,
        fmt.ratio(perTableVsPipe),
        `< ${fmt.ratio(TARGETS.perTableVsPipe)}`,
        perTableVsPipe < TARGETS.perTableVsPipe,
      ],
    ];
    const passRatio = wall.validatorPass.median / wall.scannerPass.median;
    const context =
      `verify --level parse took ${fmt.ratio(vsDecompress)} the time of decompressing the file alone (c), node start-up included. ` +
      `The same pass with the grammar validator (b2) took ${fmt.ratio(passRatio)} the time of the pass with the previous scanner (b1), ` +
      `${(rawBytes / 1e6 / wall.validatorPass.median).toFixed(0)} against ${(rawBytes / 1e6 / wall.scannerPass.median).toFixed(0)} MB/s of SQL.`;
    const targets: Table = { headers: ['target', 'measured', 'limit', 'verdict'], rows: checks.map(([a, b, c, ok]) => [a, b, c, fmt.verdict(ok)]) };

    const notes = [
      context,
      `The backup holds ${fmt.mb(rawBytes)} of SQL (${fmt.mb(Number(kept.bytes))} stored, zstd -3). The verify's node process used`,
      `${fmt.seconds(cpu('verify', 'node'))} of CPU for it, ${nodeRate.toFixed(0)} MB per CPU second with start-up, sha256 and scan together (its own`,
      '`process.cpuUsage()`); the scan and `zstd -d` run side by side, sharing the cores with everything else on the machine.',
    ];
    const markdown = [
      await ctx.environment(),
      '',
      describeDataset(dataset),
      '',
      `### Wall and CPU time (${fmt.count(ctx.runs, 'run')} of each, order a, b, b1, b2, c, d, e, f, then reversed, …)`,
      '',
      markdownTable(timing),
      '',
      '### Targets',
      '',
      markdownTable(targets),
      '',
      ...notes,
      '',
      '### Commands',
      '',
      `- (a) \`warden backup --target bench --json\` (zstd -3, \`verifyAfterBackup: none\`), each backup deleted after its run`,
      '- (b) `warden verify DIR --level parse --json`: sha256 of the stored file, `zstd -d`, every statement checked against the dump grammar and every row counted',
      '- (b1) `node bench/parse-pass.mjs scanner dump.sql.zst`: the same pass (sha256, `zstd -d`) through the previous scanner, which a backup still runs; plain node over the compiled agent, no CLI',
      '- (b2) `node bench/parse-pass.mjs validator dump.sql.zst`: the same harness through the grammar validator',
      '- (c) `zstd -dcq dump.sql.zst > /dev/null`: the floor for reading the backup at all',
      `- (d) \`warden restore DIR --target dest --database ${RESTORED} --json\` on the same server (root over TCP), then \`DROP DATABASE\``,
      `- (e) \`warden restore DIR --target dest --database ${RESTORED_PER_TABLE} --parallel ${PARALLEL} --json\` of a per-table backup of the same data ` +
        `(\`method: per-table, parallel: ${PARALLEL}, consistent: true\`, ${fmt.mb(Number(keptPerTable.rawBytes))} of SQL in ${perTableFiles} files): ` +
        'the schema first, then the tables\' data files two at a time, then the triggers; then `DROP DATABASE`',
      `- (f) \`zstd -dcq renamed.sql.zst | mariadb --no-defaults --protocol=TCP … --user=root\`: the single-stream dump of (d) with its database renamed to \`${PIPED}\` beforehand, then \`DROP DATABASE\``,
    ].join('\n');
    const lines = [
      `backup: ${fmt.mb(rawBytes)} SQL; ${fmt.count(ctx.runs, 'run')} of each, alternating`,
      '',
      ...textTable(timing),
      '',
      ...textTable(targets),
      '',
      ...notes,
    ];
    await rm(dir, { recursive: true, force: true });
    await rm(dirPerTable, { recursive: true, force: true });
    return { markdown, lines };
  },
};
