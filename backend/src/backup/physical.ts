// Physical method: the server's files copied by mariadb-backup (XtraBackup for MySQL) as one stream,
// hashed and compressed into one stored file like a dump (catalog/sink.ts). The LSNs and the binlog
// position come from the tool's log as it ends; the table list and row counts from information_schema.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { physicalFileName } from '../catalog/paths.js';
import { FileSink, type OsError, toOsError } from '../catalog/sink.js';
import type { FailureEvidence } from '../classify/types.js';
import type { ManifestTable } from '../contract/manifest.js';
import { collectStderr, spawnChild } from '../mysql/children.js';
import { type DefaultsFile, writeDefaultsFile } from '../mysql/credentials.js';
import { physicalBackupArgs, type PhysicalReport, type PhysicalTool, readPhysicalLine } from '../mysql/physicalTool.js';
import { runtimeDir } from '../mysql/runtimeDir.js';
import { connect } from '../mysql/server.js';
import { countTables, type CountedTable } from '../mysql/tableRows.js';
import { storageOf } from '../storage/index.js';
import { type DumpAttemptResult, NO_OBJECTS, type RunContext } from './context.js';
import type { PhysicalPlan } from './incremental.js';
import { stopFacts, summarize } from './evidence.js';
import { superviseChild } from './supervise.js';

/**
 * The counts recorded for the backup: those taken after it (nearest its consistent point, at the
 * end of the copy). A table whose count moved while the backup ran cannot say what the backup
 * holds: it is marked an estimate, like a large table's information_schema figure.
 */
export function settleCounts(before: CountedTable[], after: CountedTable[]): ManifestTable[] {
  const earlier = new Map(before.map((t) => [t.name, t]));
  return after.map((t) => {
    const b = earlier.get(t.name);
    const estimated = t.estimated || !b || b.estimated || b.rows !== t.rows;
    return estimated ? { name: t.name, rows: t.rows, estimated: true } : { name: t.name, rows: t.rows };
  });
}

export async function runPhysical(ctx: RunContext<PhysicalTool>, plan: PhysicalPlan): Promise<DumpAttemptResult> {
  const { target, tool, server, log } = ctx;
  const conn = await connect(target, ctx.password, ctx.endpoint);
  let scratch: string | null = null;
  let defaults: DefaultsFile | null = null;
  try {
    scratch = mkdtempSync(path.join(runtimeDir(), 'physical-'));
    defaults = writeDefaultsFile(target.user, ctx.password);
    // Counted while the tool starts copying, not before it: the counts only need to come before the
    // backup's consistent point (the end of the copy) to show which tables moved in between.
    const counting = countTables(conn, server.databases);
    counting.catch(() => undefined); // awaited below; a failure then fails the run
    const fromLsn = plan.previous?.lsn?.toLsn ?? 0;
    const args = physicalBackupArgs(tool, defaults.path, ctx.endpoint, scratch, plan.previous ? fromLsn : null);
    const fileName = physicalFileName(target.compression);
    const storage = storageOf(ctx.dir);
    const sink = new FileSink(storage.create(storage.join(ctx.dir, fileName)), fileName, target.compression, target.compressionLevel);
    log[plan.fallback ? 'warn' : 'info']({ chain: plan.chain }, plan.reason);
    log.debug({ tool: tool.path, args }, 'starting the physical backup');
    const child = spawnChild(tool.path, args, ['ignore', 'pipe', 'pipe']);
    const stderr = collectStderr(child);
    const report: PhysicalReport = { binlog: null, lsn: null };
    let lastDataAt = Date.now();
    child.stdout!.on('data', () => (lastDataAt = Date.now()));
    // The tool logs every file it copies: a quiet log and stream mean it is stuck.
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lastDataAt = Date.now();
      readPhysicalLine(line, report);
    });
    const supervisor = superviseChild(child, {
      signal: ctx.signal,
      stallSeconds: target.stallTimeout,
      log,
      lastDataAt: () => lastDataAt,
      onTick: () => ctx.onProgress({ rawBytes: sink.input.bytes, bytes: sink.storedBytes, tablesDone: 0, tablesTotal: server.tables.length, currentTable: null }),
    });
    const [flow, exit] = await Promise.allSettled([pipeline(child.stdout!, sink.input), once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>]);
    supervisor.dispose();
    const [exitCode, signal] = exit.status === 'fulfilled' ? exit.value : [null, null];
    log.debug({ exitCode, signal, rawBytes: sink.input.bytes }, 'the tool ended');
    const osErrors = [flow, exit].map((r) => (r.status === 'rejected' ? toOsError(r.reason) : null)).filter((e): e is OsError => e !== null);
    const evidence = (sinkFailure: Awaited<ReturnType<FileSink['abort']>>): FailureEvidence => ({
      tool: tool.name,
      exitCode,
      signal,
      stderr: stderr(),
      osErrors: [...osErrors, ...(sinkFailure?.osErrors ?? [])],
      ...(sinkFailure?.compressor ? { compressor: sinkFailure.compressor } : {}),
      facts: stopFacts(supervisor.reason(), supervisor.stalledSeconds()),
    });
    const failed = (e: FailureEvidence): DumpAttemptResult => {
      log.error({ exitCode, signal, stopReason: supervisor.reason(), stderr: stderr().slice(-2000) }, 'physical backup failed');
      return { ...empty(), evidence: e, message: summarize(e), stopReason: supervisor.reason() };
    };
    if (exitCode !== 0 || signal !== null || flow.status === 'rejected' || supervisor.reason() !== null) return failed(evidence(await sink.abort()));
    const before = await counting.catch(async (err: unknown) => {
      await sink.abort();
      throw err;
    });
    // The file is made durable and published while the server counts again, nearest the consistent point.
    const [published, after] = await Promise.all([sink.finish({ role: 'stream' }), countTables(conn, server.databases)]);
    if ('failure' in published) return failed(evidence(published.failure));
    log.info({ file: fileName, rawBytes: published.file.rawBytes, bytes: published.file.bytes, lsn: report.lsn, binlog: report.binlog }, 'file published');
    const tables = settleCounts(before, after);
    const warnings = [
      ...(plan.fallback ? [plan.reason] : []),
      ...(report.lsn ? [] : [`${tool.name} did not report the backup's log sequence numbers: an incremental cannot start from this backup`]),
    ];
    ctx.manifest.options = args.filter((a) => !a.startsWith('--defaults-file='));
    return {
      ...empty(),
      ok: true,
      files: [published.file],
      tables,
      binlog: server.logBin && report.binlog ? { ...report.binlog, gtid: report.binlog.gtid ?? server.gtid } : null,
      warnings,
      lsn: report.lsn ? { fromLsn, ...report.lsn } : null,
      chain: plan.chain,
    };
  } finally {
    defaults?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await conn.end().catch(() => undefined);
  }
}

function empty(): DumpAttemptResult {
  return { ok: false, resumable: false, evidence: null, message: null, stopReason: null, files: [], tables: [], objects: NO_OBJECTS, binlog: null, warnings: [], failedTables: [] };
}
