// Per-table method: the schema, then each table's data in its own file (N dump processes at once,
// each dumping a share of the tables and split per table), then the triggers. The manifest
// records each table as it completes, so an interrupted run resumes where it stopped.
//
// Consistency: each dump process is its own snapshot. With `consistent: true` the agent holds a
// global read lock (FLUSH TABLES WITH READ LOCK) while every process opens its snapshot, then
// releases it: all tables come from one point in time, as with mydumper. Tables re-dumped by a
// resume come from a later snapshot; the manifest says so in its warnings.
import type { Manifest, ManifestFile } from '../contract/manifest.js';
import type { FailureEvidence } from '../classify/types.js';
import { buildDumpArgs } from './dumpArgs.js';
import { writeDefaultsFile } from '../mysql/credentials.js';
import { type DumpAttemptResult, type DumpContext, NO_OBJECTS } from './context.js';
import { type DumpProcessOutcome, runDumpProcess } from './dumpProcess.js';
import { dumpToFile } from './dumpToFile.js';
import { dumpEvidence, summarize } from './evidence.js';
import { SectionBoundaries, TableDemux, type Section, writeChunk } from './demux.js';
import { consistentStart } from './consistency.js';
import { FileSink } from '../catalog/sink.js';
import { splitTableName } from '../catalog/names.js';
import { storageOf } from '../storage/index.js';
import { ScanTap } from '../dumpfile/stream.js';
import { failureOf } from '../classify/failure.js';

type TableEntry = Manifest['tables'][number];

const EXT = { zstd: '.zst', gzip: '.gz', none: '' } as const;
/** Table files of one dump process still being stored while the next table is dumped. */
const FINISHING_FILES = 2;

export function dataFileName(index: number, table: string, compression: keyof typeof EXT): string {
  const safe = table.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
  return `data-${String(index).padStart(4, '0')}-${safe}.sql${EXT[compression]}`;
}

/** A file recorded in the manifest still matches its checksum: a resume can keep it. */
async function fileIntact(dir: string, file: ManifestFile | undefined): Promise<boolean> {
  if (!file) return false;
  const storage = storageOf(dir);
  const digest = await storage.digest(storage.join(dir, file.name)).catch(() => null);
  return digest !== null && digest.bytes === file.bytes && digest.sha256 === file.sha256;
}

/** Splits a database's tables into at most n groups of similar size (largest first to the lightest group). */
export function balance<T extends { size: number }>(items: T[], n: number): T[][] {
  const groups = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, () => ({ size: 0, items: [] as T[] }));
  for (const item of [...items].sort((a, b) => b.size - a.size)) {
    const lightest = groups.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.items.push(item);
    lightest.size += item.size;
  }
  return groups.map((g) => g.items).filter((g) => g.length > 0);
}

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

interface GroupOutcome {
  /** A failure of the whole process (not attributable to one table): the rest of its tables stay pending. */
  evidence: FailureEvidence | null;
  message: string | null;
  stopReason: DumpAttemptResult['stopReason'];
}

export async function runPerTable(ctx: DumpContext): Promise<DumpAttemptResult> {
  const { manifest, server, target, log } = ctx;
  const files = new Map(manifest.files.map((f) => [f.name, f]));
  const warnings: string[] = [];

  // Keep what a previous attempt finished and still verifies; everything else is (re)done.
  const previous = new Map(manifest.tables.map((t) => [t.name, t]));
  const entries: TableEntry[] = [];
  for (const [i, t] of server.tables.entries()) {
    const old = previous.get(t.name);
    const file = dataFileName(i + 1, t.name, target.compression);
    if (old?.status === 'done' && old.file && (await fileIntact(ctx.dir, files.get(old.file)))) {
      entries.push(old);
    } else {
      if (old?.file && old.file !== file) files.delete(old.file);
      files.delete(file);
      entries.push({ name: t.name, rows: 0, status: 'pending', file, error: null });
    }
  }
  const kept = entries.filter((e) => e.status === 'done').length;
  if (kept > 0) {
    log.info({ kept }, 'resuming: keeping tables whose files verify');
    warnings.push(`resumed: ${kept} table(s) kept from an earlier attempt; re-dumped tables come from a later snapshot`);
  }
  const save = async () => {
    manifest.tables = entries;
    manifest.files = [...files.values()];
    await ctx.saveManifest();
  };
  await save();

  const failTable = (entry: TableEntry, message: string, missingObjects?: string[]) => {
    entry.status = 'failed';
    entry.error = failureOf({ tool: ctx.tool.name, stderr: message, ...(missingObjects ? { facts: { missingObjects } } : {}) }, message.trim());
  };

  const fail = (evidence: FailureEvidence, message: string, stopReason: DumpAttemptResult['stopReason']): DumpAttemptResult => ({
    ok: false,
    resumable: true,
    evidence,
    message,
    stopReason,
    files: [...files.values()],
    tables: entries.map((e) => ({ name: e.name, rows: e.rows })),
    objects: manifest.objects,
    binlog: null,
    warnings,
    failedTables: [],
  });

  // 1. Schema: databases, tables, views, routines, events.
  const schemaName = `schema.sql${EXT[target.compression]}`;
  let objects = manifest.objects;
  if (!(await fileIntact(ctx.dir, files.get(schemaName)))) {
    const names = entries.map((e) => splitTableName(e.name, server.databases)[1]);
    const r = await dumpToFile(ctx, { kind: 'schema' }, schemaName, 'schema', undefined, undefined, (o) => onlyTableErrors(o, names) !== null);
    manifest.options = r.args;
    if (!r.file) return fail(r.evidence!, `schema: ${r.message}`, r.outcome.stopReason);
    // A table whose definition could not be read cannot be restored: it fails, the others go on.
    for (const [table, line] of onlyTableErrors(r.outcome, names) ?? []) {
      for (const e of entries) if (e.name.endsWith(`.${table}`) && e.status !== 'done') failTable(e, line);
    }
    files.set(schemaName, r.file);
    objects = { ...NO_OBJECTS, ...r.outcome.scan.objects, trigger: [] };
    manifest.objects = objects;
    await save();
  }

  // 2. Data, per table.
  const pending = entries.filter((e) => e.status === 'pending');
  const sizes = new Map(server.tables.map((t) => [t.name, t.dataBytes]));
  const byDb = new Map<string, TableEntry[]>();
  for (const e of pending) {
    const [db] = splitTableName(e.name, server.databases);
    byDb.set(db, [...(byDb.get(db) ?? []), e]);
  }
  const groups = [...byDb].flatMap(([db, list]) =>
    balance(list.map((e) => ({ entry: e, size: sizes.get(e.name) ?? 0 })), target.parallel).map((g) => ({ db, entries: g.map((x) => x.entry) })),
  );
  let rawBytes = 0;
  let tablesDone = entries.filter((e) => e.status === 'done').length;
  const progress = () => ctx.onProgress({ rawBytes, bytes: 0, tablesDone, tablesTotal: entries.length, currentTable: null });

  const runGroup = async (db: string, group: TableEntry[]): Promise<GroupOutcome> => {
    const defaults = writeDefaultsFile(target.user, ctx.password);
    const local = new Map(group.map((e) => [e.name.slice(db.length + 1), e]));
    const boundaries = new SectionBoundaries();
    const tap = new ScanTap({ comment: boundaries.onComment });
    const sinks = new Map<string, FileSink>();
    const completions: Promise<void>[] = [];
    const finishing = new Set<Promise<void>>();
    const finishSection = async (section: Section) => {
      const entry = local.get(section.table);
      const sink = sinks.get(section.table);
      if (!entry || !sink) return;
      const r = await sink.finish({ role: 'data', table: entry.name });
      if ('failure' in r) {
        entry.status = 'pending';
        return;
      }
      files.set(r.file.name, r.file);
      entry.rows = tap.scanner.peek().tables.get(section.table) ?? 0;
      entry.status = 'done';
      tablesDone++;
      await save();
    };
    const demux = new TableDemux(tap.scanner, boundaries, {
      open(table) {
        const entry = local.get(table);
        if (!entry?.file) throw new Error(`the dump wrote data for table ${table}, which it was not asked for`);
        const storage = storageOf(ctx.dir);
        const sink = new FileSink(storage.create(storage.join(ctx.dir, entry.file)), entry.file, target.compression, target.compressionLevel);
        sinks.set(table, sink);
        return { table, write: (chunk) => writeChunk(sink.input, chunk) };
      },
      async complete(section) {
        const done = finishSection(section);
        completions.push(done);
        finishing.add(done);
        const settled = () => void finishing.delete(done);
        done.then(settled, settled);
        // Each file still finishing holds its last part in memory until stored: at most
        // FINISHING_FILES of them per dump process, whatever the number of tables.
        while (finishing.size >= FINISHING_FILES) await Promise.race(finishing).catch(() => undefined);
      },
    });
    try {
      const args = buildDumpArgs(ctx.tool, target, ctx.endpoint, server, defaults.path, { kind: 'data', database: db, tables: [...local.keys()] });
      let reported = 0;
      const outcome = await runDumpProcess({
        tool: ctx.tool,
        args,
        consumer: demux,
        tap,
        signal: ctx.signal,
        stallSeconds: target.stallTimeout,
        log,
        onBytes: (n) => {
          rawBytes += n - reported;
          reported = n;
          progress();
        },
      });
      await Promise.all(completions);
      // Errors that name a table belong to that table (with --force the process went on).
      const attributed = onlyTableErrors(outcome, [...local.keys()]);
      const complete = attributed !== null;
      for (const [table, line] of attributed ?? []) {
        const entry = local.get(table)!;
        failTable(entry, line);
        // Its file, if its (empty) section completed, is not kept: a file that looks good must be good.
        if (entry.file) {
          files.delete(entry.file);
          await storageOf(ctx.dir).remove(storageOf(ctx.dir).join(ctx.dir, entry.file));
        }
      }
      const last = demux.openSection;
      if (last) {
        const sink = sinks.get(last.table);
        if (complete && local.get(last.table)?.status !== 'failed') await finishSection(last);
        else await sink?.abort();
      }
      if (complete) {
        // A table the tool did not write at all (it skips some with only a warning) is not backed up.
        for (const [table, entry] of local) {
          if (entry.status !== 'pending') continue;
          const said = outcome.stderr.split('\n').find((l) => l.includes(table));
          failTable(entry, said?.trim() ?? `the dump tool wrote no data for ${entry.name}`, [entry.name]);
        }
      }
      await save();
      if (complete) return { evidence: null, message: null, stopReason: null };
      const evidence = dumpEvidence(ctx.tool.name, outcome, null);
      return { evidence, message: summarize(evidence), stopReason: outcome.stopReason };
    } finally {
      defaults.remove();
      for (const sink of sinks.values()) await sink.abort().catch(() => null);
    }
  };

  let binlog: Manifest['binlog'] = null;
  if (groups.length > 0) {
    let outcomes: GroupOutcome[];
    if (target.consistent) {
      const r = await consistentStart(
        ctx,
        groups.map((g) => () => runGroup(g.db, g.entries)),
      );
      outcomes = r.outcomes;
      binlog = kept === 0 ? r.binlog : null;
    } else {
      outcomes = await pool(
        groups.map((g) => () => runGroup(g.db, g.entries)),
        target.parallel,
      );
    }
    const failed = outcomes.find((o) => o.evidence);
    if (failed) return { ...fail(failed.evidence!, failed.message!, failed.stopReason), failedTables: failedOf(entries) };
  }

  // 3. Triggers last, so they do not fire while the data loads.
  const postName = `post.sql${EXT[target.compression]}`;
  if (!(await fileIntact(ctx.dir, files.get(postName)))) {
    const r = await dumpToFile(ctx, { kind: 'post' }, postName, 'post');
    if (!r.file) return fail(r.evidence!, `triggers: ${r.message}`, r.outcome.stopReason);
    files.set(postName, r.file);
    manifest.objects = { ...objects, trigger: r.outcome.scan.objects.trigger };
  }
  await save();
  progress();
  return {
    ok: true,
    resumable: true,
    evidence: null,
    message: null,
    stopReason: null,
    files: [...files.values()],
    tables: entries.map((e) => ({ name: e.name, rows: e.rows })),
    objects: manifest.objects,
    binlog,
    warnings,
    failedTables: failedOf(entries),
  };
}

function failedOf(entries: TableEntry[]): DumpAttemptResult['failedTables'] {
  return entries
    .filter((e) => e.status === 'failed' && e.error)
    .map((e) => ({ name: e.name, failure: e.error! }));
}

const isErrorLine = (line: string) => !/^\s*warning/i.test(line) && /^(?:mariadb-dump|mysqldump)\b|\berror:? \d{4}|got error|couldn't execute/i.test(line);

/**
 * Error lines of the dump tool, by the table they name (`t`, './db/t', './db/t.MYI', db.t). A line
 * that names no table continues the error of the line before it ("Got error ... when retrieving data").
 */
export function attribute(stderr: string, tables: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let previous: string | null = null;
  for (const line of stderr.split('\n')) {
    if (!isErrorLine(line)) continue;
    const named = tables.find((t) => {
      const q = t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(`(^|[\`'/.\\s])${q}([\`'.\\s:]|$)`).test(line);
    });
    const table: string | null = named ?? previous;
    if (table === null) continue;
    found.set(table, [...(found.get(table) ?? []), line]);
    previous = table;
  }
  return found;
}

/**
 * With --force the tool goes past a damaged table and exits non-zero at the end. The process
 * still did its job for the other tables when every error it printed names one of them.
 */
export function onlyTableErrors(o: DumpProcessOutcome, tables: string[]): Map<string, string> | null {
  if (!o.trailerPresent || o.scan.cut !== null || o.signal !== null || o.stopReason !== null || o.consumerFailed) return null;
  const attributed = attribute(o.stderr, tables);
  const named = new Set([...attributed.values()].flat());
  const others = o.stderr.split('\n').filter((l) => isErrorLine(l) && !named.has(l));
  return others.length === 0 ? new Map([...attributed].map(([t, lines]) => [t, lines[0]!])) : null;
}

