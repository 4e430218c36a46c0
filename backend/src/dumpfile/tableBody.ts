// CREATE TABLE as SHOW CREATE TABLE writes it (what both dump tools copy into the dump): the column
// list well enough to know each column (name, generated, invisible) and to refuse what a server
// refuses (unknown data types, lengths out of range, broken attribute sequences, bad defaults,
// keys on missing columns, two primary keys); table options by name; partitioning balanced.
import { checkExpression } from './expression.js';
import { isPunct, isWord, Reader, type Step } from './reader.js';
import { type Column, fail, type TableShape } from './session.js';
import { type Context, ifNotExists } from './context.js';
import { K, type Token } from './tokens.js';
import { collationOf, DATA_TYPES, ENGINES, isCharset, isCollation, type TypeShape } from './vocabulary.js';

interface ColumnFacts extends Column {
  shape: TypeShape;
  type: string;
  token: Token;
  notNull: boolean;
  defaultNull: boolean;
  autoIncrement: boolean;
  enumValues: string[] | null;
}

interface Key {
  name: string | null;
  primary: boolean;
  parts: Token[];
  /** FULLTEXT or SPATIAL, which take only text or geometry columns. */
  kind?: string;
}

export function* createTable(ctx: Context, orReplace: boolean): Step {
  const { r, session } = ctx;
  const ine = yield* ifNotExists(r);
  const q = yield* r.qualified('a table name');
  yield* r.expectPunct('(');
  const columns: ColumnFacts[] = [];
  const keys: Key[] = [];
  const expressions: Token[][] = [];
  const foreign: { local: Token[]; table: { db: string | null; name: string }; remote: Token[]; at: Token }[] = [];
  const constraints = new Set<string>();
  /** Application-time periods, which a key may name (`PRIMARY KEY (id, p WITHOUT OVERLAPS)`). */
  const periods = new Set<string>();
  for (;;) {
    const t = yield* r.next();
    if (isWord(t, 'PRIMARY', 'UNIQUE', 'KEY', 'INDEX', 'FULLTEXT', 'SPATIAL', 'CONSTRAINT', 'FOREIGN', 'CHECK', 'PERIOD')) {
      yield* tableElement(r, t, keys, expressions, foreign, constraints, periods);
    } else if (t.k === K.Ident || t.k === K.Word) {
      const col = yield* column(r, t, keys, expressions);
      if (columns.some((c) => c.name.toLowerCase() === col.name.toLowerCase())) fail(t, `a column name not used yet (\`${col.name}\` is)`);
      columns.push(col);
    } else fail(t, 'a column or key definition');
    const sep = yield* r.next();
    if (isPunct(sep, ')')) break;
    if (!isPunct(sep, ',')) fail(sep, '"," or ")" after a column or key definition');
  }
  if (columns.length === 0) fail(q.token, 'a table with at least one column');
  checkKeys(columns, keys, periods);
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  for (const e of expressions) checkExpression(e, names);
  for (const fk of foreign) {
    for (const p of fk.local) if (!names.has(p.text.toLowerCase())) fail(p, `a column of the table (\`${p.text}\` is none)`);
    if (fk.remote.length !== fk.local.length) fail(fk.at, 'as many referenced columns as foreign key columns');
    const target = session.catalog.get(session.key(fk.table));
    const self = fk.table.name === q.name && (fk.table.db === null || fk.table.db === q.db);
    const remoteNames = self ? names : target ? new Set(target.columns.map((c) => c.name.toLowerCase())) : null;
    if (remoteNames) for (const p of fk.remote) if (!remoteNames.has(p.text.toLowerCase())) fail(p, `a column of \`${fk.table.name}\``);
  }
  const versioned = yield* tableOptions(r, names);
  const shape: TableShape = { columns: columns.map((c) => ({ name: c.name, generated: c.generated, invisible: c.invisible })) };
  // System versioning without its own period columns adds invisible ones (--dump-history names them).
  if (versioned && !names.has('row_start')) shape.columns.push({ name: 'row_start', generated: true, invisible: true }, { name: 'row_end', generated: true, invisible: true });
  session.createRelation('table', q, ine, orReplace, shape);
}

function* column(r: Reader, nameToken: Token, keys: Key[], expressions: Token[][]): Step<ColumnFacts> {
  const type = yield* r.next();
  const shape = type.k === K.Word ? DATA_TYPES.get(type.upper) : undefined;
  if (shape === undefined) fail(type, 'a data type');
  if (type.upper === 'DOUBLE') yield* r.accept('PRECISION');
  if (type.upper === 'CHARACTER' && (yield* r.accept('VARYING'))) return yield* columnRest(r, nameToken, 'varchar', type, keys, expressions);
  if (type.upper === 'LONG') yield* r.accept('VARCHAR', 'VARBINARY');
  return yield* columnRest(r, nameToken, shape, type, keys, expressions);
}

const MAX_DECIMAL_DIGITS = 65;
const MAX_DECIMAL_SCALE = 38;

/**
 * The `(…)` after a data type, if any, in range; the ENUM or SET values. `userText`: a routine's
 * parameter or return type as written, where a server may make a long VARCHAR a TEXT.
 */
export function* typeLength(r: Reader, shape: TypeShape, type: Token, userText = false): Step<string[] | null> {
  if (!(yield* r.acceptPunct('('))) {
    if (shape === 'varchar' || shape === 'varbinary' || shape === 'enum' || shape === 'vector') fail(yield* r.peek(), `"(" and the length of ${type.upper}`);
    return null;
  }
  if (shape === 'enum') {
    const values: string[] = [];
    for (;;) {
      const v = yield* r.next();
      if (v.k !== K.Str) fail(v, `a quoted ${type.upper} value`);
      if (type.upper === 'SET' && v.text.includes(',')) fail(v, 'a SET member without ","');
      values.push(v.text.toLowerCase());
      const sep = yield* r.next();
      if (isPunct(sep, ')')) return values;
      if (!isPunct(sep, ',')) fail(sep, '"," or ")"');
    }
  }
  if (shape === 'plain') fail(type, `${type.upper} without a length`);
  const m = yield* r.next();
  if (m.k !== K.Num || !/^\d+$/.test(m.text)) fail(m, 'a length');
  let d: Token | null = null;
  if ((shape === 'decimal' || shape === 'float') && (yield* r.acceptPunct(','))) {
    d = yield* r.next();
    if (d.k !== K.Num || !/^\d+$/.test(d.text)) fail(d, 'a scale');
  }
  yield* r.expectPunct(')');
  const n = Number(m.text);
  const scale = d ? Number(d.text) : 0;
  const range = (ok: boolean, what: string) => {
    if (!ok) fail(m, what);
  };
  switch (shape) {
    case 'int':
      range(n <= 255, 'a display width up to 255');
      break;
    case 'decimal':
      range(n >= 1 && n <= MAX_DECIMAL_DIGITS && scale <= MAX_DECIMAL_SCALE && scale <= n, `a precision of 1 to ${MAX_DECIMAL_DIGITS} digits, not fewer than the scale`);
      break;
    case 'float':
      range(d ? n <= 255 && scale <= 30 && scale <= n : n <= 53, 'a valid floating point precision');
      break;
    case 'bit':
      range(n >= 1 && n <= 64, 'a BIT length of 1 to 64');
      break;
    case 'char':
    case 'binary':
      range(n <= 255, `a ${type.upper} length up to 255`);
      break;
    case 'varchar':
    case 'varbinary':
      range(userText || n <= 65535, 'a length up to 65535');
      break;
    case 'temporal':
      range(n <= 6, 'a fractional second precision up to 6');
      break;
    case 'year':
      range(n === 2 || n === 4, 'YEAR(4)');
      break;
    case 'vector':
      range(n >= 1 && n <= 65532, 'a vector dimension');
      break;
  }
  return null;
}

const GEOMETRY = new Set(['GEOMETRY', 'POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION', 'GEOMCOLLECTION']);
const NUMERIC: ReadonlySet<TypeShape> = new Set(['int', 'decimal', 'float']);
const TEXTUAL: ReadonlySet<TypeShape> = new Set(['char', 'varchar', 'text', 'enum']);
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function* columnRest(r: Reader, nameToken: Token, shape: TypeShape, type: Token, keys: Key[], expressions: Token[][]): Step<ColumnFacts> {
  const enumValues = yield* typeLength(r, shape, type);
  const col: ColumnFacts = {
    name: nameToken.text,
    generated: false,
    invisible: false,
    shape,
    type: type.upper,
    token: nameToken,
    notNull: false,
    defaultNull: false,
    autoIncrement: false,
    enumValues,
  };
  let defaultToken: Token | null = null;
  let charset: string | null = null;
  for (;;) {
    const t = yield* r.peek();
    if (t.k === K.Delim || isPunct(t, ',') || isPunct(t, ')')) break;
    yield* r.next();
    const w = t.k === K.Word ? t.upper : '';
    switch (w) {
      case 'UNSIGNED':
      case 'SIGNED':
      case 'ZEROFILL':
        if (!NUMERIC.has(shape)) fail(t, `an attribute of a ${type.upper} column`);
        break;
      case 'BINARY':
      case 'ASCII':
      case 'UNICODE':
      case 'BYTE':
        if (!TEXTUAL.has(shape)) fail(t, `an attribute of a ${type.upper} column`);
        break;
      case 'CHARACTER':
      case 'CHARSET': {
        if (w === 'CHARACTER') yield* r.expect('SET');
        const cs = yield* r.next();
        if (!TEXTUAL.has(shape) || !isCharset(cs.text) || cs.k === K.Num) fail(cs, 'a character set');
        charset = cs.text;
        break;
      }
      case 'COLLATE': {
        const c = yield* r.next();
        if (!isCollation(c.text) || c.k === K.Num || (charset !== null && !collationOf(c.text, charset))) fail(c, `a collation${charset ? ` of ${charset}` : ''}`);
        break;
      }
      case 'NOT':
        yield* r.expect('NULL');
        col.notNull = true;
        break;
      case 'NULL':
        break;
      case 'DEFAULT':
        defaultToken = yield* defaultValue(r, col, expressions);
        break;
      case 'ON':
        yield* r.expect('UPDATE');
        yield* currentTimestamp(r);
        break;
      case 'AUTO_INCREMENT':
        col.autoIncrement = true;
        break;
      case 'PRIMARY':
        yield* r.expect('KEY');
        keys.push({ name: 'PRIMARY', primary: true, parts: [nameToken] });
        break;
      case 'UNIQUE':
        yield* r.accept('KEY');
        keys.push({ name: null, primary: false, parts: [nameToken] });
        break;
      case 'KEY':
        keys.push({ name: 'PRIMARY', primary: true, parts: [nameToken] });
        break;
      case 'COMMENT': {
        const c = yield* r.next();
        if (c.k !== K.Str) fail(c, 'a quoted comment');
        break;
      }
      case 'GENERATED':
        yield* r.expect('ALWAYS');
        yield* r.expect('AS');
        yield* generated(r, col, expressions);
        break;
      case 'AS':
        yield* generated(r, col, expressions);
        break;
      case 'INVISIBLE':
        col.invisible = true;
        break;
      case 'VISIBLE':
        break;
      case 'CHECK': {
        yield* r.expectPunct('(');
        expressions.push(yield* tokensOf(r));
        break;
      }
      case 'COLUMN_FORMAT':
        yield* r.expect('FIXED', 'DYNAMIC', 'DEFAULT', 'COMPRESSED');
        break;
      case 'STORAGE':
        yield* r.expect('DISK', 'MEMORY', 'DEFAULT');
        break;
      case 'SRID': {
        const n = yield* r.next();
        if (n.k !== K.Num) fail(n, 'an SRID');
        break;
      }
      case 'COMPRESSED':
        if (yield* r.acceptPunct('=')) yield* r.name('a compression method');
        break;
      case 'ENGINE_ATTRIBUTE':
      case 'SECONDARY_ENGINE_ATTRIBUTE': {
        yield* r.acceptPunct('=');
        const v = yield* r.next();
        if (v.k !== K.Str) fail(v, 'a quoted attribute');
        break;
      }
      case 'WITH':
      case 'WITHOUT':
        yield* r.expect('SYSTEM');
        yield* r.expect('VERSIONING');
        break;
      case 'REFERENCES':
        yield* references(r);
        break;
      default:
        if (t.k === K.Ident && /^[A-Za-z_]+$/.test(t.text)) {
          // An engine-defined column attribute MariaDB quotes: `name`=value.
          yield* r.expectPunct('=');
          yield* r.next();
          break;
        }
        fail(t, `a column attribute (NOT NULL, DEFAULT, COMMENT, …) or "," after column \`${col.name}\``);
    }
  }
  if (col.notNull && col.defaultNull) fail(defaultToken!, `a default other than NULL for NOT NULL column \`${col.name}\``);
  return col;
}

function* currentTimestamp(r: Reader): Step {
  const t = yield* r.next();
  if (!isWord(t, 'CURRENT_TIMESTAMP', 'NOW', 'LOCALTIME', 'LOCALTIMESTAMP')) fail(t, 'current_timestamp');
  if (yield* r.acceptPunct('(')) {
    const n = yield* r.next();
    if (isPunct(n, ')')) return;
    if (n.k !== K.Num || Number(n.text) > 6) fail(n, 'a precision up to 6');
    yield* r.expectPunct(')');
  }
}

function* defaultValue(r: Reader, col: ColumnFacts, expressions: Token[][]): Step<Token> {
  let t = yield* r.next();
  const at = t;
  if (isPunct(t, '(')) {
    expressions.push(yield* tokensOf(r));
    return at;
  }
  if (isWord(t, 'NULL')) {
    col.defaultNull = true;
    return at;
  }
  if (isWord(t, 'CURRENT_TIMESTAMP', 'NOW', 'LOCALTIME', 'LOCALTIMESTAMP')) {
    if (yield* r.acceptPunct('(')) {
      const n = yield* r.next();
      if (!isPunct(n, ')')) {
        if (n.k !== K.Num || Number(n.text) > 6) fail(n, 'a precision up to 6');
        yield* r.expectPunct(')');
      }
    }
    return at;
  }
  let negative = false;
  if (isPunct(t, '-') || isPunct(t, '+')) {
    negative = true;
    t = yield* r.next();
    if (t.k !== K.Num) fail(t, 'a number');
  }
  if (t.k === K.Word && t.text.startsWith('_') && isCharset(t.text.slice(1))) t = yield* r.next();
  if (t.k === K.Str) {
    if (NUMERIC.has(col.shape) && !NUMBER_TEXT.test(t.text.trim())) fail(t, `a number as the default of numeric column \`${col.name}\``);
    if (col.enumValues && col.shape === 'enum') {
      const values = t.text.toLowerCase().split(',');
      const isSet = values.length > 1 || !col.enumValues.includes(t.text.toLowerCase());
      if (isSet && !(t.text === '' || values.every((v) => col.enumValues!.includes(v)))) fail(t, `one of the column's values as the default of \`${col.name}\``);
    }
    return at;
  }
  if (t.k === K.Num || t.k === K.Hex || t.k === K.Bits) return at;
  if (!negative && t.k === K.Word && isPunct(yield* r.peek(), '(')) {
    // A function call default: MariaDB writes one without parentheses around (uuid(), year(now())).
    yield* r.next();
    const args = yield* tokensOf(r);
    if (args.length > 0) expressions.push(args);
    return at;
  }
  return fail(t, 'a default value');
}

function* generated(r: Reader, col: ColumnFacts, expressions: Token[][]): Step {
  const t = yield* r.next();
  if (isWord(t, 'ROW')) {
    yield* r.expect('START', 'END');
    col.generated = true;
    return;
  }
  if (!isPunct(t, '(')) fail(t, '"(" and the generation expression');
  expressions.push(yield* tokensOf(r));
  col.generated = true;
  yield* r.accept('VIRTUAL', 'STORED', 'PERSISTENT');
}

/** The tokens of a group whose `(` was read, without its closing `)`. */
function* tokensOf(r: Reader): Step<Token[]> {
  const out: Token[] = [];
  yield* r.group((t) => out.push(t));
  return out;
}

function* references(r: Reader): Step<{ table: { db: string | null; name: string }; columns: Token[] }> {
  const table = yield* r.qualified('a table name');
  yield* r.expectPunct('(');
  const columns = yield* nameList(r);
  for (;;) {
    const t = yield* r.peek();
    if (isWord(t, 'MATCH')) {
      yield* r.next();
      yield* r.expect('FULL', 'PARTIAL', 'SIMPLE');
    } else if (isWord(t, 'ON')) {
      yield* r.next();
      yield* r.expect('DELETE', 'UPDATE');
      const action = yield* r.expect('RESTRICT', 'CASCADE', 'SET', 'NO');
      if (action === 'SET') yield* r.expect('NULL', 'DEFAULT');
      if (action === 'NO') yield* r.expect('ACTION');
    } else break;
  }
  return { table, columns };
}

/** `a, b)`: names up to the closing parenthesis. */
function* nameList(r: Reader): Step<Token[]> {
  const out: Token[] = [];
  for (;;) {
    out.push(yield* r.name('a column name'));
    const sep = yield* r.next();
    if (isPunct(sep, ')')) return out;
    if (!isPunct(sep, ',')) fail(sep, '"," or ")"');
  }
}

function* tableElement(
  r: Reader,
  first: Token,
  keys: Key[],
  expressions: Token[][],
  foreign: { local: Token[]; table: { db: string | null; name: string }; remote: Token[]; at: Token }[],
  constraints: Set<string>,
  periods: Set<string>,
): Step {
  let t = first;
  let constraintName: string | null = null;
  if (isWord(t, 'CONSTRAINT')) {
    const n = yield* r.peek();
    if (!isWord(n, 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK')) {
      const name = yield* r.name('a constraint name');
      constraintName = name.text;
      if (constraints.has(name.text.toLowerCase())) fail(name, `a constraint name not used yet (\`${name.text}\` is)`);
      constraints.add(name.text.toLowerCase());
    }
    t = yield* r.next();
    if (!isWord(t, 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK')) fail(t, 'PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK');
  }
  switch (t.upper) {
    case 'CHECK':
      yield* r.expectPunct('(');
      expressions.push(yield* tokensOf(r));
      return;
    case 'PERIOD': {
      yield* r.expect('FOR');
      periods.add((yield* r.name('a period name')).text.toLowerCase());
      yield* r.expectPunct('(');
      const cols = yield* nameList(r);
      if (cols.length !== 2) fail(cols[0]!, 'two columns');
      keys.push({ name: '', primary: false, parts: cols });
      return;
    }
    case 'FOREIGN': {
      yield* r.expect('KEY');
      if (!(yield* r.acceptPunct('('))) {
        yield* r.name('an index name');
        yield* r.expectPunct('(');
      }
      const local = yield* nameList(r);
      yield* r.expect('REFERENCES');
      const ref = yield* references(r);
      foreign.push({ local, table: ref.table, remote: ref.columns, at: t });
      return;
    }
  }
  let name: string | null = constraintName;
  const primary = t.upper === 'PRIMARY';
  if (primary) {
    yield* r.expect('KEY');
    name = 'PRIMARY';
  } else if (t.upper === 'UNIQUE' || t.upper === 'FULLTEXT' || t.upper === 'SPATIAL') {
    yield* r.accept('KEY', 'INDEX');
  }
  const next = yield* r.peek();
  if (!primary && !isPunct(next, '(') && !isWord(next, 'USING')) name = (yield* r.name('an index name')).text;
  if (yield* r.accept('USING')) yield* r.expect('BTREE', 'HASH', 'RTREE');
  yield* r.expectPunct('(');
  const parts: Token[] = [];
  for (;;) {
    const p = yield* r.next();
    if (isPunct(p, '(')) expressions.push(yield* tokensOf(r));
    else if (p.k === K.Ident || p.k === K.Word) parts.push(p);
    else fail(p, 'a column name');
    if (yield* r.acceptPunct('(')) {
      const len = yield* r.next();
      if (len.k !== K.Num || !/^\d+$/.test(len.text) || len.text === '0') fail(len, 'a key prefix length');
      yield* r.expectPunct(')');
    }
    yield* r.accept('ASC', 'DESC');
    if (yield* r.accept('WITHOUT')) yield* r.expect('OVERLAPS');
    const sep = yield* r.next();
    if (isPunct(sep, ')')) break;
    if (!isPunct(sep, ',')) fail(sep, '"," or ")" in the key');
  }
  keys.push({ name, primary, parts, kind: t.upper });
  for (;;) {
    const o = yield* r.peek();
    if (isWord(o, 'USING')) {
      yield* r.next();
      yield* r.expect('BTREE', 'HASH', 'RTREE');
    } else if (isWord(o, 'KEY_BLOCK_SIZE')) {
      yield* r.next();
      yield* r.acceptPunct('=');
      const n = yield* r.next();
      if (n.k !== K.Num) fail(n, 'a number');
    } else if (isWord(o, 'COMMENT')) {
      yield* r.next();
      const c = yield* r.next();
      if (c.k !== K.Str) fail(c, 'a quoted comment');
    } else if (isWord(o, 'WITH')) {
      yield* r.next();
      yield* r.expect('PARSER');
      yield* r.name('a parser name');
    } else if (isWord(o, 'VISIBLE', 'INVISIBLE', 'IGNORED')) yield* r.next();
    else if (isWord(o, 'NOT')) {
      yield* r.next();
      yield* r.expect('IGNORED');
    } else break;
  }
}

function checkKeys(columns: ColumnFacts[], keys: Key[], periods: ReadonlySet<string>): void {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const names = new Set<string>();
  let primaries = 0;
  for (const k of keys) {
    for (const p of k.parts) {
      const c = byName.get(p.text.toLowerCase());
      if (!c && periods.has(p.text.toLowerCase())) continue;
      if (!c) fail(p, `a column of the table in the key (\`${p.text}\` is none)`);
      if (k.kind === 'SPATIAL' && (!GEOMETRY.has(c.type) || !c.notNull)) fail(p, 'a NOT NULL geometry column in a SPATIAL key');
      if (k.kind === 'FULLTEXT' && !TEXTUAL.has(c.shape)) fail(p, 'a text column in a FULLTEXT key');
    }
    if (k.name === 'PRIMARY' && k.primary) primaries++;
    if (primaries > 1) fail(k.parts[0]!, 'one PRIMARY KEY');
    if (k.name && k.name !== 'PRIMARY') {
      if (names.has(k.name.toLowerCase())) fail(k.parts[0]!, `a key name not used yet (\`${k.name}\` is)`);
      names.add(k.name.toLowerCase());
    }
  }
  for (const c of columns) {
    if (!c.autoIncrement) continue;
    if (!keys.some((k) => k.parts[0]?.text.toLowerCase() === c.name.toLowerCase())) fail(c.token, `a key starting with AUTO_INCREMENT column \`${c.name}\``);
  }
  if (columns.filter((c) => c.autoIncrement).length > 1) fail(columns.filter((c) => c.autoIncrement)[1]!.token, 'one AUTO_INCREMENT column');
}

const NUMERIC_OPTIONS = new Set(
  'AUTO_INCREMENT AVG_ROW_LENGTH CHECKSUM TABLE_CHECKSUM DELAY_KEY_WRITE KEY_BLOCK_SIZE MAX_ROWS MIN_ROWS PACK_KEYS STATS_AUTO_RECALC STATS_PERSISTENT STATS_SAMPLE_PAGES PAGE_CHECKSUM TRANSACTIONAL PAGE_COMPRESSED PAGE_COMPRESSION_LEVEL ENCRYPTION_KEY_ID IETF_QUOTES SEQUENCE AUTOEXTEND_SIZE'.split(
    ' ',
  ),
);
const STRING_OPTIONS = new Set('COMMENT CONNECTION PASSWORD COMPRESSION ENCRYPTION ENGINE_ATTRIBUTE SECONDARY_ENGINE_ATTRIBUTE'.split(' '));

/** The table options; returns whether the table is system-versioned. */
function* tableOptions(r: Reader, columns: ReadonlySet<string>): Step<boolean> {
  let versioned = false;
  let charset: string | null = null;
  for (;;) {
    const t = yield* r.next();
    if (t.k === K.Delim) return versioned;
    if (isPunct(t, ',')) continue;
    let w = t.k === K.Word ? t.upper : '';
    if (w === 'DEFAULT') {
      const n = yield* r.next();
      w = n.k === K.Word ? n.upper : '';
      if (w !== 'CHARSET' && w !== 'CHARACTER' && w !== 'COLLATE') fail(n, 'CHARSET or COLLATE');
    }
    if (w === 'PARTITION') {
      yield* partitioning(r, columns);
      return versioned;
    }
    if (w === 'ENGINE' || w === 'TYPE') {
      yield* r.acceptPunct('=');
      const e = yield* r.name('an engine');
      if (!ENGINES.has(e.text.toLowerCase())) fail(e, 'a storage engine');
    } else if (w === 'CHARSET' || w === 'CHARACTER') {
      if (w === 'CHARACTER') yield* r.expect('SET');
      yield* r.acceptPunct('=');
      const cs = yield* r.next();
      if (!isCharset(cs.text) || cs.k === K.Num) fail(cs, 'a character set');
      charset = cs.text;
    } else if (w === 'COLLATE') {
      yield* r.acceptPunct('=');
      const c = yield* r.next();
      if (!isCollation(c.text) || c.k === K.Num || (charset !== null && !collationOf(c.text, charset))) fail(c, `a collation${charset ? ` of ${charset}` : ''}`);
    } else if (NUMERIC_OPTIONS.has(w)) {
      yield* r.acceptPunct('=');
      const v = yield* r.next();
      if (v.k !== K.Num && !isWord(v, 'DEFAULT', 'YES', 'NO', 'ON', 'OFF')) fail(v, 'a number');
    } else if (STRING_OPTIONS.has(w)) {
      yield* r.acceptPunct('=');
      const v = yield* r.next();
      if (v.k !== K.Str) fail(v, 'a quoted value');
    } else if (w === 'ROW_FORMAT') {
      yield* r.acceptPunct('=');
      yield* r.expect('DEFAULT', 'DYNAMIC', 'FIXED', 'COMPRESSED', 'REDUNDANT', 'COMPACT', 'PAGE');
    } else if (w === 'ENCRYPTED') {
      yield* r.acceptPunct('=');
      yield* r.expect('YES', 'NO', 'DEFAULT');
    } else if (w === 'INSERT_METHOD') {
      yield* r.acceptPunct('=');
      yield* r.expect('NO', 'FIRST', 'LAST');
    } else if (w === 'UNION') {
      yield* r.acceptPunct('=');
      yield* r.expectPunct('(');
      yield* r.group();
    } else if (w === 'DATA' || w === 'INDEX') {
      yield* r.expect('DIRECTORY');
      yield* r.acceptPunct('=');
      const v = yield* r.next();
      if (v.k !== K.Str) fail(v, 'a quoted directory');
    } else if (w === 'TABLESPACE') {
      yield* r.name('a tablespace');
      if (yield* r.accept('STORAGE')) yield* r.expect('DISK', 'MEMORY', 'DEFAULT');
    } else if (w === 'STORAGE') {
      yield* r.expect('DISK', 'MEMORY', 'DEFAULT');
    } else if (w === 'WITH') {
      yield* r.expect('SYSTEM');
      yield* r.expect('VERSIONING');
      versioned = true;
    } else if (t.k === K.Ident && /^[A-Za-z_]+$/.test(t.text)) {
      // An engine-defined table option, which MariaDB quotes: `name`=value.
      yield* r.expectPunct('=');
      yield* r.next();
    } else fail(t, 'a table option (ENGINE, DEFAULT CHARSET, COLLATE, COMMENT, …) or the end of the statement');
  }
}

const PARTITION_WORDS = new Set(
  'LINEAR HASH KEY RANGE LIST COLUMNS ALGORITHM SYSTEM_TIME INTERVAL LIMIT PARTITIONS SUBPARTITION SUBPARTITIONS BY AUTO STARTS YEAR QUARTER MONTH WEEK DAY HOUR MINUTE SECOND'.split(
    ' ',
  ),
);

const DEFINITION_WORDS = new Set(
  'PARTITION VALUES LESS THAN MAXVALUE IN ENGINE STORAGE COMMENT DATA INDEX DIRECTORY MAX_ROWS MIN_ROWS TABLESPACE NODEGROUP SUBPARTITION DEFAULT CURRENT HISTORY'.split(
    ' ',
  ),
);

/**
 * PARTITION BY …: its words, its groups balanced, each partition of a RANGE with its VALUES LESS
 * THAN, and nothing after the partition list.
 */
function* partitioning(r: Reader, columns: ReadonlySet<string>): Step {
  yield* r.expect('BY');
  let depth = 0;
  let listClosed = false;
  let list = false;
  let range = false;
  let partitions = 0;
  let bounds = 0;
  let prev: Token | null = null;
  let expression = false;
  for (;;) {
    const t = yield* r.next();
    if (t.k === K.Delim) {
      if (depth !== 0) fail(t, '")" closing the parenthesis');
      return;
    }
    if (listClosed) fail(t, 'the end of the statement after the partition list');
    if (t.k === K.Ident && (expression || depth === 0) && !columns.has(t.text.toLowerCase())) fail(t, `a column of the table (\`${t.text}\` is none)`);
    if (isPunct(t, '(') && depth === 0) expression = prev !== null && isWord(prev, 'RANGE', 'LIST', 'HASH', 'KEY', 'COLUMNS');
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) {
      if (--depth < 0) fail(t, 'a partition clause');
      if (depth === 0 && list && !expression) {
        listClosed = true;
        if (range && bounds !== partitions) fail(t, 'VALUES LESS THAN for each RANGE partition');
      }
    } else if (depth === 0) {
      if (isWord(t, 'RANGE')) range = true;
      if (!(t.k === K.Num || isPunct(t, '=') || (t.k === K.Word && PARTITION_WORDS.has(t.upper)))) fail(t, 'a partitioning clause');
    } else if (depth === 1 && !expression) {
      if (isWord(t, 'PARTITION')) {
        list = true;
        partitions++;
      }
      if (isWord(t, 'LESS')) bounds++;
      if (prev && isWord(prev, 'VALUES') && !isWord(t, 'LESS', 'IN')) fail(t, 'LESS THAN or IN after VALUES');
      if (prev && isWord(prev, 'LESS') && !isWord(t, 'THAN')) fail(t, 'THAN');
      if (prev && isWord(prev, 'THAN') && !isWord(t, 'MAXVALUE') && !isPunct(t, '(')) fail(t, '"(" or MAXVALUE after LESS THAN');
      const named = prev !== null && (isWord(prev, 'PARTITION', 'SUBPARTITION', 'ENGINE', 'TABLESPACE') || isPunct(prev, '='));
      if (t.k === K.Word && !DEFINITION_WORDS.has(t.upper) && !named) fail(t, 'a partition definition');
      if (t.k === K.Ident && !named) fail(t, 'a partition definition');
    }
    prev = t;
  }
}
