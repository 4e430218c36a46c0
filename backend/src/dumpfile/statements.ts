// The statements a dump holds, each against its own grammar. The set is small and known: what
// client/mysqldump.cc of MySQL 5.7/8.0/8.4 and of MariaDB 10.x/11.x writes (header and footer SETs,
// CREATE/DROP of databases, tables, views, routines, triggers, events and sequences, LOCK/UNLOCK,
// ALTER TABLE … DISABLE/ENABLE KEYS, INSERT/REPLACE, USE, binary log coordinates, sequence values).
import { type Context, ifNotExists, type ParserHooks } from './context.js';
import { createObject } from './routines.js';
import { isPunct, isWord, Reader, type Step } from './reader.js';
import { fail, type QualifiedName, type RoutineKind, Session } from './session.js';
import { createTable } from './tableBody.js';
import { GrammarError, K, type Token } from './tokens.js';
import { isCharset, isCollation, SQL_MODES, SYSTEM_VARIABLES, type VariableKind } from './vocabulary.js';

export type { ParserHooks } from './context.js';
export type { Catalog } from './session.js';
export { Session } from './session.js';

export class StatementParser {
  private gen: Step | null = null;
  private skipping = false;
  private inRows = false;
  private ctx: Context | null = null;
  /** Tuples of an INSERT whose rows broke the grammar, counted while the rest is skipped. */
  private rows: number | null = null;
  private depth = 0;

  constructor(
    private readonly session: Session,
    private readonly hooks: ParserHooks,
  ) {}

  /** No statement is in progress (DELIMITER and top-level comments are recognised only then). */
  get idle(): boolean {
    return this.gen === null && !this.skipping && !this.inRows;
  }

  push(t: Token): void {
    if (this.skipping) {
      if (this.rows !== null) this.countRow(t);
      if (t.k === K.Delim) {
        this.skipping = false;
        this.session.summary.statements++;
        if (this.rows !== null) this.session.endRows(this.rows);
        this.rows = null;
      }
      return;
    }
    if (this.gen === null) {
      if (t.k === K.Delim) return; // an empty statement
      this.ctx = { r: new Reader(), session: this.session, hooks: { ...this.hooks, startRows: (a) => this.startRows(a) } };
      this.gen = statement(this.ctx);
      this.gen.next();
    }
    try {
      const r = this.gen.next(t);
      if (r.done) {
        this.gen = null;
        this.session.inBody = false;
        if (!this.inRows) this.session.summary.statements++;
      }
    } catch (err) {
      if (!(err instanceof GrammarError)) throw err;
      this.gen = null;
      this.session.inBody = false;
      this.hooks.problem(err, null);
      this.skipping = t.k !== K.Delim;
      if (!this.skipping) this.session.summary.statements++;
    }
  }

  /** A lexical error: reported, and the statement it is in is skipped. */
  fail(e: GrammarError): void {
    if (this.skipping) return;
    this.hooks.problem(e, this.session.rowsTable);
    if (this.gen !== null || this.inRows) {
      this.gen = null;
      this.inRows = false;
      this.skipping = true;
      this.session.inBody = false;
    }
  }

  private startRows(arity: number): void {
    this.inRows = true;
    this.hooks.startRows(arity);
  }

  endRows(): void {
    this.inRows = false;
    this.session.summary.statements++;
  }

  /** The rows broke the grammar: the rest of the statement is skipped, its tuples counted. */
  skipRows(counted: number, depth: number): void {
    this.inRows = false;
    this.skipping = true;
    this.rows = counted;
    this.depth = depth;
  }

  private countRow(t: Token): void {
    if (t.k !== K.Punct) return;
    if (t.text === '(' && this.depth++ === 0) this.rows!++;
    else if (t.text === ')' && this.depth > 0) this.depth--;
  }
}

function* statement(ctx: Context): Step {
  const { r } = ctx;
  const t = yield* r.next();
  if (t.k !== K.Word) fail(t, 'a statement');
  switch (t.upper) {
    case 'SET':
      return yield* setStatement(ctx);
    case 'USE': {
      const name = yield* r.name('a database name');
      yield* r.end();
      ctx.session.use(name.text, name);
      return;
    }
    case 'DROP':
      return yield* drop(ctx);
    case 'CREATE':
      return yield* create(ctx);
    case 'ALTER':
      return yield* alter(ctx);
    case 'LOCK':
      return yield* lockTables(ctx);
    case 'UNLOCK':
      yield* r.expect('TABLES');
      yield* r.end();
      ctx.session.unlock();
      return;
    case 'INSERT':
    case 'REPLACE':
      return yield* insertHead(ctx, t.upper);
    case 'COMMIT':
    case 'BEGIN':
      yield* r.end();
      return;
    case 'START':
    case 'STOP': {
      // --apply-slave-statements writes STOP SLAVE before CHANGE MASTER and START SLAVE after
      // (MariaDB: STOP ALL SLAVES, START ALL SLAVES).
      const what = yield* r.expect(...(t.upper === 'START' ? ['TRANSACTION', 'SLAVE', 'REPLICA', 'ALL'] : ['SLAVE', 'REPLICA', 'ALL']));
      if (what === 'ALL') yield* r.expect('SLAVES', 'REPLICAS');
      yield* r.end();
      return;
    }
    case 'ANALYZE':
      return yield* histogram(ctx);
    case 'FLUSH':
      yield* r.expect('PRIVILEGES');
      yield* r.end();
      return;
    case 'CHANGE':
      return yield* changeSource(ctx);
    case 'SELECT':
    case 'DO':
      return yield* setval(ctx);
    default:
      fail(t, 'a statement a dump holds (SET, USE, CREATE, DROP, ALTER, LOCK, UNLOCK, INSERT, REPLACE, …)');
  }
}

// ---- SET ----

const SCOPES = ['GLOBAL', 'SESSION', 'LOCAL'];

function* setStatement(ctx: Context): Step {
  const { r, session } = ctx;
  const first = yield* r.peek();
  if (isWord(first, 'NAMES')) {
    yield* r.next();
    const cs = yield* r.next();
    if (!((cs.k === K.Word || cs.k === K.Str || cs.k === K.Ident) && isCharset(cs.text)) && !isWord(cs, 'DEFAULT')) fail(cs, 'a character set');
    session.utf8Client = cs.text.toLowerCase().startsWith('utf8');
    if (yield* r.accept('COLLATE')) {
      const co = yield* r.next();
      if (!((co.k === K.Word || co.k === K.Str || co.k === K.Ident) && isCollation(co.text))) fail(co, 'a collation');
    }
    return yield* r.end();
  }
  if (isWord(first, 'CHARACTER', 'CHARSET')) {
    yield* r.next();
    if (first.upper === 'CHARACTER') yield* r.expect('SET');
    const cs = yield* r.next();
    if (!((cs.k === K.Word || cs.k === K.Str) && isCharset(cs.text)) && !isWord(cs, 'DEFAULT')) fail(cs, 'a character set');
    return yield* r.end();
  }
  yield* r.accept(...SCOPES);
  for (;;) {
    const target = yield* r.next();
    let variable: string | null = null;
    let userVar: string | null = null;
    if (target.k === K.Var) userVar = target.text;
    else if (target.k === K.SysVar) {
      const parts = target.text.split('.');
      if (parts.length > 2 || (parts.length === 2 && !SCOPES.includes(parts[0]!.toUpperCase()))) fail(target, 'a system variable');
      variable = parts.at(-1)!;
    } else if (target.k === K.Word && SCOPES.includes(target.upper)) {
      variable = (yield* r.name('a system variable')).text;
    } else if (target.k === K.Word) variable = target.text;
    else fail(target, 'a variable to set');
    const assign = yield* r.next();
    if (!isPunct(assign, '=') && !isPunct(assign, ':=')) fail(assign, '"="');
    const value = yield* setValue(r);
    const source = value[0]!;
    if (source.k === K.SysVar && !SYSTEM_VARIABLES.has(source.text.split('.').at(-1)!.toLowerCase())) fail(source, 'a system variable a dump reads');
    if (source.k === K.Word && (userVar !== null || !['charset', 'collation', 'switch'].includes(SYSTEM_VARIABLES.get(variable!.toLowerCase()) ?? ''))) {
      // A bare word here is a column name to a server: there is none.
      if (!isWord(source, 'DEFAULT', 'NULL', 'TRUE', 'FALSE', 'ON', 'OFF')) fail(source, 'a value (a bare word is no value here)');
    }
    if (userVar !== null) {
      // A variable set from one never set is NULL, as if it had not been set.
      if (source.k === K.Var && !session.isAssigned(source.text)) session.unassign(userVar);
      else session.assign(userVar);
      if (value.length === 1 && value[0]!.k === K.SysVar && value[0]!.text.split('.').at(-1)!.toLowerCase() === 'sql_mode') session.saveSqlMode(userVar);
    } else {
      const kind = SYSTEM_VARIABLES.get(variable!.toLowerCase());
      if (kind === undefined) fail(target, 'a system variable a dump sets');
      checkVariable(kind, value, session, variable!.toLowerCase());
    }
    const after = yield* r.next();
    if (after.k === K.Delim) return;
    if (!isPunct(after, ',')) fail(after, '"," or the end of the statement');
  }
}

/** A SET value: one primary (adjacent strings concatenate, as `'+' '…'` for GTID_PURGED). */
function* setValue(r: Reader): Step<Token[]> {
  const t = yield* r.next();
  if (t.k === K.Str) {
    const out = [t];
    for (;;) {
      const n = yield* r.peek();
      if (n.k !== K.Str) return out;
      out.push(yield* r.next());
    }
  }
  if (isPunct(t, '-') || isPunct(t, '+')) {
    const n = yield* r.next();
    if (n.k !== K.Num) fail(n, 'a number');
    return [n];
  }
  if (t.k === K.Num || t.k === K.Var || t.k === K.SysVar || t.k === K.Word || t.k === K.Ident || t.k === K.Hex || t.k === K.Bits) return [t];
  return fail(t, 'a value');
}

const TIME_ZONE_OFFSET = /^([+-])(\d{1,2}):(\d{2})$/;

function checkVariable(kind: VariableKind, value: Token[], session: Session, variable: string): void {
  const v = value[0]!;
  if (v.k === K.Var && !session.isAssigned(v.text)) fail(v, 'a user variable the dump set before (it would be NULL)');
  if (v.k === K.Var || v.k === K.SysVar || isWord(v, 'DEFAULT')) {
    if (kind === 'sqlMode' && v.k === K.Var) session.restoreSqlMode(v.text);
    if (kind === 'sqlMode' && isWord(v, 'DEFAULT')) session.setSqlMode('');
    return;
  }
  const text = value.map((t) => t.text).join('');
  switch (kind) {
    case 'charset':
      if (!(v.k === K.Word || v.k === K.Str || v.k === K.Ident) || !isCharset(text)) fail(v, 'a character set');
      if (variable === 'character_set_client') session.utf8Client = text.toLowerCase().startsWith('utf8');
      return;
    case 'collation':
      if (!(v.k === K.Word || v.k === K.Str || v.k === K.Ident) || !isCollation(text)) fail(v, 'a collation');
      return;
    case 'sqlMode': {
      if (v.k !== K.Str) fail(v, 'a quoted list of SQL modes');
      const bad = text.split(',').find((m) => m.trim() !== '' && !SQL_MODES.has(m.trim().toUpperCase()));
      if (bad !== undefined) fail(v, `SQL modes (${JSON.stringify(bad)} is none)`);
      session.setSqlMode(text);
      return;
    }
    case 'timeZone': {
      if (v.k !== K.Str) fail(v, 'a quoted time zone');
      const m = TIME_ZONE_OFFSET.exec(text);
      const minutes = m ? (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1) : 0;
      const ok = m ? Number(m[3]) < 60 && minutes >= -(12 * 60 + 59) && minutes <= 13 * 60 : text.toUpperCase() === 'SYSTEM' || /^[A-Z][A-Za-z_]+(?:\/[A-Za-z_+-]+)+$/.test(text);
      if (!ok) fail(v, "a time zone: 'SYSTEM', an offset such as '+00:00', or a zone name");
      return;
    }
    case 'switch':
      if (!((v.k === K.Num && (v.text === '0' || v.text === '1')) || isWord(v, 'ON', 'OFF', 'TRUE', 'FALSE'))) fail(v, '0, 1, ON or OFF');
      return;
    case 'number':
      if (v.k !== K.Num) fail(v, 'a number');
      return;
    case 'text':
      if (v.k !== K.Str && v.k !== K.Num && v.k !== K.Word) fail(v, 'a value');
      return;
  }
}

// ---- DROP, ALTER, LOCK ----

const DROPPABLE = ['TABLE', 'TABLES', 'VIEW', 'DATABASE', 'SCHEMA', 'PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT', 'SEQUENCE', 'PACKAGE'];

function* ifExists(r: Reader): Step<boolean> {
  if (!(yield* r.accept('IF'))) return false;
  yield* r.expect('EXISTS');
  return true;
}

function* drop(ctx: Context): Step {
  const { r, session } = ctx;
  let what = yield* r.expect(...DROPPABLE);
  if (what === 'PACKAGE' && (yield* r.accept('BODY'))) what = 'PACKAGE BODY';
  const exists = yield* ifExists(r);
  if (what === 'DATABASE' || what === 'SCHEMA') {
    const name = yield* r.name('a database name');
    yield* r.end();
    session.dropDatabase(name.text, name, exists);
    return;
  }
  for (;;) {
    const q = yield* r.qualified();
    if (what === 'TABLE' || what === 'TABLES') session.drop('table', q, exists);
    else if (what === 'VIEW') session.drop('view', q, exists);
    else if (what === 'SEQUENCE') session.drop('sequence', q, exists);
    else session.dropRoutine(what.toLowerCase() as RoutineKind, q, exists);
    if (!(yield* r.acceptPunct(','))) break;
  }
  yield* r.accept('RESTRICT', 'CASCADE');
  yield* r.end();
}

function* alter(ctx: Context): Step {
  const { r, session } = ctx;
  const what = yield* r.expect('TABLE', 'DATABASE', 'SCHEMA');
  if (what === 'TABLE') {
    const q = yield* r.qualified('a table name');
    yield* r.expect('DISABLE', 'ENABLE');
    yield* r.expect('KEYS');
    yield* r.end();
    session.table(q, 'ALTER TABLE');
    return;
  }
  const name = yield* r.peek();
  if (!isWord(name, 'DEFAULT', 'CHARACTER', 'CHARSET', 'COLLATE')) yield* r.name('a database name');
  yield* databaseOptions(r, true);
}

/** `[DEFAULT] CHARACTER SET [=] cs`, `[DEFAULT] COLLATE [=] c`, `[DEFAULT] ENCRYPTION [=] 'Y'`, `COMMENT [=] '…'`, then the end. */
export function* databaseOptions(r: Reader, atLeastOne: boolean): Step {
  let count = 0;
  for (;;) {
    const t = yield* r.next();
    if (t.k === K.Delim) {
      if (atLeastOne && count === 0) fail(t, 'a database option');
      return;
    }
    count++;
    let word = t;
    if (isWord(word, 'DEFAULT')) word = yield* r.next();
    if (isWord(word, 'CHARACTER', 'CHARSET')) {
      if (word.upper === 'CHARACTER') yield* r.expect('SET');
      yield* r.acceptPunct('=');
      const cs = yield* r.next();
      if (!isCharset(cs.text) || cs.k === K.Num) fail(cs, 'a character set');
    } else if (isWord(word, 'COLLATE')) {
      yield* r.acceptPunct('=');
      const c = yield* r.next();
      if (!isCollation(c.text) || c.k === K.Num) fail(c, 'a collation');
    } else if (isWord(word, 'ENCRYPTION')) {
      yield* r.acceptPunct('=');
      const v = yield* r.next();
      if (v.k !== K.Str || !/^[YN]$/i.test(v.text)) fail(v, "'Y' or 'N'");
    } else if (isWord(word, 'COMMENT')) {
      yield* r.acceptPunct('=');
      const v = yield* r.next();
      if (v.k !== K.Str) fail(v, 'a quoted comment');
    } else fail(word, 'a database option (CHARACTER SET, COLLATE, ENCRYPTION, COMMENT)');
  }
}

function* lockTables(ctx: Context): Step {
  const { r, session } = ctx;
  yield* r.expect('TABLES', 'TABLE');
  const names: { table: QualifiedName; alias: string | null; write: boolean }[] = [];
  for (;;) {
    const table = yield* r.qualified('a table name');
    let alias: string | null = null;
    if (yield* r.accept('AS')) alias = (yield* r.name('an alias')).text;
    else {
      const t = yield* r.peek();
      if (t.k === K.Ident || (t.k === K.Word && !isWord(t, 'READ', 'WRITE', 'LOW_PRIORITY'))) alias = (yield* r.name('an alias')).text;
    }
    const mode = yield* r.expect('READ', 'WRITE', 'LOW_PRIORITY');
    names.push({ table, alias, write: mode !== 'READ' });
    if (mode === 'READ') yield* r.accept('LOCAL');
    if (mode === 'LOW_PRIORITY') yield* r.expect('WRITE');
    if (!(yield* r.acceptPunct(','))) break;
  }
  yield* r.end();
  session.lock(names);
}

// ---- INSERT ----

function* insertHead(ctx: Context, verb: string): Step {
  const { r, session } = ctx;
  yield* r.accept('LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY');
  if (verb === 'INSERT') yield* r.accept('IGNORE');
  yield* r.accept('INTO');
  const q = yield* r.qualified('a table name');
  if (session.strict) fail(q.token, 'rows after the dump turned strict SQL mode off (a SET sql_mode is missing)');
  session.startRows(q);
  const shape = session.table(q, 'INSERT');
  let arity = shape.columns.filter((c) => !c.invisible).length;
  if (yield* r.acceptPunct('(')) {
    const names = new Set<string>();
    for (;;) {
      const col = yield* r.name('a column name');
      const lower = col.text.toLowerCase();
      if (!shape.columns.some((c) => c.name.toLowerCase() === lower)) fail(col, `a column of \`${q.name}\``);
      if (names.has(lower)) fail(col, 'each column once');
      names.add(lower);
      const sep = yield* r.next();
      if (isPunct(sep, ')')) break;
      if (!isPunct(sep, ',')) fail(sep, '"," or ")"');
    }
    arity = names.size;
  }
  yield* r.expect('VALUES', 'VALUE');
  ctx.hooks.startRows(arity);
}

// ---- CREATE ----

function* create(ctx: Context): Step {
  const { r } = ctx;
  let orReplace = false;
  if (yield* r.accept('OR')) {
    yield* r.expect('REPLACE');
    orReplace = true;
  }
  let definer = false;
  const seen = new Set<string>();
  for (;;) {
    const t = yield* r.peek();
    if (isWord(t, 'ALGORITHM', 'DEFINER', 'SQL')) {
      if (seen.has(t.upper)) fail(t, `${t.upper} once`);
      seen.add(t.upper);
    }
    if (isWord(t, 'ALGORITHM')) {
      yield* r.next();
      yield* r.expectPunct('=');
      yield* r.expect('UNDEFINED', 'MERGE', 'TEMPTABLE');
    } else if (isWord(t, 'DEFINER')) {
      yield* r.next();
      yield* r.expectPunct('=');
      yield* user(r);
      definer = true;
    } else if (isWord(t, 'SQL')) {
      yield* r.next();
      yield* r.expect('SECURITY');
      yield* r.expect('DEFINER', 'INVOKER');
    } else break;
  }
  const kind = yield* r.expect('DATABASE', 'SCHEMA', 'TABLE', 'TEMPORARY', 'SEQUENCE', 'VIEW', 'TRIGGER', 'PROCEDURE', 'FUNCTION', 'AGGREGATE', 'EVENT', 'PACKAGE');
  if ((kind === 'DATABASE' || kind === 'SCHEMA' || kind === 'TABLE' || kind === 'SEQUENCE') && definer) fail(yield* r.peek(), `a ${kind.toLowerCase()} without DEFINER`);
  switch (kind) {
    case 'DATABASE':
    case 'SCHEMA': {
      const ine = yield* ifNotExists(r);
      const name = yield* r.name('a database name');
      yield* databaseOptions(r, false);
      ctx.session.createDatabase(name.text, name, ine);
      return;
    }
    case 'TEMPORARY':
      yield* r.expect('TABLE');
      return yield* createTable(ctx, orReplace);
    case 'TABLE':
      return yield* createTable(ctx, orReplace);
    case 'SEQUENCE':
      return yield* createSequence(ctx, orReplace);
    case 'AGGREGATE':
      yield* r.expect('FUNCTION');
      return yield* createObject(ctx, 'FUNCTION', orReplace);
    default:
      // A view without ALGORITHM, DEFINER or SQL SECURITY is the dump tool's stand-in, not a server's.
      return yield* createObject(ctx, kind, orReplace, !orReplace && seen.size === 0);
  }
}

/** `user`@`host`, 'user'@'host', CURRENT_USER[()]. */
export function* user(r: Reader): Step {
  const t = yield* r.next();
  if (isWord(t, 'CURRENT_USER')) {
    if (yield* r.acceptPunct('(')) yield* r.expectPunct(')');
    return;
  }
  if (t.k !== K.Ident && t.k !== K.Str && t.k !== K.Word) fail(t, 'a user name');
  const host = yield* r.peek();
  if (host.k === K.Var) yield* r.next();
}

/** Sequence options and whether a number follows each. */
const SEQUENCE_OPTIONS: Record<string, boolean> = {
  START: true, MINVALUE: true, MAXVALUE: true, INCREMENT: true, CACHE: true, RESTART: true,
  NOCACHE: false, CYCLE: false, NOCYCLE: false, NOMINVALUE: false, NOMAXVALUE: false,
};

function* createSequence(ctx: Context, orReplace: boolean): Step {
  const { r, session } = ctx;
  const ine = yield* ifNotExists(r);
  const q = yield* r.qualified('a sequence name');
  for (;;) {
    const t = yield* r.next();
    if (t.k === K.Delim) break;
    if (isWord(t, 'ENGINE')) {
      yield* r.acceptPunct('=');
      yield* r.name('an engine');
      continue;
    }
    if (isWord(t, 'AS')) {
      yield* r.expect('TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'INTEGER', 'BIGINT');
      yield* r.accept('UNSIGNED', 'SIGNED');
      continue;
    }
    if (isWord(t, 'NO')) {
      yield* r.expect('MINVALUE', 'MAXVALUE', 'CACHE', 'CYCLE');
      continue;
    }
    const takesValue = t.k === K.Word ? SEQUENCE_OPTIONS[t.upper] : undefined;
    if (takesValue === undefined) fail(t, 'a sequence option');
    if (!takesValue) continue;
    if (t.upper === 'START' || t.upper === 'RESTART') yield* r.accept('WITH');
    if (t.upper === 'INCREMENT') yield* r.accept('BY');
    yield* r.acceptPunct('=');
    let v = yield* r.next();
    if (isPunct(v, '-')) v = yield* r.next();
    if (v.k !== K.Num || !/^\d+$/.test(v.text)) fail(v, `a number after ${t.upper}`);
  }
  session.createRelation('sequence', q, ine, orReplace);
}

/** `SELECT SETVAL(seq, n, 0|1[, round])` (older mariadb-dump) or `DO SETVAL(…)`. */
function* setval(ctx: Context): Step {
  const { r, session } = ctx;
  yield* r.expect('SETVAL');
  yield* r.expectPunct('(');
  const q = yield* r.qualified('a sequence name');
  session.sequence(q);
  let args = 0;
  for (;;) {
    const sep = yield* r.next();
    if (isPunct(sep, ')')) break;
    if (!isPunct(sep, ',')) fail(sep, '"," or ")"');
    let v = yield* r.next();
    if (isPunct(v, '-')) v = yield* r.next();
    if (v.k !== K.Num) fail(v, 'a number');
    args++;
  }
  if (args < 1 || args > 3) fail(yield* r.peek(), 'SETVAL(sequence, value[, used[, round]])');
  yield* r.end();
}

/** `CHANGE MASTER TO k=v, …` / `CHANGE REPLICATION SOURCE TO …` (--master-data=1, --source-data=1). */
function* changeSource(ctx: Context): Step {
  const { r } = ctx;
  const what = yield* r.expect('MASTER', 'REPLICATION');
  if (what === 'REPLICATION') yield* r.expect('SOURCE');
  yield* r.expect('TO');
  for (;;) {
    const key = yield* r.next();
    if (key.k !== K.Word || !/^(?:MASTER|SOURCE)_[A-Z_]+$/.test(key.upper)) fail(key, 'a MASTER_… or SOURCE_… option');
    yield* r.expectPunct('=');
    const v = yield* r.next();
    // A word (MASTER_USE_GTID=slave_pos) is a name: one that starts with a digit is a broken number.
    if (!(v.k === K.Str || v.k === K.Num || (v.k === K.Word && !/^\d/.test(v.text)))) fail(v, 'a value');
    const sep = yield* r.next();
    if (sep.k === K.Delim) return;
    if (isWord(sep, 'FOR')) {
      yield* r.expect('CHANNEL');
      const channel = yield* r.next();
      if (channel.k !== K.Str) fail(channel, 'a quoted channel name');
      return yield* r.end();
    }
    if (!isPunct(sep, ',')) fail(sep, '"," or the end of the statement');
  }
}

/** `ANALYZE TABLE t UPDATE HISTOGRAM ON c, … WITH n BUCKETS` (mysqldump 8 --column-statistics). */
function* histogram(ctx: Context): Step {
  const { r, session } = ctx;
  yield* r.expect('TABLE');
  const q = yield* r.qualified('a table name');
  const shape = session.table(q, 'ANALYZE TABLE');
  yield* r.expect('UPDATE');
  yield* r.expect('HISTOGRAM');
  yield* r.expect('ON');
  for (;;) {
    const col = yield* r.name('a column name');
    if (!shape.columns.some((c) => c.name.toLowerCase() === col.text.toLowerCase())) fail(col, `a column of \`${q.name}\``);
    if (!(yield* r.acceptPunct(','))) break;
  }
  yield* r.expect('WITH');
  const n = yield* r.next();
  if (n.k !== K.Num || !/^\d+$/.test(n.text)) fail(n, 'a number of buckets');
  yield* r.expect('BUCKETS');
  yield* r.end();
}
