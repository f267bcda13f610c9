/** Text normalization shared by indexing, querying and answer checks. */

const ZERO_WIDTH = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;
const APOSTROPHES = /[’‘ʼ`´′]/g;

/** NFC, one apostrophe, no zero-width or bidi control characters, no-break spaces as spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(ZERO_WIDTH, '')
    .replace(APOSTROPHES, "'")
    .replace(/[\u00A0\u202F\u2007]/g, ' ');
}

/** Lowercase without diacritics: users type "retablie" as often as "rétablie". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
