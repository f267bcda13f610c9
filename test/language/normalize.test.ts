import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fold, normalizeText } from '../../src/language/normalize.js';

// The definition fold() must keep: NFD, every combining mark dropped, lowercase.
const byDefinition = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

describe('fold', () => {
  it('lowercases and drops diacritics, as users type', () => {
    expect(fold('Rétablie À Rabat, ÉTÉ 2016')).toBe('retablie a rabat, ete 2016');
    expect(fold('Œuvre naïve ç')).toBe('œuvre naive c');
  });

  it('gives what its definition gives for every character, alone and inside words', () => {
    const differing: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      for (const text of [ch, `Ab${ch}Cd ${ch}${ch}`]) if (fold(text) !== byDefinition(text)) differing.push(text);
    }
    expect(differing).toEqual([]);
  });

  it('handles decomposed input, lone marks, astral characters and the Greek final sigma', () => {
    for (const text of ['e\u0301te\u0301', '\u0301\u0327abc', `x${String.fromCodePoint(0x1d15e)}y${String.fromCodePoint(0x1f600)}`, 'ΟΔΟΣ ΚΑΙ Σ.', 'İstanbul ǅ ﬁ ẞ', '\ud800 seul']) {
      expect(fold(text)).toBe(byDefinition(text));
    }
  });
});

describe('normalizeText', () => {
  // The definition normalizeText() must keep: NFC, then the three replacements, in order.
  const normalizedByDefinition = (text: string) =>
    text
      .normalize('NFC')
      .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g, '')
      .replace(/[’‘ʼ`´′]/g, "'")
      .replace(/[\u00A0\u202F\u2007]/g, ' ');

  it('gives what its definition gives, with and without characters to replace', () => {
    const special = ['\u200B', '\u200F', '\u202A', '\u2060', '\u2066', '\uFEFF', '\u00AD', '’', '‘', 'ʼ', '`', '´', '′', '\u00A0', '\u202F', '\u2007', 'e\u0301', 'é', 'a', ' ', "'"];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...special), fc.string({ maxLength: 3 })), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(normalizeText(text)).toBe(normalizedByDefinition(text));
      }),
    );
    expect(normalizeText('l’ANRT\u00A0a rétabli')).toBe("l'ANRT a rétabli");
    expect(normalizeText('déjà normal')).toBe('déjà normal');
  });
});
