// The binlog archivers of `warden serve`: one per target with `binlog.archive`, started with the
// agent and stopped before it exits, and what the API and the metrics say of each archive.
import { archiveBinlogs, type ArchiverStatus } from '../binlog/archiver.js';
import { readArchiveIndex } from '../binlogfile/archive.js';
import { archiveCoverage, replayBases } from '../binlogfile/coverage.js';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig } from '../config/schema.js';
import type { BinlogInfo } from '../contract/api.js';
import { describeEndpoint, endpointOf } from '../mysql/server.js';
import type { Logger } from '../util/log.js';
import type { CatalogView } from './catalogCache.js';

/** The API and the four gauges of one scrape share one reading of the index. */
const INFO_TTL_MS = 1000;

interface Running {
  target: TargetConfig;
  startedAt: number;
  status: ArchiverStatus;
  done: Promise<void>;
  info: { at: number; value: Promise<BinlogInfo> } | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class Archivers {
  private readonly abort = new AbortController();
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly config: LoadedConfig,
    private readonly catalog: CatalogView,
    private readonly log: Logger,
  ) {}

  start(): void {
    for (const target of this.config.targets.filter((t) => t.binlog?.archive)) {
      const status: ArchiverStatus = { target: target.name, state: 'starting', current: null, lastEventTime: null, caughtUpAt: null, archived: 0, gap: false, lastFailure: null, restarts: 0 };
      const entry: Running = { target, startedAt: Date.now(), status, done: Promise.resolve(), info: null };
      entry.done = archiveBinlogs(this.config, target, { signal: this.abort.signal, log: this.log, onStatus: (s) => (entry.status = s) }).then(
        (s) => void (entry.status = s),
        // Only setting up the archive folder throws; its lag grows and alerts.
        (err: unknown) => {
          this.log.error({ target: target.name, err }, 'binlog archiver ended');
          entry.status = { ...entry.status, state: 'stopped' };
        },
      );
      this.running.set(target.name, entry);
    }
  }

  /** Stops every archiver and waits until each has stopped its tool. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** The archive of a target archived here; null for the others. */
  info(target: string): Promise<BinlogInfo> | null {
    const entry = this.running.get(target);
    if (!entry) return null;
    if (!entry.info || Date.now() - entry.info.at > INFO_TTL_MS) {
      const value = this.read(entry);
      entry.info = { at: Date.now(), value };
      value.catch(() => {
        if (entry.info?.value === value) entry.info = null;
      });
    }
    return entry.info.value;
  }

  private async read({ target, startedAt, status }: Running): Promise<BinlogInfo> {
    const [index, snap] = await Promise.all([
      // An index that cannot be read is the archiver's failure too: its status says why.
      readArchiveIndex(this.config.repositoryPath, target.name).catch(() => null),
      this.catalog.snapshot(),
    ]);
    const bases = replayBases((snap.byTarget.get(target.name) ?? []).map((e) => e.manifest), describeEndpoint(endpointOf(target)));
    const coverage = archiveCoverage(index ?? { version: 1, target: target.name, files: [], gaps: [], current: null }, bases, {
      lastEventTime: status.lastEventTime === null ? null : status.lastEventTime * 1000,
      caughtUpAt: status.caughtUpAt,
    });
    return {
      state: status.state,
      current: status.current ?? index?.current?.name ?? null,
      lastEventTime: iso(coverage.lastEventTime),
      lagSeconds: Math.max(0, (Date.now() - (coverage.caughtUpAt ?? startedAt)) / 1000),
      gap: coverage.gap,
      recoverableTo: iso(coverage.recoverableTo),
      lastFailure: status.lastFailure,
    };
  }
}
