import type { FailureClass, RunClass, Severity } from '../contract/classes.js';

/** Everything known about a failed run, as collected by the pipeline (or pasted from the field). */
export interface FailureEvidence {
  /** Dump tool binary name, e.g. `mariadb-dump` or `mysqldump`. */
  tool?: string;
  exitCode?: number | null;
  /** Terminating signal of the dump tool, e.g. `SIGKILL`. */
  signal?: string | null;
  stderr?: string;
  /** The last bytes of the dump's stdout (where the completion trailer lives). */
  stdoutTail?: string;
  /** Whether the `-- Dump completed` trailer was seen; undefined when unknown. */
  trailerPresent?: boolean;
  /** Node/OS error codes the agent itself hit (ENOSPC, EACCES, ENOENT …), with their context. */
  osErrors?: { code: string; syscall?: string; path?: string; message?: string }[];
  /**
   * Errors the repository's storage raised: an S3 error (`name` is its code, e.g. `NoSuchBucket`,
   * `status` its HTTP status), a network error on its connection (`code`: ECONNREFUSED …), or a
   * read-back whose sha256 differs (`name`: ChecksumMismatch).
   */
  storageErrors?: StorageError[];
  /** A failed helper process (the compressor) and how it ended. */
  compressor?: { name: string; exitCode: number | null; signal: string | null; stderr: string };
  /** Facts established by the agent before or around the dump (pre-flight, deadlines, stalls). */
  facts?: {
    deadlineExceeded?: boolean;
    stalledSeconds?: number;
    preflightFailedCheck?: string;
    configError?: string;
    lossyCharset?: boolean;
    missingObjects?: string[];
    killedByAgent?: boolean;
  };
}

export interface StorageError {
  name?: string;
  code?: string;
  status?: number;
  message?: string;
}

export interface Classification {
  /** `none` when the evidence shows a clean run. */
  class: RunClass;
  retryable: boolean;
  severity: Severity;
  /** The MySQL/MariaDB error code (e.g. 1045) or OS errno name when there is one. */
  code: number | string | null;
  /** One line telling an operator what to do. */
  hint: string;
  /** Which rule matched (stable id, for logs and tests). */
  rule: string;
  /** The evidence line that matched, trimmed. */
  detail?: string;
}

/** The classification of a run known to have failed. */
export interface FailureClassification extends Classification {
  class: FailureClass;
}
