import { readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/loader.js';
import { lunr } from '../../src/language/stemmers.js';
import { buildSegment, deserializeSegment, lunrVectors, serializeSegment } from '../../src/search/segment.js';
import { loadSegments, SEGMENTS, segmentOf } from '../../src/search/store.js';
import { CORPUS, corpusCopy, tempDir } from '../helpers.js';

/** Articles spread over several segments: the shipped one and numbered short ones. */
async function spreadCorpus(n: number) {
  const corpus = await corpusCopy();
  for (let i = 0; i < n; i++) {
    await writeFile(join(corpus.dir, `art-${i}.md`), `---\nid: art-${i}\ntitle: Article numéro ${i}\nlang: fr\n---\nLe port de Tanger reçoit ${i * 7} navires de commerce.\n\nLa ville de Fès accueille le festival ${i}.\n`);
  }
  // Files written long ago: a later scan may trust their size and time.
  const past = new Date(Date.now() - 60_000);
  for (const f of await readdir(corpus.dir)) await utimes(join(corpus.dir, f), past, past);
  return corpus;
}

describe('segments', () => {
  it('survive serialization unchanged: articles, translations and every array', async () => {
    const corpus = await loadCorpus(CORPUS);
    const segment = buildSegment('k', corpus.articles);
    const back = deserializeSegment(serializeSegment(segment));
    expect(back.key).toBe('k');
    expect(back.articles).toEqual(segment.articles);
    for (const lang of ['fr', 'en'] as const) {
      const a = segment.parts[lang]!;
      const b = back.parts[lang]!;
      expect(b.vocab).toEqual(a.vocab);
      for (const name of ['tokKeys', 'tokPos', 'setKeys', 'titleKeys', 'df', 'lunrTerms'] as const) expect([...b[name]]).toEqual([...a[name]]);
      expect([...b.vecValues.body]).toEqual([...a.vecValues.body]);
    }
  });

  it('refuses a truncated or foreign file', async () => {
    const bytes = serializeSegment(buildSegment('k', (await loadCorpus(CORPUS)).articles));
    expect(() => deserializeSegment(bytes.subarray(0, bytes.length - 100))).toThrow(/truncated/);
    expect(() => deserializeSegment(Buffer.from('{"not":"a segment"}'))).toThrow(/not a segment/);
  });

  it('weigh articles exactly as lunr.Builder does', () => {
    const docs = [
      { body: ['voip', 'bloc', 'bloc', 'anrt'], title: ['voip'] },
      { body: ['port', 'tanger', 'voip'], title: [] },
      { body: ['festival', 'fes', 'fes', 'fes', 'bloc'], title: ['festival', 'fes'] },
    ];
    const builder = new lunr.Builder();
    (builder as unknown as { tokenizer: unknown }).tokenizer = (v: unknown) => (v as string[]).map((k) => new lunr.Token(k, {}));
    builder.ref('ref');
    builder.field('body');
    builder.field('title', { boost: 1.5 });
    docs.forEach((d, i) => builder.add({ ref: String(i), ...d }));
    const index = builder.build() as unknown as { fieldVectors: Record<string, { elements: number[] }>; invertedIndex: Record<string, { _index: number }> };
    const vocab = [...new Set(docs.flatMap((d) => [...d.body, ...d.title]))];
    const counts = (keys: string[]) => {
      const m = new Map<number, number>();
      for (const k of keys) m.set(vocab.indexOf(k), (m.get(vocab.indexOf(k)) ?? 0) + 1);
      return { ids: Int32Array.from(m.keys()), tf: Int32Array.from(m.values()) };
    };
    const ours = lunrVectors({ body: docs.map((d) => counts(d.body)), title: docs.map((d) => counts(d.title)) }, docs.length, () => true, vocab.length);
    for (const [d] of docs.entries()) {
      for (const f of ['body', 'title'] as const) {
        // Compare term → weight, whatever the term numbering.
        const theirs = index.fieldVectors[`${f}/${d}`]!.elements;
        const byTerm = (els: number[], name: (i: number) => string) => Object.fromEntries(els.flatMap((x, i) => (i % 2 ? [] : [[name(x), els[i + 1]]])));
        const termOfLunr = (t: number) => Object.entries(index.invertedIndex).find(([, p]) => p._index === t)![0];
        const mine: number[] = [];
        for (let i = ours.vecOffsets[f][d]!; i < ours.vecOffsets[f][d + 1]!; i++) mine.push(ours.vecTerms[f][i]!, ours.vecValues[f][i]!);
        expect(byTerm(mine, (t) => vocab[ours.lunrTerms[t]!]!)).toEqual(byTerm(theirs, termOfLunr));
      }
    }
  });
});

describe('the segment store', () => {
  it('spreads articles over segments by id, stably', () => {
    expect(segmentOf('voip-maroc-2016')).toBe(segmentOf('voip-maroc-2016'));
    const used = new Set(Array.from({ length: 200 }, (_, i) => segmentOf(`article-${i}`)));
    expect(used.size).toBe(SEGMENTS);
  });

  it('rebuilds only the segment of an edited article and reuses the others from memory', async () => {
    const corpus = await spreadCorpus(40);
    const cache = await tempDir('store-');
    try {
      const first = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(first.built).toBe(first.segments.length);
      expect(first.segments.length).toBeGreaterThan(8);
      const byKey = new Map(first.segments.map((s) => [s.key, s.segment!]));
      const again = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir, have: (k) => byKey.get(k) });
      expect(again.built).toBe(0);
      expect(again.segments.every((s) => s.segment === byKey.get(s.key))).toBe(true);
      await writeFile(join(corpus.dir, 'art-7.md'), (await readFile(join(corpus.dir, 'art-7.md'), 'utf8')).replace('Tanger', 'Agadir'));
      const edited = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir, have: (k) => byKey.get(k) });
      expect(edited.built).toBe(1);
      const rebuilt = edited.segments.filter((s) => !byKey.has(s.key));
      expect(rebuilt.length).toBe(1);
      expect(rebuilt[0]!.segment!.articles.map((a) => a.id)).toContain('art-7');
      expect(edited.fingerprint).not.toBe(first.fingerprint);
      // From the cache folder alone (a new process): nothing built.
      const cold = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(cold.built).toBe(0);
      expect(cold.fingerprint).toBe(edited.fingerprint);
    } finally {
      await corpus.cleanup();
      await cache.cleanup();
    }
  });

  it('does not read a file whose size and time are unchanged, and reads it when either changed', async () => {
    const corpus = await spreadCorpus(3);
    const cache = await tempDir('store-');
    try {
      await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      const file = join(corpus.dir, 'art-1.md');
      const { mtime } = await stat(file);
      const text = await readFile(file, 'utf8');
      // Same size, time put back: the scan trusts its record (as git and make do).
      await writeFile(file, text.replace('Tanger', 'Agdir!'.slice(0, 6)));
      await utimes(file, mtime, mtime);
      const trusted = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(trusted.built).toBe(0);
      // A new time: read again.
      const later = new Date(mtime.getTime() + 1000);
      await utimes(file, later, later);
      const read = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(read.built).toBe(1);
      const article = read.segments.flatMap((s) => s.segment!.articles).find((a) => a.id === 'art-1')!;
      expect(article.paragraphs[0]!.text).toContain('Agdir!');
    } finally {
      await corpus.cleanup();
      await cache.cleanup();
    }
  });

  it('reports broken files on every load, even when it does not read them again', async () => {
    const corpus = await spreadCorpus(2);
    const cache = await tempDir('store-');
    try {
      await writeFile(join(corpus.dir, 'broken.md'), 'no front matter here');
      const past = new Date(Date.now() - 60_000);
      await utimes(join(corpus.dir, 'broken.md'), past, past);
      const first = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      const second = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(first.errors).toEqual([{ file: 'broken.md', reason: expect.stringContaining('no front matter') }]);
      expect(second.errors).toEqual(first.errors);
    } finally {
      await corpus.cleanup();
      await cache.cleanup();
    }
  });
});
