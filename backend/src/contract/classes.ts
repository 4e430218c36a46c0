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
  'storage_credentials',
  'storage_access_denied',
  'storage_no_bucket',
  'storage_throttled',
  'storage_network',
  'checksum_mismatch',
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
  // Object storage (storage/s3.ts). Apart from the database's classes (`auth`, `privilege`,
  // `not_found`, `connection`): the fix is in another system, and an alert must say which.
  storage_credentials: {
    severity: 'error',
    retry: 'never',
    firstAction: 'Fix the object storage credentials: the key id and secret named by s3.accessKeyEnv / s3.secretKeyEnv or s3.credentialsFile (a key unknown to the storage, a wrong secret, an expired token).',
  },
  storage_access_denied: {
    severity: 'error',
    retry: 'never',
    firstAction: 'Allow the key s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject and s3:AbortMultipartUpload on the bucket and prefix: a bucket or user policy refuses one.',
  },
  storage_no_bucket: { severity: 'error', retry: 'never', firstAction: 'Create the bucket the repository names, or fix its name, s3.endpoint and s3.region.' },
  storage_throttled: {
    severity: 'warning',
    retry: 'backoff',
    firstAction: 'The object storage asked the agent to slow down (SlowDown, 503): retries back off; if it persists, lower scheduler.concurrency or ask the provider for a higher request rate.',
  },
  storage_network: { severity: 'warning', retry: 'backoff', firstAction: 'Check that the object storage endpoint is reachable from the agent (s3.endpoint, DNS, firewall, proxy).' },
  // Not `verification` (a backup that is not whole) nor `corruption` (a damaged table): bytes
  // changed between the agent and the storage; a new copy usually fixes it.
  checksum_mismatch: {
    severity: 'error',
    retry: 'once',
    firstAction: 'The stored bytes differ from those sent: the copy is made again; if it repeats, check the network path (a proxy rewriting bodies) and the storage\'s health.',
  },
  unknown: { severity: 'error', retry: 'once', firstAction: 'Read the run log; the failure did not match a known pattern.' },
};

/** What `warden classify` says of evidence that shows a clean run (class `none`, severity `info`). */
export const NONE_HINT = 'The evidence shows a clean run: exit 0, output complete, no error reported.';

export function isRetryable(cls: FailureClass): boolean {
  return CLASS_INFO[cls].retry !== 'never';
}
