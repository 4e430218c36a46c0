// Single-stream method: one consistent dump of all the target's databases into one file.
import { dumpFileName } from '../catalog/paths.js';
import type { Manifest } from '../contract/manifest.js';
import { coordinatesPlan } from '../mysql/dialect.js';
import { consistentStart, GlobalLockError } from './consistency.js';
import { binlogCollector, type DumpAttemptResult, type DumpContext } from './context.js';
import { dumpToFile, type DumpToFileResult } from './dumpToFile.js';

/**
 * Who records the binary log coordinates: the dump tool when it can ask this server, else the
 * agent (a MariaDB client against MySQL 8.4 cannot: mysql/dialect.ts), or nobody.
 */
function coordinatesBy(ctx: DumpContext): { by: 'tool' | 'agent' | 'none'; reason: string | null } {
  const { target, server, tool } = ctx;
  if (!server.logBin || target.binlogCoordinates === 'none') return { by: 'none', reason: null };
  if (target.binlogCoordinates === 'agent') return { by: 'agent', reason: null };
  const plan = coordinatesPlan(tool, server);
  return plan.by === 'agent' ? { by: 'agent', reason: plan.reason } : { by: 'tool', reason: null };
}

export async function runSingleStream(ctx: DumpContext): Promise<DumpAttemptResult> {
  const { target, server } = ctx;
  const binlog = binlogCollector(server);
  const notes: string[] = [];
  let tablesDone = 0;
  let currentTable: string | null = null;
  const dump = (coordinates: boolean) =>
    dumpToFile(
      ctx,
      { kind: 'full', coordinates },
      dumpFileName(target.compression),
      'dump',
      {
        comment: binlog.events.comment,
        statement(s) {
          binlog.events.statement?.(s);
          if (s.create?.kind === 'table') {
            if (currentTable) tablesDone++;
            currentTable = s.create.name;
          }
        },
      },
      (rawBytes, bytes) => ctx.onProgress({ rawBytes, bytes, tablesDone, tablesTotal: server.tables.length, currentTable }),
    );

  const plan = coordinatesBy(ctx);
  let r: DumpToFileResult;
  let coordinates: Manifest['binlog'] = null;
  if (plan.by === 'agent') {
    if (plan.reason) ctx.log.info({ reason: plan.reason }, 'the agent records the binlog coordinates itself');
    try {
      const started = await consistentStart(ctx, [() => dump(false)]);
      r = started.outcomes[0]!;
      coordinates = started.binlog;
    } catch (err) {
      if (!(err instanceof GlobalLockError)) throw err;
      notes.push(`binlog coordinates not recorded: ${err.message} (the agent needs RELOAD to read them${plan.reason ? `; ${plan.reason}` : ''})`);
      r = await dump(false);
    }
  } else {
    r = await dump(plan.by === 'tool');
    if (plan.by === 'tool') coordinates = binlog.value();
  }
  ctx.manifest.options = r.args;
  const tables = [...r.outcome.scan.tables].map(([name, rows]) => ({ name, rows })).sort((a, b) => a.name.localeCompare(b.name));
  const warnings = [
    ...notes,
    ...r.outcome.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 20),
  ];
  return {
    ok: r.file !== null,
    resumable: false,
    evidence: r.evidence,
    message: r.message,
    stopReason: r.outcome.stopReason,
    files: r.file ? [r.file] : [],
    tables,
    objects: r.outcome.scan.objects,
    binlog: r.file ? coordinates : null,
    warnings,
    failedTables: [],
  };
}
