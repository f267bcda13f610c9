import type { Lang } from './lang.js';
import { fold, normalizeText } from './normalize.js';
import { isStopword } from './stopwords.js';
import { stem } from './stemmers.js';

/** One indexable word: `key` is what the index stores, `surface` what the text said. */
export interface Token {
  key: string;
  surface: string;
  /** The word itself, lowercase, without elision or clitic ("l'Article" → "article"). */
  word: string;
  start: number;
  end: number;
}

// Letters and digits, with inner apostrophes kept so elisions can be split below.
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
const FR_ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'(.+)$/;
const EN_CLITIC = /'(?:s|re|ve|ll|d|t|m)$/;

/**
 * Reduce a stem to its derivational family, so that bloquée / blocage / bloquer meet
 * (bloqu- and blocag- become bloc-) and unaccented input stems like accented input.
 */
export function family(stemmed: string): string {
  let s = stemmed;
  if (s.length > 4 && s.endsWith('e')) s = s.slice(0, -1);
  if (s.length > 5 && s.endsWith('eag')) s = s.slice(0, -3);
  else if (s.length > 4 && s.endsWith('ag')) s = s.slice(0, -2);
  if (s.length > 4 && s.endsWith('qu')) s = s.slice(0, -2) + 'c';
  else if (s.length > 4 && s.endsWith('gu')) s = s.slice(0, -1);
  return s;
}

/** A word without its elision ("l'", "qu'") or clitic ("'s"), lowercase. */
export function bareWord(word: string): string {
  let w = word.toLowerCase();
  const elided = FR_ELISION.exec(w);
  if (elided?.[1]) w = elided[1];
  w = w.replace(EN_CLITIC, '');
  if (w.includes("'")) w = w.slice(w.lastIndexOf("'") + 1);
  return w;
}

/**
 * Words repeat (a corpus of 10,000 articles has millions of words but about a hundred thousand
 * distinct ones), and stemming is the costly part of indexing: remember each word's key.
 */
const KEY_MEMO_MAX = 200_000;
const keyMemo: Record<Lang, Map<string, string | null>> = { fr: new Map(), en: new Map() };

/** The index key of one word, or null for a function word. */
export function keyOf(word: string, lang: Lang): string | null {
  const memo = keyMemo[lang];
  let key = memo.get(word);
  if (key === undefined) {
    key = computeKey(word, lang);
    if (memo.size >= KEY_MEMO_MAX) memo.clear(); // bounded: a flood of odd words cannot grow it
    memo.set(word, key);
  }
  return key;
}

function computeKey(word: string, lang: Lang): string | null {
  const w = bareWord(word);
  if (!w) return null;
  if (isStopword(w, lang)) return null;
  if (/\d/.test(w)) return fold(w).replace(/^0+(?=\d)/, '');
  if (w.length === 1) return null;
  return family(fold(stem(w, lang)));
}

/** Words of a text with their positions; hyphenated words split ("a-t-elle"). */
export function words(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  const norm = normalizeText(text);
  for (const m of norm.matchAll(WORD)) {
    out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export function analyze(text: string, lang: Lang): Token[] {
  const tokens: Token[] = [];
  for (const w of words(text)) {
    const key = keyOf(w.word, lang);
    if (key) tokens.push({ key, surface: w.word, word: bareWord(w.word), start: w.start, end: w.end });
  }
  return tokens;
}

/**
 * The keys of a text and where each starts, without building a token object per word:
 * indexing calls this for every paragraph of the corpus.
 */
export function forEachKey(text: string, lang: Lang, visit: (key: string, start: number) => void): void {
  forEachWord(text, (word, start) => {
    const key = keyOf(word, lang);
    if (key) visit(key, start);
  });
}

/** The words of a text as the analyzer cuts them, and where each starts (in the normalized text). */
export function forEachWord(text: string, visit: (word: string, start: number) => void): void {
  const norm = normalizeText(text);
  WORD.lastIndex = 0;
  for (let m = WORD.exec(norm); m; m = WORD.exec(norm)) visit(m[0], m.index);
}

/** FNV-1a over UTF-16 code units: a key's (or word's) hash, computed once for all segments. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Per UTF-16 code unit: 0 not yet known, 1 a letter or digit, 2 neither. */
const charClass = new Uint8Array(0x10000);
function isWordChar(c: number): boolean {
  let k = charClass[c]!;
  if (k === 0) charClass[c] = k = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}
const APOSTROPHE = 39;

/**
 * A number per distinct word (its key's, in src/search/segment.ts), found without cutting each
 * word out of the text: the words are cut as forEachWord cuts them, hashed as they are
 * scanned, and looked up in an open-addressing table, so a word seen before costs no string
 * and no Map lookup (those were a fifth of a segment's indexing). `resolve` is called once
 * per distinct word; words it gives a negative number (function words) are not visited.
 */
export class WordTable {
  /**
   * Per slot, four numbers: the word's hash, where its characters start in `chars`, its
   * length and its value; a length of 0 marks an empty slot. A lookup reads one slot and the
   * word's characters (two places in memory, where separate arrays took four). Powers of
   * two, at most half full.
   */
  private slots = new Int32Array(4 << 12);
  private count = 0;
  private chars = new Uint16Array(1 << 15);
  private used = 0;

  constructor(private readonly resolve: (word: string) => number) {}

  forEach(text: string, visit: (value: number, start: number) => void): void {
    const norm = normalizeText(text);
    const n = norm.length;
    for (let i = 0; i < n; i++) {
      const c = norm.charCodeAt(i);
      // Surrogate pairs (letters outside the BMP are rare): the regular expression's way.
      if (c >= 0xd800 && c <= 0xdfff) return this.forEachSlowly(norm, i, visit);
      if (!isWordChar(c)) continue;
      const start = i;
      // hashKey of the word, computed as it is scanned.
      let h = 0x811c9dc5;
      // Never past the end: reading a string out of bounds sends V8's optimized code back.
      while (i < n) {
        const d = norm.charCodeAt(i);
        if (d >= 0xd800 && d <= 0xdfff) return this.forEachSlowly(norm, start, visit);
        if (isWordChar(d)) {
          h = Math.imul(h ^ d, 0x01000193);
          i++;
        } else if (d === APOSTROPHE && i + 1 < n) {
          const e = norm.charCodeAt(i + 1);
          if (e >= 0xd800 && e <= 0xdfff) return this.forEachSlowly(norm, start, visit);
          if (!isWordChar(e)) break;
          h = Math.imul(h ^ d, 0x01000193);
          i++;
        } else break;
      }
      const value = this.valueAt(norm, start, i, h | 0);
      if (value >= 0) visit(value, start);
    }
  }

  /** From `from` on, with the regular expression (forEachWord's cut, on an already normalized text). */
  private forEachSlowly(norm: string, from: number, visit: (value: number, start: number) => void): void {
    const re = new RegExp(WORD.source, 'gu');
    re.lastIndex = from;
    for (let m = re.exec(norm); m; m = re.exec(norm)) {
      const word = m[0];
      const value = this.valueAt(word, 0, word.length, hashKey(word));
      if (value >= 0) visit(value, m.index);
    }
  }

  private valueAt(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const chars = this.chars;
    const mask = (slots.length >> 2) - 1;
    const length = end - start;
    let at = hash & mask;
    for (let stored = slots[4 * at + 2]!; stored !== 0; at = (at + 1) & mask, stored = slots[4 * at + 2]!) {
      if (slots[4 * at] !== hash || stored !== length) continue;
      const from = slots[4 * at + 1]!;
      let k = 0;
      while (k < length && chars[from + k] === text.charCodeAt(start + k)) k++;
      if (k === length) return slots[4 * at + 3]!;
    }
    const word = text.slice(start, end);
    const value = this.resolve(word);
    this.add(word, value, hash, at);
    return value;
  }

  private add(word: string, value: number, hash: number, at: number): void {
    const from = this.used;
    if (from + word.length > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, from + word.length));
      chars.set(this.chars);
      this.chars = chars;
    }
    for (let k = 0; k < word.length; k++) this.chars[from + k] = word.charCodeAt(k);
    this.used = from + word.length;
    const slots = this.slots;
    slots[4 * at] = hash;
    slots[4 * at + 1] = from;
    slots[4 * at + 2] = word.length;
    slots[4 * at + 3] = value;
    if (++this.count * 2 > slots.length >> 2) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 2) - 1;
    for (let s = 0; s < old.length; s += 4) {
      if (old[s + 2] === 0) continue;
      let at = old[s]! & mask;
      while (slots[4 * at + 2] !== 0) at = (at + 1) & mask;
      slots.set(old.subarray(s, s + 4), 4 * at);
    }
    this.slots = slots;
  }
}

export function keys(text: string, lang: Lang): string[] {
  return analyze(text, lang).map((t) => t.key);
}
