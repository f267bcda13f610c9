import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { answerLanguage } from '../../src/eval/checks.js';
import { summarize, SUMMARY_MAX_CHARS, SUMMARY_MIN_CHARS } from '../../src/summary/extractive.js';
import { shippedEngine } from '../helpers.js';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

describe('extractive summary', () => {
  it.each(['fr', 'en'] as const)('summarizes the article in %s within 200–1500 characters, with its sources', (lang) => {
    const s = engine.summary({ lang });
    expect(s).toMatchObject({ article: 'voip-maroc-2016', lang, mode: 'extractive', published: '2016-11-03', source: 'HuffPost Maroc' });
    expect(s.summary.length).toBeGreaterThanOrEqual(SUMMARY_MIN_CHARS);
    expect(s.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(answerLanguage(s.summary)).toBe(lang);
    expect(s.sources.length).toBeGreaterThanOrEqual(2);
    for (const src of s.sources) expect(src.article).toBe('voip-maroc-2016');
  });

  it('covers what, when, who and why: VoIP, the restoration, COP22, the ANRT, the ban since January, the licences', () => {
    const fr = engine.summary({ lang: 'fr' }).summary;
    for (const needle of ['VoIP', 'rétabli', 'COP22', 'ANRT', 'janvier', 'licences']) expect(fr).toContain(needle);
    const en = engine.summary({ lang: 'en' }).summary;
    for (const needle of ['VoIP', 'restored', 'COP22', 'ANRT', 'January', 'licences']) expect(en).toContain(needle);
  });

  it('keeps sentences in article order and gives relative dates their year', () => {
    const s = engine.summary({ lang: 'fr' });
    const paragraphs = s.sources.map((x) => x.paragraph);
    expect([...paragraphs].sort((a, b) => a - b)).toEqual(paragraphs);
    expect(s.summary).toContain('3 novembre 2016');
    expect(s.summary).not.toContain('TÉLÉPHONIE -');
  });

  it('falls back to the article language when no translation exists, and says so', () => {
    const article = { ...engine.articles[0]!, translations: {} };
    const s = summarize(article, 'en');
    expect(s.lang).toBe('fr');
    expect(s.note).toMatch(/No English translation/);
  });

  it('names an unknown article in the error', () => {
    expect(() => engine.summary({ article: 'nope', lang: 'en' })).toThrow(/nope/);
  });
});
