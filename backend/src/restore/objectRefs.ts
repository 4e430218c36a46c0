// Views, triggers, routines and events carry SQL written against the source database: a trigger
// that inserts into `shop`.`audit` would, restored as shop_restored, write into production. This
// renames every qualified reference to a loaded database (`shop`.x, shop.x) in such a statement,
// and restores events DISABLED so that a copy never starts running jobs of its own.
//
// Hand-written: it needs only a lexer (quotes, comments, executable comments, words), and the
// bytes it does not rename must reach the server exactly as dumped.

export interface ObjectRewrite {
  /** The statement to send: the input itself when nothing changed. */
  text: string;
  /** Loaded databases whose references were renamed. */
  renamed: string[];
  /** Databases of the backup that are named here but not loaded (left as they are). */
  foreign: string[];
}

interface Word {
  start: number;
  end: number;
  /** The identifier (unquoted) or the bare word as written. */
  value: string;
  quoted: boolean;
}

const WORD_CHAR = /[\w$\u0080-\uffff]/;

function quote(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** Where the quoted string or identifier opened at `i` ends (the index after its closing quote). */
function skipQuoted(text: string, i: number): number {
  const q = text[i]!;
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\\' && q !== '`') j += 2;
    else if (c === q && text[j + 1] === q) j += 2;
    else if (c === q) return j + 1;
    else j++;
  }
  return j;
}

/**
 * The words and identifiers of a statement, outside strings and comments. Executable comments
 * (`/*!50003 … *\/`, `/*M!100101 … *\/`) are SQL: their markers are skipped, their content read.
 */
function words(text: string): { words: Word[]; dotAfter: Set<number> } {
  const out: Word[] = [];
  const dotAfter = new Set<number>();
  // Only whitespace and comments since the last word: a dot now qualifies it (`shop /* x */ .t`).
  let adjacent = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      i = skipQuoted(text, i);
      adjacent = false;
    } else if (c === '`') {
      const end = skipQuoted(text, i);
      out.push({ start: i, end, value: text.slice(i + 1, end - 1).replace(/``/g, '`'), quoted: true });
      i = end;
      adjacent = true;
    } else if (c === '/' && text[i + 1] === '*') {
      const exec = /^\/\*M?!\d*/.exec(text.slice(i, i + 12));
      if (exec) i += exec[0].length;
      else {
        const close = text.indexOf('*/', i + 2);
        i = close === -1 ? n : close + 2;
      }
    } else if (c === '*' && text[i + 1] === '/') i += 2; // the end of an executable comment
    else if ((c === '-' && text[i + 1] === '-' && /\s/.test(text[i + 2] ?? ' ')) || c === '#') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < n && WORD_CHAR.test(text[j]!)) j++;
      out.push({ start: i, end: j, value: text.slice(i, j), quoted: false });
      i = j;
      adjacent = true;
    } else {
      if (c === '.' && adjacent) dotAfter.add(out.length - 1);
      if (!/\s/.test(c)) adjacent = false;
      i++;
    }
  }
  return { words: out, dotAfter };
}

/**
 * Renames the qualified references to loaded databases in one CREATE VIEW / TRIGGER / PROCEDURE /
 * FUNCTION / EVENT statement, and turns an event's ENABLE into DISABLE.
 */
export function rewriteObject(statement: string, kind: 'view' | 'trigger' | 'procedure' | 'function' | 'event', loaded: ReadonlyMap<string, string>, backupDatabases: readonly string[]): ObjectRewrite {
  const { words: ws, dotAfter } = words(statement);
  const edits: { start: number; end: number; text: string }[] = [];
  const renamed = new Set<string>();
  const foreign = new Set<string>();
  ws.forEach((w, k) => {
    if (!dotAfter.has(k)) return;
    const target = loaded.get(w.value);
    if (target !== undefined) {
      edits.push({ start: w.start, end: w.end, text: quote(target) });
      renamed.add(w.value);
    } else if (backupDatabases.includes(w.value)) foreign.add(w.value);
  });
  if (kind === 'event') {
    // The schedule's status comes before DO (SHOW CREATE EVENT always writes it); after DO is the body.
    const doAt = ws.findIndex((w) => !w.quoted && w.value.toUpperCase() === 'DO');
    const status = ws.slice(0, doAt === -1 ? ws.length : doAt).find((w) => !w.quoted && w.value.toUpperCase() === 'ENABLE');
    if (status) edits.push({ start: status.start, end: status.end, text: 'DISABLE' });
    else if (doAt !== -1 && !ws.slice(0, doAt).some((w) => !w.quoted && w.value.toUpperCase() === 'DISABLE')) {
      edits.push({ start: ws[doAt]!.start, end: ws[doAt]!.start, text: 'DISABLE ' });
    }
  }
  let text = statement;
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return { text, renamed: [...renamed], foreign: [...foreign] };
}
