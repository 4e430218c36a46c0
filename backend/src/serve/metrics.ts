// Prometheus metrics (prefix mysql_backup_, label `target` on every per-target series). Every
// configured target has its series from the first scrape: a target that never succeeded shows
// last_success_timestamp_seconds 0 and last_run_success 0, so alert rules see it.
import { statfs } from 'node:fs/promises';
import client from 'prom-client';
import type { Manifest, RunStatus } from '../contract/manifest.js';
import { FAILURE_CLASSES } from '../contract/classes.js';
import { type TargetConfig, VERIFY_LEVELS } from '../config/schema.js';
import type { RunKind } from '../catalog/events.js';
import { lastVerifiedAt, type TargetHistory } from '../catalog/summaries.js';

const PREFIX = 'mysql_backup_';
const RESULTS: RunStatus[] = ['success', 'partial', 'failed', 'interrupted'];
/** Backups take seconds to hours. */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400];
/** prom-client's defaults that `promtool check metrics` rejects (gauges named *_total). */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface MetricSources {
  repository: string;
  nextRun: (target: string, kind: RunKind) => Date | null;
}

const RENDER_TTL_MS = 1000;
const seconds = (iso: string | null | undefined) => (iso ? Date.parse(iso) / 1000 : 0);

export class Metrics {
  readonly registry = new client.Registry();
  private rendered: { at: number; text: Promise<string> } | null = null;
  private readonly r = [this.registry];
  private readonly t = ['target'] as const;

  private readonly lastSuccess = this.gauge('last_success_timestamp_seconds', 'When the newest successful backup finished (Unix time); 0 when the target never succeeded.');
  private readonly lastAttempt = this.gauge('last_attempt_timestamp_seconds', 'When the newest backup run started (Unix time); 0 when it never ran.');
  private readonly lastRunSuccess = this.gauge('last_run_success', '1 when the newest finished backup run succeeded, else 0 (also 0 when it never ran).');
  private readonly lastSize = this.gauge('last_size_bytes', 'Stored (compressed) size of the newest successful backup; 0 when none.');
  private readonly lastRaw = this.gauge('last_raw_bytes', 'Uncompressed SQL size of the newest successful backup; 0 when none.');
  private readonly lastRows = this.gauge('last_rows', 'Rows in the newest successful backup; 0 when none.');
  private readonly inProgress = this.gauge('in_progress', '1 while a backup of the target runs.');
  private readonly progressBytes = this.gauge('progress_bytes', 'SQL bytes the running backup has read from the dump tool so far; 0 when none runs.');
  private readonly lastVerifySuccess = this.gauge('last_verify_success', '1 when the most recent verification at this level passed, else 0; absent for levels never run.', ['level']);
  private readonly lastVerified = this.gauge('last_verified_timestamp_seconds', 'When a verification last passed (Unix time); 0 when never.');
  private readonly restoreSeconds = this.gauge('restore_seconds', 'The most recently measured restore time (the real RTO); absent until a restore verification ran.');
  private readonly artifacts = this.gauge('artifacts', 'Successful backups retained in the repository.');
  private readonly usedBytes = this.gauge('repository_used_bytes', 'Bytes of all files of the target in the repository.');
  private readonly rpo = this.gauge('rpo_seconds', 'The configured recovery-point objective; absent when none is set.');
  private readonly preflight = this.gauge('preflight_check_ok', '1 when the named pre-flight check passed at the last run, else 0.', ['check']);
  private readonly runs = this.counter('runs_total', 'Finished backup runs by result (rebuilt from the catalog at start).', ['result']);
  private readonly failures = this.counter('failures_total', 'Backup runs that did not succeed, by failure class.', ['class']);
  private readonly retries = this.counter('retries_total', 'Retried attempts, by the failure class that caused the retry.', ['class']);
  private readonly duration = new client.Histogram({
    name: `${PREFIX}duration_seconds`,
    help: 'Wall time of finished backup runs.',
    labelNames: this.t,
    buckets: DURATION_BUCKETS,
    registers: this.r,
  });

  constructor(
    private readonly targets: TargetConfig[],
    sources: MetricSources,
  ) {
    client.collectDefaultMetrics({ register: this.registry });
    for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
    new client.Gauge({
      name: `${PREFIX}next_run_timestamp_seconds`,
      help: 'When the next scheduled run starts (Unix time), by kind (backup, verify); absent without a schedule.',
      labelNames: ['target', 'kind'],
      registers: this.r,
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
      name: `${PREFIX}repository_free_bytes`,
      help: 'Free bytes (available to the agent) on the repository file system.',
      registers: this.r,
      async collect() {
        const s = await statfs(sources.repository).catch(() => null);
        if (s) this.set(s.bavail * s.bsize);
      },
    });
    for (const { name: target, rpo } of targets) {
      if (rpo !== undefined) this.rpo.set({ target }, rpo);
      for (const g of [this.lastSuccess, this.lastAttempt, this.lastRunSuccess, this.lastSize, this.lastRaw, this.lastRows, this.inProgress, this.progressBytes, this.lastVerified, this.artifacts, this.usedBytes]) {
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

  private gauge(name: string, help: string, extra: string[] = []): client.Gauge {
    return new client.Gauge({ name: PREFIX + name, help, labelNames: [...this.t, ...extra], registers: this.r });
  }

  private counter(name: string, help: string, extra: string[]): client.Counter {
    return new client.Counter({ name: PREFIX + name, help, labelNames: [...this.t, ...extra], registers: this.r });
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
    if (m.durationSeconds !== null) this.duration.observe({ target }, m.durationSeconds);
  }

  /** Sets the gauges that describe a target's catalog. */
  updateTarget(target: string, h: TargetHistory, usedBytes: number): void {
    if (!this.known(target)) return;
    const ok = h.lastSuccess;
    this.lastSuccess.set({ target }, seconds(ok?.finishedAt));
    this.lastAttempt.set({ target }, seconds(h.runs[0]?.startedAt));
    this.lastRunSuccess.set({ target }, h.lastRun?.status === 'success' ? 1 : 0);
    this.lastSize.set({ target }, ok?.bytes ?? 0);
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
