// The one table of failure classes: severity, retry rule and first action. The classifier, the
// metrics labels, the alert rules and the plugin's hints all read it (docs/architecture.md, "The contract").

export const FAILURE_CLASSES = [
  'auth',
  'privilege',
  'connection',
  'disk_full',
  'killed',
  'corruption',
  'charset',
  'not_found',
  'config',
  'lock_timeout',
  'out_of_memory',
  'timeout',
  'verification',
  'binlog_gap',
  'unknown',
] as const;

export type FailureClass = (typeof FAILURE_CLASSES)[number];
/** `none` marks a clean run wherever a class is reported. */
export type RunClass = FailureClass | 'none';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How many times a failure of this class is retried: 'backoff' means the configured policy. */
export type RetryRule = 'never' | 'once' | 'backoff';

export interface ClassInfo {
  severity: Severity;
  retry: RetryRule;
  /** What an operator should do first; the classifier's rules may give a more precise hint. */
  firstAction: string;
}

export const CLASS_INFO: Record<FailureClass, ClassInfo> = {
  disk_full: { severity: 'critical', retry: 'once', firstAction: 'Free space in the repository (retention prunes old backups), then expand the disk.' },
  corruption: { severity: 'critical', retry: 'never', firstAction: 'Run CHECK TABLE / REPAIR TABLE on the table named, then re-run the backup.' },
  verification: { severity: 'critical', retry: 'once', firstAction: 'The backup did not verify: investigate the log; it is never published as good.' },
  auth: { severity: 'error', retry: 'never', firstAction: 'Fix the credentials of the backup user (user, password source, host).' },
  privilege: { severity: 'error', retry: 'never', firstAction: 'Grant the backup user the privilege the message names.' },
  killed: { severity: 'error', retry: 'backoff', firstAction: 'Find what killed the dump (OOM killer, an operator, KILL on the server).' },
  out_of_memory: { severity: 'error', retry: 'backoff', firstAction: 'Check memory limits of the agent host and the server; the dump streams with --quick.' },
  connection: { severity: 'warning', retry: 'backoff', firstAction: 'Check that the server is up and reachable from the agent (host, port, socket, firewall).' },
  lock_timeout: { severity: 'warning', retry: 'backoff', firstAction: 'A lock wait timed out: schedule the backup off-peak or find the long transaction.' },
  timeout: { severity: 'warning', retry: 'backoff', firstAction: 'The run exceeded its deadline or stalled: raise the deadline or dump per table in parallel.' },
  charset: { severity: 'warning', retry: 'never', firstAction: 'Use utf8mb4 end to end (server, tables, dump option).' },
  not_found: { severity: 'error', retry: 'never', firstAction: 'Fix the target list: a database, table or the dump tool does not exist.' },
  config: { severity: 'error', retry: 'never', firstAction: 'Fix the configuration key the message names.' },
  binlog_gap: {
    severity: 'critical',
    retry: 'never',
    firstAction: 'Binary logs were lost before they were archived: take a full backup now (point-in-time recovery restarts from it) and keep binary logs on the server longer than the archiver may be down.',
  },
  unknown: { severity: 'error', retry: 'once', firstAction: 'Read the run log; the failure did not match a known pattern.' },
};

/** What `warden classify` says of evidence that shows a clean run (class `none`, severity `info`). */
export const NONE_HINT = 'The evidence shows a clean run: exit 0, output complete, no error reported.';

export function isRetryable(cls: FailureClass): boolean {
  return CLASS_INFO[cls].retry !== 'never';
}
