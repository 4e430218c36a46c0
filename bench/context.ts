// What every benchmark section gets: the throwaway server with its dataset (started on first use
// and shared by the sections of one run), scratch folders, the dump tool and the machine's facts.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startMariaDB, type TestServer } from '../test/harness/mariadb.js';
import { loadDataset, type LoadedData } from './dataset.js';
import { measurePipeline, shellQuote, which } from './measure.js';
import { fmt, markdownTable } from './results.js';

const run = promisify(execFile);

export interface SectionResult {
  /** the section's block in RESULTS.md (under a heading with its title) */
  markdown: string;
  /** the summary printed to stdout */
  lines: string[];
}

/** One benchmark section: a module under bench/sections/ exporting `section`, listed in run.ts. */
export interface Section {
  /** the `--only` name and the RESULTS.md marker */
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}

export interface DumpTool {
  name: string;
  path: string;
  version: string;
}

export interface Dataset extends LoadedData {
  /** bytes of `<dump tool> --single-transaction <database>` (plain options, as a person would run it) */
  rawDumpBytes: number;
}

export interface DatasetHandle {
  server: TestServer;
  dataset: Dataset;
}

export interface BenchContext {
  readonly repoRoot: string;
  readonly sizeMb: number;
  readonly runs: number;
  /** another built checkout of the project to compare with (`--against`), or null */
  readonly against: string | null;
  /** this section's scratch folder, removed at the end of the run */
  readonly tmpDir: string;
  readonly dumpTool: DumpTool;
  log(message: string): void;
  /** the server with the main dataset: database `bench`, --size-mb */
  main(): Promise<DatasetHandle>;
  /** another dataset on the same server (e.g. to see how something scales); drop it when done */
  extra(database: string, sizeMb: number): Promise<DatasetHandle & { drop(): Promise<void> }>;
  /** date, machine, node, dump tool and server, for the section's block */
  environment(): Promise<string>;
}

export const MAIN_DATABASE = 'bench';

/** Options that make mariadb-dump / mysqldump connect to the throwaway server as root over TCP. */
export function tcpArgs(server: TestServer): string[] {
  return ['--no-defaults', '--protocol=TCP', `--host=${server.host}`, `--port=${server.port}`, '--user=root'];
}

export async function firstLine(bin: string, args = ['--version']): Promise<string> {
  const { stdout, stderr } = await run(bin, args);
  return (stdout || stderr).trim().split('\n')[0]!;
}

export async function findDumpTool(): Promise<DumpTool> {
  for (const name of ['mariadb-dump', 'mysqldump']) {
    const file = which(name);
    if (file) return { name, path: file, version: await firstLine(file) };
  }
  throw new Error('neither mariadb-dump nor mysqldump is on PATH');
}

/** Sizing for the bench's datasets rather than the tests' small defaults (the binary log aside). */
export function serverTuning(sizeMb: number): string[] {
  // Room for the main dataset and a 2x one in memory (InnoDB keeps about 1.5x the dump's size).
  const poolMb = Math.max(1024, Math.ceil((sizeMb * 5) / 128) * 128);
  return [
    `--innodb-buffer-pool-size=${poolMb}M`,
    '--innodb-log-file-size=256M',
    '--innodb-flush-log-at-trx-commit=0',
    // The default (200 pages/s) takes minutes to write back what a bulk load leaves dirty.
    '--innodb-io-capacity=4000',
    '--innodb-io-capacity-max=8000',
    '--local-infile=1',
    '--max-allowed-packet=256M',
  ];
}

/** The shared server: no binary log, as the sections that back up and restore want it. */
const serverArgs = (sizeMb: number) => [...serverTuning(sizeMb), '--skip-log-bin'];

export function describeDataset(d: Dataset): string {
  const rows = d.tables.map((t) => [t.name, String(t.rows), fmt.mb(t.storedBytes), t.description]);
  return [
    `Database \`${d.database}\`, generated for ${d.sizeMb} MB of SQL: **raw dump ${fmt.mb(d.rawDumpBytes)}** ` +
      `(\`--single-transaction\`, default options), generated and loaded in ${fmt.seconds(d.loadSeconds)} ` +
      '(deterministic: seeded mulberry32, TSV chunks through `LOAD DATA LOCAL INFILE`).',
    '',
    markdownTable({ headers: ['table', 'rows', 'InnoDB size', 'content'], rows, align: 'lrrl' }),
  ].join('\n');
}

/** The shared state of one `npm run bench`; close() removes everything it created. */
export class Bench {
  private server: Promise<TestServer> | undefined;
  private mainData: Promise<Dataset> | undefined;
  private sections = 0;

  private constructor(
    readonly repoRoot: string,
    readonly sizeMb: number,
    readonly runs: number,
    readonly tmpRoot: string,
    readonly dumpTool: DumpTool,
    readonly against: string | null,
  ) {}

  static async create(opts: { repoRoot: string; sizeMb: number; runs: number; against: string | null }): Promise<Bench> {
    const tmpRoot = await mkdtemp(path.join(os.tmpdir(), 'warden-bench-'));
    try {
      return new Bench(opts.repoRoot, opts.sizeMb, opts.runs, tmpRoot, await findDumpTool(), opts.against);
    } catch (err) {
      await rm(tmpRoot, { recursive: true, force: true });
      throw err;
    }
  }

  log(message: string): void {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  }

  async context(section: Section): Promise<BenchContext> {
    const tmpDir = path.join(this.tmpRoot, `${++this.sections}-${section.name}`);
    await mkdir(tmpDir);
    return {
      repoRoot: this.repoRoot,
      sizeMb: this.sizeMb,
      runs: this.runs,
      against: this.against,
      tmpDir,
      dumpTool: this.dumpTool,
      log: (m) => this.log(`${section.name}: ${m}`),
      main: async () => {
        this.mainData ??= this.dataset(MAIN_DATABASE, this.sizeMb);
        return { server: await this.getServer(), dataset: await this.mainData };
      },
      extra: async (database, sizeMb) => {
        const server = await this.getServer();
        const dataset = await this.dataset(database, sizeMb);
        return { server, dataset, drop: () => server.query(`DROP DATABASE \`${database}\``).then(() => undefined) };
      },
      environment: () => this.environment(),
    };
  }

  private getServer(): Promise<TestServer> {
    this.server ??= (async () => {
      this.log('starting a throwaway mariadbd');
      return startMariaDB({ extraArgs: serverArgs(this.sizeMb) });
    })();
    return this.server;
  }

  private async dataset(database: string, sizeMb: number): Promise<Dataset> {
    const server = await this.getServer();
    this.log(`generating and loading ${sizeMb} MB into \`${database}\``);
    const dataDir = await mkdtemp(path.join(this.tmpRoot, 'data-'));
    try {
      const loaded = await loadDataset({ server, database, sizeMb, tmpDir: dataDir, log: (m) => this.log(m) });
      // Also the warm-up: every page is in the buffer pool before anything is timed.
      const dump = [this.dumpTool.path, ...tcpArgs(server), '--single-transaction', database].map(shellQuote).join(' ');
      const rawDumpBytes = Number((await measurePipeline(`${dump} | wc -c`)).stdout.trim());
      this.log(`loaded in ${fmt.seconds(loaded.loadSeconds)}; raw dump ${fmt.mb(rawDumpBytes)}`);
      return { ...loaded, rawDumpBytes };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  private async environment(): Promise<string> {
    const cpus = os.cpus();
    const server = this.server ? await this.server : undefined;
    const version = server ? (await server.query<{ v: string }>('SELECT VERSION() AS v'))[0]?.v : undefined;
    return [
      `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
      `- Machine: ${os.availableParallelism()} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
        `Linux ${os.release()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} when the section ended`,
      `- Node ${process.version}; dump tool: \`${this.dumpTool.version}\``,
      ...(server
        ? [`- Server: MariaDB ${version}, throwaway mariadbd started with \`${serverArgs(this.sizeMb).join(' ')}\``]
        : []),
    ].join('\n');
  }

  async close(): Promise<void> {
    const server = await this.server?.catch(() => undefined);
    await server?.cleanup();
    await rm(this.tmpRoot, { recursive: true, force: true });
  }
}
