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

  it('marks the verb that says what happened', () => {
    const fr = planQuery("L'ANRT a-t-elle été condamnée par un tribunal ?", lexicon);
    expect(fr.terms.filter((t) => t.predicate).map((t) => t.surface)).toEqual(['condamnée']);
    expect(planQuery('Qui a le droit de fournir ces services ?', lexicon).terms.some((t) => t.predicate)).toBe(false);
    const en = planQuery('Who translated the letter?', lexicon);
    expect(en.terms.filter((t) => t.predicate).map((t) => t.surface)).toEqual(['translated']);
  });

  it('treats chat fillers as everyday words, typed with or without accents', () => {
    const plan = planQuery("hey bot stp c'est quoi exactement la VoIP", lexicon);
    expect(plan.terms.filter((t) => !t.common).map((t) => t.key)).toEqual(['voip']);
    expect(planQuery('la voip a ete debloquee', lexicon).terms.map((t) => t.key)).toEqual(planQuery('la VoIP a été débloquée', lexicon).terms.map((t) => t.key));
  });

  const hostile = ['a:b', 'c^', 'x~', 'hello -', '*', '+foo -bar', 'title:voip^10', '"unclosed', '\\', '(((', '', '   ', '\u200B\u200F', '🙂🔥', '@everyone @here <@123> <@&456>', '```js\nalert(1)\n```', 'é'.repeat(7000)];
  it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 40), h]))('never throws on %s', (_, h) => {
    const plan = planQuery(h, lexicon);
    expect(plan.question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    for (const t of plan.terms) expect(t.key).toMatch(/^[\p{L}\p{N}_]+$/u);
  });
});
