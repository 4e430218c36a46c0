// The agent's HTTP API (docs/api.md), as the plugin sees it.

export type RunStatus = 'running' | 'success' | 'partial' | 'failed' | 'interrupted';
export type FailureClass =
  | 'auth'
  | 'privilege'
  | 'connection'
  | 'disk_full'
  | 'killed'
  | 'corruption'
  | 'charset'
  | 'not_found'
  | 'config'
  | 'lock_timeout'
  | 'out_of_memory'
  | 'timeout'
  | 'verification'
  | 'unknown';
export type RunClass = FailureClass | 'none';
export type Severity = 'critical' | 'error' | 'warning' | 'info';
export type VerifyLevel = 'checksum' | 'parse' | 'restore';
export type BackupMethod = 'single-stream' | 'per-table';
export type Compression = 'zstd' | 'gzip' | 'none';

export const VERIFY_LEVELS: VerifyLevel[] = ['checksum', 'parse', 'restore'];
export const RUN_STATUSES: RunStatus[] = ['running', 'success', 'partial', 'failed', 'interrupted'];

export interface Failure {
  class: FailureClass;
  retryable: boolean;
  severity: Severity;
  code: number | string | null;
  hint: string;
  message: string;
}

export interface Progress {
  rawBytes: number;
  bytes: number;
  tablesDone: number;
  tablesTotal: number;
  currentTable: string | null;
}

export interface VerifyProblem {
  kind: string;
  table?: string;
  detail: string;
}

export interface VerificationSummary {
  level: VerifyLevel;
  ok: boolean;
  at: string;
  restoreSeconds: number | null;
  problems: VerifyProblem[];
}

export interface BackupSummary {
  id: string;
  target: string;
  status: RunStatus;
  class: RunClass;
  method: BackupMethod;
  startedAt: string;
  finishedAt: string | null;
  durationSeconds: number | null;
  bytes: number;
  rawBytes: number;
  rows: number;
  tables: number;
  compression: Compression;
  /** the endpoint the backup came from (a replica after fail-over) */
  server: string;
  verification: VerificationSummary | null;
  error: Failure | null;
  attempts: number;
}

export type TargetState = 'ok' | 'failing' | 'stale' | 'running' | 'never';
export type RunKind = 'backup' | 'verify';

export interface RunningInfo {
  id: string;
  startedAt: string;
  kind: RunKind;
  progress: Progress | null;
}

export interface TargetInfo {
  name: string;
  endpoint: string;
  databases: string[] | null;
  method: BackupMethod;
  schedule: string | null;
  verifySchedule: string | null;
  nextRunAt: string | null;
  nextVerifyAt: string | null;
  rpoSeconds: number | null;
  state: TargetState;
  running: RunningInfo | null;
  lastRun: BackupSummary | null;
  lastSuccess: BackupSummary | null;
  lastVerified: BackupSummary | null;
  lastFailure: BackupSummary | null;
}

export interface ManifestFile {
  name: string;
  role: 'dump' | 'schema' | 'data' | 'post';
  table?: string;
  bytes: number;
  sha256: string;
  rawBytes: number;
  rawSha256: string;
}

export interface ManifestTable {
  name: string;
  rows: number;
  status?: 'pending' | 'done' | 'failed';
  error?: Failure | null;
}

export interface Attempt {
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  server: string;
  class: RunClass;
  error: Failure | null;
}

/** manifest.json as the agent stores it (GET /api/v1/backups/:id) */
export interface Manifest {
  id: string;
  target: string;
  status: RunStatus;
  class: RunClass;
  method: BackupMethod;
  startedAt: string;
  finishedAt: string | null;
  durationSeconds: number | null;
  server: { endpoint: string; version: string | null; flavor: string | null };
  tool: { name: string; path: string; version: string } | null;
  databases: string[];
  compression: Compression;
  files: ManifestFile[];
  bytes: number;
  rawBytes: number;
  sha256: string | null;
  rows: number;
  tables: ManifestTable[];
  binlog: { file: string | null; position: number | null; gtid: string | null } | null;
  attempts: Attempt[];
  error: Failure | null;
  warnings: string[];
  resumedFrom?: string | null;
  verification?: (VerificationSummary & { durationSeconds?: number }) | null;
}

/** one line of the run's log.jsonl (pino) */
export interface LogLine {
  level: number;
  time: number;
  msg?: string;
  [field: string]: unknown;
}

export interface BackupFilter {
  target?: string;
  status?: RunStatus;
  limit?: number;
}

export interface StartedRun {
  id: string;
  target?: string;
  level?: VerifyLevel;
}

/** GET /api/v1/agent */
export interface AgentInfo {
  version: string;
  /** absolute path of the configuration file the agent loaded */
  configFile: string;
  startedAt: string;
}

/** Server-sent events of GET /api/v1/events */
export type AgentEvent =
  | { type: 'run-started'; id: string; target: string; kind: RunKind; startedAt: string }
  | { type: 'run-progress'; id: string; target: string; progress: Progress }
  | {
      type: 'run-finished';
      id: string;
      target: string;
      kind: RunKind;
      status: RunStatus;
      class: RunClass;
      severity: Severity | null;
      hint: string | null;
      durationSeconds: number | null;
    }
  | { type: 'verify-finished'; id: string; target: string; level: VerifyLevel; ok: boolean; problems: VerifyProblem[] };

export const AGENT_EVENT_TYPES: Array<AgentEvent['type']> = ['run-started', 'run-progress', 'run-finished', 'verify-finished'];
