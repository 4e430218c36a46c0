// Tokens of the statements around the rows (everything but INSERT tuples, which the validator's
// fast path reads without making tokens), and the errors the grammar raises.

export const enum K {
  /** An unquoted word: keyword or identifier. */
  Word,
  /** A backtick-quoted identifier (or double-quoted under ANSI_QUOTES); text unescaped. */
  Ident,
  /** A quoted string; text as written between the quotes (escapes kept), at most TEXT_LIMIT bytes. */
  Str,
  Num,
  /** 0x… or X'…' */
  Hex,
  /** 0b… or b'…' */
  Bits,
  /** @name */
  Var,
  /** @@name, @@session.name, @@global.name (text without the @@) */
  SysVar,
  /** Punctuation and operators: ( ) , . ; = <= := … */
  Punct,
  /** The statement delimiter (`;` or what DELIMITER set). */
  Delim,
}

export interface Token {
  k: K;
  /** Text of the token (see K); for Word also in `upper`. */
  text: string;
  upper: string;
  /** Byte offset of the token in the stream. */
  at: number;
}

export const TEXT_LIMIT = 4096;

/** A statement that breaks the grammar: where, what the grammar wanted and what was there. */
export class GrammarError extends Error {
  constructor(
    readonly at: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`byte ${at}: expected ${expected}, found ${found}`);
  }
}

export function describe(t: Token): string {
  switch (t.k) {
    case K.Delim:
      return 'the end of the statement';
    case K.Str:
      return `'${clip(t.text)}'`;
    case K.Ident:
      return `\`${clip(t.text)}\``;
    case K.Var:
      return `@${clip(t.text)}`;
    case K.SysVar:
      return `@@${clip(t.text)}`;
    default:
      return `"${clip(t.text)}"`;
  }
}

export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Byte classes for the lexer and the rows' fast path. */
export const WORD = 1; // may continue an unquoted word: letters, digits, _, $, bytes ≥ 0x80
export const DIGIT = 2;
export const HEXDIGIT = 4;
export const SPACE = 8; // space, tab, CR, LF
export const WORD_START = 16;

export const CLASS: Uint8Array = (() => {
  const c = new Uint8Array(256);
  for (let b = 0x30; b <= 0x39; b++) c[b]! |= WORD | DIGIT | HEXDIGIT;
  for (let b = 0x41; b <= 0x5a; b++) c[b]! |= WORD | WORD_START;
  for (let b = 0x61; b <= 0x7a; b++) c[b]! |= WORD | WORD_START;
  for (let b = 0x41; b <= 0x46; b++) c[b]! |= HEXDIGIT;
  for (let b = 0x61; b <= 0x66; b++) c[b]! |= HEXDIGIT;
  for (let b = 0x80; b <= 0xff; b++) c[b]! |= WORD | WORD_START;
  for (const b of [0x5f, 0x24]) c[b]! |= WORD | WORD_START; // _ $
  for (const b of [0x20, 0x09, 0x0d, 0x0a]) c[b]! |= SPACE;
  return c;
})();
