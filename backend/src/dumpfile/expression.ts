// Server-written SQL text the validator does not parse fully: routine, trigger, event and package
// bodies, view definitions, CHECK, DEFAULT and generation expressions. Their grammar is that of
// every statement, clause and function of MariaDB 10.x/11.x and MySQL 5.7–8.4, so only what is
// certainly broken fails: parentheses, blocks and CASE … WHEN … THEN … END that do not balance, a
// block without the word it needs (THEN, DO, LOOP, UNTIL) or the wrong one or label after its END,
// a statement that starts with no statement keyword, a ";" lost between two statements, an
// operator with nothing after it, a literal or variable run into the value before it, a reserved
// word written twice, and the small fixed grammars of DECLARE, SET and the heads of CREATE TABLE,
// DROP TABLE and INSERT. Names are not resolved (a table, a column, a variable may be created or
// declared elsewhere, or only exist when the routine runs), keywords not looked up (each server
// version has others): whatever a server might accept passes, and `verify --level restore` proves
// the rest by loading it. The grammar fuzz (test/grammar.fuzz.test.ts) measures what passes.
import { HeadChecker } from './bodyStatements.js';
import { isPunct, isWord } from './reader.js';
import { fail } from './session.js';
import { K, type Token } from './tokens.js';
import { DATA_TYPES } from './vocabulary.js';

/** Operators that need a value on both sides (`*` is also `SELECT *` and `COUNT(*)`). */
const BINARY_OPERATORS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', '<=>', '||', '&&', '|', '&', '^', '<<', '>>', '/', '%', ':=', '->', '->>']);
const SIGNS = new Set(['+', '-']);

const isEnd = (t: Token) => t.k === K.Delim || isPunct(t, ')') || isPunct(t, ',') || isPunct(t, ';');
const isOperator = (t: Token, star: boolean) => t.k === K.Punct && (BINARY_OPERATORS.has(t.text) || (star && t.text === '*'));
/** A token that ends a value: a literal, a quoted name, a variable, `)`. */
const endsValue = (t: Token) =>
  t.k === K.Ident || t.k === K.Num || t.k === K.Str || t.k === K.Hex || t.k === K.Bits || t.k === K.Var || t.k === K.SysVar || isPunct(t, ')');
/** A token no value may be followed by without an operator or ",": a number or a variable. */
const startsLiteral = (t: Token) => t.k === K.Num || t.k === K.Hex || t.k === K.Bits || t.k === K.Var || t.k === K.SysVar;

/**
 * Whether token b may follow token a in any SQL; throws at b when not. `star`: `*` is only an
 * operator here (a server-written expression, where `SELECT *` and `COUNT(*)` do not occur).
 */
function checkPair(a: Token | null, b: Token, star = false): void {
  if (a === null) {
    if (isOperator(b, star)) fail(b, 'a value before the operator');
    return;
  }
  if (a.k === K.Punct) {
    if ((isOperator(a, star) || SIGNS.has(a.text) || a.text === '.') && isEnd(b)) fail(b, `a value after "${a.text}"`);
    if ((isOperator(a, star) || SIGNS.has(a.text)) && isOperator(b, star)) fail(b, `a value after "${a.text}"`);
    if (a.text === '.' && !(b.k === K.Ident || b.k === K.Word || isPunct(b, '*'))) fail(b, 'a name after "."');
    if ((a.text === ',' || a.text === '(') && (isOperator(b, star) || isPunct(b, ','))) fail(b, 'a value');
    if (a.text === ',' && isPunct(b, ')')) fail(b, 'a value after ","');
    return;
  }
  // A variable may follow a quoted user name (`'u'@'host'`), nothing else may follow a value.
  if (endsValue(a) && startsLiteral(b) && !(b.k === K.Var && (a.k === K.Str || a.k === K.Ident))) fail(b, 'an operator or "," between two values');
  if ((a.k === K.Num || a.k === K.Str || a.k === K.Hex || a.k === K.Bits) && isPunct(b, '(')) fail(b, 'an operator after the value');
}

/** Words that may follow a literal in a server-written expression (operators, units, clauses). */
const AFTER_LITERAL = new Set(
  (
    'AND OR XOR NOT IS IN LIKE BETWEEN REGEXP RLIKE SOUNDS MEMBER DIV MOD THEN ELSE END WHEN AS COLLATE ESCAPE FROM FOR USING ' +
    'RETURNING DEFAULT ON EMPTY ERROR NULL MICROSECOND SECOND MINUTE HOUR DAY WEEK MONTH QUARTER YEAR SECOND_MICROSECOND ' +
    'MINUTE_MICROSECOND MINUTE_SECOND HOUR_MICROSECOND HOUR_SECOND HOUR_MINUTE DAY_MICROSECOND DAY_SECOND DAY_MINUTE DAY_HOUR YEAR_MONTH'
  ).split(' '),
);
/** Functions whose first argument names a sequence, not a column. */
export const SEQUENCE_FUNCTIONS: ReadonlySet<string> = new Set(['NEXTVAL', 'LASTVAL', 'SETVAL']);

/**
 * A small expression SHOW CREATE TABLE wrote (CHECK, DEFAULT (…), generation, functional key
 * part), balanced already: token pairs as above, a literal followed by an operator or a clause
 * word only, and every quoted name a column of the table (unless it is called, qualified, or the
 * sequence of NEXTVAL(…) / NEXT VALUE FOR …).
 */
export function checkExpression(tokens: Token[], columns: ReadonlySet<string>): void {
  let prev: Token | null = null;
  for (const [i, t] of tokens.entries()) {
    checkPair(prev, t, true);
    if (prev && (prev.k === K.Num || prev.k === K.Hex || prev.k === K.Bits) && t.k === K.Word && !AFTER_LITERAL.has(t.upper)) fail(t, 'an operator after the number');
    if (prev && isWord(prev, 'IS') && !isWord(t, 'NOT', 'NULL', 'TRUE', 'FALSE', 'UNKNOWN')) fail(t, 'NULL, NOT NULL, TRUE, FALSE or UNKNOWN after IS');
    if (prev && isWord(prev, 'NOT') && i > 1 && isWord(tokens[i - 2]!, 'IS') && !isWord(t, 'NULL', 'TRUE', 'FALSE', 'UNKNOWN')) fail(t, 'NULL, TRUE, FALSE or UNKNOWN after IS NOT');
    const before = prev;
    prev = t;
    if (t.k !== K.Ident) continue;
    const next = tokens[i + 1];
    if (next && (isPunct(next, '(') || isPunct(next, '.'))) continue;
    if (before && (isPunct(before, '.') || isWord(before, 'FOR'))) continue;
    if (before && isPunct(before, '(') && i > 1 && tokens[i - 2]!.k === K.Word && SEQUENCE_FUNCTIONS.has(tokens[i - 2]!.upper)) continue;
    if (!columns.has(t.text.toLowerCase())) fail(t, `a column of the table (\`${t.text}\` is none)`);
  }
  if (prev) checkPair(prev, { k: K.Punct, text: ')', upper: ')', at: prev.at }, true);
  if (tokens.length === 0) fail({ k: K.Punct, text: ')', upper: ')', at: 0 }, 'an expression');
}

/** Words that start a statement in a stored program, in MariaDB or MySQL. */
const STATEMENTS = new Set(
  (
    'ALTER ANALYZE BACKUP BINLOG CACHE CALL CHANGE CHECK CHECKSUM CLONE CLOSE COMMIT CONTINUE CREATE DEALLOCATE DECLARE DELETE DESC DESCRIBE ' +
    'DO DROP EXECUTE EXIT EXPLAIN FETCH FLUSH GET GRANT HANDLER HELP IMPORT INSERT INSTALL ITERATE KILL LEAVE LOAD LOCK OPEN OPTIMIZE ' +
    'PREPARE PURGE RELEASE RENAME REPAIR REPLACE RESET RESIGNAL RESTART RETURN REVOKE ROLLBACK SAVEPOINT SELECT SET SHOW SHUTDOWN ' +
    'SIGNAL START STOP TABLE TRUNCATE UNINSTALL UNLOCK UPDATE USE VALUES WITH XA'
  ).split(' '),
);

/** Block openers and the word their END takes (in sql_mode=ORACLE, WHILE and FOR end with END LOOP). */
const BLOCKS: Record<string, string> = { BEGIN: '', IF: 'IF', CASE: 'CASE', LOOP: 'LOOP', WHILE: 'WHILE', REPEAT: 'REPEAT', FOR: 'FOR' };
/** Blocks a label may name (and ITERATE may go on). */
const LOOPS = new Set(['LOOP', 'WHILE', 'REPEAT', 'FOR']);
/** Words that go on a block rather than start a statement. */
const CONTINUATIONS = new Set(['END', 'ELSE', 'ELSEIF', 'ELSIF', 'WHEN', 'UNTIL', 'EXCEPTION']);

/** Words after which a value must come: END there is a name (MariaDB and MySQL let `end` be a column). */
const OPERAND_WORDS = new Set(
  (
    'SELECT WHERE AND OR XOR NOT ON BY AS SET HAVING LIKE IN IS BETWEEN RETURN WHEN THEN ELSE ELSEIF ELSIF IF WHILE UNTIL DISTINCT ' +
    'ALL CASE INTERVAL DEFAULT FROM JOIN INTO USING VALUES DIV MOD REGEXP RLIKE LIMIT OFFSET SEPARATOR ESCAPE TO FOR UPDATE TABLE DO'
  ).split(' '),
);
/** Words a value must follow. */
const NEEDS_OPERAND = new Set(['SELECT', 'WHERE', 'AND', 'OR', 'XOR', 'HAVING', 'LIKE', 'BETWEEN', 'REGEXP', 'RLIKE']);
/** Reserved words that start a clause: no operator, and none of NEEDS_OPERAND, comes right before one. */
const CLAUSE_WORDS = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'INTO', 'THEN', 'ELSE', 'WHEN', 'UNION']);
/** Statements that take one expression (or label): a "," outside parentheses is none of theirs. */
const SINGLE = new Set(['IF', 'ELSEIF', 'WHILE', 'UNTIL', 'RETURN', 'LEAVE', 'ITERATE']);
/** Block heads whose condition must come before THEN, DO or END. */
const CONDITIONS = new Set(['IF', 'ELSEIF', 'ELSIF', 'WHILE', 'UNTIL']);
/** Reserved words never written twice in a row in valid SQL (unlike NOT NOT, BINARY BINARY, END END, DO DO, …). */
const NEVER_TWICE = new Set(
  'SELECT FROM WHERE AND OR XOR IS LIKE ON AS BY INTO HAVING LIMIT UNION GROUP ORDER JOIN THEN WHEN ELSE ELSEIF DECLARE RETURN UNTIL USING BETWEEN'.split(' '),
);
/** Reserved words, which never name anything (a "." never follows one). */
const RESERVED = new Set([...NEVER_TWICE, ...NEEDS_OPERAND, 'DISTINCT', 'NOT', 'CASE', 'IN', 'ALL', 'WHILE', 'IF']);
/** Reserved words that start a statement and nothing else. */
const RUN_TOGETHER = new Set(['DECLARE', 'LEAVE', 'ITERATE', 'SIGNAL', 'RESIGNAL', 'WHILE', 'LOOP', 'CALL', 'RETURN']);
/** What may follow IS (sql_mode=ORACLE also has `CURSOR c IS SELECT …`). */
const AFTER_IS = ['NOT', 'NULL', 'TRUE', 'FALSE', 'UNKNOWN'];

interface Block {
  kind: string;
  label: string | null;
  /** The word it needs before its statements (THEN, DO, LOOP) or, after UNTIL, its END. */
  needs: string | null;
  /** Its statements have begun. */
  begun: boolean;
  /** CASE expressions: the parenthesis depth they opened at. */
  depth: number;
  /** sql_mode=ORACLE: the EXCEPTION section of a BEGIN block has begun. */
  exception?: boolean;
  /** BEGIN blocks: what was DECLAREd in it, by namespace (variables, cursors and conditions apart). */
  declared?: Map<string, Set<string>>;
}

export interface BodyOptions {
  /** A stored program's statement, a view's query, or the declarations of a package. */
  kind: 'program' | 'query' | 'package';
  /** sql_mode=ORACLE: PL/SQL blocks, labels, assignments and calls without CALL. */
  oracle?: boolean;
  /** A function's body: it must RETURN (a server refuses one that never does). */
  returns?: boolean;
}

/** Where the tokens after an END stand. */
const enum Closing {
  Word,
  Label,
  Semicolon,
}

/** Where a DECLARE stands: its names and type, or its handler's conditions, up to what is free text. */
const enum Declare {
  None,
  /** after DECLARE: a name, or CONTINUE/EXIT/UNDO of a handler */
  Start,
  /** after a name: ",", CURSOR, CONDITION or a data type */
  Names,
  /** after ",": a name */
  Name,
  /** after the data type: its length, attributes, DEFAULT or ";" */
  Type,
  /** after CHARACTER: SET, or the rest of the type */
  Character,
  /** after CHARACTER SET, CHARSET, COLLATE, COMPRESSED=: a name */
  Named,
  /** after TYPE OF: the names of the column or table */
  Anchor,
  /** a cursor's query */
  Query,
  /** a condition's value, a DEFAULT expression: not checked here */
  Free,
  Handler,
  HandlerFor,
  Condition,
  State,
  Found,
  /** after a condition: "," or the handler's statement */
  After,
}

/** Where a SET stands: its variable, "=", then the value up to a "," that starts the next one. */
const enum Assign {
  None,
  /** a variable, a scope (GLOBAL, SESSION, …) or, first, a form of its own (NAMES, TRANSACTION, …) */
  Target,
  /** after a variable's name: ".", "=" or ":=" */
  Name,
  /** after ".": the next part of the name */
  Part,
  /** after @var or @@var: "=" or ":=" */
  Equals,
  /** the value */
  Value,
  /** the rest of a form of its own */
  Form,
}

const SCOPES = new Set(['GLOBAL', 'SESSION', 'LOCAL', 'PERSIST', 'PERSIST_ONLY']);
/** SET forms that are no assignment: SET NAMES, SET TRANSACTION, SET PASSWORD, SET STATEMENT … FOR, … */
const SET_FORMS = new Set(['NAMES', 'CHARACTER', 'CHARSET', 'TRANSACTION', 'PASSWORD', 'ROLE', 'DEFAULT', 'STATEMENT', 'RESOURCE']);
/** Statements no subquery or clause of another statement holds, and those that do not hold them. */
const STARTERS = new Set(['SET', 'SELECT', 'INSERT', 'UPDATE', 'DELETE']);
const CONTROL = new Set(['DECLARE', 'RETURN', 'SET', 'IF', 'ELSEIF', 'WHILE', 'UNTIL', 'LEAVE', 'ITERATE', 'CALL', 'OPEN', 'FETCH', 'CLOSE', 'DEALLOCATE']);
/** Statements that never follow a value: a ";" before them was lost. */
const NEVER_AFTER_VALUE = new Set(['INSERT', 'UPDATE', 'DELETE']);

/** What may follow a variable's data type before DEFAULT (MariaDB and MySQL field types). */
const TYPE_WORDS = new Set(
  'UNSIGNED SIGNED ZEROFILL BINARY ASCII UNICODE BYTE PRECISION VARYING COMPRESSED CHAR VARCHAR VARCHARACTER VARBINARY'.split(' '),
);

/**
 * A body fed token by token up to the end of its statement. See the head of this file for what
 * it refuses; everything else passes.
 */
export class BodyChecker {
  private readonly stack: Block[] = [];
  private parens = 0;
  private prev: Token | null = null;
  /** The two tokens before prev. */
  private before: Token | null = null;
  private third: Token | null = null;
  /** The next token starts a statement. */
  private atStatement: boolean;
  /** The statement being read, by its first word. */
  private statement = '';
  /** The token that started it. */
  private head: Token | null = null;
  /** A name at the start of a statement that must be a label: ":" comes next. */
  private labelName: Token | null = null;
  /** The label just read, for the block it names. */
  private label: string | null = null;
  /** The END just read: its block, and whether the block's word after END was read. */
  private closing: { block: Block; word: string; stage: Closing } | null = null;
  /** The outermost block has ended: only the end of the statement may follow. */
  private closed = false;
  private declare = Declare.None;
  /** The names a DECLARE is declaring. */
  private names: Token[] = [];
  private assign = Assign.None;
  /** The SET has had a variable (SET NAMES and such are forms of their own only first). */
  private assigned = false;
  /** sql_mode=ORACLE `<<label>>`: 1 after `<<`, 2 after the name. */
  private angleLabel = 0;
  /** After BEGIN: 1 when NOT ATOMIC may follow, 2 after its NOT. */
  private atomic = 0;
  private returned = false;
  private tokens = 0;
  /** The END that just closed a CASE expression: a value, like ")". */
  private caseEnd: Token | null = null;
  /** The head of the CREATE TABLE, DROP TABLE or INSERT being read. */
  private headChecker: HeadChecker | null = null;

  constructor(private readonly opts: BodyOptions) {
    this.atStatement = opts.kind !== 'query';
    if (opts.kind === 'package') this.stack.push({ kind: 'PACKAGE', label: null, needs: null, begun: false, depth: 0 });
  }

  push(t: Token): void {
    if (t.k === K.Delim) return this.end(t);
    this.tokens++;
    if (this.tokens === 1 && this.opts.kind === 'query' && !isWord(t, 'SELECT', 'WITH', 'VALUES', 'TABLE') && !isPunct(t, '(')) fail(t, 'SELECT or WITH');
    if (this.closing) return this.afterEnd(t);
    if (this.closed) fail(t, 'the end of the statement after the END of the body');
    if (this.labelName) {
      if (!isPunct(t, ':')) fail(t, `a statement (\`${this.labelName.text}\` is no statement keyword, nor a label before ":")`);
      this.label = this.labelName.text.toLowerCase();
      this.labelName = null;
      this.atStatement = true;
      this.prev = null;
      return;
    }
    if (this.declare !== Declare.None && this.parens === 0) this.declaration(t);
    if (this.assign !== Assign.None && this.parens === 0) this.assignment(t);
    if (this.atStatement && this.parens === 0 && this.startStatement(t)) {
      this.advance(t);
      return;
    }
    this.checkWords(t);
    // GET DIAGNOSTICS CONDITION 1 @state = …: a number and then a variable.
    if (this.prev && !(this.statement === 'GET' && startsLiteral(t))) checkPair(this.prev, t);
    if (this.prev !== null && this.prev === this.caseEnd && startsLiteral(t)) fail(t, 'an operator or "," after the END of CASE');
    if (this.headChecker && t !== this.head && !isPunct(t, ';') && !this.headChecker.push(t, this.parens)) this.headChecker = null;
    if (isPunct(t, '(')) this.parens++;
    else if (isPunct(t, ')')) {
      if (--this.parens < 0) fail(t, 'a matching "("');
      const top = this.stack.at(-1);
      if (top?.kind === 'CASE-EXPRESSION' && top.depth > this.parens) fail(t, 'END closing CASE before ")"');
    } else if (isPunct(t, ';')) this.semicolon(t);
    else if (t.k === K.Word) this.word(t);
    else if (isPunct(t, ':') && !this.opts.oracle && this.prev === this.head && this.head !== null && this.head.k === K.Word) {
      // A statement keyword used as a label (`close: LOOP`).
      this.label = this.head.text.toLowerCase();
      this.atStatement = true;
      this.prev = null;
      return;
    }
    if ((this.statement === 'LEAVE' || this.statement === 'ITERATE') && this.prev === this.head && !this.opts.oracle) this.jumpTarget(t);
    this.advance(t);
  }

  private advance(t: Token): void {
    this.third = this.before;
    this.before = this.prev;
    this.prev = t;
  }

  /** The first token of a statement; true when it was taken here (a block, a label, a continuation). */
  private startStatement(t: Token): boolean {
    const oracle = this.opts.oracle === true;
    if (this.atomic !== 0) {
      if (this.atomic === 1 && isWord(t, 'NOT')) {
        this.atomic = 2;
        return true;
      }
      if (this.atomic === 2) {
        if (!isWord(t, 'ATOMIC')) fail(t, 'ATOMIC after BEGIN NOT');
        this.atomic = 0;
        return true;
      }
      this.atomic = 0;
    }
    if (oracle && this.angleLabel === 0 && isPunct(t, '<<')) {
      this.angleLabel = 1;
      return true;
    }
    if (this.angleLabel === 1) {
      if (t.k !== K.Word && t.k !== K.Ident) fail(t, 'a label after "<<"');
      this.label = t.text.toLowerCase();
      this.angleLabel = 2;
      return true;
    }
    if (this.angleLabel === 2) {
      if (!isPunct(t, '>>')) fail(t, '">>" closing the label');
      this.angleLabel = 0;
      return true;
    }
    this.atStatement = false;
    this.statement = '';
    this.head = t;
    const label = this.label;
    this.label = null;
    if (t.k === K.Word && this.continuation(t)) return true;
    const top = this.stack.at(-1);
    if (t.k === K.Word && BLOCKS[t.upper] !== undefined) {
      if (t.upper === 'BEGIN' && top?.kind === 'ROUTINE') {
        // sql_mode=ORACLE: the BEGIN after a package routine's declarations.
        this.stack.pop();
      } else if (t.upper === 'BEGIN' && top?.kind === 'PACKAGE' && oracle) {
        // A package body's initialisation section: its END ends the package.
        top.begun = true;
        this.atStatement = true;
        return true;
      }
      const needs = t.upper === 'IF' ? 'THEN' : t.upper === 'WHILE' || t.upper === 'FOR' ? (oracle ? 'LOOP' : 'DO') : null;
      this.stack.push({ kind: t.upper, label, needs, begun: needs === null && t.upper !== 'CASE', depth: 0 });
      this.statement = t.upper;
      if (t.upper === 'BEGIN' || t.upper === 'LOOP' || t.upper === 'REPEAT') this.atStatement = true;
      if (t.upper === 'BEGIN') this.atomic = 1;
      return true;
    }
    if (label !== null && !oracle) fail(t, 'BEGIN, LOOP, WHILE, REPEAT or FOR after a label');
    if (t.k === K.Word && (STATEMENTS.has(t.upper) || oracle || this.opts.kind === 'package')) {
      this.statement = t.upper;
      if (t.upper === 'RETURN') this.returned = true;
      if (t.upper === 'DECLARE' && !oracle) this.declare = Declare.Start;
      if (t.upper === 'CREATE' || t.upper === 'DROP' || t.upper === 'INSERT' || t.upper === 'REPLACE') this.headChecker = new HeadChecker(t.upper === 'REPLACE' ? 'INSERT' : t.upper, oracle);
      if (t.upper === 'SET') {
        this.assign = Assign.Target;
        this.assigned = false;
      }
      return false;
    }
    if (t.k === K.Word || t.k === K.Ident) {
      if (oracle) return false;
      this.labelName = t;
      return true;
    }
    if (isPunct(t, '(') || (oracle && isPunct(t, ':'))) return false;
    return fail(t, 'a statement');
  }

  /** END, ELSE, ELSEIF, WHEN, UNTIL, EXCEPTION where a statement may start; true when it was one. */
  private continuation(t: Token): boolean {
    const top = this.stack.at(-1);
    switch (t.upper) {
      case 'END':
        this.endBlock(t);
        return true;
      case 'ELSE':
        if (!(top && (top.kind === 'IF' || top.kind === 'CASE') && top.begun)) fail(t, 'ELSE only inside IF or CASE');
        this.atStatement = true;
        return true;
      case 'ELSEIF':
      case 'ELSIF':
        if (top?.kind !== 'IF' || !top.begun) fail(t, `${t.upper} only inside IF`);
        top.needs = 'THEN';
        this.statement = 'ELSEIF';
        return true;
      case 'WHEN':
        if (!(top && ((top.kind === 'CASE' && top.begun) || top.exception))) fail(t, 'WHEN only inside CASE');
        top.needs = 'THEN';
        return true;
      case 'UNTIL':
        if (top?.kind !== 'REPEAT' || top.needs !== null) fail(t, 'UNTIL only inside REPEAT');
        top.needs = 'END';
        this.statement = 'UNTIL';
        return true;
      case 'EXCEPTION':
        // Of a BEGIN block, or of a package body's initialisation section.
        if (!this.opts.oracle || !(top?.kind === 'BEGIN' || (top?.kind === 'PACKAGE' && top.begun))) return false;
        top.exception = true;
        this.atStatement = true;
        return true;
    }
    return false;
  }

  /** A word anywhere but at the start of a statement. */
  private word(t: Token): void {
    const top = this.stack.at(-1);
    if (t.upper === 'CASE') {
      // CASE [value] WHEN … THEN … [WHEN … THEN …] [ELSE …] END: `needs` says what must come next.
      this.stack.push({ kind: 'CASE-EXPRESSION', label: null, needs: 'WHEN', begun: false, depth: this.parens });
      return;
    }
    if (top?.kind === 'CASE-EXPRESSION' && top.depth === this.parens && (t.upper === 'WHEN' || t.upper === 'THEN' || t.upper === 'ELSE')) {
      if (t.upper === 'WHEN' ? top.needs === 'THEN' || top.needs === 'END' : t.upper === 'THEN' ? top.needs !== 'THEN' : top.needs !== null) fail(t, `${top.needs ?? 'WHEN, ELSE or END'} in CASE`);
      top.needs = t.upper === 'WHEN' ? 'THEN' : t.upper === 'ELSE' ? 'END' : null;
      return;
    }
    if (t.upper === 'END' && this.endsBlock()) {
      if (top?.kind === 'CASE-EXPRESSION') {
        if (top.depth !== this.parens) fail(t, '")" before END');
        if (top.needs === 'WHEN' || top.needs === 'THEN') fail(t, `${top.needs} in CASE before END`);
        this.stack.pop();
        this.caseEnd = t;
      } else if (this.parens === 0 && top?.kind === 'REPEAT' && top.needs === 'END') {
        top.needs = null;
        this.endBlock(t);
      } else if (this.opts.kind === 'query') fail(t, 'a CASE that END closes');
      // Elsewhere `end` is a name (`SELECT 1 end` is valid); a block it should have closed stays open.
      return;
    }
    if (this.parens !== 0 || this.opts.kind === 'query') return;
    // CREATE|ALTER EVENT … DO: the event's body is a statement.
    if (t.upper === 'DO' && (this.statement === 'CREATE' || this.statement === 'ALTER') && top?.needs !== 'DO') {
      this.atStatement = true;
      return;
    }
    // Reserved words that only start a statement: after anything else a ";" was lost.
    if (RUN_TOGETHER.has(t.upper) && t !== this.head && !this.opts.oracle && this.opts.kind === 'program') fail(t, `";" ending the statement before ${t.upper}`);
    if (NEVER_AFTER_VALUE.has(t.upper) && this.prev && endsValue(this.prev) && this.opts.kind === 'program') fail(t, `";" ending the statement before ${t.upper}`);
    if (CONTROL.has(this.statement) && STARTERS.has(t.upper) && t !== this.head && !this.opts.oracle && this.opts.kind === 'program' && this.declare !== Declare.Query) {
      // Nothing in IF, WHILE, RETURN, SET, DECLARE, CALL, … takes a statement: a ";" before it was lost.
      // RETURN (SELECT …) may drop its parentheses; SET STATEMENT … FOR takes a statement.
      const inside = (t.upper === 'SELECT' && this.statement === 'RETURN') || (t.upper === 'SET' && this.prev !== null && isWord(this.prev, 'CHARACTER')) || this.assign === Assign.Form;
      if (!inside) fail(t, `";" ending the statement before ${t.upper}`);
    }
    if (!top || top.kind === 'CASE-EXPRESSION') return;
    const exit = this.statement === 'EXIT' || this.statement === 'CONTINUE';
    switch (t.upper) {
      case 'THEN':
      case 'DO':
      case 'LOOP':
        if (top.needs === t.upper) {
          top.needs = null;
          top.begun = true;
          this.atStatement = true;
        } else if (t.upper === 'THEN') fail(t, top.needs ?? 'IF, ELSEIF or WHEN before THEN');
        return;
      case 'WHEN':
        if (top.kind === 'CASE' && !top.begun) top.needs = 'THEN';
        else if ((top.kind === 'CASE' || top.kind === 'IF') && !exit) fail(t, '";" ending the statement before WHEN');
        return;
      case 'ELSE':
      case 'ELSEIF':
      case 'ELSIF':
        if ((top.kind === 'CASE' || top.kind === 'IF') && top.begun) fail(t, `";" ending the statement before ${t.upper}`);
        return;
      case 'UNTIL':
        if (top.kind === 'REPEAT' && top.needs === null) fail(t, '";" ending the statement before UNTIL');
        return;
      case 'AS':
      case 'IS':
        // sql_mode=ORACLE: a package routine's declarations and body follow, or a cursor's query.
        if (!this.opts.oracle) return;
        if (this.statement === 'FUNCTION' || this.statement === 'PROCEDURE') this.stack.push({ kind: 'ROUTINE', label: null, needs: null, begun: true, depth: 0 });
        if (this.statement === 'FUNCTION' || this.statement === 'PROCEDURE' || this.statement === 'CURSOR') this.atStatement = true;
        return;
    }
    // A package routine whose body is a block (sql_mode=DEFAULT packages write no AS before it).
    if (this.opts.kind === 'package' && !this.opts.oracle && BLOCKS[t.upper] !== undefined && (this.statement === 'FUNCTION' || this.statement === 'PROCEDURE')) {
      this.atStatement = true;
      this.startStatement(t);
    }
  }

  /** LEAVE and ITERATE name an enclosing block (ITERATE a loop): a server checks it at CREATE. */
  private jumpTarget(t: Token): void {
    const target = t.k === K.Word || t.k === K.Ident ? this.stack.find((b) => b.label === t.text.toLowerCase()) : undefined;
    if (!target || (this.statement === 'ITERATE' && !LOOPS.has(target.kind))) fail(t, `the label of an enclosing ${this.statement === 'ITERATE' ? 'loop' : 'block'}`);
  }

  /** Whether END here ends something rather than names a column called `end`. */
  private endsBlock(): boolean {
    const p = this.prev;
    if (p === null) return true;
    if (p.k === K.Word) return !OPERAND_WORDS.has(p.upper);
    return endsValue(p) || isPunct(p, '*');
  }

  private endBlock(t: Token): void {
    const block = this.stack.pop();
    if (block === undefined || block.kind === 'CASE-EXPRESSION' || block.kind === 'ROUTINE') fail(t, 'a block that END closes');
    if (block.needs !== null) fail(t, `${block.needs} before END`);
    const oracle = this.opts.oracle === true;
    this.closing = { block, word: oracle && (block.kind === 'WHILE' || block.kind === 'FOR') ? 'LOOP' : (BLOCKS[block.kind] ?? ''), stage: Closing.Word };
    if (this.closing.word === '') this.closing.stage = Closing.Label;
    if (this.stack.length === 0) this.closed = true;
  }

  /** The tokens after END: the block's word, its label, then ";" (or the end of the body). */
  private afterEnd(t: Token): void {
    const c = this.closing!;
    this.advance(t);
    if (c.stage === Closing.Word) {
      if (!isWord(t, c.word)) fail(t, `${c.word} after END`);
      c.stage = Closing.Label;
      return;
    }
    const oracle = this.opts.oracle === true;
    const name = t.k === K.Ident || (t.k === K.Word && !CONTINUATIONS.has(t.upper));
    if (c.stage === Closing.Label && name && (oracle || (c.block.kind !== 'IF' && c.block.kind !== 'CASE'))) {
      if (!oracle && c.block.label !== t.text.toLowerCase()) fail(t, c.block.label ? `the block's label ${c.block.label}` : '";" after END (the block has no label)');
      c.stage = Closing.Semicolon;
      return;
    }
    if (this.closed) fail(t, 'the end of the statement after the END of the body');
    if (!isPunct(t, ';')) fail(t, `";" after END${c.word ? ` ${c.word}` : ''}`);
    this.closing = null;
    this.atStatement = true;
    this.statement = '';
  }

  private semicolon(t: Token): void {
    if (this.parens !== 0) fail(t, '")" before ";"');
    const top = this.stack.at(-1);
    if (!top && !this.opts.oracle) fail(t, 'the end of the statement');
    if (top?.kind === 'CASE-EXPRESSION') fail(t, 'END closing CASE before ";"');
    if (top?.needs) fail(t, top.needs === 'END' ? 'END REPEAT after UNTIL' : `${top.needs} before ";"`);
    this.complete(t);
    this.declare = Declare.None;
    this.assign = Assign.None;
    this.headChecker = null;
    this.atStatement = true;
    this.statement = '';
  }

  /** A DECLARE or SET that ends at t has all its parts. */
  private complete(t: Token): void {
    if (this.declare !== Declare.None && this.declare !== Declare.Free && this.declare !== Declare.Query && this.declare !== Declare.Type && this.declare !== Declare.Anchor) fail(t, 'the rest of the DECLARE');
    if (this.assign !== Assign.None && this.assign !== Assign.Value && this.assign !== Assign.Form) fail(t, 'the rest of the SET');
  }

  /**
   * DECLARE: names, then CURSOR, CONDITION or a data type with its attributes and DEFAULT; or
   * CONTINUE|EXIT|UNDO HANDLER FOR conditions and the handler's own statement (a small grammar,
   * checked whole but for the cursor's query and the default's expression).
   */
  private declaration(t: Token): void {
    const name = t.k === K.Word || t.k === K.Ident;
    switch (this.declare) {
      case Declare.Start:
        this.names = [];
        if (isWord(t, 'CONTINUE', 'EXIT', 'UNDO')) this.declare = Declare.Handler;
        else if (name) {
          this.names.push(t);
          this.declare = Declare.Names;
        } else fail(t, 'a name to DECLARE');
        return;
      case Declare.Name:
        if (!name) fail(t, 'a name to DECLARE');
        this.names.push(t);
        this.declare = Declare.Names;
        return;
      case Declare.Names:
        if (isPunct(t, ',')) this.declare = Declare.Name;
        else if (isWord(t, 'CURSOR', 'CONDITION')) {
          this.declare = t.upper === 'CURSOR' ? Declare.Query : Declare.Free;
          this.declareOnce(t.upper);
        } else if (t.k === K.Word && (DATA_TYPES.has(t.upper) || t.upper === 'ROW' || t.upper === 'TYPE' || t.upper === 'NATIONAL')) {
          this.declare = Declare.Type;
          this.declareOnce('VARIABLE');
        } else fail(t, 'a data type, CURSOR or CONDITION');
        return;
      case Declare.Character:
        this.declare = isWord(t, 'SET') ? Declare.Named : Declare.Type;
        if (this.declare === Declare.Named) return;
        break;
      case Declare.Named:
        if (!(name || t.k === K.Str)) fail(t, 'a character set or collation name');
        this.declare = Declare.Type;
        return;
      case Declare.Anchor:
        if (isWord(t, 'DEFAULT')) this.declare = Declare.Free;
        else if (!(name || isPunct(t, '.') || isPunct(t, ';'))) fail(t, 'DEFAULT or ";" after the anchored type');
        return;
      case Declare.Handler:
        if (!isWord(t, 'HANDLER')) fail(t, 'HANDLER');
        this.declare = Declare.HandlerFor;
        return;
      case Declare.HandlerFor:
        if (!isWord(t, 'FOR')) fail(t, 'FOR');
        this.declare = Declare.Condition;
        return;
      case Declare.Condition:
        if (isWord(t, 'SQLSTATE')) this.declare = Declare.State;
        else if (isWord(t, 'NOT')) this.declare = Declare.Found;
        else if (t.k === K.Num || name) this.declare = Declare.After;
        else fail(t, 'a handler condition');
        return;
      case Declare.State:
        if (isWord(t, 'VALUE')) return;
        // A server refuses a SQLSTATE that is not five digits or capitals, or of class 00.
        if (t.k !== K.Str || !/^[0-9A-Z]{5}$/.test(t.text) || t.text.startsWith('00')) fail(t, 'a quoted five-character SQLSTATE');
        this.declare = Declare.After;
        return;
      case Declare.Found:
        if (!isWord(t, 'FOUND')) fail(t, 'FOUND');
        this.declare = Declare.After;
        return;
      case Declare.After:
        if (isPunct(t, ',')) {
          this.declare = Declare.Condition;
          return;
        }
        // The handler's own statement.
        this.declare = Declare.None;
        this.atStatement = true;
        this.prev = null;
        return;
    }
    if (this.declare !== Declare.Type) return;
    if (isPunct(t, '(') || isPunct(t, ';') || (t.k === K.Word && TYPE_WORDS.has(t.upper))) return;
    if (isWord(t, 'DEFAULT')) this.declare = Declare.Free;
    else if (isWord(t, 'CHARACTER')) this.declare = Declare.Character;
    else if (isWord(t, 'CHARSET', 'COLLATE')) this.declare = Declare.Named;
    else if (isPunct(t, '=') && this.prev && isWord(this.prev, 'COMPRESSED')) this.declare = Declare.Named;
    else if (isWord(t, 'TYPE', 'OF')) this.declare = isWord(t, 'OF') ? Declare.Anchor : Declare.Type;
    else fail(t, 'DEFAULT, a type attribute or ";" after the data type');
  }

  /** A server refuses a variable, cursor or condition DECLAREd twice in one block. */
  private declareOnce(namespace: string): void {
    let block: Block | undefined;
    for (let k = this.stack.length - 1; k >= 0 && !block; k--) if (this.stack[k]!.kind === 'BEGIN') block = this.stack[k];
    if (!block) return;
    block.declared ??= new Map();
    const names = block.declared.get(namespace) ?? new Set<string>();
    block.declared.set(namespace, names);
    for (const n of this.names) {
      const lower = n.text.toLowerCase();
      if (names.has(lower)) fail(n, `a name not DECLAREd yet in this block (\`${n.text}\` is)`);
      names.add(lower);
    }
  }

  /** SET [scope] variable = value, …: the variables and their "=", the values unchecked. */
  private assignment(t: Token): void {
    switch (this.assign) {
      case Assign.Target:
        if (t.k === K.Word && SCOPES.has(t.upper)) return;
        if (t.k === K.Word && SET_FORMS.has(t.upper) && !this.assigned) this.assign = Assign.Form;
        else if (t.k === K.Var || t.k === K.SysVar) this.assign = Assign.Equals;
        else if (t.k === K.Word || t.k === K.Ident) this.assign = Assign.Name;
        else fail(t, 'a variable to SET');
        this.assigned = true;
        return;
      case Assign.Part:
        if (t.k !== K.Word && t.k !== K.Ident) fail(t, 'a name after "."');
        this.assign = Assign.Name;
        return;
      case Assign.Name:
        if (isPunct(t, '.')) {
          this.assign = Assign.Part;
          return;
        }
      // falls through: after the whole name, "="
      case Assign.Equals:
        if (!isPunct(t, '=') && !isPunct(t, ':=')) fail(t, '"=" after the variable to SET');
        this.assign = Assign.Value;
        return;
      case Assign.Value:
        if (isPunct(t, ',')) this.assign = Assign.Target;
    }
  }

  /** Keywords against the token before them. */
  private checkWords(t: Token): void {
    const p = this.prev;
    // "." qualifies a name: after anything else it is a stray byte or a name lost.
    if (isPunct(t, '.') && p && (p.k === K.Punct || p.k === K.Num || p.k === K.Str || p.k === K.Hex || p.k === K.Bits || (p.k === K.Word && RESERVED.has(p.upper)))) fail(t, 'a name before "."');
    // IF, WHILE, UNTIL, RETURN, LEAVE take one expression or label: no "," outside parentheses.
    if (isPunct(t, ',') && this.parens === 0 && SINGLE.has(this.statement) && this.stack.at(-1)?.kind !== 'CASE-EXPRESSION') fail(t, `one expression after ${this.statement}`);
    const b = this.before;
    // In a view's query a SELECT starts it, a subquery or a set operation's other side.
    if (this.opts.kind === 'query' && isWord(t, 'SELECT') && p) {
      const setOperation = (w: Token | null) => w !== null && isWord(w, 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS');
      if (!(isPunct(p, '(') || isPunct(p, ')') || setOperation(p) || (isWord(p, 'ALL', 'DISTINCT') && setOperation(b)))) fail(t, 'a set operation or "(" before SELECT');
    }
    // An operator, then a clause: the value between them was lost.
    if (p && (isOperator(p, false) || (p.k === K.Punct && SIGNS.has(p.text))) && t.k === K.Word && (CLAUSE_WORDS.has(t.upper) || t.upper === 'WITH')) fail(t, `a value after "${p.text}"`);
    // `(*)` is COUNT(*)'s alone.
    if (isPunct(t, ')') && p && isPunct(p, '*') && b && isPunct(b, '(') && !(this.third !== null && isWord(this.third, 'COUNT'))) fail(t, 'COUNT before (*)');
    // ON DUPLICATE KEY UPDATE, ORDER BY, GROUP BY (but WITHIN GROUP (…), FETCH GROUP NEXT ROW, RESOURCE GROUP).
    if (p && isWord(p, 'KEY') && b && isWord(b, 'DUPLICATE') && !isWord(t, 'UPDATE')) fail(t, 'UPDATE after ON DUPLICATE KEY');
    if (p && isWord(p, 'ORDER') && !isWord(t, 'BY')) fail(t, 'BY after ORDER');
    if (p && isWord(p, 'GROUP') && !isWord(t, 'BY') && !isPunct(t, '(') && !(b && isWord(b, 'FETCH', 'RESOURCE'))) fail(t, 'BY after GROUP');
    if (!p || p.k !== K.Word) return;
    if (CONDITIONS.has(p.upper) && p === this.head && (isEnd(t) || isOperator(t, false) || isWord(t, 'THEN', 'DO', 'LOOP', 'END', 'ELSE'))) fail(t, `a condition after ${p.upper}`);
    if (NEEDS_OPERAND.has(p.upper) && (isEnd(t) || isOperator(t, false) || (t.k === K.Word && CLAUSE_WORDS.has(t.upper)))) fail(t, `a value after ${p.upper}`);
    if (t.k === K.Word && p.upper === t.upper && NEVER_TWICE.has(t.upper)) fail(t, `one ${t.upper} (it is written twice)`);
    if (p.upper === 'IS' && !this.opts.oracle && !isWord(t, ...AFTER_IS)) fail(t, 'NULL, NOT NULL, TRUE, FALSE or UNKNOWN after IS');
  }

  private end(t: Token): void {
    if (this.tokens === 0) fail(t, 'a body');
    if (this.closing?.stage === Closing.Word) fail(t, `${this.closing.word} after END`);
    if (this.parens !== 0) fail(t, '")" closing the parenthesis');
    const top = this.stack.at(-1);
    if (top) fail(t, top.kind === 'PACKAGE' || top.kind === 'ROUTINE' ? 'END closing the package' : `END closing ${top.kind.replace('-EXPRESSION', '')}`);
    if (this.labelName) fail(t, `a statement (\`${this.labelName.text}\` is no statement keyword, nor a label before ":")`);
    if (this.angleLabel !== 0 || this.atomic === 2) fail(t, 'the rest of the statement');
    this.complete(t);
    if (this.opts.returns && !this.returned) fail(t, 'a RETURN in the function');
    if (this.prev) checkPair(this.prev, t);
  }
}
