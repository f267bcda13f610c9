/** Text normalization shared by indexing, querying and answer checks. */

const ZERO_WIDTH = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;
const APOSTROPHES = /[’‘ʼ`´′]/g;

const NO_BREAK_SPACES = /[\u00A0\u202F\u2007]/g;
/** Any character one of the replacements below changes. */
const TO_REPLACE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD’‘ʼ`´′\u00A0\u202F\u2007]/;

/** NFC, one apostrophe, no zero-width or bidi control characters, no-break spaces as spaces. */
export function normalizeText(text: string): string {
  const nfc = text.normalize('NFC');
  // Texts are normalized when loaded, and again where they are read (indexing, answer
  // typing): one scan tells that there is nothing to replace, instead of three.
  if (!TO_REPLACE.test(nfc)) return nfc;
  return nfc.replace(ZERO_WIDTH, '').replace(APOSTROPHES, "'").replace(NO_BREAK_SPACES, ' ');
}

/** Lowercase without diacritics: users type "retablie" as often as "rétablie". */
export function fold(text: string): string {
  // Per character, as NFD then mark removal would treat it in the whole text (marks are all
  // dropped, so their order does not matter): normalizing whole paragraphs was most of the
  // cost of reading a candidate passage. Final sigma needs its word: the slow way.
  if (text.includes('Σ')) return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return text.replace(NON_ASCII, foldChar).toLowerCase();
}

const NON_ASCII = /[^\x00-\x7f]/gu;
const foldedChars = new Map<string, string>();
function foldChar(c: string): string {
  let f = foldedChars.get(c);
  if (f === undefined) {
    f = c.normalize('NFD').replace(/\p{M}/gu, '');
    if (foldedChars.size < 65_536) foldedChars.set(c, f);
  }
  return f;
}

export function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
