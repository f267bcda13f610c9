import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { corpusCopy, NEIGHBOURS, shippedEngine } from '../helpers.js';
import { Engine as EngineClass } from '../../src/engine.js';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

const top = (q: string, lang?: 'fr' | 'en') => engine.ask(q, { lang }).passages[0];

describe('ranking', () => {
  it('ranks the justification first for "why was it blocked", where plain lunr does not', () => {
    expect(top('Pourquoi la VoIP a-t-elle été bloquée ?')?.paragraph).toBe(5);
    expect(top('Why was VoIP blocked?')?.paragraph).toBe(5);
  });

  it('finds the date paragraph for "when was it restored", which plain lunr misses in English', () => {
    expect(top('When was it restored?')?.paragraph).toBe(1);
    expect(top('Quand la VoIP a-t-elle été rétablie ?')?.paragraph).toBe(1);
    expect(top('quand la voip a-t-elle ete debloquee')?.paragraph).toBe(1);
  });

  it('prefers the passage that holds the kind of answer asked for', () => {
    expect(top('Qui a remplacé le directeur général ?')?.paragraph).toBe(4);
    expect(top('Where was COP22 held?')?.paragraph).toBe(1);
    expect(top('Combien le Maroc a-t-il perdu ?')?.paragraph).toBe(6);
  });

  it('returns scores in decreasing order with the coverage of each passage', () => {
    const { passages } = engine.ask('Pourquoi le blocage de la VoIP a-t-il été levé ?');
    expect(passages.length).toBeGreaterThan(1);
    for (let i = 1; i < passages.length; i++) expect(passages[i - 1]!.score).toBeGreaterThanOrEqual(passages[i]!.score);
    expect(passages[0]!.coverage).toBeGreaterThan(0.5);
  });
});

describe('ranking beside articles on neighbouring topics', () => {
  it('still finds the Moroccan article for its questions', async () => {
    const { dir, cleanup } = await corpusCopy(NEIGHBOURS);
    try {
      const { engine: big } = await EngineClass.open({ corpusDir: dir, cacheDir: null });
      for (const [q, paragraph] of [
        ['Pourquoi la VoIP a-t-elle été bloquée au Maroc ?', 5],
        ['When was VoIP restored?', 1],
        ['Qui dirige l\'ANRT par intérim ?', 4],
        ['Is the unblocking only for the duration of COP22?', 2],
      ] as const) {
        const a = big.ask(q);
        expect(a.found, q).toBe(true);
        expect(a.passages[0], q).toMatchObject({ article: 'voip-maroc-2016', paragraph });
      }
    } finally {
      await cleanup();
    }
  });
});
