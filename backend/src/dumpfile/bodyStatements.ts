// The heads of three statements stored programs run most, each a small fixed grammar that every
// MariaDB and MySQL version shares: CREATE [TEMPORARY] TABLE … (columns), DROP [TEMPORARY]
// TABLE|VIEW …, INSERT|REPLACE … INTO table [(columns)] VALUES|SELECT|SET …. What follows the head
// (expressions, queries, table options) is left to the body checker's general rules.
import { isPunct, isWord } from './reader.js';
import { fail } from './session.js';
import { K, type Token } from './tokens.js';
import { DATA_TYPES } from './vocabulary.js';

/** Words that start a table element that is no column. */
const ELEMENTS = new Set(['PRIMARY', 'UNIQUE', 'KEY', 'INDEX', 'FULLTEXT', 'SPATIAL', 'CONSTRAINT', 'FOREIGN', 'CHECK', 'PERIOD', 'LIKE']);
/** What may come first in the parentheses after CREATE TABLE t when they hold a query. */
const QUERY = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);
const INSERT_OPTIONS = new Set(['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE', 'INTO']);
/** What follows INSERT INTO t or its column list. */
const INSERT_SOURCES = new Set(['VALUES', 'VALUE', 'SELECT', 'WITH', 'TABLE']);

const isName = (t: Token) => t.k === K.Word || t.k === K.Ident;

/** One statement's head, token by token with the parenthesis depth before the token. */
export class HeadChecker {
  private state = 'start';
  private prev: Token | null = null;
  private afterName = false;

  constructor(
    private readonly statement: 'CREATE' | 'DROP' | 'INSERT',
    /** sql_mode=ORACLE adds data types (NUMBER, CLOB, RAW, …): column types are not checked then. */
    private readonly oracle: boolean,
  ) {}

  /** False once the head is over (the rest of the statement is not this checker's). */
  push(t: Token, depth: number): boolean {
    const done = this.statement === 'CREATE' ? this.create(t, depth) : this.statement === 'DROP' ? this.drop(t, depth) : this.insert(t, depth);
    this.prev = t;
    return !done;
  }

  /** CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name ( element, … ): true when done. */
  private create(t: Token, depth: number): boolean {
    switch (this.state) {
      case 'start':
        // CREATE OR REPLACE …, CREATE TEMPORARY TABLE|SEQUENCE: fixed phrases.
        if (this.prev && isWord(this.prev, 'OR') && !isWord(t, 'REPLACE')) fail(t, 'REPLACE after CREATE OR');
        if (this.prev && isWord(this.prev, 'TEMPORARY') && !isWord(t, 'TABLE', 'SEQUENCE')) fail(t, 'TABLE after CREATE TEMPORARY');
        if (isWord(t, 'TABLE')) this.state = 'table';
        else if (!isWord(t, 'OR', 'REPLACE', 'TEMPORARY')) return true;
        return false;
      case 'table':
        if (isWord(t, 'IF')) this.state = 'if';
        else if (isName(t)) this.state = 'name';
        else fail(t, 'a table name');
        return false;
      case 'if':
        if (!isWord(t, 'NOT')) fail(t, 'NOT EXISTS after IF');
        this.state = 'not';
        return false;
      case 'not':
        if (!isWord(t, 'EXISTS')) fail(t, 'EXISTS after IF NOT');
        this.state = 'table';
        return false;
      case 'name':
        if (isPunct(t, '.')) this.state = 'table';
        else if (isPunct(t, '(')) this.state = 'element';
        else return true;
        return false;
      case 'element':
        if (depth !== 1) return false;
        if ((t.k === K.Word && (ELEMENTS.has(t.upper) || QUERY.has(t.upper))) || isPunct(t, '(')) this.state = this.prev && isPunct(this.prev, '(') && t.k === K.Word && QUERY.has(t.upper) ? 'done' : 'rest';
        else if (isName(t)) this.state = 'type';
        else fail(t, 'a column or key definition');
        return this.state === 'done';
      case 'type':
        if (!(t.k === K.Word && (DATA_TYPES.has(t.upper) || t.upper === 'NATIONAL')) && !this.oracle) fail(t, 'the data type of the column');
        this.state = 'rest';
        return false;
      case 'rest':
        if (depth === 1 && isPunct(t, ',')) this.state = 'element';
        return depth === 1 && isPunct(t, ')');
    }
    return true;
  }

  /** DROP [TEMPORARY] TABLE|TABLES|VIEW [IF EXISTS] name, … [WAIT n | NOWAIT] [RESTRICT | CASCADE]: true when done. */
  private drop(t: Token, depth: number): boolean {
    if (depth !== 0) return true;
    switch (this.state) {
      case 'start':
        if (isWord(t, 'TABLE', 'TABLES', 'VIEW')) this.state = 'names';
        else if (!isWord(t, 'TEMPORARY')) return true;
        return false;
      case 'names':
        if (isWord(t, 'IF') && !this.afterName) this.state = 'if';
        else if (isName(t)) this.state = 'name';
        else fail(t, 'a table name');
        return false;
      case 'if':
        if (!isWord(t, 'EXISTS')) fail(t, 'EXISTS after IF');
        this.state = 'names';
        return false;
      case 'name':
        this.afterName = true;
        if (isPunct(t, '.') || isPunct(t, ',')) this.state = 'names';
        else if (isWord(t, 'WAIT')) this.state = 'wait';
        else if (isWord(t, 'NOWAIT', 'RESTRICT', 'CASCADE')) this.state = 'tail';
        else fail(t, '",", RESTRICT, CASCADE or the end of the DROP');
        return false;
      case 'wait':
        if (t.k !== K.Num) fail(t, 'a number of seconds after WAIT');
        this.state = 'tail';
        return false;
      case 'tail':
        if (!isWord(t, 'RESTRICT', 'CASCADE')) fail(t, 'the end of the DROP');
        return false;
    }
    return true;
  }

  /** INSERT|REPLACE [options] [INTO] name [PARTITION (…)] [(columns)] VALUES|SELECT|SET|…: true when done. */
  private insert(t: Token, depth: number): boolean {
    switch (this.state) {
      case 'start':
        if (t.k === K.Word && INSERT_OPTIONS.has(t.upper)) return false;
        if (!isName(t)) fail(t, 'a table name');
        this.state = 'name';
        return false;
      case 'name':
        if (isPunct(t, '.')) this.state = 'part';
        else if (isWord(t, 'PARTITION')) this.state = 'partition';
        else if (isPunct(t, '(')) this.state = 'open';
        else if (t.k === K.Word && (INSERT_SOURCES.has(t.upper) || t.upper === 'SET')) return true;
        else fail(t, 'VALUES, SELECT, SET or the column list after the table');
        return false;
      case 'part':
        if (!isName(t)) fail(t, 'a table name after "."');
        this.state = 'name';
        return false;
      case 'partition':
        if (depth === 0 && !isPunct(t, '(')) fail(t, '"(" and the partitions');
        if (depth === 1 && isPunct(t, ')')) this.state = 'name';
        return false;
      case 'open':
        // INSERT INTO t (SELECT …): a query, not a column list.
        if (t.k === K.Word && QUERY.has(t.upper)) return true;
        this.state = 'columns';
        return this.insert(t, depth);
      case 'columns':
        if (depth === 1 && isPunct(t, ')')) this.state = 'source';
        return false;
      case 'source':
        if (!((t.k === K.Word && INSERT_SOURCES.has(t.upper)) || isPunct(t, '('))) fail(t, 'VALUES or SELECT after the column list');
        return true;
    }
    return true;
  }
}
