// Every Prometheus metric the agent exposes: the registry builds its series from this table, and
// the alert rules, the dashboard's test and the API's tests read their names from it.

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface MetricSpec {
  name: string;
  type: MetricType;
  /** Label names; `target` is on every per-target series, `method` where methods differ by orders of magnitude. */
  labels: readonly string[];
  help: string;
}

const PREFIX = 'mysql_backup_';
const spec = (short: string, type: MetricType, labels: readonly string[], help: string): MetricSpec => ({ name: PREFIX + short, type, labels, help });
const T = ['target'] as const;

export const METRICS = {
  lastSuccess: spec('last_success_timestamp_seconds', 'gauge', T, 'When the newest successful backup finished (Unix time); 0 when the target never succeeded.'),
  lastAttempt: spec('last_attempt_timestamp_seconds', 'gauge', T, 'When the newest backup run started (Unix time); 0 when it never ran.'),
  lastRunSuccess: spec('last_run_success', 'gauge', T, '1 when the newest finished backup run succeeded, else 0 (also 0 when it never ran).'),
  lastSize: spec('last_size_bytes', 'gauge', [...T, 'method'], 'Stored (compressed) size of the newest successful backup, labelled with its method; 0 (the configured method) when none.'),
  lastRaw: spec('last_raw_bytes', 'gauge', T, 'Uncompressed SQL size of the newest successful backup; 0 when none.'),
  lastRows: spec('last_rows', 'gauge', T, 'Rows in the newest successful backup; 0 when none.'),
  inProgress: spec('in_progress', 'gauge', T, '1 while a backup of the target runs.'),
  progressBytes: spec('progress_bytes', 'gauge', T, 'SQL bytes the running backup has read from the dump tool so far; 0 when none runs.'),
  lastVerifySuccess: spec('last_verify_success', 'gauge', [...T, 'level'], '1 when the most recent verification at this level passed, else 0; absent for levels never run.'),
  lastVerified: spec('last_verified_timestamp_seconds', 'gauge', T, 'When a verification last passed (Unix time); 0 when never.'),
  restoreSeconds: spec('restore_seconds', 'gauge', T, 'The most recently measured restore time (the real RTO); absent until a restore verification ran.'),
  artifacts: spec('artifacts', 'gauge', T, 'Successful backups retained in the repository.'),
  usedBytes: spec('repository_used_bytes', 'gauge', T, 'Bytes of all files of the target in the repository.'),
  rpo: spec('rpo_seconds', 'gauge', T, 'The configured recovery-point objective; absent when none is set.'),
  preflight: spec('preflight_check_ok', 'gauge', [...T, 'check'], '1 when the named pre-flight check passed at the last run, else 0.'),
  nextRun: spec('next_run_timestamp_seconds', 'gauge', [...T, 'kind'], 'When the next scheduled run starts (Unix time), by kind (backup, verify); absent without a schedule.'),
  freeBytes: spec('repository_free_bytes', 'gauge', [], 'Free bytes (available to the agent) on the repository file system.'),
  binlogLastEvent: spec('binlog_last_event_timestamp_seconds', 'gauge', T, 'When the newest event the binlog archive holds was written (Unix time); 0 when none. Only targets with binlog.archive.'),
  binlogLag: spec('binlog_archive_lag_seconds', 'gauge', T, 'Seconds since the binlog archive last held everything the server had written (since the archiver started when it never did).'),
  binlogGap: spec('binlog_gap', 'gauge', T, '1 when the binlog archive misses logs after the newest good full backup (any gap when there is none), else 0.'),
  recoverableTo: spec('recoverable_to_timestamp_seconds', 'gauge', T, 'The latest moment a point-in-time restore can reach (Unix time); 0 when no good full backup with binlog coordinates can start one.'),
  offsiteWindow: spec('offsite_window_seconds', 'gauge', T, 'The configured offsite window: the newest good backup should have a verified offsite copy this long after it finished; absent without an offsite repository.'),
  offsiteNewestCopied: spec('offsite_newest_copied', 'gauge', T, '1 when the newest good backup has a verified offsite copy, else 0 (also 0 when there is no good backup); absent without an offsite repository.'),
  offsiteLastCopy: spec('offsite_last_copy_timestamp_seconds', 'gauge', T, 'When the newest verified offsite copy was read back and matched (Unix time); 0 when none. Absent without an offsite repository.'),
  offsiteWaiting: spec('offsite_waiting_backups', 'gauge', T, 'Good backups without a verified offsite copy. Absent without an offsite repository.'),
  offsiteFailed: spec('offsite_copy_failed', 'gauge', [...T, 'class'], '1, labelled with its class, when the latest offsite copy attempt of a backup still waiting failed; absent otherwise.'),
  runs: spec('runs_total', 'counter', [...T, 'result'], 'Finished backup runs by result (rebuilt from the catalog at start).'),
  failures: spec('failures_total', 'counter', [...T, 'class'], 'Backup runs that did not succeed, by failure class.'),
  retries: spec('retries_total', 'counter', [...T, 'class'], 'Retried attempts, by the failure class that caused the retry.'),
  duration: spec('duration_seconds', 'histogram', [...T, 'method'], 'Wall time of finished backup runs, by method.'),
} as const satisfies Record<string, MetricSpec>;
