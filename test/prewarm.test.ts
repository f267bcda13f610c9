import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { defaultLexicon } from '../src/language/lexicon.js';
import { prewarmSteps } from '../src/prewarm.js';
import { loadSegments } from '../src/search/store.js';
import { CORPUS, tempDir } from './helpers.js';

const QUESTIONS = ['Pourquoi la VoIP a-t-elle été bloquée ?', 'When were VoIP calls restored?', 'Qui dirige Maroc Telecom ?', 'Combien les opérateurs ont-ils perdu ?'];

describe('prewarm', () => {
  it('is a list of small steps that run on their own', () => {
    const steps = prewarmSteps(defaultLexicon());
    expect(steps.length).toBeGreaterThan(4);
    for (const step of steps) expect(step()).toBeUndefined();
  });

  it('runs while segment files are looked for in the cache, and without a cache not at all', async () => {
    const cache = await tempDir('prewarm-');
    try {
      let ran = 0;
      const steps = Array.from({ length: 3 }, () => () => void ran++);
      await loadSegments({ corpusDir: CORPUS, cacheDir: null, whileReading: steps });
      expect(ran).toBe(0);
      await loadSegments({ corpusDir: CORPUS, cacheDir: cache.dir, whileReading: steps });
      expect(ran).toBe(3);
      // Opened from the cache: the steps fill the wait.
      const opened = await loadSegments({ corpusDir: CORPUS, cacheDir: cache.dir, whileReading: steps });
      expect(opened.built).toBe(0);
      expect(ran).toBe(6);
      // A step that throws costs its work, not the load.
      const failing = [() => { throw new Error('boom'); }, ...steps];
      const again = await loadSegments({ corpusDir: CORPUS, cacheDir: cache.dir, whileReading: failing });
      expect(again.segments.every((s) => s.segment)).toBe(true);
      expect(ran).toBe(9);
    } finally {
      await cache.cleanup();
    }
  });

  it('changes no answer', async () => {
    const cache = await tempDir('prewarm-');
    try {
      await Engine.open({ corpusDir: CORPUS, cacheDir: cache.dir });
      const warm = await Engine.open({ corpusDir: CORPUS, cacheDir: cache.dir });
      const cold = await Engine.open({ corpusDir: CORPUS, cacheDir: cache.dir, prewarm: false });
      for (const q of QUESTIONS) expect(warm.engine.ask(q)).toEqual(cold.engine.ask(q));
    } finally {
      await cache.cleanup();
    }
  });
});
