import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { keyOf } from '../../src/language/analyzer.js';
import { defaultLexicon, Lexicon, type LexiconData } from '../../src/language/lexicon.js';

const data = createRequire(import.meta.url)('../../src/language/lexicon.en-fr.json') as LexiconData;

describe('bilingual lexicon', () => {
  it('gives every concept words in both languages', () => {
    for (const c of data.concepts) {
      expect(c.en.length, JSON.stringify(c)).toBeGreaterThan(0);
      expect(c.fr.length, JSON.stringify(c)).toBeGreaterThan(0);
    }
  });

  it('translates any inflection of an English word into French index keys', () => {
    const lexicon = defaultLexicon();
    for (const [en, fr] of [['blocked', 'blocage'], ['restored', 'rétablissement'], ['calls', 'appels'], ['licenses', 'licences'], ['fired', 'limogeage'], ['regulator', 'régulation']] as const) {
      const related = lexicon.related(keyOf(en, 'en')!, 'en');
      expect([...related.translations], `${en} → ${fr}`).toContain(keyOf(fr, 'fr'));
    }
  });

  it('translates French words into English keys the same way', () => {
    const related = defaultLexicon().related(keyOf('bloquée', 'fr')!, 'fr');
    expect([...related.translations]).toContain(keyOf('ban', 'en'));
    expect([...related.synonyms]).toContain(keyOf('interdiction', 'fr'));
  });

  it('knows the feminine and plural of French words the stemmer treats apart', () => {
    const lexicon = new Lexicon({ concepts: [{ en: ['banned'], fr: ['interdit'] }] });
    expect([...lexicon.related(keyOf('banned', 'en')!, 'en').translations]).toContain(keyOf('interdite', 'fr'));
    expect([...lexicon.related(keyOf('banned', 'en')!, 'en').translations]).toContain(keyOf('interdit', 'fr'));
  });

  it('keeps multi-word entries as phrases', () => {
    const lexicon = new Lexicon({ concepts: [{ en: ['loss', 'shortfall'], fr: ['perte', 'manque à gagner'] }] });
    expect(lexicon.phrases('fr').map((p) => p.keys)).toEqual([[keyOf('manque', 'fr'), keyOf('gagner', 'fr')]]);
    const concept = lexicon.phrases('fr')[0]!.concept;
    expect([...lexicon.relatedToConcept(concept, 'fr').translations]).toEqual([keyOf('loss', 'en'), keyOf('shortfall', 'en')]);
  });

  it('knows nothing of words outside its concepts', () => {
    const related = defaultLexicon().related('zzzz', 'en');
    expect(related.synonyms.size + related.translations.size).toBe(0);
  });

  it('reads back from its compiled keys exactly what analyzing its words gives', () => {
    const built = new Lexicon(data);
    const compiled = JSON.parse(JSON.stringify(built.compiled()));
    const read = new Lexicon(data, compiled);
    for (const lang of ['fr', 'en'] as const) {
      expect(read.phrases(lang)).toEqual(built.phrases(lang));
      for (const concept of data.concepts) {
        for (const word of concept[lang]) {
          const key = keyOf(word, lang);
          if (!key) continue;
          expect(read.related(key, lang)).toEqual(built.related(key, lang));
          expect(read.has(key, lang)).toBe(built.has(key, lang));
        }
      }
    }
  });
});
