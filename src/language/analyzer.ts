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

export function keys(text: string, lang: Lang): string[] {
  return analyze(text, lang).map((t) => t.key);
}
