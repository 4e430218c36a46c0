// `parse` level: what the SQL of a backup holds, compared with what its manifest promises.
import { splitTableName } from '../catalog/names.js';
import type { Manifest, ManifestFile } from '../contract/manifest.js';
import { hasTrailer } from '../dumpfile/stream.js';
import { expectedTables } from '../restore/tables.js';
import type { SqlFacts } from './filePass.js';
import { problem, type VerifyProblem } from './problems.js';

export interface ScannedFile {
  file: ManifestFile;
  sql: SqlFacts;
}

const OBJECT_KINDS = ['view', 'trigger', 'procedure', 'function', 'event'] as const;

/**
 * A per-table data file may be dumped without `USE`, so its INSERTs name the bare table: qualify
 * them with the database of the table the file holds.
 */
function qualifier(file: ManifestFile, databases: readonly string[]): (name: string) => string {
  const db = file.table?.includes('.') ? splitTableName(file.table, databases)[0] : null;
  return (name) => (db !== null && !name.includes('.') ? `${db}.${name}` : name);
}

/** One file's stream: every statement in the dump grammar, nothing cut, the trailer present and last. */
function streamProblems({ file, sql }: ScannedFile): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  for (const g of sql.grammar) {
    const where = g.table === null ? '' : ` (in the rows of ${g.table})`;
    out.push(problem('grammar', `${file.name}: byte ${g.offset}${where}: expected ${g.expected}, found ${g.found}`, g.table ?? undefined));
  }
  if (sql.moreGrammar > 0) out.push(problem('grammar', `${file.name}: ${sql.moreGrammar} more grammar problem(s) after these`));
  if (sql.scan.cut) out.push(problem('cut', `${file.name}: ${sql.scan.cut}`));
  if (!hasTrailer(sql.scan.lastComment, sql.scan.contentAfterLastComment)) {
    out.push(
      problem(
        'trailer',
        sql.trailerSeen
          ? `${file.name}: there is content after the "-- Dump completed" trailer`
          : `${file.name}: the "-- Dump completed" trailer is missing (the dump was cut short)`,
      ),
    );
  }
  return out;
}

export function contentProblems(manifest: Manifest, files: ScannedFile[]): VerifyProblem[] {
  const problems = files.flatMap(streamProblems);

  const rows = new Map<string, number>();
  const created = new Set<string>();
  const objects = new Map<string, Set<string>>(OBJECT_KINDS.map((k) => [k, new Set<string>()]));
  for (const { file, sql } of files) {
    const q = qualifier(file, manifest.databases);
    for (const [name, n] of sql.scan.tables) rows.set(q(name), (rows.get(q(name)) ?? 0) + n);
    for (const name of sql.createdTables) created.add(q(name));
    for (const kind of OBJECT_KINDS) for (const name of sql.scan.objects[kind]) objects.get(kind)!.add(q(name));
  }
  // Old dumps create a stand-in table for each view before the view itself.
  for (const view of objects.get('view')!) {
    created.delete(view);
    rows.delete(view);
  }

  const expected = expectedTables(manifest);
  for (const t of expected) {
    if (!created.has(t.name)) {
      problems.push(problem('missing-table', `no CREATE TABLE for ${t.name} in the dump`, t.name));
      continue;
    }
    const found = rows.get(t.name) ?? 0;
    if (found !== t.rows) problems.push(problem('row-count', `the dump holds ${found} rows of ${t.name}; the manifest says ${t.rows}`, t.name));
  }

  const listed = new Set(manifest.tables.map((t) => t.name));
  for (const name of new Set([...created, ...rows.keys()])) {
    if (!listed.has(name)) problems.push(problem('extra-table', `the dump holds table ${name}, which the manifest does not list`, name));
  }

  for (const kind of OBJECT_KINDS) {
    for (const name of manifest.objects[kind]) {
      if (!objects.get(kind)!.has(name)) problems.push(problem('missing-object', `${kind} ${name} is listed in the manifest but not in the dump`, name));
    }
  }
  return problems;
}
