import { describe, expect, it } from 'vitest';
import { keyOf } from '../../src/language/analyzer.js';
import { defaultLexicon } from '../../src/language/lexicon.js';
import { MAX_QUESTION_CHARS, planQuery } from '../../src/search/query.js';

const lexicon = defaultLexicon();

describe('planQuery', () => {
  it('builds terms from the question language, with synonyms and translations', () => {
    const plan = planQuery('Pourquoi la VoIP a-t-elle été bloquée ?', lexicon);
    expect(plan.lang).toBe('fr');
    expect(plan.type).toBe('cause');
    const block = plan.terms.find((t) => t.key === keyOf('bloquée', 'fr'))!;
    expect(block.alts.fr.get(block.key)).toBe(1);
    expect(block.alts.fr.has(keyOf('interdiction', 'fr')!)).toBe(true);
    expect(block.alts.en.has(keyOf('blocked', 'en')!)).toBe(true);
  });

  it('carries names and codes across languages as they are spelled', () => {
    const plan = planQuery('Where was COP22 held?', lexicon);
    const cop = plan.terms.find((t) => t.key === 'cop22')!;
    expect(cop.name).toBe(true);
    expect(cop.alts.fr.has('cop22')).toBe(true);
    expect(plan.entities).toEqual(['COP22']);
  });

  it('marks the noun after a wh-determiner as the answer kind', () => {
    const plan = planQuery('Quelles applications peut-on utiliser ?', lexicon);
    expect(plan.type).toBe('list');
    expect(plan.terms.find((t) => t.focus)?.surface).toBe('applications');
  });

  it('reads multi-word names as entities', () => {
    expect(planQuery('Qui est le PDG de Maroc Telecom ?', lexicon).entities).toContain('Maroc Telecom');
    expect(planQuery('What is the price of an iPhone in Morocco?', lexicon).entities).toEqual(['iPhone', 'Morocco']);
  });

  const hostile = ['a:b', 'c^', 'x~', 'hello -', '*', '+foo -bar', 'title:voip^10', '"unclosed', '\\', '(((', '', '   ', '\u200B\u200F', '🙂🔥', '@everyone @here <@123> <@&456>', '```js\nalert(1)\n```', 'é'.repeat(7000)];
  it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 40), h]))('never throws on %s', (_, h) => {
    const plan = planQuery(h, lexicon);
    expect(plan.question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    for (const t of plan.terms) expect(t.key).toMatch(/^[\p{L}\p{N}_]+$/u);
  });
});
