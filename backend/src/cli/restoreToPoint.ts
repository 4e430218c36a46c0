// `warden restore --to TIME | --to-gtid G | --to-position FILE:POS --target T --database NEW
// [--dry-run]`: a point-in-time restore (restore/pointInTime.ts). Exit 0 restored (or planned),
// 1 failed with its class (binlog_gap when the archive cannot reach the point), 2 usage.
import { parsePoint, PointError } from '../binlogfile/point.js';
import { ManifestError } from '../catalog/store.js';
import { failureOf, VERIFICATION } from '../classify/failure.js';
import { ConfigError, findTarget } from '../config/load.js';
import { openConfig } from './config.js';
import { LoadProgress, RestoreUsageError } from '../restore/index.js';
import { ChainError, type PlannedStatement, type PointInTimePlan } from '../restore/pitrPlan.js';
import { planJson, type PointInTimeResult, restoreToPoint, targetRequest } from '../restore/pointInTime.js';
import { check } from './options.js';
import { type CommandResult, configErrorResult, EXIT, json, terminalSafe } from './output.js';
import { progressTicker, type RestoreCommandOptions, usage } from './restoreOutput.js';

function planText(plan: PointInTimePlan, source: string, database: string): string[] {
  const range = (from: number | null, to: number | null) => `${from === null ? 'start' : `byte ${from}`} to ${to === null ? 'end' : `byte ${to}`}`;
  return [
    `point: ${plan.point.kind} ${plan.point.text}`,
    `load backup ${plan.backup.id} (taken ${plan.backup.startedAt}, at ${plan.backup.binlog.file}:${plan.backup.binlog.position}): ${source} as ${database}`,
    `replay ${plan.slices.length} binlog file(s), only ${source}, renamed ${database}:`,
    ...plan.slices.map((s) => `  ${s.chain.file.name.padEnd(24)} ${range(s.from, s.to)}${s.chain.kind === 'current' ? '  (the file the server is writing)' : ''}`),
    plan.last ? `stop after ${plan.last.gtid ?? 'the transaction'} of ${plan.last.time} (${plan.last.file}:${plan.last.end})` : `stop before the first transaction of ${plan.slices.at(-1)?.chain.file.name ?? 'the archive'}`,
    ...statementLines(plan.statements ?? [], database),
  ];
}

/** What the stretch holds as SQL: a statement naming another database than the new one fails the replay. */
function statementLines(statements: PlannedStatement[], database: string): string[] {
  if (statements.length === 0) return [];
  return [
    `statements logged as SQL in the stretch (run under USE of the renamed database, as an account that may change only ${database}):`,
    ...statements.map((st) => `  ${st.time} ${st.file}:${st.position} in ${st.database || '(no database)'}: ${st.text.replace(/\s+/g, ' ').slice(0, 120)}`),
  ];
}

function text(r: PointInTimeResult, dryRun: boolean): string {
  const plan = planText(r.plan, r.sourceDatabase, r.database);
  if (dryRun) return `${['point-in-time restore plan (nothing was changed):', ...plan.map((l) => `  ${l}`)].join('\n')}\n`;
  const head = r.ok
    ? `restored ${r.sourceDatabase} as ${r.database} to ${r.plan.point.kind} ${r.plan.point.text} in ${r.seconds.toFixed(1)} s: backup ${r.plan.backup.id}, then ${r.replay?.transactions ?? 0} transaction(s) from ${r.replay?.files.length ?? 0} binlog file(s), the last of ${r.replay?.lastEventTime ?? 'none'}`
    : `point-in-time restore of ${r.sourceDatabase} into ${r.database} FAILED: [${r.failure?.class}] ${r.failure?.message}\n  hint: ${r.failure?.hint}`;
  const rows = r.tables.map((t) => `  ${t.name.padEnd(40)} ${String(t.rows).padStart(10)} rows`);
  const notes = (r.restore?.warnings ?? []).map((w) => `  note: ${w}`);
  return `${[head, ...rows, ...notes].join('\n')}\n`;
}

export async function restoreToPointCommand(opts: RestoreCommandOptions & { target: string; database: string }): Promise<CommandResult> {
  const parallelOption = opts.parallel === undefined ? undefined : check.parallel(opts.parallel);
  if (parallelOption && 'error' in parallelOption) return usage(parallelOption.error, null, opts.json);
  const progress = new LoadProgress();
  let stopTicker: (() => void) | null = null;
  try {
    const point = parsePoint(opts);
    const config = await openConfig(opts.config);
    const target = findTarget(config, opts.target);
    const dryRun = opts.dryRun === true;
    if (!dryRun) stopTicker = progressTicker(progress, opts.progress ?? ((line) => process.stderr.write(terminalSafe(`${line}\n`))));
    const r = await restoreToPoint({
      ...targetRequest(config, target),
      point,
      database: opts.database,
      sourceDatabase: opts.sourceDatabase,
      force: opts.force,
      parallel: parallelOption?.value ?? target.parallel,
      dryRun,
      progress,
      signal: opts.signal,
    });
    const out = {
      ok: r.ok,
      dryRun,
      target: target.name,
      sourceDatabase: r.sourceDatabase,
      database: r.database,
      plan: planJson(r.plan),
      replayed: r.replay && { files: r.replay.files, transactions: r.replay.transactions, lastEventTime: r.replay.lastEventTime, lastGtid: r.replay.lastGtid },
      tables: r.tables,
      seconds: r.seconds,
      class: r.failure?.class ?? 'none',
      error: r.failure,
      warnings: r.restore?.warnings ?? [],
      leftover: r.leftover,
    };
    return { exitCode: r.ok ? EXIT.ok : EXIT.failed, output: opts.json ? json(out) : terminalSafe(text(r, dryRun)) };
  } catch (err) {
    if (err instanceof ConfigError) return configErrorResult(err, opts.json);
    if (err instanceof PointError || err instanceof RestoreUsageError) return usage(err.message, err.hint, opts.json);
    const failure = err instanceof ChainError ? err.failure : err instanceof ManifestError ? failureOf(VERIFICATION, err.message) : null;
    if (!failure) throw err;
    return {
      exitCode: EXIT.failed,
      output: opts.json ? json({ ok: false, class: failure.class, error: failure }) : terminalSafe(`point-in-time restore FAILED: [${failure.class}] ${failure.message}\n  hint: ${failure.hint}\n`),
    };
  } finally {
    stopTicker?.();
  }
}
