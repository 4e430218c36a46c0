// Statement grammars are written as generators that pull one token per `yield`: a recursive
// descent parser that the lexer pushes tokens into, so no statement is ever held in memory.
import { fail } from './session.js';
import { K, type Token } from './tokens.js';

export type Step<T = void> = Generator<void, T, Token>;

/** Words a server reserves: never an unquoted name. */
const RESERVED = new Set(
  (
    'ADD ALL ALTER AND AS ASC BETWEEN BY CASE CHECK COLLATE COLUMN CONSTRAINT CREATE CROSS DATABASE DEFAULT DELETE DESC DISTINCT DROP ' +
    'ELSE EXISTS FOREIGN FROM GROUP HAVING IF IN INDEX INSERT INTO IS JOIN KEY KEYS LEFT LIKE LIMIT LOCK NOT NULL ON OR ORDER PRIMARY ' +
    'REFERENCES REPLACE RIGHT SELECT SET TABLE THEN TO UNION UNIQUE UPDATE USE USING VALUES WHEN WHERE WITH'
  ).split(' '),
);

export class Reader {
  private peeked: Token | null = null;

  *next(): Step<Token> {
    if (this.peeked) {
      const t = this.peeked;
      this.peeked = null;
      return t;
    }
    return (yield) as Token;
  }

  *peek(): Step<Token> {
    this.peeked ??= (yield) as Token;
    return this.peeked;
  }

  /** Consumes the next token if it is one of these words; returns which (or null). */
  *accept(...words: string[]): Step<string | null> {
    const t = yield* this.peek();
    if (t.k === K.Word && words.includes(t.upper)) {
      this.peeked = null;
      return t.upper;
    }
    return null;
  }

  *acceptPunct(p: string): Step<boolean> {
    const t = yield* this.peek();
    if (t.k === K.Punct && t.text === p) {
      this.peeked = null;
      return true;
    }
    return false;
  }

  *expect(...words: string[]): Step<string> {
    const t = yield* this.next();
    if (t.k !== K.Word || !words.includes(t.upper)) fail(t, words.length === 1 ? words[0]! : `one of ${words.join(', ')}`);
    return t.upper;
  }

  *expectPunct(p: string): Step<Token> {
    const t = yield* this.next();
    if (t.k !== K.Punct || t.text !== p) fail(t, `"${p}"`);
    return t;
  }

  *end(): Step {
    const t = yield* this.next();
    if (t.k !== K.Delim) fail(t, 'the end of the statement');
  }

  /** A name: a quoted identifier or an unquoted word that is not reserved. */
  *name(what = 'a name'): Step<Token> {
    const t = yield* this.next();
    if (t.k === K.Ident || (t.k === K.Word && !RESERVED.has(t.upper))) return t;
    return fail(t, what);
  }

  /** `name` or `db`.`name`. */
  *qualified(what = 'a name'): Step<{ db: string | null; name: string; token: Token }> {
    const first = yield* this.name(what);
    if (yield* this.acceptPunct('.')) {
      const second = yield* this.name(what);
      return { db: first.text, name: second.text, token: second };
    }
    return { db: null, name: first.text, token: first };
  }

  /**
   * The tokens of a parenthesised group whose `(` was just read, up to its `)`, each passed to
   * `visit` with its depth (1 inside this group). Nested parentheses must balance.
   */
  *group(visit?: (t: Token, depth: number) => void): Step<Token> {
    let depth = 1;
    for (;;) {
      const t = yield* this.next();
      if (t.k === K.Delim) fail(t, '")" closing the parenthesis');
      if (t.k === K.Punct && t.text === '(') depth++;
      else if (t.k === K.Punct && t.text === ')' && --depth === 0) return t;
      visit?.(t, depth);
    }
  }
}

export function isWord(t: Token, ...words: string[]): boolean {
  return t.k === K.Word && words.includes(t.upper);
}

export function isPunct(t: Token, p: string): boolean {
  return t.k === K.Punct && t.text === p;
}
