import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { shippedEngine } from '../helpers.js';
import { hostileQuestion } from './arbitraries.js';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

describe('hostile questions, engine', () => {
  it('always gives a well-formed answer within 2000 characters, for any text and any asked language', () => {
    fc.assert(
      fc.property(hostileQuestion, fc.constantFrom<'fr' | 'en' | null>('fr', 'en', null), (q, lang) => {
        const a = engine.ask(q, { lang });
        expect(['fr', 'en']).toContain(a.lang);
        if (lang) expect(a.lang).toBe(lang);
        expect(typeof a.found).toBe('boolean');
        expect(a.answer.length).toBeGreaterThan(0);
        expect(a.answer.length).toBeLessThanOrEqual(2000);
        expect(a.passages.length).toBeLessThanOrEqual(3);
        expect(() => JSON.stringify(a)).not.toThrow();
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('still answers a real question wrapped in hostile noise', () => {
    const a = engine.ask('@everyone **Quand** la VoIP a-t-elle été ||rétablie|| ? \u200B <@123456789012345678>');
    expect(a.found).toBe(true);
    expect(a.answer).toContain('3 novembre 2016');
  });
});
