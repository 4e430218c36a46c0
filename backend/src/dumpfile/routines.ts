// CREATE VIEW, TRIGGER, PROCEDURE, FUNCTION, EVENT and PACKAGE: the head of each against its
// grammar, the body (server-written text) tokenised and checked by BodyChecker for what is
// certainly broken. Beyond that, only what a server checks at CREATE and the dump proves: a
// trigger's NEW.x / OLD.x are columns of its table, a view has no variables and its
// `db`.`table`.`column` names, where the dump created that table, one of its columns.
import { BodyChecker, type BodyOptions, SEQUENCE_FUNCTIONS } from './expression.js';
import { isPunct, isWord, type Reader, type Step } from './reader.js';
import { fail, type QualifiedName, type Session } from './session.js';
import { type Context, ifNotExists } from './context.js';
import { typeLength } from './tableBody.js';
import { K, type Token } from './tokens.js';
import { DATA_TYPES, isCharset, isCollation } from './vocabulary.js';

export function* createObject(ctx: Context, kind: string, orReplace: boolean, plain = false): Step {
  switch (kind) {
    case 'VIEW':
      return yield* createView(ctx, orReplace, plain);
    case 'TRIGGER':
      return yield* createTrigger(ctx, orReplace);
    case 'EVENT':
      return yield* createEvent(ctx, orReplace);
    case 'PACKAGE':
      return yield* createPackage(ctx, orReplace);
    default:
      return yield* createRoutine(ctx, kind === 'FUNCTION' ? 'function' : 'procedure', orReplace);
  }
}

/** Feeds the rest of the statement to a body checker; `watch` sees each token too. */
function* body(ctx: Context, opts: BodyOptions, watch?: (t: Token) => void): Step {
  const checker = new BodyChecker(opts);
  // The lexer reads server-written text as a server would (`1st` is a name there, not a broken number).
  ctx.session.inBody = true;
  for (;;) {
    const t = yield* ctx.r.next();
    checker.push(t);
    watch?.(t);
    if (t.k === K.Delim) return;
  }
}

function* createView(ctx: Context, orReplace: boolean, plain: boolean): Step {
  const { r, session } = ctx;
  const ine = yield* ifNotExists(r);
  const q = yield* r.qualified('a view name');
  let columns: Set<string> | null = null;
  if (yield* r.acceptPunct('(')) {
    columns = new Set();
    const list = columns;
    yield* r.group((t, depth) => {
      if (depth === 1 && (t.k === K.Ident || t.k === K.Word)) list.add(t.text.toLowerCase());
    });
  }
  yield* r.expect('AS');
  const names = new ViewNames(q.db);
  let stub: number | null = null;
  const watch = (t: Token) => {
    // A server refuses a view that reads a variable (ER_VIEW_SELECT_VARIABLE).
    if (t.k === K.Var || t.k === K.SysVar) fail(t, 'a view without variables');
    // The dump tools' stand-in for a view, `SELECT 1 AS `a`, NULL AS `b``: a server writes `select`.
    if (stub === null) stub = plain && t.text === 'SELECT' ? 0 : -1;
    else if (stub >= 0) stub = standIn(t, stub);
    if (t.k !== K.Delim) names.push(t);
  };
  yield* body(ctx, { kind: 'query' }, watch);
  names.check(session);
  if (q.name === '') fail(q.token, 'a view name');
  const selected = names.columns();
  if (columns === null && selected?.repeated) fail(selected.repeated, `a column name not used yet in the view (\`${selected.repeated.text}\` is)`);
  session.createRelation('view', q, ine, orReplace);
  session.setViewColumns(q, columns ?? selected?.names ?? null);
}

/** The stand-in view's columns, token by token: `1` or `NULL`, AS, a name, then "," or the end. */
function standIn(t: Token, at: number): number {
  const step = at % 4;
  const ok = step === 0 ? (t.k === K.Num && t.text === '1') || isWord(t, 'NULL') : step === 1 ? isWord(t, 'AS') : step === 2 ? t.k === K.Ident || t.k === K.Word : isPunct(t, ',') || t.k === K.Delim;
  if (!ok) fail(t, step === 0 ? '1 or NULL (a column of the stand-in view)' : step === 1 ? 'AS' : step === 2 ? 'a column name' : '"," or the end of the stand-in view');
  return at + 1;
}

/** Words after which the tables of a query stand, and the clauses that end them. */
const TABLES_FOLLOW = (t: Token) => t.k === K.Word && (t.upper === 'FROM' || t.upper.endsWith('JOIN'));
const TABLES_END = new Set(['SELECT', 'WHERE', 'ON', 'USING', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT']);

/**
 * The quoted names of a view definition, which a server resolves when it creates the view and
 * writes back qualified: `db`.`table`.`column`, `alias`.`column`, and `db`.`table` [`alias`] after
 * FROM and JOIN. A qualifier must be a name the definition gives somewhere (a table, an alias, a
 * CTE) or a database; a column of a table the dump created, named through that table or its only
 * alias, must be one of its columns.
 */
class ViewNames {
  private readonly tokens: Token[] = [];
  /** The view's database when it names one (its unqualified tables are there). */
  constructor(private readonly db: string | null) {}

  /** Per parenthesis depth: whether table references stand there (after FROM or JOIN). */
  private readonly tables: boolean[] = [false];
  /** Where table references start, and the tokens read where tables stand. */
  private readonly tableRefs = new Set<number>();
  private readonly inTables = new Set<number>();

  push(t: Token): void {
    const i = this.tokens.length;
    const prev = this.tokens[i - 1];
    this.tokens.push(t);
    const depth = this.tables.length - 1;
    if (this.tables[depth]) this.inTables.add(i);
    if (isPunct(t, '(')) this.tables.push(this.tables[depth]!);
    else if (isPunct(t, ')')) {
      if (depth > 0) this.tables.pop();
    } else if (TABLES_FOLLOW(t)) this.tables[depth] = true;
    else if (t.k === K.Word && TABLES_END.has(t.upper)) this.tables[depth] = false;
    else if (t.k === K.Ident && this.tables[depth] && prev && (TABLES_FOLLOW(prev) || isPunct(prev, ',') || isPunct(prev, '('))) this.tableRefs.add(i);
  }

  /**
   * The view's columns: the alias of each item of its (first) select list, when every item has
   * one (and the first alias written twice, which a server refuses).
   */
  columns(): { names: Set<string>; repeated: Token | null } | null {
    const out = new Set<string>();
    let repeated: Token | null = null;
    let depth = 0;
    let items = 0;
    let aliases = 0;
    let selecting = false;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) depth--;
      if (depth !== 0) continue;
      if (!selecting) {
        if (isWord(t, 'SELECT')) {
          selecting = true;
          items = 1;
        }
        continue;
      }
      if (isWord(t, 'FROM', 'UNION', 'EXCEPT', 'INTERSECT', 'INTO')) break;
      if (isPunct(t, ',')) items++;
      const alias = this.tokens[i + 1];
      if (isWord(t, 'AS') && alias && (alias.k === K.Ident || alias.k === K.Word)) {
        if (out.has(alias.text.toLowerCase())) repeated ??= alias;
        out.add(alias.text.toLowerCase());
        aliases++;
      }
    }
    return selecting && aliases === items ? { names: out, repeated } : null;
  }

  check(session: Session): void {
    const t = this.tokens;
    /** Names standing alone somewhere (not qualifying another). */
    const given = new Set<string>();
    /** What each name stands for: `db.table` keys, or '' for a CTE, a derived table, … */
    const meanings = new Map<string, Set<string>>();
    const mean = (name: string, what: string) => {
      const set = meanings.get(name) ?? new Set<string>();
      set.add(what);
      meanings.set(name, set);
    };
    const qualified: { chain: Token[]; at: number }[] = [];
    const databases = new Set<string>();
    for (let i = 0; i < t.length; i++) {
      const first = t[i]!;
      if (first.k !== K.Ident || (i > 0 && isPunct(t[i - 1]!, '.'))) continue;
      const chain = [first];
      let j = i;
      while (t[j + 1] && isPunct(t[j + 1]!, '.') && t[j + 2]?.k === K.Ident) {
        chain.push(t[j + 2]!);
        j += 2;
      }
      const next = t[j + 1];
      const lower = chain.map((c) => c.text.toLowerCase());
      given.add(lower.at(-1)!);
      if (this.tableRefs.has(i)) {
        const alias = next?.k === K.Ident ? next : next && isWord(next, 'AS') && t[j + 2]?.k === K.Ident ? t[j + 2]! : null;
        // An unqualified table is one of the view's database, unless a CTE has that name.
        mean((alias?.text ?? chain.at(-1)!.text).toLowerCase(), chain.length <= 2 ? `${chain.length === 2 ? chain[0]!.text : ''}\u0000${chain.at(-1)!.text}` : '');
      } else if (chain.length === 1) {
        // A derived table's or JSON_TABLE's alias (where tables stand), a CTE's name: `c` AS ( or `c`(…).
        const before = t[i - 1];
        const derived = this.inTables.has(i) && before && (isPunct(before, ')') || (isWord(before, 'AS') && t[i - 2] && isPunct(t[i - 2]!, ')')));
        const cte = next && (isPunct(next, '(') || (isWord(next, 'AS') && t[j + 2] && isPunct(t[j + 2]!, '(')));
        if (derived || cte) mean(lower[0]!, '');
      } else if (!(next && isPunct(next, '('))) {
        if (chain.length === 3) databases.add(lower[0]!);
        qualified.push({ chain, at: i });
      }
    }
    for (const { chain, at } of qualified) {
      const before = t[at - 1];
      // NEXTVAL(`db`.`seq`), NEXT VALUE FOR `db`.`seq`: a sequence, not a column.
      if (before && (isWord(before, 'FOR') || (isPunct(before, '(') && t[at - 2]?.k === K.Word && SEQUENCE_FUNCTIONS.has(t[at - 2]!.upper)))) continue;
      if (chain.length === 3) {
        const columns = session.tableColumns({ db: chain[0]!.text, name: chain[1]!.text });
        if (columns && !columns.has(chain[2]!.text.toLowerCase())) fail(chain[2]!, `a column of \`${chain[0]!.text}\`.\`${chain[1]!.text}\` (\`${chain[2]!.text}\` is none)`);
        continue;
      }
      if (chain.length !== 2) continue;
      const [qualifier, column] = [chain[0]!, chain[1]!];
      const name = qualifier.text.toLowerCase();
      if (!given.has(name) && !databases.has(name) && !session.knowsDatabase(qualifier.text)) fail(column, `a table or alias of the view's query before "." (\`${qualifier.text}\` is none)`);
      const meaning = meanings.get(name);
      if (meaning?.size !== 1) continue;
      const [key] = meaning;
      if (!key) continue;
      const [db, table] = key.split('\u0000') as [string, string];
      if (db === '' && meanings.get(table.toLowerCase())?.has('')) continue;
      const columns = session.tableColumns({ db: db === '' ? this.db : db, name: table });
      if (columns && !columns.has(column.text.toLowerCase())) fail(column, `a column of \`${table}\` (\`${column.text}\` is none)`);
    }
  }
}

function* createTrigger(ctx: Context, orReplace: boolean): Step {
  const { r, session } = ctx;
  const ine = yield* ifNotExists(r);
  const q = yield* r.qualified('a trigger name');
  yield* r.expect('BEFORE', 'AFTER');
  yield* r.expect('INSERT', 'UPDATE', 'DELETE');
  yield* r.expect('ON');
  const table: QualifiedName = yield* r.qualified('a table name');
  const shape = session.catalog.get(session.key(table));
  if (!shape || !session.relationExists(table)) fail(table.token, `a table created before the trigger (\`${table.name}\` does not exist)`);
  yield* r.expect('FOR');
  yield* r.expect('EACH');
  yield* r.expect('ROW');
  if (yield* r.accept('FOLLOWS', 'PRECEDES')) yield* r.name('a trigger name');
  // A server resolves NEW.x and OLD.x when it creates the trigger.
  const columns = new Set(shape.columns.map((c) => c.name.toLowerCase()));
  let row: Token | null = null;
  let dot = false;
  const watch = (t: Token) => {
    if (row && dot) {
      if ((t.k === K.Ident || t.k === K.Word) && !columns.has(t.text.toLowerCase())) fail(t, `a column of \`${table.name}\` after ${row.upper}.`);
      row = null;
      dot = false;
      return;
    }
    if (row && isPunct(t, '.')) {
      dot = true;
      return;
    }
    row = isWord(t, 'NEW', 'OLD') ? t : null;
  };
  yield* body(ctx, { kind: 'program', oracle: session.oracle }, watch);
  session.createRoutine('trigger', q, ine, orReplace);
}

const CHARACTERISTICS = ['COMMENT', 'LANGUAGE', 'NOT', 'DETERMINISTIC', 'CONTAINS', 'NO', 'READS', 'MODIFIES', 'SQL'];
/** Types of parameters beyond those of columns: MariaDB's anchored types (TYPE OF t.c, ROW TYPE OF t) and rows (ROW(…)). */
const PARAMETER_TYPES = new Set(['ROW', 'TYPE', 'NATIONAL']);

function* createRoutine(ctx: Context, kind: 'procedure' | 'function', orReplace: boolean): Step {
  const { r, session } = ctx;
  const oracle = session.oracle;
  const ine = yield* ifNotExists(r);
  const q = yield* r.qualified(`a ${kind} name`);
  yield* r.expectPunct('(');
  yield* parameters(r, oracle);
  if (kind === 'function') {
    yield* r.expect(...(oracle ? ['RETURN', 'RETURNS'] : ['RETURNS']));
    yield* returnType(r, oracle);
  }
  yield* characteristics(r, oracle);
  yield* body(ctx, { kind: 'program', oracle, returns: kind === 'function' });
  session.createRoutine(kind, q, ine, orReplace);
}

/**
 * `[IN|OUT|INOUT] name type …, …)` (MariaDB 10.8 lets functions have OUT parameters too), each
 * type known and its length in range; under sql_mode=ORACLE `name [IN] [OUT] type`, with types
 * such as t.c%TYPE: only the names are checked.
 */
function* parameters(r: Reader, oracle: boolean): Step {
  if (yield* r.acceptPunct(')')) return;
  for (;;) {
    if (!oracle) yield* r.accept('IN', 'OUT', 'INOUT');
    const name = yield* r.next();
    if (name.k !== K.Word && name.k !== K.Ident) fail(name, 'a parameter name');
    if (!oracle) {
      const type = yield* r.next();
      if (type.k !== K.Word || !(DATA_TYPES.has(type.upper) || PARAMETER_TYPES.has(type.upper))) fail(type, 'the data type of the parameter');
      const shape = DATA_TYPES.get(type.upper);
      if (shape) yield* typeLength(r, shape, type, true);
    }
    // Its attributes (UNSIGNED, CHARSET, COLLATE, …), up to "," or ")".
    for (let depth = 0; ; ) {
      const t = yield* r.next();
      if (t.k === K.Delim) fail(t, '")" closing the parameters');
      if (depth === 0 && isPunct(t, ')')) return;
      if (depth === 0 && isPunct(t, ',')) break;
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) depth--;
    }
  }
}

/** COMMENT, LANGUAGE SQL, [NOT] DETERMINISTIC, data access, SQL SECURITY; under sql_mode=ORACLE up to AS or IS. */
function* characteristics(r: Reader, oracle: boolean): Step {
  for (;;) {
    const t = yield* r.peek();
    if (oracle && isWord(t, 'AS', 'IS')) {
      yield* r.next();
      return;
    }
    if (!isWord(t, ...CHARACTERISTICS)) return;
    yield* r.next();
    switch (t.upper) {
      case 'COMMENT': {
        const c = yield* r.next();
        if (c.k !== K.Str) fail(c, 'a quoted comment');
        break;
      }
      case 'LANGUAGE':
        yield* r.expect('SQL');
        break;
      case 'NOT':
        yield* r.expect('DETERMINISTIC');
        break;
      case 'CONTAINS':
        yield* r.expect('SQL');
        break;
      case 'NO':
        yield* r.expect('SQL');
        break;
      case 'READS':
      case 'MODIFIES':
        yield* r.expect('SQL');
        yield* r.expect('DATA');
        break;
      case 'SQL':
        yield* r.expect('SECURITY');
        yield* r.expect('DEFINER', 'INVOKER');
        break;
    }
  }
}

/** CREATE PACKAGE [BODY] (MariaDB): the declarations up to the END that closes them. */
function* createPackage(ctx: Context, orReplace: boolean): Step {
  const { r, session } = ctx;
  const kind = (yield* r.accept('BODY')) ? 'package body' : 'package';
  const ine = yield* ifNotExists(r);
  const q = yield* r.qualified('a package name');
  yield* characteristics(r, session.oracle);
  if (!session.oracle) yield* r.accept('AS', 'IS');
  yield* body(ctx, { kind: 'package', oracle: session.oracle });
  session.createRoutine(kind, q, ine, orReplace);
}

function* returnType(r: Reader, oracle: boolean): Step {
  const type = yield* r.next();
  if (type.k !== K.Word || !(DATA_TYPES.has(type.upper) || PARAMETER_TYPES.has(type.upper) || oracle)) fail(type, 'a data type');
  if (isWord(type, 'ROW') && !(yield* r.accept('TYPE'))) {
    yield* r.expectPunct('(');
    yield* r.group();
    return;
  }
  if (isWord(type, 'ROW', 'TYPE')) {
    // TYPE OF [db.]table.column, ROW TYPE OF [db.]table
    yield* r.expect('OF');
    do yield* r.name('a table or column name');
    while (yield* r.acceptPunct('.'));
    return;
  }
  const shape = DATA_TYPES.get(type.upper);
  if (shape) yield* typeLength(r, shape, type, true);
  else if (yield* r.acceptPunct('(')) yield* r.group();
  const seen = new Set<string>();
  for (;;) {
    const t = yield* r.peek();
    if (t.k === K.Word && seen.has(t.upper)) fail(t, `${t.upper} once`);
    if (t.k === K.Word) seen.add(t.upper);
    if (isWord(t, 'UNSIGNED', 'SIGNED', 'ZEROFILL', 'BINARY')) yield* r.next();
    else if (isWord(t, 'CHARSET', 'CHARACTER')) {
      yield* r.next();
      if (t.upper === 'CHARACTER') yield* r.expect('SET');
      const cs = yield* r.next();
      if (!isCharset(cs.text)) fail(cs, 'a character set');
    } else if (isWord(t, 'COLLATE')) {
      yield* r.next();
      const c = yield* r.next();
      if (!isCollation(c.text)) fail(c, 'a collation');
    } else return;
  }
}

const DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,6})?)?$/;

function validDatetime(text: string): boolean {
  const m = DATETIME.exec(text);
  if (!m) return false;
  const [month, day, hour = '0', minute = '0', second = '0'] = m.slice(2);
  return Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= 31 && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60;
}

const INTERVAL_UNITS = new Set(
  'YEAR QUARTER MONTH WEEK DAY HOUR MINUTE SECOND MICROSECOND YEAR_MONTH DAY_HOUR DAY_MINUTE DAY_SECOND HOUR_MINUTE HOUR_SECOND MINUTE_SECOND'.split(' '),
);

function* createEvent(ctx: Context, orReplace: boolean): Step {
  const { r, session } = ctx;
  const ine = yield* ifNotExists(r);
  const q = yield* r.qualified('an event name');
  yield* r.expect('ON');
  yield* r.expect('SCHEDULE');
  const how = yield* r.expect('AT', 'EVERY');
  if (how === 'EVERY') {
    const n = yield* r.next();
    if (n.k !== K.Num && n.k !== K.Str) fail(n, 'an interval');
    const unit = yield* r.next();
    if (unit.k !== K.Word || !INTERVAL_UNITS.has(unit.upper)) fail(unit, 'an interval unit');
  }
  let prev: Token | null = null;
  for (;;) {
    const t = yield* r.next();
    if (t.k === K.Str && !validDatetime(t.text)) fail(t, 'a date and time');
    if (isWord(t, 'DO')) break;
    // A number only after INTERVAL or a sign, a unit only after a number.
    if (t.k === K.Num && !(prev && (isWord(prev, 'INTERVAL') || isPunct(prev, '+') || isPunct(prev, '-')))) fail(t, 'STARTS, ENDS, ON COMPLETION, ENABLE, DISABLE, COMMENT or DO');
    if (t.k === K.Word && INTERVAL_UNITS.has(t.upper) && !(prev && (prev.k === K.Num || prev.k === K.Str))) fail(t, 'a number before the interval unit');
    prev = t;
    if (t.k === K.Delim) fail(t, 'DO and the event body');
    if (isWord(t, 'COMMENT')) {
      const c = yield* r.next();
      if (c.k !== K.Str) fail(c, 'a quoted comment');
    } else if (!(t.k === K.Str || t.k === K.Num || isPunct(t, '+') || isPunct(t, '-') || (t.k === K.Word && EVENT_WORDS.has(t.upper)))) {
      fail(t, 'a schedule, ON COMPLETION, ENABLE/DISABLE, COMMENT or DO');
    }
  }
  yield* body(ctx, { kind: 'program', oracle: session.oracle });
  session.createRoutine('event', q, ine, orReplace);
}

const EVENT_WORDS = new Set(
  [...INTERVAL_UNITS, 'STARTS', 'ENDS', 'ON', 'COMPLETION', 'NOT', 'PRESERVE', 'ENABLE', 'DISABLE', 'SLAVE', 'REPLICA', 'INTERVAL', 'CURRENT_TIMESTAMP', 'NOW'].map((w) =>
    w.toUpperCase(),
  ),
);
