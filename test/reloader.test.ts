import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine.js';
import { Reloader } from '../src/reloader.js';
import { corpusCopy } from './helpers.js';

const extra = (id: string, body = 'Le Maroc a ouvert la 5G en 2030.') => `---\nid: ${id}\ntitle: Article ${id}\nlang: fr\npublished: 2030-01-01\n---\n${body}\n`;

describe('Reloader', () => {
  it('reports articles added, removed and changed', async () => {
    const corpus = await corpusCopy();
    try {
      const { engine } = await Engine.open({ corpusDir: corpus.dir, cacheDir: null });
      const reloader = new Reloader(engine);
      await writeFile(join(corpus.dir, 'a.md'), extra('a'));
      await writeFile(join(corpus.dir, 'b.md'), extra('b'));
      expect(await reloader.reload()).toMatchObject({ swapped: true, added: ['a', 'b'], removed: [], changed: [] });
      await rm(join(corpus.dir, 'a.md'));
      await writeFile(join(corpus.dir, 'b.md'), extra('b', 'Texte modifié.'));
      const en = join(corpus.dir, 'voip-maroc-2016.en.md');
      await writeFile(en, (await readFile(en, 'utf8')).replace('TELEPHONY', 'TELEPHONE'));
      expect(await reloader.reload()).toMatchObject({ swapped: true, added: [], removed: ['a'], changed: ['b', 'voip-maroc-2016'] });
    } finally {
      await corpus.cleanup();
    }
  });

  it('runs concurrent reloads one after the other, each on the files of its turn', async () => {
    const corpus = await corpusCopy();
    try {
      const { engine } = await Engine.open({ corpusDir: corpus.dir, cacheDir: null });
      const reloader = new Reloader(engine);
      await writeFile(join(corpus.dir, 'a.md'), extra('a'));
      const first = reloader.reload();
      const second = reloader.reload();
      const [r1, r2] = await Promise.all([first, second]);
      expect(r1.added).toEqual(['a']);
      expect(r2.added).toEqual([]);
      expect(engine.articles.map((a) => a.id).sort()).toEqual(['a', 'voip-maroc-2016']);
    } finally {
      await corpus.cleanup();
    }
  });

  it('keeps serving the old corpus when nothing valid is left, and says so', async () => {
    const corpus = await corpusCopy();
    try {
      const { engine } = await Engine.open({ corpusDir: corpus.dir, cacheDir: null });
      await writeFile(join(corpus.dir, 'voip-maroc-2016.md'), 'broken');
      const report = await new Reloader(engine).reload();
      expect(report.swapped).toBe(false);
      expect(report.stats.errors.length).toBeGreaterThan(0);
      expect(engine.ask('Quand la VoIP a-t-elle été rétablie ?').found).toBe(true);
    } finally {
      await corpus.cleanup();
    }
  });
});
