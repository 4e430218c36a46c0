// `warden serve` assembled: run manager, scheduler, binlog archivers, metrics, catalog cache and
// HTTP server, and the order in which they start and stop.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './api/app.js';
import { Archivers } from './archivers.js';
import type { EventStream } from './api/events.js';
import { effectiveStatus } from '../catalog/live.js';
import { targetDir } from '../catalog/paths.js';
import type { LoadedConfig } from '../config/load.js';
import type { Logger } from '../util/log.js';
import { Metrics } from './metrics.js';
import { Scheduler } from './schedule/scheduler.js';
import { CatalogView } from './catalogCache.js';
import type { AgentEvent, RunKind } from '../catalog/events.js';
import { backupInWorker, restoreInWorker, verifyInWorker } from './jobs.js';
import { type PreflightCheck, RunManager } from './runs.js';
import { historyOf } from '../catalog/summaries.js';
import { storageOf } from '../storage/index.js';

/** Picks up runs of other processes (a `warden backup` from cron) in the metrics. */
const REFRESH_MS = 60_000;

export interface Listen {
  host: string;
  port: number;
}

/** `HOST:PORT` or `[v6]:PORT`; null when it is neither. */
export function parseListen(text: string): Listen | null {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65_535) return null;
  return { host: m[1] ?? m[2]!, port };
}

export interface AgentOptions {
  config: LoadedConfig;
  token: string | null;
  log: Logger;
  listen: Listen;
}

export class Agent {
  private stopping = false;
  private refreshTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly opts: AgentOptions,
    private readonly catalog: CatalogView,
    private readonly manager: RunManager,
    private readonly scheduler: Scheduler,
    private readonly metrics: Metrics,
    private readonly server: http.Server,
    private readonly events: EventStream,
    private readonly archivers: Archivers,
  ) {}

  static async start(opts: AgentOptions): Promise<Agent> {
    const { config, log } = opts;
    await storageOf(config.repositoryPath).makeFolder(config.repositoryPath);
    const catalog = new CatalogView(config.repositoryPath);
    const nextRun = (target: string, kind: RunKind) => scheduler.nextRun(target, kind);
    const archivers = new Archivers(config, catalog, log.child({ component: 'binlog' }));
    const binlog = (target: string) => archivers.info(target);
    const metrics = new Metrics(config.targets, { repository: config.repositoryPath, nextRun, binlog, offsite: config.offsite });
    // A warning is not a failure: the check is ok unless it failed.
    const onPreflight = (target: string, checks: PreflightCheck[]) => checks.forEach((c) => metrics.setPreflightCheck(target, c.name, c.status !== 'FAIL'));
    const manager = new RunManager({ config, log, backup: backupInWorker, verify: verifyInWorker, restore: restoreInWorker, onPreflight });
    const scheduler = new Scheduler(config, manager, log);
    // The API's callbacks run only once the agent exists.
    let self: Agent;
    const { app, events } = createApp({
      config,
      manager,
      catalog,
      metrics,
      nextRun,
      binlog,
      token: opts.token,
      listenHost: opts.listen.host,
      startedAt: new Date(),
      log: log.child({ component: 'api' }),
      shuttingDown: () => self.stopping,
      catalogChanged: (target) => self.catalogChanged(target),
    });
    const server = http.createServer(app);
    self = new Agent(opts, catalog, manager, scheduler, metrics, server, events, archivers);
    await self.rebuildMetrics();
    manager.on((e) => self.observe(e));

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.listen.port, opts.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    self.refreshTimer = setInterval(() => self.refreshAll(), REFRESH_MS).unref();
    archivers.start();
    const snap = await catalog.snapshot();
    scheduler.start((target) => historyOf(snap.byTarget.get(target) ?? [], snap.isLive));
    log.info({ component: 'api', address: self.address(), repository: config.repositoryPath, targets: config.targets.length, tokenConfigured: opts.token !== null }, 'listening');
    return self;
  }

  address(): Listen {
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  /**
   * Stops taking work (scheduler, new connections), aborts the runs and waits for them to record
   * their end, at most `timeoutMs`, and stops the binlog archivers and their tools. True when every
   * run finished in time.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.scheduler.stop();
    clearInterval(this.refreshTimer);
    this.server.close();
    this.server.closeIdleConnections();
    const [finished] = await Promise.all([this.manager.shutdown(timeoutMs), this.archivers.stop()]);
    // Event streams stay open until the runs have ended, so clients see them interrupted.
    this.events.closeAll();
    this.server.closeAllConnections();
    return finished;
  }

  /** Counters and gauges from the catalog, so that metric state survives restarts. */
  private async rebuildMetrics(): Promise<void> {
    const snap = await this.catalog.snapshot();
    for (const entries of snap.byTarget.values()) {
      for (const { manifest } of entries) this.metrics.recordRun(manifest, effectiveStatus(manifest, snap.isLive(manifest)));
    }
    await this.refreshAll();
  }

  private async refreshTarget(target: string): Promise<void> {
    const history = await this.catalog.history(target);
    this.metrics.updateTarget(target, history, await storageOf(this.opts.config.repositoryPath).usage(targetDir(this.opts.config.repositoryPath, target)));
  }

  private async refreshAll(): Promise<void> {
    this.catalog.invalidate();
    for (const t of this.opts.config.targets) await this.refreshTarget(t.name).catch((err: unknown) => this.opts.log.error({ err, target: t.name }, 'metrics refresh failed'));
  }

  private catalogChanged(target: string): void {
    this.catalog.invalidate();
    this.refreshTarget(target).catch((err: unknown) => this.opts.log.error({ err, target }, 'metrics refresh failed'));
  }

  private observe(e: AgentEvent): void {
    if (e.type === 'run-started' && e.kind === 'backup') this.metrics.runStarted(e.target, new Date(e.startedAt));
    if (e.type === 'run-progress') this.metrics.runProgress(e.target, e.progress.rawBytes);
    if (e.type !== 'run-finished') return;
    if (e.kind === 'backup') {
      this.metrics.runEnded(e.target);
      if (e.manifest) this.metrics.recordRun(e.manifest);
    }
    this.catalogChanged(e.target);
  }
}
