// Single-stream method: one consistent dump of all the target's databases into one file.
import { dumpFileName } from '../catalog/paths.js';
import { binlogCollector, type DumpAttemptResult, type DumpContext } from './context.js';
import { dumpToFile } from './dumpToFile.js';

export async function runSingleStream(ctx: DumpContext): Promise<DumpAttemptResult> {
  const { target, server } = ctx;
  const binlog = binlogCollector(server);
  let tablesDone = 0;
  let currentTable: string | null = null;
  const r = await dumpToFile(
    ctx,
    { kind: 'full' },
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
  ctx.manifest.options = r.args;
  const tables = [...r.outcome.scan.tables].map(([name, rows]) => ({ name, rows })).sort((a, b) => a.name.localeCompare(b.name));
  const warnings = r.outcome.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 20);
  return {
    ok: r.file !== null,
    resumable: false,
    evidence: r.evidence,
    message: r.message,
    stopReason: r.outcome.stopReason,
    files: r.file ? [r.file] : [],
    tables,
    objects: r.outcome.scan.objects,
    binlog: r.file ? binlog.value() : null,
    warnings,
    failedTables: [],
  };
}
