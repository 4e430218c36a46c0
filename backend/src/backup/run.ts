// `warden backup`: one run of one target, recorded in its own folder of the repository. A run is
// one or more attempts: pre-flight, dump, publish; a failure is classified and retried with backoff
// when its class allows, fails over to replicas after connection failures, frees space by the
// retention policy once on disk_full, and resumes per-table runs where they stopped.
import os from 'node:os';
import { lockTarget } from '../catalog/lock.js';
import type { Attempt, Failure, Manifest } from '../contract/manifest.js';
import { MANIFEST_FORMAT } from '../contract/manifest.js';
import { backupDir, newBackupId, targetDir } from '../catalog/paths.js';
import { openRunLog } from '../catalog/runLog.js';
import { storageOf } from '../storage/index.js';
import { listBackups, writeManifest } from '../catalog/store.js';
import type { FailureClass } from '../contract/classes.js';
import type { LoadedConfig } from '../config/load.js';
import type { RetryConfig, TargetConfig } from '../config/schema.js';
import { describeEndpoint, endpointOf, type ServerEndpoint } from '../mysql/server.js';
import type { Logger } from '../util/log.js';
import { blocksBackup, runPreflight, type Check } from '../check/index.js';
import { pruneForSpace } from '../expire/index.js';
import { findAnomalies, verificationClass, verificationOf, verifyBackup } from '../verify/index.js';
import type { DumpAttemptResult, DumpContext, Progress } from './context.js';
import { workingStdbuf } from './dumpProcess.js';
import { runPerTable } from './perTable.js';
import { attemptsAllowed } from '../classify/retry.js';
import { backoffMs, sleep } from '../util/backoff.js';
import { runSingleStream } from './singleStream.js';
import { runPhysical } from './physical.js';
import { planPhysical } from './incremental.js';
import { evidenceOf } from '../mysql/evidence.js';
import { failureOf } from '../classify/failure.js';

export type { Progress };

export interface BackupOptions {
  config: LoadedConfig;
  target: TargetConfig;
  env?: NodeJS.ProcessEnv;
  /** Stops the run (shutdown): it ends `interrupted`. */
  signal?: AbortSignal;
  /** Continue the newest interrupted run of this target instead of starting a new one. */
  resume?: boolean;
  onProgress?: (p: Progress & { id: string }) => void;
  /** Called once the run has its id and folder (the API answers 202 with it). */
  onStart?: (id: string) => void;
  /** Pre-flight results, for metrics. */
  onPreflight?: (checks: Check[]) => void;
}

export interface BackupResult {
  ok: boolean;
  id: string;
  dir: string;
  manifest: Manifest;
}

function newManifest(id: string, target: TargetConfig, started: Date): Manifest {
  return {
    format: MANIFEST_FORMAT,
    id,
    target: target.name,
    status: 'running',
    class: 'none',
    method: target.method,
    startedAt: started.toISOString(),
    finishedAt: null,
    durationSeconds: null,
    agent: { host: os.hostname(), pid: process.pid },
    server: { endpoint: describeEndpoint(endpointOf(target)), version: null, flavor: null },
    tool: null,
    options: [],
    databases: target.databases ?? [],
    compression: target.compression,
    files: [],
    bytes: 0,
    rawBytes: 0,
    sha256: null,
    rows: 0,
    tables: [],
    objects: { view: [], trigger: [], procedure: [], function: [], event: [] },
    binlog: null,
    attempts: [],
    error: null,
    warnings: [],
    resumedFrom: null,
    lsn: null,
    chain: null,
    verification: null,
  };
}

/**
 * Runs left `running` by an agent that died are marked `interrupted` and lose their partial files
 * (finished per-table files stay for a resume). Call with the target's lock held.
 */
export async function recoverCrashedRuns(repository: string, target: string, log?: Logger): Promise<string[]> {
  const recovered: string[] = [];
  for (const { dir, manifest } of (await listBackups(repository, target)).entries) {
    if (manifest.status !== 'running') continue;
    const storage = storageOf(dir);
    for (const name of await storage.unfinished(dir)) await storage.remove(storage.join(dir, name));
    const at = new Date().toISOString();
    const failure = failureOf({ facts: { killedByAgent: true } }, 'the agent stopped while this run was in progress (crash, kill or power loss)');
    manifest.status = 'interrupted';
    manifest.class = failure.class;
    manifest.error = failure;
    manifest.finishedAt ??= at;
    for (const a of manifest.attempts) a.finishedAt ??= at;
    await writeManifest(dir, manifest);
    log?.warn({ backupId: manifest.id }, 'marked a run left running by a crash as interrupted');
    recovered.push(manifest.id);
  }
  return recovered;
}

export async function runBackup(opts: BackupOptions): Promise<BackupResult> {
  const { config, target } = opts;
  const storage = storageOf(config.repositoryPath);
  await storage.makeFolder(config.repositoryPath);
  const release = await lockTarget(targetDir(config.repositoryPath, target.name), target.name);
  try {
    await recoverCrashedRuns(config.repositoryPath, target.name);
    const resumable = opts.resume ? await newestInterrupted(config.repositoryPath, target) : null;
    const started = new Date();
    const manifest = resumable?.manifest ?? newManifest(newBackupId(started), target, started);
    const dir = resumable?.dir ?? backupDir(config.repositoryPath, target.name, manifest.id);
    if (!resumable) await storage.makeFolder(dir);
    const { log, close } = openRunLog(dir, 'backup', { target: target.name, backupId: manifest.id });
    manifest.status = 'running';
    manifest.class = 'none';
    manifest.error = null;
    manifest.finishedAt = null;
    await writeManifest(dir, manifest);
    opts.onStart?.(manifest.id);
    log.info({ repository: config.repositoryPath, resume: Boolean(resumable) }, resumable ? 'backup resumed' : 'backup started');

    // The run's own stop: shutdown from outside, or its deadline.
    const run = new AbortController();
    const onOuterAbort = () => run.abort('shutdown');
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (opts.signal?.aborted) run.abort('shutdown');
    const deadline = setTimeout(() => run.abort('deadline'), target.deadline * 1000);
    try {
      await attempts(manifest, dir, opts, log, run.signal);
    } catch (err) {
      log.error({ err }, 'the run failed unexpectedly');
      settle(manifest, 'failed', failureOf(evidenceOf(err), err instanceof Error ? err.message : String(err)));
    } finally {
      clearTimeout(deadline);
      opts.signal?.removeEventListener('abort', onOuterAbort);
      const finished = new Date();
      manifest.finishedAt = finished.toISOString();
      manifest.durationSeconds = (finished.getTime() - new Date(manifest.startedAt).getTime()) / 1000;
      await recordEnd(dir, manifest, log);
      log.info({ status: manifest.status, class: manifest.class, durationSeconds: manifest.durationSeconds }, 'backup finished');
      await close();
    }
    return { ok: (manifest.status as Manifest['status']) === 'success', id: manifest.id, dir, manifest };
  } finally {
    await release().catch(() => undefined);
  }
}

/**
 * Writes the run's final manifest. When it cannot be written (a full disk), the run's files are
 * never published: they are removed to make room, and the run is recorded as failed with the
 * class of what stopped the write (disk_full). If even that cannot be written, the caller still
 * gets the run as it ended, and the manifest on disk says `running`: read back, it is interrupted.
 */
async function recordEnd(dir: string, manifest: Manifest, log: Logger): Promise<void> {
  try {
    await writeManifest(dir, manifest);
    return;
  } catch (err) {
    log.error({ err }, 'the final manifest could not be written; the run is not published');
    const storage = storageOf(dir);
    for (const f of manifest.files) await storage.remove(storage.join(dir, f.name)).catch(() => undefined);
    Object.assign(manifest, { files: [], bytes: 0, rawBytes: 0, sha256: null, verification: null });
    settle(manifest, 'failed', failureOf(evidenceOf(err), `the run's manifest could not be written: ${err instanceof Error ? err.message : String(err)}`));
  }
  await writeManifest(dir, manifest).catch((err: unknown) => log.error({ err }, 'the manifest of the failed run could not be written either'));
}

async function newestInterrupted(repository: string, target: TargetConfig) {
  const entry = (await listBackups(repository, target.name)).entries[0];
  if (entry && entry.manifest.status === 'interrupted' && entry.manifest.method === target.method && target.method === 'per-table') return entry;
  return null;
}

function settle(manifest: Manifest, status: Manifest['status'], failure: Failure | null): void {
  manifest.status = status;
  manifest.class = failure?.class ?? 'none';
  manifest.error = failure;
}

/** The attempt loop: retries by class, fail-over to replicas after connection failures, one prune on disk_full. */
async function attempts(manifest: Manifest, dir: string, opts: BackupOptions, log: Logger, signal: AbortSignal): Promise<void> {
  const { target } = opts;
  const policy: RetryConfig = target.retry ?? opts.config.retry;
  const endpoints: ServerEndpoint[] = [endpointOf(target), ...target.replicas.map((r) => (r.socket ? { socket: r.socket } : { host: r.host ?? '127.0.0.1', port: r.port ?? 3306 }))];
  let endpointIndex = 0;
  let onThisEndpoint = 0;
  let pruned = false;
  const triesOf = new Map<FailureClass, number>();

  for (;;) {
    const endpoint = endpoints[endpointIndex]!;
    const record: Attempt = { attempt: manifest.attempts.length + 1, startedAt: new Date().toISOString(), finishedAt: null, server: describeEndpoint(endpoint), class: 'none', error: null };
    manifest.attempts.push(record);
    manifest.server.endpoint = record.server;
    onThisEndpoint++;
    const outcome = await attempt(manifest, dir, opts, log, signal, endpoint);
    record.finishedAt = new Date().toISOString();
    record.class = outcome.failure?.class ?? 'none';
    record.error = outcome.failure;
    if (!outcome.failure) return;

    const failure = outcome.failure;
    const cls = failure.class;
    log.error({ attempt: record.attempt, server: record.server, failure }, `attempt ${record.attempt} failed: ${cls}: ${failure.message}`);
    const final = (status: Manifest['status']) => settle(manifest, status, failure);
    const stopped = signal.aborted;
    if (stopped && signal.reason === 'shutdown') return final('interrupted');
    if (stopped) return final(outcome.resumable ? 'interrupted' : 'failed');

    triesOf.set(cls, (triesOf.get(cls) ?? 0) + 1);
    let retry = (triesOf.get(cls) ?? 0) < attemptsAllowed(cls, policy);
    if (cls === 'connection' && !(onThisEndpoint < policy.maxAttempts) && endpointIndex + 1 < endpoints.length) {
      // The primary stays unreachable after its retries: the next replica, at once.
      endpointIndex++;
      onThisEndpoint = 0;
      triesOf.delete('connection');
      log.warn({ replica: describeEndpoint(endpoints[endpointIndex]!) }, 'failing over to a replica');
      continue;
    }
    if (cls === 'disk_full' && retry) {
      if (pruned) retry = false;
      else {
        pruned = true;
        // Free space by the retention policy (never the newest good backup), then once more.
        const { freedBytes } = await pruneForSpace(opts.config, target, log);
        log.warn({ freedBytes }, 'disk full: pruned by the retention policy, trying once more');
        retry = freedBytes > 0;
      }
    }
    if (!retry) return final(outcome.resumable ? 'interrupted' : 'failed');
    const delay = backoffMs(triesOf.get(cls) ?? 1, policy);
    log.info({ delayMs: delay, class: cls }, 'retrying after backoff');
    await sleep(delay, signal);
    if (signal.aborted) return final(signal.reason === 'shutdown' || outcome.resumable ? 'interrupted' : 'failed');
  }
}

interface AttemptOutcome {
  failure: Failure | null;
  resumable: boolean;
}

async function attempt(manifest: Manifest, dir: string, opts: BackupOptions, log: Logger, signal: AbortSignal, endpoint: ServerEndpoint): Promise<AttemptOutcome> {
  const { config, target } = opts;
  // stdbuf is probed while the pre-flight talks to the server, not after it; a physical tool's stream needs none.
  if (target.method !== 'physical') void workingStdbuf();
  const pre = await runPreflight({ config, target, endpoint, env: opts.env });
  opts.onPreflight?.(pre.checks);
  for (const c of pre.checks) log[c.status === 'FAIL' ? 'error' : c.status === 'WARN' ? 'warn' : 'debug']({ check: c }, `pre-flight ${c.name}: ${c.status} ${c.detail}`);
  const { tool, physicalTool, server, password } = pre.facts;
  const reader = physicalTool ?? tool;
  if (reader) manifest.tool = { name: reader.name, path: reader.path, version: reader.version };
  if (server) {
    manifest.server.version = server.version;
    manifest.server.flavor = server.flavor;
    manifest.databases = server.databases;
  }
  const failed = pre.checks.find(blocksBackup);
  if (failed || !reader || !server) {
    const check = failed!;
    const message = `pre-flight ${check.name}: ${check.detail}`;
    const classified = failureOf({ stderr: check.detail, facts: { preflightFailedCheck: check.name } }, message);
    // The check knows its class better than a pattern match on its wording; keep the error code if one was read.
    const cls = check.class ?? classified.class;
    const failure = failureOf({ class: cls, code: classified.class === cls ? classified.code : null, hint: check.hint, rule: `preflight-${check.name}` }, message);
    return { failure, resumable: false };
  }
  // What is left failing (the binlog archiver's checks) does not stop the dump: it is a warning of the run.
  for (const c of pre.checks.filter((x) => x.status !== 'OK')) addWarning(manifest, `${c.name}: ${c.detail}`);

  let saving = Promise.resolve();
  const ctx: Omit<DumpContext, 'tool'> = {
    dir,
    target,
    endpoint,
    password,
    server,
    log,
    signal,
    manifest,
    saveManifest: () => (saving = saving.then(() => writeManifest(dir, manifest))),
    onProgress: (p) => opts.onProgress?.({ ...p, id: manifest.id }),
  };
  // The pre-flight found the tool of the target's method: the physical tool, or a dump tool.
  const result: DumpAttemptResult = physicalTool
    ? await runPhysical({ ...ctx, tool: physicalTool }, await planPhysical(config.repositoryPath, target, manifest.id))
    : target.method === 'per-table'
      ? await runPerTable({ ...ctx, tool: tool! })
      : await runSingleStream({ ...ctx, tool: tool! });
  await saving;

  manifest.objects = result.objects;
  for (const w of result.warnings) addWarning(manifest, w);
  if (target.method !== 'per-table') manifest.tables = result.tables;
  manifest.rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  manifest.files = result.files;
  manifest.bytes = result.files.reduce((n, f) => n + f.bytes, 0);
  manifest.rawBytes = result.files.reduce((n, f) => n + f.rawBytes, 0);
  manifest.sha256 = result.files.length === 1 ? result.files[0]!.sha256 : null;
  manifest.binlog = result.binlog;
  manifest.lsn = result.lsn ?? null;
  manifest.chain = result.chain ?? null;

  if (!result.ok) {
    const failure = failureOf(result.evidence ?? { stderr: result.message ?? 'the dump failed' }, result.message ?? 'the dump failed');
    return { failure, resumable: result.resumable };
  }
  if (result.failedTables.length > 0) {
    // The other tables are good and kept; the run is partial and names what is missing.
    const first = result.failedTables[0]!.failure;
    settle(manifest, 'partial', { ...first, message: `${result.failedTables.length} table(s) failed: ${result.failedTables.map((t) => `${t.name} (${t.failure.message})`).join('; ')}` });
    return { failure: null, resumable: false };
  }
  const missing = server.tables.map((t) => t.name).filter((t) => !manifest.tables.some((x) => x.name === t));
  if (missing.length > 0) {
    // A dump that exits 0 without some tables is the failure nobody sees: never clean.
    const failure = failureOf({ facts: { missingObjects: missing } }, `tables on the server but not in the dump: ${missing.join(', ')}`);
    settle(manifest, 'partial', failure);
    return { failure: null, resumable: false };
  }
  settle(manifest, 'success', null);
  return { failure: await checkResult(manifest, dir, opts, log, signal), resumable: false };
}

/**
 * After the dump: anomalies against the previous good backup (warnings), then verification at
 * `verifyAfterBackup`. A backup that fails it is never reported good: class `verification` (or
 * `timeout`, when the verification ran past verify.deadline).
 */
async function checkResult(manifest: Manifest, dir: string, opts: BackupOptions, log: Logger, signal: AbortSignal): Promise<Failure | null> {
  const { config, target } = opts;
  const previous = (await listBackups(config.repositoryPath, target.name)).entries.find((e) => e.manifest.id !== manifest.id && e.manifest.status === 'success');
  for (const w of findAnomalies(manifest, previous?.manifest ?? null, target.anomalyThreshold)) {
    log.warn({ anomaly: w }, `anomaly: ${w}`);
    addWarning(manifest, `anomaly: ${w}`);
  }
  if (target.verifyAfterBackup === 'none') return null;
  // On disk the run stays `running` until it verified: a crash now leaves it interrupted, never
  // `success` unverified. Its files are recorded already, for a resume.
  await writeManifest(dir, { ...manifest, status: 'running' });
  const result = await verifyBackup({ dir, level: target.verifyAfterBackup, config, signal, record: false, env: opts.env, manifest });
  manifest.verification = verificationOf(result);
  log[result.ok ? 'info' : 'error']({ verification: manifest.verification }, `verification (${result.level}): ${result.ok ? 'ok' : 'FAILED'}`);
  if (result.ok) return null;
  const detail = result.problems.map((p) => `${p.kind}${p.table ? ` ${p.table}` : ''}: ${p.detail}`).join('; ');
  const cls: FailureClass = verificationClass(result) === 'timeout' ? 'timeout' : 'verification';
  const failure = failureOf({ class: cls, rule: 'verify-after-backup' }, `the backup did not verify at level ${result.level}: ${detail}`);
  settle(manifest, 'failed', failure);
  return failure;
}

function addWarning(manifest: Manifest, warning: string): void {
  if (!manifest.warnings.includes(warning)) manifest.warnings.push(warning);
}
