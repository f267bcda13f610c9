import { readFile, readdir, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/loader.js';
import { lunr } from '../../src/language/stemmers.js';
import { ArticleIndex, buildSegment, deserializeSegment, lunrVectors, PRELUDE, serializeSegment, type LangPart } from '../../src/search/segment.js';
import { cachedLexicon, loadSegments, SEGMENTS, segmentOf } from '../../src/search/store.js';
import type { Article } from '../../src/corpus/types.js';
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
      expect(b.keys).toEqual(a.keys);
      for (const name of ['tokKeys', 'tokPos', 'setKeys', 'titleKeys', 'df', 'lunrTerms'] as const) expect([...b[name]]).toEqual([...a[name]]);
      expect([...b.vecValues.body]).toEqual([...a.vecValues.body]);
    }
  });

  it('give every article and translation read back the same fast hidden class', async () => {
    // One getter per article kept each in dictionary mode: every read of a field was a hash lookup.
    setFlagsFromString('--allow-natives-syntax');
    const fast = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const corpus = await spreadCorpus(4);
    try {
      const built = (await loadCorpus(corpus.dir)).articles;
      const back = deserializeSegment(serializeSegment(buildSegment('k', built))).articles;
      expect(back).toHaveLength(5);
      for (const a of back) {
        expect(fast(a)).toBe(true);
        expect(sameMap(a, back[0]!)).toBe(true);
        for (const t of Object.values(a.translations)) expect(fast(t)).toBe(true);
        // The texts' reader stays out of sight: keys, JSON and copies are a built article's.
        expect(Object.keys(a)).toEqual(Object.keys(built.find((b) => b.id === a.id)!));
        expect({ ...a }).toEqual(built.find((b) => b.id === a.id));
      }
      const translated = back.find((a) => a.translations.en)!;
      expect(Object.keys(translated.translations.en!)).toEqual(['id', 'file', 'hash', 'lang', 'title', 'paragraphs']);
      expect(translated.translations.en!.paragraphs.length).toBe(translated.paragraphs.length);
    } finally {
      await corpus.cleanup();
    }
  });

  it('refuses a stored recency order that does not fit its articles', async () => {
    const corpus = await spreadCorpus(3);
    try {
      const bytes = serializeSegment(buildSegment('k', (await loadCorpus(corpus.dir)).articles));
      const jsonEnd = PRELUDE + bytes.readUInt32LE(8);
      const header = JSON.parse(bytes.toString('utf8', PRELUDE, jsonEnd)) as { arrays: { name: string; offset: number; length: number }[]; langs: Record<string, { keyBytes: number }> };
      const spec = header.arrays.find((a) => a.name === 'recency')!;
      expect(spec.length).toBe(4);
      // The parts' keys follow the JSON; the arrays start at the next multiple of 8.
      const headerEnd = jsonEnd + Object.values(header.langs).reduce((n, l) => n + l.keyBytes, 0);
      const at = Math.ceil(headerEnd / 8) * 8 + spec.offset;
      expect(deserializeSegment(Buffer.from(bytes)).recency).toHaveLength(4);
      for (const [k, value] of [[0, 4], [1, -1], [1, bytes.readInt32LE(at)]] as const) {
        const damaged = Buffer.from(bytes);
        damaged.writeInt32LE(value, at + 4 * k);
        expect(() => deserializeSegment(damaged)).toThrow(/recency/);
      }
    } finally {
      await corpus.cleanup();
    }
  });

  it('store the keys of each part beside the JSON header, as Latin-1 when they fit in it and as UTF-8 when not, and read them back the same', async () => {
    const headerOf = (bytes: Buffer) => JSON.parse(bytes.toString('utf8', PRELUDE, PRELUDE + bytes.readUInt32LE(8))) as { langs: Record<string, { keyBytes: number; keyEncoding: string }> };
    const shipped = serializeSegment(buildSegment('k', (await loadCorpus(CORPUS)).articles));
    expect(headerOf(shipped).langs.fr!.keyEncoding).toBe('latin1');
    const corpus = await spreadCorpus(1);
    try {
      await writeFile(join(corpus.dir, 'rabat.md'), `---\nid: rabat\ntitle: الرباط et Ελλάδα\nlang: fr\n---\nLe sommet de الرباط réunit la Ελλάδα et le Maroc.\n`);
      const segment = buildSegment('k', (await loadCorpus(corpus.dir)).articles);
      const bytes = serializeSegment(segment);
      const { langs } = headerOf(bytes);
      expect(langs.fr!.keyEncoding).toBe('utf8');
      expect(langs.fr!.keyBytes).toBe(Buffer.byteLength(segment.parts.fr!.keys.text, 'utf8'));
      const back = deserializeSegment(bytes).parts.fr!.keys;
      expect(back).toEqual(segment.parts.fr!.keys);
      const foreign = Array.from({ length: back.size }, (_, id) => back.key(id)).filter((k) => /[^\u0000-\u00ff]/.test(k));
      expect(foreign.length).toBeGreaterThan(0);
      for (const k of foreign) expect(back.key(back.id(k))).toBe(k);
      // A header that does not say how its keys are stored is refused.
      const json = bytes.toString('utf8', PRELUDE, PRELUDE + bytes.readUInt32LE(8)).replace('"keyEncoding":"utf8"', '"keyEncoding":"utf9"');
      const damaged = Buffer.from(bytes);
      damaged.write(json, PRELUDE, 'utf8');
      expect(() => deserializeSegment(damaged)).toThrow(/keys without their length or encoding/);
    } finally {
      await corpus.cleanup();
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

/**
 * The same articles as one plain lunr index, loaded the way lunr loads a serialized one: every
 * part's postings and field vectors (their own weights), terms numbered by key over all parts,
 * refs "part:article".
 */
function plainLunrOf(parts: LangPart[]): lunr.Index {
  const fields = ['body', 'title'] as const;
  const keys = [...new Set(parts.flatMap((part) => [...part.lunrTerms].map((id) => part.keys.key(id))))].sort();
  const globalOf = new Map(keys.map((k, g) => [k, g]));
  const invertedIndex = keys.map((key, g) => {
    const posting: Record<string, unknown> = { _index: g };
    for (const f of fields) {
      const docs: Record<string, object> = {};
      parts.forEach((part, p) => {
        const id = part.keys.id(key);
        const t = id < 0 ? -1 : part.lunrIndexOf[id]!;
        if (t >= 0) for (let i = part.postOffsets[f][t]!; i < part.postOffsets[f][t + 1]!; i++) docs[`${p}:${part.postDocs[f][i]!}`] = {};
      });
      posting[f] = docs;
    }
    return [key, posting];
  });
  const fieldVectors: [string, number[]][] = [];
  parts.forEach((part, p) => {
    for (const f of fields) {
      for (let a = 0; a < part.vecOffsets[f].length - 1; a++) {
        const pairs: [number, number][] = [];
        for (let i = part.vecOffsets[f][a]!; i < part.vecOffsets[f][a + 1]!; i++) pairs.push([globalOf.get(part.keys.key(part.lunrTerms[part.vecTerms[f][i]!]!))!, part.vecValues[f][i]!]);
        pairs.sort((x, y) => x[0] - y[0]);
        fieldVectors.push([`${f}/${p}:${a}`, pairs.flat()]);
      }
    }
  });
  return lunr.Index.load({ version: lunr.version, fields: [...fields], fieldVectors, invertedIndex, pipeline: [] });
}

const indexOver = (parts: LangPart[]) => new ArticleIndex(parts, (key) => Int32Array.from(parts, (part) => part.keys.id(key)));

describe('the first-stage article index', () => {
  it('ranks and scores articles over several segments exactly as lunr does over one index of them all', async () => {
    const articles = [...(await loadCorpus('test/fixtures/neighbours')).articles, ...(await loadCorpus(CORPUS)).articles];
    const parts = [buildSegment('a', articles.slice(0, 3)).parts.fr!, buildSegment('b', articles.slice(3)).parts.fr!];
    const ours = indexOver(parts);
    const plain = plainLunrOf(parts);
    const keys = [...new Set(parts.flatMap((part) => [...part.lunrTerms].map((id) => part.keys.key(id))))];
    expect(keys.length).toBeGreaterThan(50);
    // Queries of every shape: one word, several with boosts, words no article has.
    const queries: [string, number][][] = [
      [[keys[0]!, 1]],
      [[keys[3]!, 2], [keys[10]!, 0.5], [keys[25]!, 1]],
      keys.slice(0, 12).map((k, i) => [k, 1 + i / 10]),
      keys.slice(-15).map((k, i) => [k, 2 - i / 10]),
      [['voip', 1], ['anrt', 1.5], ['pas-un-mot', 3]],
    ];
    for (const clauses of queries) {
      const expected = plain.query((q) => {
        for (const [key, boost] of clauses) q.term(key, { usePipeline: false, boost });
      });
      const got = ours.search(clauses);
      expect(got.length).toBeGreaterThan(0);
      expect(got.map((r) => `${r.part}:${r.article}`)).toEqual(expected.map((r) => r.ref));
      got.forEach((r, i) => expect(r.score).toBeCloseTo(expected[i]!.score, 10));
    }
    // A word no segment has is no clause: lunr would otherwise return every article.
    expect(ours.search([['pas-un-mot', 1]])).toEqual([]);
  });
});

describe('an incremental segment build', () => {
  it('gives the same index as a full build, reading only the edited article', async () => {
    // Every paragraph text (original or translation) counts its reads once `counting` is on.
    let counting = false;
    let reads = 0;
    const watched = (a: Article): Article => ({
      ...a,
      paragraphs: a.paragraphs.map((p) => ({
        index: p.index,
        kind: p.kind,
        get text() {
          if (counting) reads++;
          return p.text;
        },
      })),
      translations: Object.fromEntries(
        Object.entries(a.translations).map(([l, t]) => [l, { ...t, paragraphs: new Proxy(t.paragraphs, { get: (arr, k, r) => (counting && typeof k === 'string' && /^\d+$/.test(k) && reads++, Reflect.get(arr, k, r)) }) }]),
      ),
    });
    const base = [...(await loadCorpus('test/fixtures/neighbours')).articles, ...(await loadCorpus(CORPUS)).articles].map(watched);
    const before = buildSegment('a', base);
    // One article edited: a new paragraph with words no other article has.
    const edited = { ...base[1]!, hash: 'edited', paragraphs: [...base[1]!.paragraphs, { index: base[1]!.paragraphs.length, text: 'Le zouglou ivoirien envahit les ondes de Casablanca.', kind: 'body' as const }] };
    const now = [base[0]!, edited, ...base.slice(2)];
    const full = buildSegment('b', now);
    counting = true;
    const incremental = buildSegment('b', now, before);
    counting = false;
    // Only the edited article was read: each of its watched paragraphs once (the new one is
    // not watched), and nothing of the others.
    expect(Object.keys(edited.translations)).toEqual([]);
    expect(reads).toBe(base[1]!.paragraphs.length);
    for (const lang of ['fr', 'en'] as const) {
      const f = full.parts[lang]!;
      const i = incremental.parts[lang]!;
      const wordsOf = (part: LangPart, view: number) => Array.from(part.tokKeys.subarray(part.tokOffsets[view]!, part.tokOffsets[view + 1]!), (id) => part.keys.key(id));
      for (let v = 0; v < f.tokOffsets.length - 1; v++) expect(wordsOf(i, v)).toEqual(wordsOf(f, v));
      expect([...i.tokPos]).toEqual([...f.tokPos]);
      const keys = [...f.lunrTerms].map((id) => f.keys.key(id));
      for (const clauses of [keys.slice(0, 8).map((k) => [k, 1] as [string, number]), [['zouglou', 1], ['casablanc', 1]] as [string, number][], keys.slice(20, 30).map((k, n) => [k, 1 + n] as [string, number])]) {
        const a = indexOver([f]).search(clauses);
        const b = indexOver([i]).search(clauses);
        expect(b.map((r) => r.article)).toEqual(a.map((r) => r.article));
        b.forEach((r, n) => expect(r.score).toBeCloseTo(a[n]!.score, 10));
      }
    }
  });
});

describe('segment keys', () => {
  it('are in code-unit order in every build of a thread, full or incremental, whatever came before', async () => {
    const inOrder = (part: LangPart) => {
      const keys = Array.from(part.keys.order, (id) => part.keys.key(id));
      const sorted = Array.from({ length: part.keys.size }, (_, id) => part.keys.key(id)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      expect(keys).toEqual(sorted);
    };
    const articles = [...(await loadCorpus('test/fixtures/neighbours')).articles, ...(await loadCorpus(CORPUS)).articles];
    // Segments of different articles, one after the other: each meets keys the last did not.
    let previous: ReturnType<typeof buildSegment> | undefined;
    for (let i = 0; i < articles.length; i++) {
      const segment = buildSegment(`s${i}`, articles.slice(i, i + 2));
      for (const part of Object.values(segment.parts)) inOrder(part);
      if (previous) {
        const edited = { ...articles[i]!, hash: 'edited', paragraphs: [...articles[i]!.paragraphs, { index: articles[i]!.paragraphs.length, text: `Mot${i} Aardvark zèbre ${'é'.repeat(i + 1)}`, kind: 'body' as const }] };
        const incremental = buildSegment(`i${i}`, [edited, ...previous.articles], previous);
        for (const part of Object.values(incremental.parts)) inOrder(part);
      }
      previous = segment;
    }
  });
});

describe('the segment store', () => {
  it('spreads articles over segments by id, stably', () => {
    expect(segmentOf('voip-maroc-2016')).toBe(segmentOf('voip-maroc-2016'));
    const used = new Set(Array.from({ length: 200 }, (_, i) => segmentOf(`article-${i}`)));
    expect(used.size).toBe(SEGMENTS);
  });

  it('shares a large scan and build between threads, with the same segments as one thread', async () => {
    const corpus = await spreadCorpus(60);
    const one = await tempDir('store-');
    const many = await tempDir('store-');
    try {
      const alone = await loadSegments({ corpusDir: corpus.dir, cacheDir: one.dir, parallelMin: Infinity });
      let progress = 0;
      // parallelMin 1: threads even for this small corpus (the default waits for thousands)
      const shared = await loadSegments({ corpusDir: corpus.dir, cacheDir: many.dir, parallelMin: 1, threads: 2, onProgress: () => progress++ });
      expect(progress).toBeGreaterThan(0);
      expect(shared.threads).toEqual({ scan: 2, build: 2 });
      expect(alone.threads).toEqual({ scan: 1, build: 1 });
      expect(shared.built).toBe(alone.built);
      expect(shared.fingerprint).toBe(alone.fingerprint);
      expect(shared.segments.map((s) => s.key)).toEqual(alone.segments.map((s) => s.key));
      shared.segments.forEach((s, i) => {
        const a = alone.segments[i]!.segment!;
        expect(s.segment!.articles).toEqual(a.articles);
        expect(serializeSegment(s.segment!).equals(serializeSegment(a))).toBe(true);
      });
      // The threads wrote the cache: a new scan builds nothing.
      expect((await loadSegments({ corpusDir: corpus.dir, cacheDir: many.dir })).built).toBe(0);
    } finally {
      await corpus.cleanup();
      await one.cleanup();
      await many.cleanup();
    }
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

  it('opens a cached segment without its texts, reads them from the file when first needed, and keeps them readable after the file is replaced', async () => {
    const corpus = await spreadCorpus(12);
    const cache = await tempDir('store-');
    try {
      const built = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      const opened = await loadSegments({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(opened.built).toBe(0);
      const files = (await readdir(cache.dir)).filter((f) => f.endsWith('.bin'));
      // Every segment file replaced (write and rename, as the store writes) by another under
      // the same name: the open segments still read their own texts.
      for (const f of files) {
        await writeFile(join(cache.dir, `${f}.tmp`), 'not a segment any more');
        await rename(join(cache.dir, `${f}.tmp`), join(cache.dir, f));
      }
      const texts = (r: typeof built) => r.segments.map((s) => s.segment!.articles.map((a) => [a.title, a.paragraphs.map((p) => p.text), Object.values(a.translations).map((t) => t.paragraphs)]));
      expect(texts(opened)).toEqual(texts(built));
      expect(serializeSegment(opened.segments[0]!.segment!)).toEqual(serializeSegment(built.segments[0]!.segment!));
    } finally {
      await corpus.cleanup();
      await cache.cleanup();
    }
  });

  it('refuses a cached file whose texts do not start where its arrays end', async () => {
    const { articles } = await loadCorpus(CORPUS);
    const bytes = serializeSegment(buildSegment('k', articles));
    const head = bytes.subarray(0, bytes.length - 10);
    expect(() => deserializeSegment(Buffer.from(head), { size: bytes.length, read: () => '' })).toThrow(/texts|truncated/);
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

describe('the compiled lexicon', () => {
  it('is stored in the cache folder, read back, and compiled again when broken', async () => {
    const { dir, cleanup } = await tempDir();
    const first = cachedLexicon(dir);
    const files = (await readdir(dir)).filter((f) => /^lexicon-.*\.json$/.test(f));
    expect(files).toHaveLength(1);
    const stored = JSON.parse(await readFile(join(dir, files[0]!), 'utf8'));
    expect(stored).toEqual(first.compiled());
    await writeFile(join(dir, files[0]!), '{"concepts": 3');
    cachedLexicon(dir);
    expect(JSON.parse(await readFile(join(dir, files[0]!), 'utf8'))).toEqual(first.compiled());
    await cleanup();
  });
});
