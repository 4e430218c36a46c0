// `warden restore --to TIME | --to-gtid G | --to-position FILE:POS`: the newest good full backup
// before the point is loaded under the new name (restoreBackup), then the archived binary logs are
// replayed from its coordinates up to the point, into that database only (replay.ts).
import type mysql from 'mysql2/promise';
import type { RecoveryPoint } from '../binlogfile/point.js';
import { readManifest } from '../catalog/store.js';
import { failureOf } from '../classify/failure.js';
import type { Failure } from '../contract/manifest.js';
import type { LoadedConfig } from '../config/load.js';
import type { TargetConfig } from '../config/schema.js';
import { openConnection, query, quoteIdent, type ServerLogin, targetLogin } from '../mysql/login.js';
import { describeEndpoint, endpointOf } from '../mysql/server.js';
import { findBinlogTool } from '../mysql/tool.js';
import { checkDatabaseName, leaveNoHalfLoad, type LoadProgress, restoreBackup, type RestoreResult, RestoreUsageError } from './index.js';
import { planPointInTime, type PointInTimePlan } from './pitrPlan.js';
import { replayBinlogs, type ReplayReport } from './replay.js';
import { ReplayAccountError, withReplayAccount } from './replayAccount.js';

export interface PointInTimeRequest {
  repository: string;
  target: string;
  /** The target's own server, as manifests name it (describeEndpoint). */
  primary: string;
  point: RecoveryPoint;
  login: ServerLogin;
  database: string;
  sourceDatabase?: string;
  force: boolean;
  parallel: number;
  dryRun: boolean;
  /** Start from this backup (the API's per-backup action) rather than the newest good one before the point. */
  backupId?: string;
  progress?: LoadProgress;
  signal?: AbortSignal;
}

export interface PointInTimeResult {
  ok: boolean;
  plan: PointInTimePlan;
  sourceDatabase: string;
  database: string;
  /** The load of the full backup (null for a dry run). */
  restore: RestoreResult | null;
  replay: ReplayReport | null;
  /** Rows of every table of the database after the replay. */
  tables: { name: string; rows: number }[];
  failure: Failure | null;
  leftover: RestoreResult['leftover'];
  seconds: number;
}

/** The fields of a request that come from the configuration: the same for the CLI and the API. */
export function targetRequest(config: LoadedConfig, target: TargetConfig): Pick<PointInTimeRequest, 'repository' | 'target' | 'primary' | 'login' | 'parallel'> {
  return { repository: config.repositoryPath, target: target.name, primary: describeEndpoint(endpointOf(target)), login: targetLogin(config, target), parallel: target.parallel };
}

/** The plan as JSON (contract/api.ts pointInTimePlanSchema): what is loaded, and which bytes of which files are replayed. */
export function planJson(plan: PointInTimePlan) {
  return {
    point: { kind: plan.point.kind, value: plan.point.text },
    backup: { id: plan.backup.id, startedAt: plan.backup.startedAt, binlog: plan.backup.binlog },
    files: plan.slices.map((s) => ({ name: s.chain.file.name, from: s.from, to: s.to, source: s.chain.kind })),
    stop: plan.slices.length > 0 ? { file: plan.slices.at(-1)!.chain.file.name, position: plan.slices.at(-1)!.to } : null,
    lastTransaction: plan.last,
    ...(plan.statements ? { statements: plan.statements } : {}),
  };
}

/** `--rewrite-db=from->to` has no quoting: a name with `->` or edge spaces cannot be said to it. */
function checkRewritable(name: string): void {
  if (name.includes('->') || name !== name.trim()) {
    throw new RestoreUsageError(`database "${name}" cannot be renamed by the binlog tool's --rewrite-db (it holds "->" or spaces at an end)`, 'Restore this database with a plain `warden restore <backup>`.');
  }
}

async function countRows(conn: mysql.Connection, login: ServerLogin, db: string): Promise<{ name: string; rows: number }[]> {
  const tables = await query<{ name: string }>(conn, login, "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [db]);
  const out: { name: string; rows: number }[] = [];
  for (const t of tables) {
    const [row] = await query<{ n: string | number }>(conn, login, `SELECT COUNT(*) AS n FROM ${quoteIdent(db)}.${quoteIdent(t.name)}`);
    out.push({ name: `${db}.${t.name}`, rows: Number(row?.n ?? 0) });
  }
  return out;
}

export async function restoreToPoint(r: PointInTimeRequest): Promise<PointInTimeResult> {
  const started = performance.now();
  checkDatabaseName(r.database);
  checkRewritable(r.database);
  const plan = await planPointInTime({
    repository: r.repository,
    target: r.target,
    point: r.point,
    primary: r.primary,
    backupId: r.backupId,
    withStatements: r.dryRun,
    hasDatabase: (m) => (r.sourceDatabase === undefined ? m.databases.length === 1 : m.databases.includes(r.sourceDatabase)),
    signal: r.signal,
  });
  const manifest = await readManifest(plan.backup.dir);
  const sourceDatabase = r.sourceDatabase ?? manifest.databases[0]!;
  checkRewritable(sourceDatabase);
  const result: PointInTimeResult = { ok: false, plan, sourceDatabase, database: r.database, restore: null, replay: null, tables: [], failure: null, leftover: null, seconds: 0 };
  const finish = () => {
    result.ok = result.failure === null;
    result.seconds = (performance.now() - started) / 1000;
    return result;
  };
  if (r.dryRun) return finish();

  const tool = await findBinlogTool(manifest.server.flavor === 'mysql' ? 'mysql' : 'mariadb');
  result.restore = await restoreBackup({ dir: plan.backup.dir, login: r.login, database: r.database, sourceDatabase, force: r.force, parallel: r.parallel, progress: r.progress, signal: r.signal });
  if (!result.restore.ok) {
    result.failure = result.restore.failure;
    result.leftover = result.restore.leftover;
    return finish();
  }
  result.replay = await withReplayAccount(r.login, r.database, (confined) =>
    replayBinlogs({ repository: r.repository, target: r.target, slices: plan.slices, tool, login: confined, sourceDb: sourceDatabase, newDb: r.database, signal: r.signal }),
  ).catch((err: unknown): ReplayReport => {
    if (!(err instanceof ReplayAccountError)) throw err;
    return { files: [], transactions: 0, lastEventTime: null, lastGtid: null, failure: err.failure };
  });
  const conn = await openConnection(r.login);
  try {
    if (result.replay.failure) {
      result.failure = result.replay.failure;
      // Half replayed is not the state at any point: it goes like a half-loaded database.
      result.leftover = await leaveNoHalfLoad(conn, r.login, r.database, result.restore.existed, result.failure);
    } else {
      result.tables = await countRows(conn, r.login, r.database);
    }
  } catch (err) {
    result.failure ??= failureOf({ tool: 'warden', stderr: (err as Error).message }, `after the replay: ${(err as Error).message}`);
  } finally {
    await conn.end().catch(() => undefined);
  }
  return finish();
}
