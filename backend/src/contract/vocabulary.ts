// The words the agent and the plugin share (docs/architecture.md, "The contract"). Plain values, no
// zod: the plugin imports them into its bundle.

export const RUN_STATUSES = ['running', 'success', 'partial', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const VERIFY_LEVELS = ['checksum', 'parse', 'restore'] as const;
export type VerifyLevel = (typeof VERIFY_LEVELS)[number];

export const COMPRESSIONS = ['zstd', 'gzip', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export const BACKUP_METHODS = ['single-stream', 'per-table', 'physical'] as const;
export type BackupMethod = (typeof BACKUP_METHODS)[number];

export const RUN_KINDS = ['backup', 'verify', 'restore'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** running > failing (last run not success) > stale (last success older than rpo) > never > ok. */
export const TARGET_STATES = ['ok', 'failing', 'stale', 'running', 'never'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

/** A binlog archiver: connecting, streaming, waiting to start the tool again, stopped. */
/** Where a backup's offsite copy stands (offsite/): read back and matched, or its last attempt failed. */
export const OFFSITE_STATES = ['copied', 'failed'] as const;
export type OffsiteState = (typeof OFFSITE_STATES)[number];

export const ARCHIVER_STATES = ['starting', 'streaming', 'waiting', 'stopped'] as const;
export type ArchiverState = (typeof ARCHIVER_STATES)[number];

export const VERIFY_PROBLEM_KINDS = [
  'manifest',
  'missing-file',
  'size',
  'checksum',
  'decompress',
  'cut',
  'grammar',
  'trailer',
  'missing-table',
  'extra-table',
  'row-count',
  'missing-object',
  'restore',
  'check-table',
  'timeout',
  /** The binlog archive misses files a replay from the newest good full backup needs. */
  'gap',
  /** A physical incremental whose base or an earlier link is missing or not good: it cannot be restored. */
  'chain',
] as const;
export type VerifyProblemKind = (typeof VERIFY_PROBLEM_KINDS)[number];

export const AGENT_EVENT_TYPES = ['run-started', 'run-progress', 'run-finished', 'verify-finished'] as const;
export type AgentEventType = (typeof AGENT_EVENT_TYPES)[number];
