// Watching `warden binlog` while the server is written to: every SAMPLE_MS, the server's write
// position (SHOW MASTER STATUS), what the archive holds of it (the index, flushed to disk, which is
// what a restore can use; and the file the binlog tool is streaming into incoming/), and the RSS of
// the archiver and of its binlog tool. The lag of a position is the time from the sample that first
// saw the server at it to the first sample at which the archive held it.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { archiveIndexSchema, compareFileNames, INCOMING_FOLDER, INDEX_FILE } from '../backend/src/binlogfile/archive.js';
import type { TestServer } from '../test/harness/mariadb.js';
import { residentBytes, treePids } from './measure.js';

export const SAMPLE_MS = 250;
const TOOLS = ['mariadb-binlog', 'mysqlbinlog'];

interface Position {
  file: string;
  bytes: number;
}

export interface WatchSample {
  /** ms since the watch started */
  t: number;
  server: Position | null;
  /** what the index says the archive holds: the files archived, and the current file up to its flushed bytes */
  archived: string[];
  current: Position | null;
  /** the newest file in incoming/ and its size */
  streamed: Position | null;
  /** raw bytes the index holds */
  indexedBytes: number;
  archiverRss: number | null;
  toolRss: number | null;
}

/** At or past `p`: a later file, or the same one at least as long. */
const reaches = (held: Position | null, p: Position) => held !== null && (compareFileNames(held.file, p.file) > 0 || (held.file === p.file && held.bytes >= p.bytes));

const indexHolds = (s: WatchSample, p: Position) => s.archived.includes(p.file) || reaches(s.current, p);
const streamHolds = (s: WatchSample, p: Position) => indexHolds(s, p) || reaches(s.streamed, p);

export class ArchiveWatch {
  readonly samples: WatchSample[] = [];
  private readonly started = performance.now();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly server: TestServer,
    /** `<repository>/<target>/binlog` */
    private readonly dir: string,
    private readonly archiverPid: number,
  ) {
    this.loop = this.run();
  }

  /** ms since the watch started, on the samples' clock */
  now(): number {
    return performance.now() - this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    for (let tick = 0; !this.stopped; tick++) {
      const wait = tick * SAMPLE_MS - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.samples.push(await this.sample());
    }
  }

  private async sample(): Promise<WatchSample> {
    const [status] = await this.server.query<{ File: string; Position: string | number }>('SHOW MASTER STATUS');
    const t = this.now();
    const index = await this.index();
    const streamed = await this.streamed();
    // The streaming tool only: the archiver also starts a compressor for each finished file.
    const tools = treePids(this.archiverPid).slice(1).map(residentBytes).filter((r) => r !== null && TOOLS.includes(r.name));
    return {
      t,
      server: status ? { file: status.File, bytes: Number(status.Position) } : null,
      archived: index?.files.map((f) => f.name) ?? [],
      current: index?.current ? { file: index.current.name, bytes: index.current.bytes } : null,
      streamed,
      indexedBytes: (index?.files.reduce((n, f) => n + f.rawBytes, 0) ?? 0) + (index?.current?.bytes ?? 0),
      archiverRss: residentBytes(this.archiverPid)?.bytes ?? null,
      toolRss: tools.length > 0 ? tools.reduce((n, r) => n + r!.bytes, 0) : null,
    };
  }

  private async index() {
    try {
      return archiveIndexSchema.parse(JSON.parse(await readFile(path.join(this.dir, INDEX_FILE), 'utf8')));
    } catch {
      return null; // not written yet
    }
  }

  private async streamed(): Promise<Position | null> {
    const incoming = path.join(this.dir, INCOMING_FOLDER);
    const names = await readdir(incoming).catch(() => [] as string[]);
    const newest = names.sort(compareFileNames).at(-1);
    if (!newest) return null;
    const size = await stat(path.join(incoming, newest)).then((s) => s.size, () => null);
    return size === null ? null : { file: newest, bytes: size };
  }

  /**
   * The lag (seconds) of every position the server moved to between `from` and `to` (ms on the
   * watch's clock): until the index held it, and until the tool had streamed it.
   */
  lags(from: number, to: number): { indexed: number[]; streamed: number[]; unresolved: number } {
    const out = { indexed: [] as number[], streamed: [] as number[], unresolved: 0 };
    this.samples.forEach((s, i) => {
      const previous = this.samples[i - 1]?.server;
      const p = s.server;
      if (s.t < from || s.t > to || !p || !previous || (previous.file === p.file && previous.bytes === p.bytes)) return;
      const later = this.samples.slice(i);
      const indexed = later.find((a) => indexHolds(a, p));
      const streamed = later.find((a) => streamHolds(a, p));
      if (!indexed || !streamed) {
        out.unresolved++;
        return;
      }
      out.indexed.push((indexed.t - s.t) / 1000);
      out.streamed.push((streamed.t - s.t) / 1000);
    });
    return out;
  }
}
