// What the statements of a dump have done so far, as a server loading it would see it: the
// current database, the objects that exist, the locked tables, the SQL mode. A statement that a
// server would refuse in that state (a table created twice, rows for a table that does not exist,
// an INSERT into a table LOCK TABLES did not lock) is a grammar problem like a syntax error.
import { emptySummary, type ObjectKind, type ScanSummary } from './scanner.js';
import { describe, GrammarError, type Token } from './tokens.js';

export interface Column {
  name: string;
  generated: boolean;
  invisible: boolean;
}

export interface TableShape {
  columns: Column[];
}

/** Tables by `db.table` (db empty when no database was named). */
export type Catalog = Map<string, TableShape>;

type Relation = 'table' | 'view' | 'sequence';
export type RoutineKind = Exclude<ObjectKind, 'table' | 'view'> | 'package' | 'package body';

export interface QualifiedName {
  db: string | null;
  name: string;
  /** The name token, for errors. */
  token: Token;
}

export function fail(t: Token, expected: string): never {
  throw new GrammarError(t.at, expected, describe(t));
}

export class Session {
  readonly summary: ScanSummary = emptySummary();
  readonly createdTables = new Set<string>();
  /** The database of the last USE (what the scanner qualifies names with). */
  db: string | null = null;
  noBackslashEscapes = false;
  ansiQuotes = false;
  /** sql_mode=ORACLE: routines in PL/SQL style. */
  oracle = false;
  /** The lexer is inside a body or view definition: it reads names as a server would there. */
  inBody = false;
  /** Strict SQL mode: dumps turn it off for their rows, so rows inserted under it mean a lost SET. */
  strict = false;
  /** Statement text must be valid UTF-8 (the client character set is a UTF-8 one). */
  utf8Client = true;
  /** User variables the dump has set (a system variable set from another one would be NULL). */
  private readonly assigned = new Set<string>();
  /** sql_mode values saved in user variables (`SET @OLD_SQL_MODE=@@SQL_MODE`), to restore them. */
  private readonly savedModes = new Map<string, string>();
  private sqlMode = '';
  private readonly relations = new Map<string, Relation>();
  private readonly routines = new Set<string>();
  private readonly databases = new Set<string>();
  private locked: Set<string> | null = null;
  /** The INSERT whose rows are being read. */
  rowsTable: string | null = null;
  private rowsKey = '';

  constructor(
    readonly catalog: Catalog,
    private readonly defaultDb: string | null,
  ) {
    for (const key of catalog.keys()) this.relations.set(key, 'table');
  }

  /** `db.table` of a name as the server resolves it. */
  key(q: { db: string | null; name: string }): string {
    return `${q.db ?? this.db ?? this.defaultDb ?? ''}.${q.name}`;
  }

  /** The name as the scanner reports it: qualified with the last USE, if any. */
  private reported(q: { db: string | null; name: string }): string {
    if (q.db !== null) return `${q.db}.${q.name}`;
    return this.db === null ? q.name : `${this.db}.${q.name}`;
  }

  // ---- databases ----

  createDatabase(name: string, t: Token, ifNotExists: boolean): void {
    if (this.databases.has(name) && !ifNotExists) fail(t, `a database that does not exist yet (\`${name}\` was created before)`);
    this.databases.add(name);
  }

  dropDatabase(name: string, t: Token, ifExists: boolean): void {
    if (!this.databases.has(name) && !ifExists) fail(t, 'a database the dump created');
    this.databases.delete(name);
    for (const key of [...this.relations.keys()]) if (key.startsWith(`${name}.`)) this.relations.delete(key);
  }

  use(name: string, t: Token): void {
    // Dump tools write USE only after the CREATE DATABASE of --databases (--no-create-db aside).
    if (!this.databases.has(name)) fail(t, 'a database the dump created before USE');
    this.db = name;
  }

  // ---- tables, views, sequences ----

  private relation(q: QualifiedName): Relation | undefined {
    return this.relations.get(this.key(q));
  }

  createRelation(kind: Relation, q: QualifiedName, ifNotExists: boolean, orReplace: boolean, shape?: TableShape): void {
    this.noLocks(q.token);
    const key = this.key(q);
    const existing = this.relations.get(key);
    if (existing !== undefined && !ifNotExists && !(orReplace && existing === kind)) fail(q.token, `a name no table, view or sequence has yet (\`${q.name}\` exists)`);
    this.relations.set(key, kind);
    if (kind === 'table') {
      this.catalog.set(key, shape!);
      const name = this.reported(q);
      this.createdTables.add(name);
      if (!this.summary.tables.has(name)) this.summary.tables.set(name, 0);
    } else if (kind === 'view') {
      this.registerObject('view', this.reported(q));
    }
  }

  drop(kind: Relation, q: QualifiedName, ifExists: boolean): void {
    this.noLocks(q.token);
    const existing = this.relation(q);
    if (existing === kind) this.relations.delete(this.key(q));
    else if (!ifExists) fail(q.token, `an existing ${kind}`);
  }

  /** The table an INSERT, LOCK or ALTER names: it must exist (and be locked, under LOCK TABLES). */
  table(q: QualifiedName, what: string): TableShape {
    const key = this.key(q);
    const kind = this.relations.get(key);
    if (kind !== 'table') fail(q.token, `a table created before the ${what} (\`${q.name}\` ${kind ? `is a ${kind}` : 'does not exist'})`);
    if (this.locked && !this.locked.has(key)) fail(q.token, `a table LOCK TABLES locked for WRITE (\`${q.name}\` was not)`);
    return this.catalog.get(key)!;
  }

  /** LOCK TABLES: a table locked under an alias is locked for that alias only; rows need WRITE. */
  lock(names: { table: QualifiedName; alias: string | null; write: boolean }[]): void {
    const keys = new Set<string>();
    for (const { table, alias, write } of names) {
      if (!this.relation(table)) fail(table.token, 'a table or view that exists');
      if (alias === null && write) keys.add(this.key(table));
      else keys.add(`${alias === null ? 'read' : 'alias'}:${alias ?? this.key(table)}`);
    }
    this.locked = keys;
  }

  unlock(): void {
    this.locked = null;
  }

  private noLocks(t: Token): void {
    if (this.locked) fail(t, 'UNLOCK TABLES before a statement that changes the schema');
  }

  sequence(q: QualifiedName): void {
    if (this.relation(q) !== 'sequence') fail(q.token, 'a sequence created before');
  }

  relationExists(q: { db: string | null; name: string }): boolean {
    return this.relations.has(this.key(q));
  }

  /** A database the dump created or uses. */
  knowsDatabase(name: string): boolean {
    return this.databases.has(name) || name === this.db || name === this.defaultDb;
  }

  /** The columns of views, where the dump's text shows them all. */
  private readonly viewColumns = new Map<string, Set<string>>();

  setViewColumns(q: { db: string | null; name: string }, columns: Set<string> | null): void {
    if (columns) this.viewColumns.set(this.key(q), columns);
    else this.viewColumns.delete(this.key(q));
  }

  /** The columns of a table or view the dump created (lower case), or null when they are not known. */
  tableColumns(q: { db: string | null; name: string }): Set<string> | null {
    const key = this.key(q);
    const kind = this.relations.get(key);
    if (kind === 'view') return this.viewColumns.get(key) ?? null;
    const table = this.catalog.get(key);
    if (!table || kind !== 'table') return null;
    return new Set(table.columns.map((c) => c.name.toLowerCase()));
  }

  // ---- routines, triggers, events ----

  createRoutine(kind: RoutineKind, q: QualifiedName, ifNotExists: boolean, orReplace: boolean): void {
    this.noLocks(q.token);
    const key = `${kind}:${this.key(q).toLowerCase()}`;
    if (this.routines.has(key) && !ifNotExists && !orReplace) fail(q.token, `a ${kind} name not used yet (\`${q.name}\` exists)`);
    this.routines.add(key);
    // Packages are no object the manifest lists.
    if (kind !== 'package' && kind !== 'package body') this.registerObject(kind, this.reported(q));
  }

  dropRoutine(kind: RoutineKind, q: QualifiedName, ifExists: boolean): void {
    this.noLocks(q.token);
    const key = `${kind}:${this.key(q).toLowerCase()}`;
    if (!this.routines.delete(key) && !ifExists) fail(q.token, `an existing ${kind}`);
  }

  private registerObject(kind: Exclude<ObjectKind, 'table'>, name: string): void {
    // Old dumps stand in for a view with a table of the same name: the view replaces it.
    if (kind === 'view' && this.summary.tables.get(name) === 0) this.summary.tables.delete(name);
    const list = this.summary.objects[kind];
    if (!list.includes(name)) list.push(name);
  }

  // ---- rows ----

  startRows(q: QualifiedName): void {
    this.rowsTable = q.db !== null ? `${q.db}.${q.name}` : (this.db ?? this.defaultDb) !== null ? `${this.db ?? this.defaultDb}.${q.name}` : q.name;
    this.rowsKey = this.reported(q);
  }

  endRows(tuples: number): void {
    this.summary.tables.set(this.rowsKey, (this.summary.tables.get(this.rowsKey) ?? 0) + tuples);
    this.rowsTable = null;
  }

  assign(variable: string): void {
    this.assigned.add(variable.toLowerCase());
  }

  unassign(variable: string): void {
    this.assigned.delete(variable.toLowerCase());
  }

  isAssigned(variable: string): boolean {
    return this.assigned.has(variable.toLowerCase());
  }

  // ---- SQL mode ----

  setSqlMode(modes: string): void {
    this.sqlMode = modes.toUpperCase();
    const list = this.sqlMode.split(',').map((m) => m.trim());
    this.noBackslashEscapes = list.includes('NO_BACKSLASH_ESCAPES');
    this.ansiQuotes = list.includes('ANSI_QUOTES') || list.includes('ANSI') || list.includes('ORACLE');
    this.oracle = list.includes('ORACLE');
    this.strict = list.includes('STRICT_TRANS_TABLES') || list.includes('STRICT_ALL_TABLES') || list.includes('TRADITIONAL');
  }

  saveSqlMode(variable: string): void {
    this.savedModes.set(variable.toLowerCase(), this.sqlMode);
  }

  restoreSqlMode(variable: string): void {
    const saved = this.savedModes.get(variable.toLowerCase());
    if (saved !== undefined) this.setSqlMode(saved);
  }
}
