// The configuration schema: the one place every key is defined (warden.example.yaml documents it
// and a test checks the two agree).
import { isIP } from 'node:net';
import { Cron } from 'croner';
import { z } from 'zod';
import { BACKUP_METHODS, COMPRESSIONS, VERIFY_LEVELS } from '../contract/vocabulary.js';
import { parseDuration } from './duration.js';

export const TARGET_NAME = /^[a-z0-9_-]{1,64}$/;
/** Databases MySQL and MariaDB keep for themselves; never dumped unless listed explicitly. */
export const SYSTEM_DATABASES = ['mysql', 'information_schema', 'performance_schema', 'sys'];
export { VERIFY_LEVELS, type VerifyLevel } from '../contract/vocabulary.js';

const port = z.number().int().min(1).max(65535);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
/** A DNS name, or an IP address (IPv6 with or without brackets); never a port. */
const hostName = z
  .string()
  .refine((h) => /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/.test(h) || isIP(h.replace(/^\[(.*)\]$/, '$1')) !== 0, 'must be a host name or IP address, without a port');
// Dots are allowed: MariaDB and MySQL take `app.v2` as a database name (catalog/names.ts splits
// `db.table` names accordingly).
const identifier = z.string().min(1).max(64).regex(/^[^`/\\\0]+$/, 'must be a plain database name (no backquote, slash, backslash or NUL)');

/** A duration: seconds as a number, or a string like `90s`, `30m`, `26h`, `7d`, `2w`; parsed to seconds. */
const duration = z.union([z.number().positive(), z.string()]).transform((v, ctx) => {
  const seconds = typeof v === 'number' ? v : parseDuration(v);
  if (seconds === null) {
    ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a duration (e.g. 90s, 30m, 26h, 7d)` });
    return z.NEVER;
  }
  return seconds;
});

/** A cron expression (5 fields, or 6 with seconds), checked by the scheduler's own library. */
const cron = z.string().superRefine((expr, ctx) => {
  try {
    new Cron(expr, { paused: true }).stop();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid cron expression "${expr}": ${(err as Error).message}` });
  }
});

export const compressionSchema = z.enum(COMPRESSIONS);
/** Keys the command line can override (cli/options.ts checks its options with these). */
export const PARALLEL_SCHEMA = z.number().int().min(1).max(64);
export const LEVEL_SCHEMA = z.enum(VERIFY_LEVELS);

const endpointFields = {
  host: z.string().min(1).optional(),
  port: port.optional(),
  socket: z.string().min(1).optional(),
};

const replicaSchema = z.strictObject(endpointFields);

const retrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20).default(3),
  baseDelaySeconds: z.number().min(0).max(3600).default(5),
  maxDelaySeconds: z.number().min(0).max(86_400).default(300),
});

const retentionSchema = z.strictObject({
  keepLast: z.number().int().min(1).optional(),
  keepDays: z.number().int().min(1).optional(),
  keepDaily: z.number().int().min(0).optional(),
  keepWeekly: z.number().int().min(0).optional(),
  keepMonthly: z.number().int().min(0).optional(),
});

const credentialsFields = {
  user: z.string().min(1),
  passwordEnv: envName.optional(),
  passwordFile: z.string().min(1).optional(),
};

function exclusive(t: { passwordEnv?: string; passwordFile?: string; socket?: string; host?: string; port?: number }, ctx: z.RefinementCtx): void {
  if (t.passwordEnv && t.passwordFile) {
    ctx.addIssue({ code: 'custom', path: ['passwordFile'], message: 'give passwordEnv or passwordFile, not both' });
  }
  if (t.socket && (t.host || t.port)) {
    ctx.addIssue({ code: 'custom', path: ['socket'], message: 'give socket, or host and port, not both' });
  }
}

/** Point-in-time recovery: the target's binary logs archived as the server writes them. */
const binlogSchema = z.strictObject({
  archive: z.boolean().default(false),
  /** The file being written is flushed to the repository at least this often. */
  flushSeconds: z.number().int().min(1).max(3600).default(10),
  /** The replica server id the archiver connects with; it must differ from every server's and replica's. */
  serverId: z.number().int().min(1).max(4_294_967_295).optional(),
});

/**
 * Physical incrementals: a run is incremental while the full backup its chain starts from is
 * younger than `fullEvery`. `schedule` is a cron expression, not an interval, because the
 * scheduler and its missed-run policy work with cron fire times (an interval like 90m has none).
 */
const incrementalSchema = z.strictObject({
  schedule: cron.optional(),
  fullEvery: duration,
});

export const targetSchema = z
  .strictObject({
    name: z.string().regex(TARGET_NAME, 'must match [a-z0-9_-] (1 to 64 characters)'),
    ...endpointFields,
    ...credentialsFields,
    databases: z.array(identifier).min(1).optional(),
    excludeDatabases: z.array(identifier).optional(),
    compression: compressionSchema.default('zstd'),
    compressionLevel: z.number().int().min(1).max(19).optional(),
    tool: z.enum(['auto', 'mariadb-dump', 'mysqldump']).default('auto'),
    connectTimeoutSeconds: z.number().int().min(1).max(600).default(10),
    characterSet: z.string().regex(/^[A-Za-z0-9_]+$/, 'must be a character set name').default('utf8mb4'),
    method: z.enum(BACKUP_METHODS).default('single-stream'),
    parallel: PARALLEL_SCHEMA.default(2),
    consistent: z.boolean().default(false),
    binlogCoordinates: z.enum(['auto', 'agent', 'none']).default('auto'),
    replicas: z.array(replicaSchema).default([]),
    schedule: cron.optional(),
    verifySchedule: cron.optional(),
    verifyLevel: LEVEL_SCHEMA.default('restore'),
    verifyAfterBackup: z.enum([...VERIFY_LEVELS, 'none']).default('parse'),
    rpo: duration.optional(),
    deadline: duration.default(6 * 3600),
    stallTimeout: duration.default(600),
    anomalyThreshold: z.number().min(0).max(1).default(0.2),
    retry: retrySchema.optional(),
    retention: retentionSchema.optional(),
    binlog: binlogSchema.optional(),
    incremental: incrementalSchema.optional(),
  })
  .superRefine((t, ctx) => {
    exclusive(t, ctx);
    if (t.incremental && t.method !== 'physical') {
      ctx.addIssue({ code: 'custom', path: ['incremental'], message: 'incremental backups need method: physical' });
    }
    if (t.databases && t.excludeDatabases) {
      ctx.addIssue({ code: 'custom', path: ['excludeDatabases'], message: 'give databases or excludeDatabases, not both' });
    }
  });

/** How a repository on object storage is written: `s3://bucket/prefix`. */
export const S3_SCHEME = 's3://';

/** Where an `s3://bucket/prefix` repository lives and how to reach it (storage/s3.ts). */
const s3Schema = z.strictObject({
  /** Any S3-compatible server; unset means AWS itself. */
  endpoint: z.string().url().optional(),
  region: z.string().min(1).default('us-east-1'),
  forcePathStyle: z.boolean().default(false),
  /** Send x-amz-checksum-sha256 with every write so the server checks the bytes it stores. */
  checksums: z.boolean().default(true),
  accessKeyEnv: envName.default('AWS_ACCESS_KEY_ID'),
  secretKeyEnv: envName.default('AWS_SECRET_ACCESS_KEY'),
  /** An AWS shared-credentials file; replaces the two variables above. */
  credentialsFile: z.string().min(1).optional(),
  profile: z.string().min(1).default('default'),
});

/**
 * A second copy of every good backup on object storage (offsite/): copied and read back after the
 * backup verified. Global: every target's backups go to `<repository>/<target>/<id>/` there.
 */
/** `s3://bucket/a/b/` as `bucket/a/b`, to compare two locations by their folders. */
const s3Folder = (location: string) => location.replace(/^s3:\/\//, '').replace(/\/+$/, '');

const offsiteSchema = z.strictObject({
  repository: z
    .string()
    .regex(/^s3:\/\/[A-Za-z0-9._-]+(\/|$)/, 'must be an s3://bucket/prefix location (the s3 settings say how to reach it)')
    // Keys are not paths: `a//b`, `a/./b` and `a/../b` are other objects than `a/b`, which a reader of the bucket would not look for.
    .refine((l) => !l.startsWith('s3://') || s3Folder(l).split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !/[\u0000-\u001f\u007f]/.test(part)), {
      message: 'its prefix must be folder names separated by single slashes, without ".", ".." or control characters',
    }),
  /** The newest good backup without a verified offsite copy this long after it finished raises an alert. */
  window: duration.default(6 * 3600),
  /** Backups copied per run at most (the newest first, then the oldest): a long outage's backlog is worked off over several runs. */
  maxCopiesPerRun: z.number().int().min(1).max(1000).default(5),
});

const scratchSchema = z.strictObject({ ...endpointFields, ...credentialsFields }).superRefine(exclusive);

export const configSchema = z
  .strictObject({
    repository: z.string().min(1),
    s3: s3Schema.prefault({}),
    offsite: offsiteSchema.optional(),
    api: z
      .strictObject({
        listen: z.string().regex(/^[^:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'must be HOST:PORT').default('127.0.0.1:9207'),
        tokenEnv: envName.default('WARDEN_API_TOKEN'),
        tokenFile: z.string().min(1).optional(),
        protectReads: z.boolean().default(false),
        corsOrigins: z.array(z.string().url()).default([]),
        allowedHosts: z.array(hostName).default([]),
      })
      .prefault({}),
    scheduler: z.strictObject({ concurrency: z.number().int().min(1).max(64).default(2) }).prefault({}),
    retry: retrySchema.prefault({}),
    retention: retentionSchema.optional(),
    preflight: z.strictObject({ freeSpaceFactor: z.number().min(1).max(10).default(1.5) }).prefault({}),
    verify: z
      .strictObject({
        scratch: scratchSchema.optional(),
        /** A verification that runs longer is stopped and recorded as failed with class timeout. */
        deadline: duration.default(6 * 3600),
      })
      .prefault({}),
    targets: z.array(targetSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.targets.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'name'], message: `duplicate target name "${t.name}"` });
      seen.add(t.name);
      // The binlog tool writes the files it receives in the repository, growing them in place as
      // the server sends events (binlog/archiver.ts): object storage cannot grow an object.
      if (t.binlog?.archive && c.repository.startsWith(S3_SCHEME)) {
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'binlog', 'archive'],
          message: 'binary logs cannot be archived into an s3:// repository (their files grow in place as the server sends them); archive them into a local or mounted repository, or set archive: false',
        });
      }
    });
    if (c.offsite && /^s3:\/\//.test(c.repository)) {
      const [offsite, repository] = [s3Folder(c.offsite.repository), s3Folder(c.repository)];
      if (offsite === repository) {
        ctx.addIssue({ code: 'custom', path: ['offsite', 'repository'], message: 'must differ from repository: an offsite copy in the same place is no second copy' });
      } else if (offsite.startsWith(`${repository}/`) || repository.startsWith(`${offsite}/`)) {
        // Both hold `<target>/<id>/` folders: one inside the other, the copies would pass for backups of the other (or be expired with them).
        ctx.addIssue({ code: 'custom', path: ['offsite', 'repository'], message: `must not be inside repository ${c.repository}, nor contain it: the copies would mix with the backups` });
      }
    }
  });

export type TargetConfig = z.infer<typeof targetSchema>;
export type WardenConfig = z.infer<typeof configSchema>;
export type Compression = z.infer<typeof compressionSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type RetentionConfig = z.infer<typeof retentionSchema>;
export type ReplicaConfig = z.infer<typeof replicaSchema>;
export type S3Config = z.infer<typeof s3Schema>;
export type OffsiteConfig = z.infer<typeof offsiteSchema>;
export type ScratchConfig = z.infer<typeof scratchSchema>;
export type BinlogConfig = z.infer<typeof binlogSchema>;
