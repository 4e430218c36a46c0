// Prometheus metrics, as contract/metrics.ts names and describes them. Every
// configured target has its series from the first scrape: a target that never succeeded shows
// last_success_timestamp_seconds 0 and last_run_success 0, so alert rules see it.
import client from 'prom-client';
import type { BinlogInfo } from '../contract/api.js';
import type { Manifest, RunStatus } from '../contract/manifest.js';
import { FAILURE_CLASSES } from '../contract/classes.js';
import { BACKUP_METHODS } from '../contract/vocabulary.js';
import { METRICS, type MetricSpec } from '../contract/metrics.js';
import { storageOf } from '../storage/index.js';
import { type TargetConfig, VERIFY_LEVELS } from '../config/schema.js';
import type { RunKind } from '../catalog/events.js';
import { lastVerifiedAt, type TargetHistory } from '../catalog/summaries.js';
import { copiedTo, isGood, offsiteLocation } from '../offsite/index.js';

const RESULTS: RunStatus[] = ['success', 'partial', 'failed', 'interrupted'];
/** Backups take seconds to hours. */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400];
/** prom-client's defaults that `promtool check metrics` rejects (gauges named *_total). */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface MetricSources {
  repository: string;
  nextRun: (target: string, kind: RunKind) => Date | null;
  /** The binlog archive of a target archived by this agent; null for the others. */
  binlog: (target: string) => Promise<BinlogInfo> | null;
  /** The offsite repository and its window (seconds), when one is configured. */
  offsite?: { repository: string; window: number };
}

const RENDER_TTL_MS = 1000;
const seconds = (iso: string | null | undefined) => (iso ? Date.parse(iso) / 1000 : 0);

export class Metrics {
  readonly registry = new client.Registry();
  private rendered: { at: number; text: Promise<string> } | null = null;
  private readonly r = [this.registry];

  private readonly lastSuccess = this.gauge(METRICS.lastSuccess);
  private readonly lastAttempt = this.gauge(METRICS.lastAttempt);
  private readonly lastRunSuccess = this.gauge(METRICS.lastRunSuccess);
  private readonly lastSize = this.gauge(METRICS.lastSize);
  private readonly lastRaw = this.gauge(METRICS.lastRaw);
  private readonly lastRows = this.gauge(METRICS.lastRows);
  private readonly inProgress = this.gauge(METRICS.inProgress);
  private readonly progressBytes = this.gauge(METRICS.progressBytes);
  private readonly lastVerifySuccess = this.gauge(METRICS.lastVerifySuccess);
  private readonly lastVerified = this.gauge(METRICS.lastVerified);
  private readonly restoreSeconds = this.gauge(METRICS.restoreSeconds);
  private readonly artifacts = this.gauge(METRICS.artifacts);
  private readonly usedBytes = this.gauge(METRICS.usedBytes);
  private readonly rpo = this.gauge(METRICS.rpo);
  private readonly preflight = this.gauge(METRICS.preflight);
  private readonly offsiteWindow = this.gauge(METRICS.offsiteWindow);
  private readonly offsiteNewestCopied = this.gauge(METRICS.offsiteNewestCopied);
  private readonly offsiteLastCopy = this.gauge(METRICS.offsiteLastCopy);
  private readonly offsiteWaiting = this.gauge(METRICS.offsiteWaiting);
  private readonly offsiteFailed = this.gauge(METRICS.offsiteFailed);
  private readonly offsite: MetricSources['offsite'];
  private readonly runs = this.counter(METRICS.runs);
  private readonly failures = this.counter(METRICS.failures);
  private readonly retries = this.counter(METRICS.retries);
  private readonly duration = new client.Histogram({ ...this.described(METRICS.duration), buckets: DURATION_BUCKETS });

  constructor(
    private readonly targets: TargetConfig[],
    sources: MetricSources,
  ) {
    this.offsite = sources.offsite;
    client.collectDefaultMetrics({ register: this.registry });
    for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
    new client.Gauge({
      ...this.described(METRICS.nextRun),
      collect() {
        this.reset();
        for (const t of targets) {
          for (const kind of ['backup', 'verify'] as const) {
            const next = sources.nextRun(t.name, kind);
            if (next) this.set({ target: t.name, kind }, next.getTime() / 1000);
          }
        }
      },
    });
    new client.Gauge({
      ...this.described(METRICS.freeBytes),
      async collect() {
        const free = await storageOf(sources.repository).freeBytes(sources.repository).catch(() => null);
        if (free !== null) this.set(free);
      },
    });
    const binlogGauge = (m: MetricSpec, value: (b: BinlogInfo) => number) =>
      new client.Gauge({
        ...this.described(m),
        async collect() {
          for (const t of targets) {
            // A catalog that cannot be read keeps the last values; the catalog refresh logs why.
            const info = await sources.binlog(t.name)?.catch(() => null);
            if (info) this.set({ target: t.name }, value(info));
          }
        },
      });
    binlogGauge(METRICS.binlogLastEvent, (b) => seconds(b.lastEventTime));
    binlogGauge(METRICS.binlogLag, (b) => b.lagSeconds);
    binlogGauge(METRICS.binlogGap, (b) => (b.gap ? 1 : 0));
    binlogGauge(METRICS.recoverableTo, (b) => seconds(b.recoverableTo));
    for (const { name: target, rpo, method } of targets) {
      if (rpo !== undefined) this.rpo.set({ target }, rpo);
      if (sources.offsite) {
        this.offsiteWindow.set({ target }, sources.offsite.window);
        for (const g of [this.offsiteNewestCopied, this.offsiteLastCopy, this.offsiteWaiting]) g.set({ target }, 0);
      }
      this.lastSize.set({ target, method }, 0);
      for (const g of [this.lastSuccess, this.lastAttempt, this.lastRunSuccess, this.lastRaw, this.lastRows, this.inProgress, this.progressBytes, this.lastVerified, this.artifacts, this.usedBytes]) {
        g.set({ target }, 0);
      }
      // Counters start at 0 so that increase() sees the first failure of each class.
      for (const result of RESULTS) this.runs.inc({ target, result }, 0);
      for (const cls of FAILURE_CLASSES) {
        this.failures.inc({ target, class: cls }, 0);
        this.retries.inc({ target, class: cls }, 0);
      }
    }
  }

  /** What prom-client needs of a metric of the table, registered in this registry. */
  private described(m: MetricSpec) {
    return { name: m.name, help: m.help, labelNames: m.labels, registers: this.r };
  }

  private gauge(m: MetricSpec): client.Gauge {
    return new client.Gauge(this.described(m));
  }

  private counter(m: MetricSpec): client.Counter {
    return new client.Counter(this.described(m));
  }

  private known(target: string): boolean {
    return this.targets.some((t) => t.name === target);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition text. One rendering serves every scrape within a second: rendering costs a few
   * milliseconds of CPU, and a burst of scrapers must not take it from a running backup.
   */
  text(): Promise<string> {
    if (!this.rendered || Date.now() - this.rendered.at > RENDER_TTL_MS) this.rendered = { at: Date.now(), text: this.registry.metrics() };
    return this.rendered.text;
  }

  /** Counts one finished backup run; `status` overrides the manifest's (a dead `running` one is interrupted). */
  recordRun(m: Manifest, status: RunStatus = m.status): void {
    if (!this.known(m.target) || status === 'running') return;
    const target = m.target;
    this.runs.inc({ target, result: status });
    if (status !== 'success') this.failures.inc({ target, class: m.class === 'none' ? 'unknown' : m.class });
    // Every attempt after the first is a retry of the attempt before it, counted by that one's class.
    for (const previous of m.attempts.slice(0, -1)) {
      if (previous.class !== 'none') this.retries.inc({ target, class: previous.class });
    }
    if (m.durationSeconds !== null) this.duration.observe({ target, method: m.method }, m.durationSeconds);
  }

  /** Sets the gauges that describe a target's catalog. */
  updateTarget(target: string, h: TargetHistory, usedBytes: number): void {
    if (!this.known(target)) return;
    const ok = h.lastSuccess;
    this.lastSuccess.set({ target }, seconds(ok?.finishedAt));
    this.lastAttempt.set({ target }, seconds(h.runs[0]?.startedAt));
    this.lastRunSuccess.set({ target }, h.lastRun?.status === 'success' ? 1 : 0);
    // One series per target: the newest success's method (the configured one before any).
    const method = ok?.method ?? this.targets.find((t) => t.name === target)!.method;
    for (const other of BACKUP_METHODS) if (other !== method) this.lastSize.remove({ target, method: other });
    this.lastSize.set({ target, method }, ok?.bytes ?? 0);
    this.lastRaw.set({ target }, ok?.rawBytes ?? 0);
    this.lastRows.set({ target }, ok?.rows ?? 0);
    this.lastVerified.set({ target }, (lastVerifiedAt(h)?.getTime() ?? 0) / 1000);
    // Series of runs since deleted go too: the state is the catalog's, as after a restart.
    for (const level of VERIFY_LEVELS) {
      const v = h.lastVerification[level];
      if (v) this.lastVerifySuccess.set({ target, level }, v.ok ? 1 : 0);
      else this.lastVerifySuccess.remove({ target, level });
    }
    if (h.restoreSeconds !== null) this.restoreSeconds.set({ target }, h.restoreSeconds);
    else this.restoreSeconds.remove({ target });
    this.artifacts.set({ target }, h.runs.filter((r) => r.status === 'success').length);
    this.usedBytes.set({ target }, usedBytes);
    if (this.offsite) this.updateOffsite(target, h, this.offsite.repository);
  }

  /** The offsite copies of a target's good backups, as their records say (offsite/). */
  private updateOffsite(target: string, h: TargetHistory, repository: string): void {
    const good = h.runs.filter(isGood);
    const here = (r: (typeof good)[number]) => copiedTo(r.offsite, offsiteLocation(repository, target, r.id));
    const copied = good.filter(here);
    const waiting = good.filter((r) => !here(r));
    this.offsiteNewestCopied.set({ target }, good[0] && here(good[0]) ? 1 : 0);
    this.offsiteLastCopy.set({ target }, Math.max(0, ...copied.map((r) => seconds(r.offsite!.verifiedAt))));
    this.offsiteWaiting.set({ target }, waiting.length);
    const failed = waiting.filter((r) => r.offsite?.error).sort((a, b) => Date.parse(b.offsite!.at) - Date.parse(a.offsite!.at))[0];
    for (const cls of FAILURE_CLASSES) {
      if (failed?.offsite?.error?.class === cls) this.offsiteFailed.set({ target, class: cls }, 1);
      else this.offsiteFailed.remove({ target, class: cls });
    }
  }

  runStarted(target: string, at: Date): void {
    if (!this.known(target)) return;
    this.inProgress.set({ target }, 1);
    this.lastAttempt.set({ target }, at.getTime() / 1000);
  }

  runProgress(target: string, bytes: number): void {
    if (this.known(target)) this.progressBytes.set({ target }, bytes);
  }

  runEnded(target: string): void {
    if (!this.known(target)) return;
    this.inProgress.set({ target }, 0);
    this.progressBytes.set({ target }, 0);
  }

  /** The owner of the pre-flight checks reports each check's result here. */
  setPreflightCheck(target: string, check: string, ok: boolean): void {
    if (this.known(target)) this.preflight.set({ target, check }, ok ? 1 : 0);
  }
}
