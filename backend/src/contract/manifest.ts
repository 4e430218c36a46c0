// manifest.json: the record of one run. It is the catalog's source of truth; a backup is good only
// when its manifest says `success` and its files match the checksums written here.
import { z } from 'zod';
import { FAILURE_CLASSES, SEVERITIES } from './classes.js';
import { BACKUP_METHODS, COMPRESSIONS, OFFSITE_STATES, RUN_STATUSES, VERIFY_LEVELS, VERIFY_PROBLEM_KINDS } from './vocabulary.js';

export const MANIFEST_FORMAT = 1;
export { RUN_STATUSES, type RunStatus } from './vocabulary.js';

export const runClassSchema = z.enum([...FAILURE_CLASSES, 'none']);

export const failureSchema = z.object({
  class: z.enum(FAILURE_CLASSES),
  retryable: z.boolean(),
  severity: z.enum(SEVERITIES),
  code: z.union([z.number(), z.string()]).nullable(),
  hint: z.string(),
  message: z.string(),
  rule: z.string().optional(),
});
export type Failure = z.infer<typeof failureSchema>;

export const attemptSchema = z.object({
  attempt: z.number().int().min(1),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  server: z.string(),
  class: runClassSchema,
  error: failureSchema.nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const fileSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  /**
   * What the file holds. Single-stream: one `dump` file. Per-table: `schema` (databases, tables,
   * views, routines, events; no data, no triggers), one `data` file per table (its INSERTs only),
   * then `post` (triggers), restored in that order. Physical: one `stream` file, the backup tool's
   * mbstream/xbstream output.
   */
  role: z.enum(['dump', 'schema', 'data', 'post', 'stream']).default('dump'),
  /** Per-table backups: the `db.table` a data file holds. */
  table: z.string().optional(),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rawBytes: z.number().int().min(0),
  rawSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ManifestFile = z.infer<typeof fileSchema>;

export const tableSchema = z.object({
  name: z.string(),
  rows: z.number().int().min(0),
  /** Per-table backups: each table's own state, updated atomically as it completes. */
  status: z.enum(['pending', 'done', 'failed']).optional(),
  file: z.string().optional(),
  error: failureSchema.nullable().optional(),
  /**
   * Physical backups: `rows` is not an exact count at the backup's moment, either information_schema's
   * estimate (a large table) or a count that changed while the backup ran. Verification reports
   * the difference of such a table and does not fail it.
   */
  estimated: z.boolean().optional(),
});
export type ManifestTable = z.infer<typeof tableSchema>;

export const verifyProblemSchema = z.object({ kind: z.enum(VERIFY_PROBLEM_KINDS), table: z.string().optional(), detail: z.string() });
export type VerifyProblem = z.infer<typeof verifyProblemSchema>;

export const verificationSchema = z.object({
  level: z.enum(VERIFY_LEVELS),
  ok: z.boolean(),
  at: z.string(),
  problems: z.array(verifyProblemSchema),
  durationSeconds: z.number(),
  restoreSeconds: z.number().nullable(),
  /** What was found and is not a failure (a physical backup's estimated row counts). */
  notes: z.array(z.string()).optional(),
});
export type Verification = z.infer<typeof verificationSchema>;

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string(),
  target: z.string(),
  status: z.enum(RUN_STATUSES),
  class: runClassSchema,
  method: z.enum(BACKUP_METHODS),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  agent: z.object({ host: z.string(), pid: z.number().int() }),
  server: z.object({ endpoint: z.string(), version: z.string().nullable(), flavor: z.string().nullable() }),
  tool: z.object({ name: z.string(), path: z.string(), version: z.string() }).nullable(),
  options: z.array(z.string()),
  databases: z.array(z.string()),
  compression: z.enum(COMPRESSIONS),
  files: z.array(fileSchema),
  bytes: z.number().int().min(0),
  rawBytes: z.number().int().min(0),
  sha256: z.string().nullable(),
  rows: z.number().int().min(0),
  tables: z.array(tableSchema),
  objects: z.object({
    view: z.array(z.string()),
    trigger: z.array(z.string()),
    procedure: z.array(z.string()),
    function: z.array(z.string()),
    event: z.array(z.string()),
  }),
  binlog: z.object({ file: z.string().nullable(), position: z.number().int().nullable(), gtid: z.string().nullable() }).nullable(),
  attempts: z.array(attemptSchema),
  error: failureSchema.nullable(),
  warnings: z.array(z.string()),
  /** A resumed run names the interrupted run it continued. */
  resumedFrom: z.string().nullable().default(null),
  /**
   * Physical backups: the InnoDB log sequence numbers the tool reported. `fromLsn` is 0 for a full
   * backup; `toLsn` is the checkpoint the next incremental starts from; `lastLsn` is where the
   * copied redo log ends (xtrabackup_checkpoints holds the same three).
   */
  lsn: z.object({ fromLsn: z.number().int().min(0), toLsn: z.number().int().min(0), lastLsn: z.number().int().min(0) }).nullable().default(null),
  /**
   * Physical incrementals: the pages changed since `previousId` (whose `toLsn` is this one's
   * `fromLsn`), restored on top of the full backup `baseId` and every link between; `position` is
   * 1 for the first incremental after the base. Null for a full backup.
   */
  chain: z.object({ baseId: z.string(), previousId: z.string(), position: z.number().int().min(1) }).nullable().default(null),
  /** The latest verification of this backup (also recorded right after the backup). */
  verification: verificationSchema.nullable().default(null),
});
export type Manifest = z.infer<typeof manifestSchema>;

/**
 * offsite.json beside a run's manifest: where the run's offsite copy stands (offsite/). A record of
 * its own, replaced in one step, so the committed manifest is never rewritten for it.
 */
export const offsiteRecordSchema = z.object({
  format: z.literal(1),
  state: z.enum(OFFSITE_STATES),
  /** The copy's folder on the offsite storage. */
  location: z.string().regex(/^s3:\/\/[^\u0000-\u001f\u007f]+$/),
  /** When the last attempt ended. */
  at: z.iso.datetime(),
  /** When the copy was read back and every file matched the manifest; null until then. */
  verifiedAt: z.iso.datetime().nullable(),
  /** Bytes copied. */
  bytes: z.number().int().min(0),
  /** Attempts so far, over all runs. */
  attempts: z.number().int().min(1),
  error: failureSchema.nullable(),
});
export type OffsiteRecord = z.infer<typeof offsiteRecordSchema>;
