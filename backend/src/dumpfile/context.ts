// What the statement grammars share: the parser's state and hooks, and clauses several statements
// read. Kept apart from statements.ts so the grammars of tables and routines can use them without
// importing the statement dispatcher that imports them.
import type { Reader, Step } from './reader.js';
import type { Session } from './session.js';
import type { GrammarError } from './tokens.js';

export interface ParserHooks {
  /** The head of an INSERT is read: its rows follow, `arity` values each (-1: as the first). */
  startRows(arity: number): void;
  problem(e: GrammarError, table: string | null): void;
}

export interface Context {
  r: Reader;
  session: Session;
  hooks: ParserHooks;
}

export function* ifNotExists(r: Reader): Step<boolean> {
  if (!(yield* r.accept('IF'))) return false;
  yield* r.expect('NOT');
  yield* r.expect('EXISTS');
  return true;
}
