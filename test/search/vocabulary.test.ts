import { describe, expect, it } from 'vitest';
import { buildSegment, deserializeSegment, serializeSegment } from '../../src/search/segment.js';
import { hashKey } from '../../src/language/analyzer.js';
import { KeyTable, SharedVocabulary } from '../../src/search/vocabulary.js';
import { loadCorpus } from '../../src/corpus/loader.js';

describe('KeyTable', () => {
  it('finds every key through its hash table, accents and all, and nothing else', () => {
    const keys = ['rétabl', 'voip', 'anrt', 'zèbre', 'a', 'été', 'Z', 'skype', ''];
    const table = KeyTable.of(keys);
    expect(table.size).toBe(keys.length);
    keys.forEach((k, id) => {
      expect(table.key(id)).toBe(k);
      expect(table.id(k)).toBe(id);
    });
    for (const absent of ['voi', 'voipp', 'rétablir', 'b', 'zz', 'ETE']) expect(table.id(absent)).toBe(-1);
    expect(KeyTable.of([]).id('x')).toBe(-1);
  });

  it('keeps every key apart in a crowded table, the order of keys for ties, and the hash it is given', () => {
    // Thousands of keys fill the table's clusters: lookups must walk past other keys' slots.
    const keys = Array.from({ length: 5000 }, (_, i) => `k${(i * 7919) % 5000}é${i % 7}`);
    const table = KeyTable.of(keys);
    expect(table.slots.length).toBeGreaterThanOrEqual(2 * keys.length);
    keys.forEach((k, id) => expect(table.id(k)).toBe(id));
    for (let i = 0; i < 2000; i++) expect(table.id(`k${i}è`)).toBe(-1);
    expect(table.id(keys[42]!, hashKey(keys[42]!))).toBe(42);
    const sorted = [...table.order].map((id) => keys[id]!);
    expect(sorted).toEqual([...keys].sort());
  });
});

describe('KeyTable, extended', () => {
  it('gives the same table from a previous one and the added keys as from all the keys', () => {
    const all = Array.from({ length: 3000 }, (_, i) => `m${(i * 7919) % 3001}${'éa'[i % 2]}`);
    for (const cut of [0, 1, 1500, 2999, 3000]) {
      const extended = KeyTable.of(all, KeyTable.of(all.slice(0, cut)));
      const whole = KeyTable.of(all);
      expect([...extended.order]).toEqual([...whole.order]);
      expect([...extended.hashes]).toEqual([...whole.hashes]);
      expect([...extended.slots]).toEqual([...whole.slots]);
    }
  });
});

describe('SharedVocabulary', () => {
  it('gives a key its id in each segment and its paragraph count over all of them', async () => {
    const { articles } = await loadCorpus('test/fixtures/neighbours');
    expect(articles.length).toBeGreaterThan(3);
    const halves = [buildSegment('a', articles.slice(0, 2)), buildSegment('b', articles.slice(2))];
    const whole = buildSegment('w', articles);
    const parts = halves.flatMap((s) => (s.parts.fr ? [s.parts.fr] : []));
    const shared = new SharedVocabulary(parts);
    const w = whole.parts.fr!;
    for (let id = 0; id < Math.min(w.keys.size, 300); id++) {
      const key = w.keys.key(id);
      expect(shared.documentFrequency(key)).toBe(w.df[id]);
      for (const part of parts) {
        const local = shared.idIn(part, key);
        if (local >= 0) expect(part.keys.key(local)).toBe(key);
        else expect(part.keys.id(key)).toBe(-1);
      }
    }
    expect(shared.documentFrequency('pas-un-mot-du-corpus')).toBe(0);
  });
});

describe('a loaded segment', () => {
  it('decodes an article’s texts when they are first read, and counts them without reading', async () => {
    const { articles } = await loadCorpus('corpus');
    const built = buildSegment('k', articles);
    const loaded = deserializeSegment(serializeSegment(built));
    expect(loaded.passages).toBe(built.passages);
    expect(loaded.translations).toBe(built.translations);
    expect(Object.getOwnPropertyDescriptor(loaded.articles[0], 'paragraphs')?.get).toBeTypeOf('function');
    expect(loaded.articles[0]!.paragraphs).toEqual(built.articles[0]!.paragraphs);
    // decoded once: the same array on every read
    expect(loaded.articles[0]!.paragraphs).toBe(loaded.articles[0]!.paragraphs);
  });
});
