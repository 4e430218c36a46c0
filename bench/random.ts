// Deterministic pseudo-random values for the dataset: the same seed gives the same bytes on every
// machine, so runs are comparable without caching anything between them.

export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for test data; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit seed from a string (FNV-1a), so each table draws from its own stream. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
export const chance = (rng: Rng, p: number): boolean => rng() < p;

/** Pseudo-random bytes (incompressible, like the images and archives real BLOB columns hold). */
export function bytes(rng: Rng, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length + 3);
  for (let i = 0; i < length; i += 4) buf.writeUInt32LE((rng() * 4294967296) >>> 0, i);
  return buf.subarray(0, length);
}

const CONSONANTS = [...'bcdfghjklmnprstvwz'];
const VOWELS = [...'aeiou'];
const ACCENTED = [...'éèêëáàâäóöôúüûíïñçåø'];
const CYRILLIC = [...'абвгдежзиклмнопрстуфхцчшщыэюя'];
const EMOJI = ['😀', '😂', '🥲', '😍', '🤔', '👍', '🙏', '🎉', '🚀', '🔥', '✨', '❤️', '🍕', '☕', '🌍', '📦', '✅', '⚠️', '🐛', '💡'];
// The first 3000 CJK unified ideographs hold the common characters of Chinese and Japanese.
const CJK_FIRST = 0x4e00;
const CJK_SPAN = 3000;

/**
 * Words and sentences with the statistics of real text: a few thousand distinct words used with
 * a Zipf-like skew, mostly Latin (some accented), some CJK, Cyrillic and emoji. It compresses
 * like prose does, not like a repeated string.
 */
export class TextGen {
  private readonly words: string[];

  constructor(
    private readonly rng: Rng,
    vocabulary = 6000,
  ) {
    this.words = Array.from({ length: vocabulary }, () => this.newWord());
  }

  private latinWord(accents: boolean): string {
    let w = '';
    const syllables = int(this.rng, 1, 4);
    for (let i = 0; i < syllables; i++) {
      w += pick(this.rng, CONSONANTS) + (accents && chance(this.rng, 0.3) ? pick(this.rng, ACCENTED) : pick(this.rng, VOWELS));
    }
    return chance(this.rng, 0.3) ? w + pick(this.rng, CONSONANTS) : w;
  }

  private cjk(chars: number): string {
    let w = '';
    for (let i = 0; i < chars; i++) w += String.fromCodePoint(CJK_FIRST + int(this.rng, 0, CJK_SPAN - 1));
    return w;
  }

  private newWord(): string {
    const r = this.rng();
    if (r < 0.62) return this.latinWord(false);
    if (r < 0.8) return this.latinWord(true);
    if (r < 0.92) return this.cjk(int(this.rng, 1, 3));
    if (r < 0.97) return Array.from({ length: int(this.rng, 3, 9) }, () => pick(this.rng, CYRILLIC)).join('');
    return pick(this.rng, EMOJI);
  }

  /** P(rank k) ~ 1/k: rank = floor((n+1)^u) - 1 with u uniform. */
  word(): string {
    return this.words[Math.floor(Math.pow(this.words.length + 1, this.rng())) - 1]!;
  }

  phrase(n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.word());
    return out.join(' ');
  }

  sentence(minWords = 5, maxWords = 18): string {
    const s = this.phrase(int(this.rng, minWords, maxWords));
    return s.charAt(0).toUpperCase() + s.slice(1) + pick(this.rng, ['.', '.', '.', '!', '?', '…']);
  }

  /** Sentences separated by spaces, with a blank line between paragraphs. */
  text(sentences: number): string {
    const parts: string[] = [];
    for (let i = 0; i < sentences; i++) {
      parts.push(this.sentence());
      if (i < sentences - 1) parts.push(chance(this.rng, 0.15) ? '\n\n' : ' ');
    }
    return parts.join('');
  }

  /** A plain ASCII word, for e-mail addresses, file names and the like. */
  ascii(): string {
    return this.latinWord(false);
  }

  /** A person's name: Latin (often accented) or CJK. */
  name(): string {
    if (chance(this.rng, 0.2)) return this.cjk(int(this.rng, 2, 3));
    const part = () => {
      const w = this.latinWord(chance(this.rng, 0.4));
      return w.charAt(0).toUpperCase() + w.slice(1);
    };
    return `${part()} ${part()}`;
  }
}
