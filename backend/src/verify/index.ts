// `warden verify`: proves a backup can come back, at one of three cumulative levels.
//   checksum  the manifest is sound and complete; every file's size and sha256 match it
//   parse     every file decompresses; the SQL is in the grammar dump tools write, whole (nothing
//             cut, trailer last), and holds every table with the rows, and every object, the
//             manifest lists
//   restore   the backup loads into scratch databases, CHECK TABLE passes, row counts match
// Problems are reported, never thrown; the result is recorded in the manifest.
import type { Manifest, ManifestFile, Verification } from '../contract/manifest.js';
import { openRunLog, type RunLog } from '../catalog/runLog.js';
import { splitTableName } from '../catalog/names.js';
import { ManifestError, readManifest, writeManifest } from '../catalog/store.js';
import type { LoadedConfig } from '../config/load.js';
import type { VerifyLevel } from '../config/schema.js';
import type { Catalog } from '../dumpfile/grammar.js';
import { type Logger, mainLogger } from '../util/log.js';
import { storageOf } from '../storage/index.js';
import { forEachLimit } from '../util/concurrency.js';
import { completeness } from './completeness.js';
import { contentProblems, type ScannedFile } from './content.js';
import { type FilePass, fileProblems, passFile } from './filePass.js';
import { problem, type VerifyProblem } from './problems.js';
import { restoreStage } from './restoreStage.js';
import { verifyPhysical } from './physical.js';

export { findAnomalies } from './anomaly.js';
export { verificationClass, type VerifyProblem } from './problems.js';

export interface VerifyOptions {
  /** The backup's folder (it holds manifest.json). */
  dir: string;
  level: VerifyLevel;
  /** For `restore`: its `verify.scratch` server (else a throwaway mariadbd is started). */
  config?: LoadedConfig;
  signal?: AbortSignal;
  /**
   * Write the result into the manifest (default true). A caller that holds the manifest and
   * writes it itself (the backup pipeline) passes false and stores `verificationOf(result)`.
   */
  record?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Default: the configuration's verify.deadline, else six hours. */
  deadlineSeconds?: number;
  /**
   * The manifest to verify against instead of the one on disk: a backup verifies its files before
   * it publishes a manifest that says `success`, so a crash meanwhile never leaves one unverified.
   */
  manifest?: Manifest;
}

export interface VerifyResult extends Verification {
  dir: string;
  /** Null when the manifest could not be read. */
  id: string | null;
  target: string | null;
  /** SQL bytes decompressed and scanned. */
  rawBytes: number;
  /** Whether the result is now in the manifest. */
  recorded: boolean;
}

const DEFAULT_DEADLINE_SECONDS = 6 * 3600;
/** Files read at once: enough to overlap reading with scanning on small machines. */
const FILE_CONCURRENCY = 2;
/** Problems that make a restore pointless: the bytes are not the ones recorded. */
const BLOCKS_RESTORE = new Set<VerifyProblem['kind']>(['manifest', 'missing-file', 'size', 'checksum', 'decompress']);

function openLog(dir: string, bindings: Record<string, unknown>): RunLog {
  try {
    return openRunLog(dir, 'verify', bindings);
  } catch {
    // A read-only copy of a backup is still verified; its log lines go to the main log only.
    return { log: mainLogger().child({ component: 'verify', ...bindings }), close: async () => undefined };
  }
}

/** The database of a per-table data file's table: its INSERTs name the bare table. */
function databaseOf(file: ManifestFile, databases: readonly string[]): string | null {
  return file.table?.includes('.') ? splitTableName(file.table, databases)[0] : null;
}

export async function verifyBackup(opts: VerifyOptions): Promise<VerifyResult> {
  const { dir, level } = opts;
  const started = performance.now();
  const at = new Date().toISOString();
  const finish = (manifest: Manifest | null, problems: VerifyProblem[], rawBytes: number, restoreSeconds: number | null, notes: string[] = []): VerifyResult => ({
    level,
    ok: problems.length === 0,
    at,
    problems,
    ...(notes.length > 0 ? { notes } : {}),
    durationSeconds: (performance.now() - started) / 1000,
    restoreSeconds,
    dir,
    id: manifest?.id ?? null,
    target: manifest?.target ?? null,
    rawBytes,
    recorded: false,
  });

  let manifest: Manifest;
  try {
    manifest = opts.manifest ?? (await readManifest(dir));
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return finish(null, [problem('manifest', err.message)], 0, null);
  }

  const { log, close } = openLog(dir, { target: manifest.target, backupId: manifest.id, level });
  const deadlineSeconds = opts.deadlineSeconds ?? opts.config?.verify.deadline ?? DEFAULT_DEADLINE_SECONDS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineSeconds * 1000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
  try {
    log.info('verify started');
    let found: Found;
    try {
      found = await check(dir, manifest, level, signal, opts);
    } catch (err) {
      // Stopped at its deadline rather than by the caller: a verification that failed, not one cut short.
      if (!deadline.signal.aborted || opts.signal?.aborted) throw err;
      found = { problems: [problem('timeout', `the verification did not finish within its deadline of ${deadlineSeconds} s (verify.deadline)`)], rawBytes: 0, restoreSeconds: null };
    }
    const result = finish(manifest, found.problems, found.rawBytes, found.restoreSeconds, found.notes);
    if (opts.record ?? true) result.recorded = await record(dir, result, log);
    const fields = { ok: result.ok, problems: result.problems, durationSeconds: result.durationSeconds, restoreSeconds: found.restoreSeconds, rawBytes: found.rawBytes };
    if (result.ok) log.info(fields, 'verify finished: valid');
    else log.error(fields, `verify finished: ${result.problems.length} problem(s), first: ${result.problems[0]!.kind}: ${result.problems[0]!.detail}`);
    return result;
  } finally {
    clearTimeout(timer);
    await close();
  }
}

interface Found {
  problems: VerifyProblem[];
  rawBytes: number;
  restoreSeconds: number | null;
  notes?: string[];
}

/** The checks of `level`, cumulative; throws when `signal` stops them. */
async function check(dir: string, manifest: Manifest, level: VerifyLevel, signal: AbortSignal, opts: VerifyOptions): Promise<Found> {
  const { problems, readable } = await completeness(dir, manifest);
  if (manifest.method === 'physical') {
    // Its one file is a stream of the server's files, not SQL (verify/physical.ts).
    const file = readable[0];
    if (!file) return { problems, rawBytes: 0, restoreSeconds: null };
    const blocked = level === 'restore' && problems.some((p) => BLOCKS_RESTORE.has(p.kind));
    const found = await verifyPhysical(dir, manifest, file, blocked ? 'parse' : level, signal);
    return { ...found, problems: [...problems, ...found.problems] };
  }
  const parse = level !== 'checksum';
  const passes = new Map<ManifestFile, FilePass>();
  // A per-table backup's data and trigger files hold no CREATE TABLE: their rows are checked
  // against the columns of the schema file's tables, so the schema is read first.
  const catalog: Catalog = new Map();
  const schemaFirst = [readable.filter((f) => f.role === 'schema'), readable.filter((f) => f.role !== 'schema')];
  for (const group of schemaFirst) {
    await forEachLimit(group, FILE_CONCURRENCY, async (file) => {
      const grammar = { catalog: new Map(catalog), database: databaseOf(file, manifest.databases) };
      const pass = await passFile(storageOf(dir).join(dir, file.name), manifest.compression, parse, signal, grammar);
      passes.set(file, pass);
      if (file.role === 'schema') for (const [name, shape] of pass.sql?.catalog ?? []) catalog.set(name, shape);
      return null;
    });
  }
  signal.throwIfAborted();
  for (const file of readable) problems.push(...fileProblems(file, passes.get(file)!));

  // Content is only worth comparing when every file decompressed whole.
  const scanned: ScannedFile[] = [];
  for (const file of manifest.files) {
    const sql = passes.get(file)?.sql;
    if (sql && !passes.get(file)!.decompressError) scanned.push({ file, sql });
  }
  if (parse && scanned.length === manifest.files.length && manifest.files.length > 0) problems.push(...contentProblems(manifest, scanned));
  const rawBytes = scanned.reduce((n, s) => n + s.sql.bytes, 0);

  let restoreSeconds: number | null = null;
  if (level === 'restore' && !problems.some((p) => BLOCKS_RESTORE.has(p.kind))) {
    const target = opts.config?.targets.find((t) => t.name === manifest.target);
    const stage = await restoreStage(dir, manifest, { config: opts.config, parallel: target?.parallel ?? 2, signal, env: opts.env });
    signal.throwIfAborted();
    problems.push(...stage.problems);
    restoreSeconds = stage.restoreSeconds;
  }
  return { problems, rawBytes, restoreSeconds };
}

/** The manifest's `verification` record of a result (without the result's other fields). */
export function verificationOf(r: Verification): Verification {
  return { level: r.level, ok: r.ok, at: r.at, problems: r.problems, durationSeconds: r.durationSeconds, restoreSeconds: r.restoreSeconds, ...(r.notes ? { notes: r.notes } : {}) };
}

/** Stores the result as the manifest's `verification`, re-reading it first so no other field is lost. */
async function record(dir: string, result: VerifyResult, log: Logger): Promise<boolean> {
  try {
    const manifest = await readManifest(dir);
    await writeManifest(dir, { ...manifest, verification: verificationOf(result) });
    return true;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'the verification result could not be written into the manifest');
    return false;
  }
}
