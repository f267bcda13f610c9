import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, family, forEachWord, keyOf, keys, WordTable } from '../../src/language/analyzer.js';

describe('analyzer', () => {
  it('splits French elisions with either apostrophe', () => {
    expect(keys("l'ANRT", 'fr')).toEqual(['anrt']);
    expect(keys('l’ANRT', 'fr')).toEqual(['anrt']);
    expect(keys("d'Internet", 'fr')).toEqual(keys('Internet', 'fr'));
    expect(keys("qu'il rétablissent", 'fr')).toEqual(keys('rétablissent', 'fr'));
  });

  it('drops English possessives and clitics', () => {
    expect(keys("Morocco's regulator", 'en')).toEqual(keys('Morocco regulator', 'en'));
  });

  it('keeps numbers and codes whole', () => {
    expect(keys('320 millions', 'fr')).toContain('320');
    expect(keys('la COP22 à Marrakech', 'fr')).toContain('cop22');
    expect(keys('Jeudi 3 novembre', 'fr')).toContain('3');
  });

  it('matches accented and unaccented spellings', () => {
    expect(keys('rétablie', 'fr')).toEqual(keys('retablie', 'fr'));
    expect(keys('bloquée', 'fr')).toEqual(keys('bloquee', 'fr'));
    expect(keys('télécoms', 'fr')).toEqual(keys('telecoms', 'fr'));
  });

  it('brings derivations of one word to one key', () => {
    const block = keyOf('bloquée', 'fr');
    expect(keyOf('blocage', 'fr')).toBe(block);
    expect(keyOf('bloquer', 'fr')).toBe(block);
    expect(keyOf('bloqués', 'fr')).toBe(block);
    expect(keyOf('déblocage', 'fr')).toBe(keyOf('débloquer', 'fr'));
    expect(keyOf('rétablie', 'fr')).toBe(keyOf('rétablissement', 'fr'));
    expect(keyOf('limogeage', 'fr')).toBe(keyOf('limogé', 'fr'));
    expect(keyOf('blocked', 'en')).toBe(keyOf('blocking', 'en'));
  });

  it('keeps opposite words apart: unblocking is not blocking', () => {
    expect(keyOf('déblocage', 'fr')).not.toBe(keyOf('blocage', 'fr'));
  });

  it('drops function words and splits hyphenated inversions', () => {
    expect(keys('a-t-elle été', 'fr')).toEqual([]);
    expect(keys('Pourquoi la VoIP a-t-elle été bloquée ?', 'fr')).toEqual(['voip', keyOf('bloquée', 'fr')]);
    expect(keys('Why was it blocked?', 'en')).toEqual(['block']);
  });

  it('reports positions of the words in the text', () => {
    const [token] = analyze("  l'ANRT", 'fr');
    expect(token).toMatchObject({ key: 'anrt', surface: "l'ANRT", start: 2, end: 8 });
  });

  it('treats query syntax as plain characters', () => {
    expect(keys('a:b c^ x~ hello - * +x', 'en')).toEqual(['hello']);
    expect(keys('', 'fr')).toEqual([]);
    expect(keys('🙂 @everyone <@123>', 'en')).toEqual(['everyon', '123']);
  });

  it('reduces stems to families without shortening short words', () => {
    expect(family('blocag')).toBe('bloc');
    expect(family('bloqu')).toBe('bloc');
    expect(family('pag')).toBe('pag');
  });
});

describe('WordTable', () => {
  // Its words must be forEachWord's, at the same places, each distinct word resolved once.
  const check = (texts: string[]) => {
    const seen: string[] = [];
    const table = new WordTable((word) => {
      seen.push(word);
      return word.length % 4 === 0 ? -1 : seen.length - 1;
    });
    for (const text of texts) {
      const expected: string[] = [];
      forEachWord(text, (word, start) => {
        if (word.length % 4 !== 0) expected.push(`${word}@${start}`);
      });
      const got: string[] = [];
      table.forEach(text, (value, start) => got.push(`${seen[value]}@${start}`));
      expect(got).toEqual(expected);
    }
    expect(new Set(seen).size).toBe(seen.length);
  };

  it('cuts an article as forEachWord does', () => {
    check([readFileSync('corpus/voip-maroc-2016.md', 'utf8'), readFileSync('corpus/voip-maroc-2016.en.md', 'utf8')]);
  });

  it('cuts random mixes of letters, digits, apostrophes, marks and astral characters as forEachWord does', () => {
    const alphabet = ['a', 'é', 'Z', '1', "'", '’', ' ', '-', '.', '\u00a0', '\u200b', '𝐀', '😀', '\ud800', 'ß', 'ǅ', '\u0301', 'ﬁ', '٣', '中'];
    let seed = 7;
    const pick = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    check(Array.from({ length: 5000 }, () => Array.from({ length: pick(30) }, () => alphabet[pick(alphabet.length)]).join('')));
  });
});
