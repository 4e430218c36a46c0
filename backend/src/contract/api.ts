// What the HTTP API answers and streams (docs/api.md): the shapes the plugin reads. The agent's
// tests validate its answers against these schemas; the plugin imports the types only, so its
// bundle carries no zod.
import { z } from 'zod';
import { SEVERITIES } from './classes.js';
import { failureSchema, manifestSchema, offsiteRecordSchema, runClassSchema, verificationSchema, verifyProblemSchema } from './manifest.js';
import { ARCHIVER_STATES, BACKUP_METHODS, RUN_KINDS, RUN_STATUSES, TARGET_STATES, VERIFY_LEVELS } from './vocabulary.js';

export const progressSchema = z.strictObject({
  rawBytes: z.number(),
  bytes: z.number(),
  tablesDone: z.number().int(),
  tablesTotal: z.number().int(),
  currentTable: z.string().nullable(),
});
export type Progress = z.infer<typeof progressSchema>;

/** A backup's latest verification as summaries carry it: the manifest's record without its duration. */
export const verificationSummarySchema = z.strictObject(verificationSchema.omit({ durationSeconds: true }).shape);
export type VerificationSummary = z.infer<typeof verificationSummarySchema>;

/** A backup's offsite copy as summaries carry it: its record without the format. */
export const offsiteSummarySchema = z.strictObject(offsiteRecordSchema.omit({ format: true }).shape);
export type OffsiteSummary = z.infer<typeof offsiteSummarySchema>;
/** GET /api/v1/backups/:id/offsite. */
export const offsiteAnswerSchema = z.strictObject({ offsite: offsiteSummarySchema.nullable() });
export type OffsiteAnswer = z.infer<typeof offsiteAnswerSchema>;

/** One run as GET /api/v1/backups lists it: the manifest's own fields, and counts in place of lists. */
export const backupSummarySchema = z.strictObject({
  ...manifestSchema.pick({
    id: true,
    target: true,
    status: true,
    class: true,
    method: true,
    startedAt: true,
    finishedAt: true,
    durationSeconds: true,
    bytes: true,
    rawBytes: true,
    rows: true,
    compression: true,
    error: true,
    chain: true,
  }).shape,
  tables: z.number().int(),
  /** the endpoint the backup came from (a replica after fail-over) */
  server: z.string(),
  verification: verificationSummarySchema.nullable(),
  attempts: z.number().int(),
  /** Null when no offsite copy was attempted (none configured, or not yet). */
  offsite: offsiteSummarySchema.nullable(),
});
export type BackupSummary = z.infer<typeof backupSummarySchema>;

export const runningInfoSchema = z.strictObject({
  id: z.string(),
  startedAt: z.string(),
  kind: z.enum(RUN_KINDS),
  progress: progressSchema.nullable(),
});
export type RunningInfo = z.infer<typeof runningInfoSchema>;

/** The binlog archive of a target with `binlog.archive` on, as `warden serve` archives it. */
export const binlogInfoSchema = z.strictObject({
  state: z.enum(ARCHIVER_STATES),
  /** The server file being written, as the archive holds it. */
  current: z.string().nullable(),
  /** The newest event the archive holds. */
  lastEventTime: z.string().nullable(),
  /** Seconds since the archive last held everything the server had written (since the archiver started when it never did). */
  lagSeconds: z.number(),
  /** The archive misses binary logs after the newest good full backup's coordinates. */
  gap: z.boolean(),
  /** The latest moment a point-in-time restore can reach; null when no good full backup can start one. */
  recoverableTo: z.string().nullable(),
  lastFailure: failureSchema.nullable(),
});
export type BinlogInfo = z.infer<typeof binlogInfoSchema>;

/** One target as GET /api/v1/targets lists it. */
export const targetInfoSchema = z.strictObject({
  name: z.string(),
  endpoint: z.string(),
  databases: z.array(z.string()).nullable(),
  method: z.enum(BACKUP_METHODS),
  schedule: z.string().nullable(),
  verifySchedule: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  nextVerifyAt: z.string().nullable(),
  rpoSeconds: z.number().nullable(),
  state: z.enum(TARGET_STATES),
  running: runningInfoSchema.nullable(),
  lastRun: backupSummarySchema.nullable(),
  lastSuccess: backupSummarySchema.nullable(),
  lastVerified: backupSummarySchema.nullable(),
  lastFailure: backupSummarySchema.nullable(),
  /** Only for targets with `binlog.archive` on. */
  binlog: binlogInfoSchema.optional(),
});
export type TargetInfo = z.infer<typeof targetInfoSchema>;

/** GET /api/v1/agent */
export const agentInfoSchema = z.strictObject({
  version: z.string(),
  /** absolute path of the configuration file the agent loaded */
  configFile: z.string(),
  startedAt: z.string(),
});
export type AgentInfo = z.infer<typeof agentInfoSchema>;

/** 202 answer of POST …/backups and …/verify */
export const startedRunSchema = z.strictObject({
  id: z.string(),
  target: z.string().optional(),
  level: z.enum(VERIFY_LEVELS).optional(),
});
export type StartedRun = z.infer<typeof startedRunSchema>;

/** Body of POST /api/v1/restore-to-point/:id: exactly one point, a new database, a dry run or not. */
export const restoreToPointBodySchema = z
  .strictObject({
    /** ISO 8601; without a zone, UTC */
    to: z.string().max(64).optional(),
    toGtid: z.string().max(128).optional(),
    /** FILE:POSITION */
    toPosition: z.string().max(300).optional(),
    database: z.string().min(1).max(64),
    sourceDatabase: z.string().min(1).max(64).optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((b) => [b.to, b.toGtid, b.toPosition].filter((p) => p !== undefined).length === 1, { message: 'give exactly one of to, toGtid, toPosition' });
export type RestoreToPointBody = z.input<typeof restoreToPointBodySchema>;

/** What a point-in-time restore loads and replays (the same as `warden restore --dry-run --json`'s plan). */
export const pointInTimePlanSchema = z.strictObject({
  point: z.strictObject({ kind: z.enum(['time', 'gtid', 'position']), value: z.string() }),
  backup: z.strictObject({
    id: z.string(),
    startedAt: z.string(),
    binlog: z.strictObject({ file: z.string(), position: z.number(), gtid: z.string().nullable() }),
  }),
  files: z.array(z.strictObject({ name: z.string(), from: z.number().nullable(), to: z.number().nullable(), source: z.enum(['archived', 'current']) })),
  stop: z.strictObject({ file: z.string(), position: z.number().nullable() }).nullable(),
  lastTransaction: z.strictObject({ gtid: z.string().nullable(), time: z.string(), file: z.string(), end: z.number() }).nullable(),
  /**
   * A dry run's list of the statements the stretch holds as SQL (DDL, statement-based DML), in the
   * database they ran in: the replay refuses any that names a database other than the new one.
   */
  statements: z.array(z.strictObject({ file: z.string(), position: z.number(), time: z.string(), database: z.string(), text: z.string() })).optional(),
});
export type PointInTimePlan = z.infer<typeof pointInTimePlanSchema>;

/** 200 answer of a dry run, 202 of a real one (which then runs as kind `restore`). */
export const restoreToPointAnswerSchema = z.strictObject({
  id: z.string(),
  target: z.string(),
  dryRun: z.boolean(),
  sourceDatabase: z.string(),
  database: z.string(),
  plan: pointInTimePlanSchema,
});
export type RestoreToPointAnswer = z.infer<typeof restoreToPointAnswerSchema>;

/** Server-sent events of GET /api/v1/events: `event: <type>`, `data: <the fields but type>`. */
export const agentEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('run-started'), id: z.string(), target: z.string(), kind: z.enum(RUN_KINDS), startedAt: z.string() }),
  z.strictObject({ type: z.literal('run-progress'), id: z.string(), target: z.string(), progress: progressSchema }),
  z.strictObject({
    type: z.literal('run-finished'),
    id: z.string(),
    target: z.string(),
    kind: z.enum(RUN_KINDS),
    status: z.enum(RUN_STATUSES),
    class: runClassSchema,
    severity: z.enum(SEVERITIES),
    hint: z.string(),
    durationSeconds: z.number().nullable(),
  }),
  z.strictObject({
    type: z.literal('verify-finished'),
    id: z.string(),
    target: z.string(),
    level: z.enum(VERIFY_LEVELS),
    ok: z.boolean(),
    problems: z.array(verifyProblemSchema),
  }),
]);
export type AgentEvent = z.infer<typeof agentEventSchema>;
