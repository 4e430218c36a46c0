// Warden's alert rules, once: the Grafana provisioning file and the Prometheus rules file that
// promtool tests are both generated from this list (npm run alerting:generate). Plain data, so node
// can import it without Grafana. Severities of per-class rules come from the failure-class table.
import { CLASS_INFO, type FailureClass, SEVERITIES, type Severity } from '../../../backend/src/contract/classes.js';
import { METRICS } from '../../../backend/src/contract/metrics.js';

/** What Grafana does when the query returns no series, or fails. */
export type NoDataState = 'OK' | 'NoData' | 'Alerting';
export type ExecErrState = 'OK' | 'Error' | 'Alerting';

export interface AlertRule {
  uid: string;
  /** Also the Prometheus alert name. */
  title: string;
  /** PromQL that returns exactly the firing series (a filter), labelled as the alert should be. */
  expr: string;
  for: string;
  severity: Severity;
  /** Templates may use `{{ $labels.x }}` for the labels the expression keeps. */
  summary: string;
  description: string;
  /** What to do first: fixed text, or `byClass` for the class table's first action of the alert's class. */
  hint: string | 'byClass';
  /** Labels the rule adds to its alerts besides `severity` (a class the expression does not carry). */
  labels?: Record<string, string>;
  /** Anchor in the README. */
  runbook: string;
  noDataState: NoDataState;
  execErrState: ExecErrState;
}

export const RUNBOOK_BASE = 'https://github.com/warden/warden';
const TROUBLESHOOTING = 'troubleshooting-by-failure-class';

// Every expression is a filter, so an empty result is the healthy state, not missing data.
const QUIET_WHEN_EMPTY: NoDataState = 'OK';
// A failing query must surface as Grafana's DatasourceError, distinct from a backup problem.
const ERROR_ON_FAILURE: ExecErrState = 'Error';

/** Behind the server this long (for 5 more minutes) is more than a slow flush or a restart. */
const BINLOG_LAG_LIMIT_SECONDS = 300;

/** Long enough for daily schedules: the class of the last failure is still in the window. */
const FAILURE_WINDOW = '1d';

/**
 * One "backup failed" rule per severity: the severity label is static per rule, and notification
 * policies route on it, so the classes are split by the severity the failure table gives them.
 */
function backupFailed(severity: Severity, classes: FailureClass[]): AlertRule {
  return {
    uid: `warden-backup-failed-${severity}`,
    title: `WardenBackupFailed${severity[0]!.toUpperCase()}${severity.slice(1)}`,
    // The class comes from the failures counter, kept for targets whose newest run failed. A target
    // that never ran has last_run_success 0 too, but no failure to join: the stale rule covers it.
    expr:
      `max by (target, class) (increase(${METRICS.failures.name}{class=~"${classes.join('|')}"}[${FAILURE_WINDOW}]) > 0)` +
      ` and on (target) (${METRICS.lastRunSuccess.name} == 0)`,
    for: '0s',
    severity,
    summary: 'Backup of {{ $labels.target }} failed ({{ $labels.class }})',
    description:
      'The newest backup run of {{ $labels.target }} did not succeed; failure class {{ $labels.class }}. ' +
      'See the class in the troubleshooting table for the first action, and the run log.',
    hint: 'byClass',
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  };
}

const failedRules = SEVERITIES.flatMap((severity) => {
  const classes = (Object.keys(CLASS_INFO) as FailureClass[]).filter((c) => CLASS_INFO[c].severity === severity);
  return classes.length > 0 ? [backupFailed(severity, classes)] : [];
});

export const ALERT_RULES: readonly AlertRule[] = [
  ...failedRules,
  {
    uid: 'warden-backup-stale',
    title: 'WardenBackupStale',
    // Also fires for a target that never succeeded: its timestamp is 0 from the first scrape.
    expr: `time() - ${METRICS.lastSuccess.name} > ${METRICS.rpo.name}`,
    for: '5m',
    severity: 'critical',
    summary: 'No backup of {{ $labels.target }} within its RPO',
    description:
      'The newest successful backup of {{ $labels.target }} is older than the configured RPO (or there is none). ' +
      'Check the backup-failed alerts and the schedule of the target.',
    hint: 'Look at the backup-failed alerts of the target; if there are none, check that its schedule is set and the agent runs.',
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-verify-failed',
    title: 'WardenVerifyFailed',
    expr: `${METRICS.lastVerifySuccess.name} == 0`,
    for: '0s',
    severity: CLASS_INFO.verification.severity,
    summary: 'Verification of {{ $labels.target }} failed at level {{ $labels.level }}',
    description:
      'The most recent {{ $labels.level }} verification of a backup of {{ $labels.target }} failed: that backup cannot be trusted. ' +
      CLASS_INFO.verification.firstAction,
    hint: CLASS_INFO.verification.firstAction,
    labels: { class: 'verification' },
    runbook: 'verifying-and-restoring',
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-not-verified',
    title: 'WardenNotVerified',
    // Only targets with a backup to verify.
    expr: `time() - ${METRICS.lastVerified.name} > 7 * 86400 and on (target) (${METRICS.lastSuccess.name} > 0)`,
    for: '1h',
    severity: 'warning',
    summary: 'No backup of {{ $labels.target }} verified in 7 days',
    description: 'No verification of {{ $labels.target }} passed in the last 7 days. Schedule a verify run (a restore level measures the real RTO).',
    hint: 'Give the target a verifySchedule (weekly restore) or run warden verify on its newest backup.',
    labels: { class: 'verification' },
    runbook: 'verifying-and-restoring',
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-repository-space-low',
    title: 'WardenRepositorySpaceLow',
    // The newest backup's size estimates the next one; free bytes are per agent (no target label).
    expr:
      `min by (job, instance) (${METRICS.freeBytes.name})` +
      ` < on (job, instance) group_right max by (job, instance, target) (${METRICS.lastSize.name}) * 1.5`,
    for: '15m',
    severity: 'warning',
    summary: 'Repository too small for the next backup of {{ $labels.target }}',
    description:
      'The repository of {{ $labels.instance }} has less free space than 1.5 times the newest backup of {{ $labels.target }}. ' +
      CLASS_INFO.disk_full.firstAction,
    hint: CLASS_INFO.disk_full.firstAction,
    labels: { class: 'disk_full' },
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-disk-full',
    title: 'WardenDiskFull',
    // Retries count too: a run saved by pruning still means the repository filled up.
    expr:
      `sum by (target, class) (increase(${METRICS.failures.name}{class="disk_full"}[1h])` +
      ` + increase(${METRICS.retries.name}{class="disk_full"}[1h])) > 0`,
    for: '0s',
    severity: CLASS_INFO.disk_full.severity,
    summary: 'The repository ran full during a backup of {{ $labels.target }}',
    description: 'A backup of {{ $labels.target }} hit a full disk ({{ $labels.class }}) in the last hour. ' + CLASS_INFO.disk_full.firstAction,
    hint: CLASS_INFO.disk_full.firstAction,
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-run-stuck',
    title: 'WardenRunStuck',
    // 3× the mean duration of finished runs of every method, at least an hour; the histogram has no
    // series before the first finished run, then the hour alone applies.
    expr:
      `(time() - ${METRICS.lastAttempt.name}` +
      ` > (clamp_min(3 * sum without (method) (${METRICS.duration.name}_sum) / clamp_min(sum without (method) (${METRICS.duration.name}_count), 1), 3600)` +
      ` or ${METRICS.inProgress.name} * 0 + 3600))` +
      ` and ${METRICS.inProgress.name} == 1`,
    for: '5m',
    severity: 'warning',
    summary: 'Backup of {{ $labels.target }} runs far longer than usual',
    description:
      'The running backup of {{ $labels.target }} started more than 3 times its mean duration ago (at least an hour). ' +
      'Check the server for lock waits and the agent log; the stall timeout should stop a dump that writes nothing.',
    hint: CLASS_INFO.timeout.firstAction,
    labels: { class: 'timeout' },
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-binlog-archiving-stalled',
    title: 'WardenBinlogArchivingStalled',
    // The lag grows from the last time the archive held everything the server wrote, so a quiet
    // server does not fire it, and an archiver that never caught up does.
    expr: `${METRICS.binlogLag.name} > ${BINLOG_LAG_LIMIT_SECONDS}`,
    for: '5m',
    severity: 'error',
    summary: 'Binlog archiving of {{ $labels.target }} is stalled',
    description:
      `The binlog archive of {{ $labels.target }} has not caught up with the server for more than ${BINLOG_LAG_LIMIT_SECONDS / 60} minutes: ` +
      'a point-in-time restore cannot reach the latest transactions, and the server may purge logs before they are archived.',
    hint: 'Read binlog.lastFailure of the target (GET /api/v1/targets/<name>) and the agent log (component binlog): the server unreachable, REPLICATION SLAVE missing, or another archiver holding the lock.',
    runbook: 'metrics',
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-binlog-gap',
    title: 'WardenBinlogGap',
    expr: `${METRICS.binlogGap.name} == 1`,
    for: '0s',
    severity: CLASS_INFO.binlog_gap.severity,
    summary: 'The binlog archive of {{ $labels.target }} has a gap',
    description:
      'Binary logs of {{ $labels.target }} were purged before they were archived, after the newest good full backup: ' +
      'a point-in-time restore cannot cross the gap. ' +
      CLASS_INFO.binlog_gap.firstAction,
    hint: CLASS_INFO.binlog_gap.firstAction,
    labels: { class: 'binlog_gap' },
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-offsite-copy-missing',
    title: 'WardenOffsiteCopyMissing',
    // The newest good backup had its window to reach the offsite repository; a target without a
    // good backup is the stale rule's.
    expr:
      `time() - ${METRICS.lastSuccess.name} > ${METRICS.offsiteWindow.name}` +
      ` and on (target) ${METRICS.offsiteNewestCopied.name} == 0 and on (target) ${METRICS.lastSuccess.name} > 0`,
    for: '5m',
    severity: 'error',
    summary: 'The newest backup of {{ $labels.target }} has no offsite copy',
    description:
      'The newest good backup of {{ $labels.target }} finished longer ago than the offsite window and has no verified offsite copy: ' +
      'losing the backup host would lose it. Every run retries the copy, oldest waiting backup first.',
    hint: 'Run warden list: the offsite column gives the class of the failed copy (credentials, access, bucket, network); fix it, and the next run copies the backlog.',
    runbook: 'offsite-copy',
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-offsite-copy-failed',
    title: 'WardenOffsiteCopyFailed',
    // The local backup is good: a warning, whatever the class, with the class's first action.
    expr: `max by (target, class) (${METRICS.offsiteFailed.name} == 1)`,
    for: '0s',
    severity: 'warning',
    summary: 'Offsite copy of {{ $labels.target }} failed ({{ $labels.class }})',
    description:
      'The latest offsite copy of a backup of {{ $labels.target }} failed with class {{ $labels.class }}; the local backup is good and the next run tries again.',
    hint: 'byClass',
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-agent-down',
    title: 'WardenAgentDown',
    expr: 'up{job="warden"} == 0',
    for: '5m',
    severity: 'critical',
    summary: 'Warden agent {{ $labels.instance }} is down',
    description: 'Prometheus cannot scrape the Warden agent at {{ $labels.instance }}: no backups run and no other Warden alert can fire for it.',
    hint: 'Start the agent (warden serve) or fix the scrape: Prometheus must reach its /metrics.',
    runbook: 'running-the-service',
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
  {
    uid: 'warden-retries-storming',
    title: 'WardenRetriesStorming',
    expr: `sum by (target, class) (increase(${METRICS.retries.name}[1h])) > 5`,
    for: '0s',
    severity: 'warning',
    summary: 'Backups of {{ $labels.target }} keep retrying ({{ $labels.class }})',
    description: 'More than 5 retries of {{ $labels.target }} for class {{ $labels.class }} in the last hour: the cause is not transient.',
    hint: 'byClass',
    runbook: TROUBLESHOOTING,
    noDataState: QUIET_WHEN_EMPTY,
    execErrState: ERROR_ON_FAILURE,
  },
];
