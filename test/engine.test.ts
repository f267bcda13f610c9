import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/types.js';
import { byRecency, Engine } from '../src/engine.js';
import { titleIn } from '../src/search/passages.js';
import { answerLanguage } from '../src/eval/checks.js';
import { CORPUS, corpusCopy, NEIGHBOURS, ROOT, shippedEngine, tempDir } from './helpers.js';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

describe('answers', () => {
  it('answers in the question language, with the source and an absolute date', () => {
    const a = engine.ask('Quand la VoIP a-t-elle été rétablie ?');
    expect(a).toMatchObject({ found: true, lang: 'fr', mode: 'extractive', question_lang: 'fr', answer_type: 'date' });
    expect(a.answer).toContain('3 novembre 2016');
    expect(a.answer).toContain('HuffPost Maroc');
    expect(a.citation).toMatchObject({ article: 'voip-maroc-2016', paragraph: 1, published: '2016-11-03' });
  });

  it('answers in the asked language from the aligned translation', () => {
    const a = engine.ask('Pourquoi la VoIP a-t-elle été bloquée ?', { lang: 'en' });
    expect(a.lang).toBe('en');
    expect(answerLanguage(a.answer)).toBe('en');
    expect(a.answer).toMatch(/licen[cs]es/);
    expect(a.passages[0]!.text).toMatch(/licences/);
    expect(a.passages[0]!.original).toMatch(/licences de télécommunications/);
  });

  it('answers a French question in English and an English one in French', () => {
    expect(engine.ask('When was VoIP restored?', { lang: 'fr' }).answer).toContain('3 novembre 2016');
    expect(engine.ask('Quand la VoIP a-t-elle été rétablie ?', { lang: 'en' }).answer).toContain('November 3, 2016');
  });

  it('quotes a related-article teaser as what it is', () => {
    const a = engine.ask('How much money did Morocco lose because of the ban?');
    expect(a.answer).toMatch(/related article/i);
    expect(a.answer).toContain('320');
  });

  it('answers the article\'s own rhetorical question with what follows it', () => {
    const a = engine.ask('Le déblocage est-il limité à la durée de la COP22 ?');
    expect(a.answer).toContain("Rien n'indique");
  });

  it('answers chatty questions typed without accents', () => {
    expect(engine.ask('hey bot, stp, la voip a ete debloquee quand exactement ?').answer).toContain('3 novembre 2016');
    expect(engine.ask('pls explain what VoIP stands for').answer).toMatch(/voice over IP/);
    expect(engine.ask("c'est quoi l'ANRT ?").answer).toMatch(/agence de régulation des télécommunications/);
  });

  it('keeps every answer within 2000 characters', () => {
    for (const q of ['Pourquoi la VoIP a-t-elle été bloquée ?', 'voip '.repeat(500), 'Why? '.repeat(300)]) {
      expect(engine.ask(q).answer.length).toBeLessThanOrEqual(2000);
    }
  });
});

describe('the reload worker', () => {
  it('primed at start (a scan that builds nothing), still reloads an edit made later, with the segments a fresh build gives', async () => {
    const corpus = await corpusCopy(join(ROOT, 'test', 'fixtures', 'neighbours'));
    const cache = await tempDir('prime-');
    try {
      const { engine: primed } = await Engine.open({ corpusDir: corpus.dir, cacheDir: cache.dir });
      await primed.prepareReload();
      const file = (await readdir(corpus.dir)).find((f) => f.startsWith('cop22'))!;
      await writeFile(join(corpus.dir, file), `${await readFile(join(corpus.dir, file), 'utf8')}\nLe village de Bab Ighli accueille aussi une zone verte.\n`);
      const { background } = await primed.reload();
      expect(background).toBe(true);
      const { engine: fresh } = await Engine.open({ corpusDir: corpus.dir, cacheDir: null });
      const texts = (e: Engine) => e.articles.map((a) => [a.id, a.paragraphs.map((p) => p.text)]);
      expect(texts(primed)).toEqual(texts(fresh));
      const q = 'Que trouve-t-on aussi au village de Bab Ighli ?';
      expect(primed.ask(q)).toEqual(fresh.ask(q));
      await primed.close();
    } finally {
      await corpus.cleanup();
      await cache.cleanup();
    }
  });

  it('never keeps a process alive once idle, and keeps it alive while a reload runs', async () => {
    // A process that reloads and then has nothing left to do: it must finish the reload (the
    // worker holds it meanwhile) and then exit by itself (the idle worker does not).
    const cache = await tempDir('exit-');
    try {
      const script = `import { Engine } from './src/engine.ts';
        const { engine } = await Engine.open({ corpusDir: 'corpus', cacheDir: ${JSON.stringify(cache.dir)} });
        await engine.prepareReload();
        const { background } = await engine.reload();
        console.log('reloaded', background);`;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
      expect(run.stdout.trim()).toBe('reloaded true');
      expect(run.signal).toBeNull();
      expect(run.status).toBe(0);
    } finally {
      await cache.cleanup();
    }
  });
});

describe('warm-up', () => {
  it('asks the corpus its own titles and leads in both languages, as questions of every kind, yielding to the event loop between them, and changes no answer', async () => {
    const before = engine.ask('Pourquoi la VoIP a-t-elle été bloquée ?');
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const asked = await engine.warmUp();
    clearInterval(ticking);
    // The shipped article and its translation: in each language its title alone, and its
    // title and its lead's first sentence after nine question words.
    expect(asked).toBe(2 * (1 + 2 * 9));
    expect(turns).toBeGreaterThan(0);
    expect(engine.ask('Pourquoi la VoIP a-t-elle été bloquée ?')).toEqual(before);
  });

  it('stops at its time budget: none of its questions is begun once the budget has gone', async () => {
    expect(await engine.warmUp({ budgetMs: 0 })).toBe(0);
    expect(await engine.warmUp({ budgetMs: 60_000 })).toBe(engine.warmUpQuestions().length);
  });

  it('takes its questions in turn from each article, each starting at another question word: any prefix mixes languages, articles and kinds', async () => {
    const shipped = engine.warmUpQuestions();
    expect(shipped).toHaveLength(2 * (1 + 2 * 9));
    // The shipped article and its translation, in turn.
    expect(shipped.slice(0, 4).map(([, lang]) => lang)).toEqual(['fr', 'en', 'fr', 'en']);
    expect(shipped[2]![0]).toMatch(/^Pourquoi /);
    expect(shipped[3]![0]).toMatch(/^Why /);
    const { dir, cleanup } = await corpusCopy(NEIGHBOURS);
    try {
      const { engine: wider } = await Engine.open({ corpusDir: dir, cacheDir: null });
      const questions = wider.warmUpQuestions();
      const fr = wider.newest(4, undefined, 'fr').length;
      const en = wider.newest(4, undefined, 'en').length;
      expect(fr).toBe(4);
      expect(en).toBeGreaterThan(1);
      expect(questions).toHaveLength((fr + en) * (1 + 2 * 9));
      // First every article's title, then one question word per article: four different ones in French.
      const round = fr + en;
      expect(new Set(questions.slice(0, round).map(([q]) => q)).size).toBe(round);
      const words = questions.slice(round, 2 * round).filter(([, lang]) => lang === 'fr').map(([q]) => q.split(' ')[0]);
      expect(new Set(words).size).toBe(fr);
      expect(new Set(questions.slice(0, 2 * round).map(([, lang]) => lang))).toEqual(new Set(['fr', 'en']));
    } finally {
      await cleanup();
    }
  });
});

describe('not found', () => {
  const outside = [
    'Qui est le PDG de Maroc Telecom ?',
    'What is the price of an iPhone in Morocco?',
    'Combien coûte un appel VoIP au Maroc ?',
    'Why was Azzeddine El Mountassir Billah dismissed?',
    'Qui a gagné la Coupe du monde 2018 ?',
    'Quelle est la recette du couscous ?',
    'Who is the president of the United States?',
    'How many WhatsApp users are there in Morocco?',
    "L'ANRT a-t-elle été condamnée par un tribunal pour le blocage ?",
    'Who translated the letter the ANRT sent to the operators?',
    'Quel temps faisait-il à Marrakech pendant la COP22 ?',
  ];
  it.each(outside)('says the corpus does not answer "%s", in its language, and what it covers', (q) => {
    const a = engine.ask(q);
    expect(a.found).toBe(false);
    expect(answerLanguage(a.answer)).toBe(a.lang);
    expect(a.answer).toMatch(/VoIP/);
  });

  it('lists what the corpus covers in the language asked, and counts the articles only in the other', async () => {
    const { engine: neighbours } = await Engine.open({ corpusDir: join(ROOT, 'test', 'fixtures', 'neighbours'), cacheDir: null });
    const inEnglish = neighbours.articles.filter((a) => titleIn(a, 'en') !== undefined);
    const onlyFrench = neighbours.articles.length - inEnglish.length;
    expect(inEnglish.length).toBeGreaterThan(0);
    expect(onlyFrench).toBeGreaterThan(1);
    const a = neighbours.ask('Who won the 2018 World Cup?', { lang: 'en' });
    expect(a.found).toBe(false);
    for (const article of inEnglish) expect(a.answer).toContain(titleIn(article, 'en')!);
    expect(a.answer).toContain(`${onlyFrench} articles available only in French`);
    const fr = neighbours.ask('Qui a gagné la Coupe du monde 2018 ?', { lang: 'fr' });
    expect(fr.found).toBe(false);
    expect(fr.answer).not.toMatch(/seulement/);
  });

  it('answers empty and symbol-only questions with a clear message', () => {
    expect(engine.ask('').found).toBe(false);
    expect(engine.ask('').answer).toMatch(/vide/);
    expect(engine.ask('   ', { lang: 'en' }).answer).toMatch(/empty/);
    for (const q of ['*', 'a:b', 'c^', 'x~', 'hello -', '???']) {
      const a = engine.ask(q);
      expect(a.found, q).toBe(false);
      expect(a.answer.length).toBeGreaterThan(0);
    }
  });
});

describe('index cache', () => {
  it('saves the index on the first start, loads it on the next, and rebuilds when the corpus changes', async () => {
    const cache = await tempDir('qa-cache-');
    const corpus = await corpusCopy();
    try {
      const first = await Engine.open({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(first.stats.fromCache).toBe(false);
      const second = await Engine.open({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(second.stats.fromCache).toBe(true);
      expect(second.engine.ask('When was VoIP restored?').passages[0]!.paragraph).toBe(1);
      await writeFile(join(corpus.dir, 'extra.md'), '---\ntitle: Un autre article\nlang: fr\n---\nLe Maroc a ouvert la 5G en 2030.\n');
      const third = await Engine.open({ corpusDir: corpus.dir, cacheDir: cache.dir });
      expect(third.stats.fromCache).toBe(false);
      expect(third.stats.articles).toBe(2);
    } finally {
      await cache.cleanup();
      await corpus.cleanup();
    }
  });

  it('keeps the most recent manifests and the segments they use, and removes the rest', async () => {
    const cache = await tempDir('qa-cache-');
    try {
      const { utimes } = await import('node:fs/promises');
      for (let i = 0; i < 6; i++) {
        const manifest = join(cache.dir, `manifest-old${i}.json`);
        await writeFile(manifest, JSON.stringify({ segments: [`old${i}`] }));
        await writeFile(join(cache.dir, `segment-old${i}.bin`), 'x');
        await utimes(manifest, new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i));
      }
      await writeFile(join(cache.dir, 'index-from-an-older-version.json'), '{}');
      await Engine.open({ corpusDir: CORPUS, cacheDir: cache.dir });
      const left = await readdir(cache.dir);
      const manifests = left.filter((f) => f.startsWith('manifest-'));
      expect(manifests.length).toBe(4);
      expect(manifests).toEqual(expect.arrayContaining(['manifest-old5.json', 'manifest-old4.json', 'manifest-old3.json']));
      // Segments of the manifests kept stay; the others, and the old single-file index, go.
      expect(left.filter((f) => f.startsWith('segment-old')).sort()).toEqual(['segment-old3.bin', 'segment-old4.bin', 'segment-old5.bin']);
      expect(left.filter((f) => f.startsWith('segment-') && !f.includes('old')).length).toBeGreaterThan(0);
      expect(left).not.toContain('index-from-an-older-version.json');
    } finally {
      await cache.cleanup();
    }
  });

  it('rebuilds when the cache file is corrupt', async () => {
    const cache = await tempDir('qa-cache-');
    try {
      await Engine.open({ corpusDir: CORPUS, cacheDir: cache.dir });
      for (const f of await readdir(cache.dir)) await writeFile(join(cache.dir, f), '{broken');
      const again = await Engine.open({ corpusDir: CORPUS, cacheDir: cache.dir });
      expect(again.stats.fromCache).toBe(false);
      expect(again.engine.ask('Quand la VoIP a-t-elle été rétablie ?').found).toBe(true);
    } finally {
      await cache.cleanup();
    }
  });
});

describe('reload', () => {
  it('answers from the old index while the worker rebuilds, then from the new one', async () => {
    const corpus = await corpusCopy();
    const cache = await tempDir('qa-cache-');
    try {
      const { engine: e } = await Engine.open({ corpusDir: corpus.dir, cacheDir: cache.dir });
      await writeFile(join(corpus.dir, 'cinq-g.md'), '---\nid: cinq-g\ntitle: La 5G arrive au Maroc\nlang: fr\n---\nL\'ANRT a attribué les licences 5G en 2025 à trois opérateurs.\n');
      const reloading = e.reload();
      // The engine is free to answer meanwhile, from the corpus it had.
      expect(e.ask('Qui a attribué les licences 5G ?').found).toBe(false);
      const report = await reloading;
      expect(report).toMatchObject({ swapped: true, background: true });
      expect(report.stats.fromCache).toBe(false);
      expect(e.ask('Qui a attribué les licences 5G ?').found).toBe(true);
      // The unchanged segment came from memory: the article object is the same one.
      await e.close();
    } finally {
      await corpus.cleanup();
      await cache.cleanup();
    }
  });


  it('swaps in an edited corpus and keeps the old one when nothing valid remains', async () => {
    const corpus = await corpusCopy();
    try {
      const { engine: e } = await Engine.open({ corpusDir: corpus.dir, cacheDir: null });
      const original = await readFile(join(CORPUS, 'voip-maroc-2016.md'), 'utf8');
      await writeFile(join(corpus.dir, 'copie.md'), original.replace('id: voip-maroc-2016', 'id: copie'));
      const ok = await e.reload();
      expect(ok.swapped).toBe(true);
      // Built in the worker thread, not on the thread that answers.
      expect(ok.background).toBe(true);
      expect(ok.stats.articles).toBe(2);
      await rm(join(corpus.dir, 'copie.md'));
      await writeFile(join(corpus.dir, 'voip-maroc-2016.md'), 'not an article');
      const failed = await e.reload();
      expect(failed.swapped).toBe(false);
      expect(failed.stats.errors.map((x) => x.file)).toContain('voip-maroc-2016.md');
      expect(e.articles.length).toBe(2);
      expect(e.ask('Quand la VoIP a-t-elle été rétablie ?').found).toBe(true);
    } finally {
      await corpus.cleanup();
    }
  });
});

describe('newest articles', () => {
  it('are those a full sort by date (then id) puts first, for any filter and count', async () => {
    const { engine: neighbours } = await Engine.open({ corpusDir: join(ROOT, 'test', 'fixtures', 'neighbours'), cacheDir: null });
    const all = byRecency(neighbours.articles);
    expect(all.length).toBeGreaterThan(3);
    const filters: ((a: (typeof all)[number]) => boolean)[] = [() => true, (a) => a.id.length % 2 === 0, (a) => Object.keys(a.translations).length > 0, () => false];
    for (const test of filters) {
      for (const n of [0, 1, 2, 5, 100]) expect(neighbours.newest(n, test).map((a) => a.id)).toEqual(all.filter(test).slice(0, n).map((a) => a.id));
    }
    // Readable in a language: found from the segments' indexes, as a title test would.
    for (const lang of ['fr', 'en'] as const) {
      const readable = all.filter((a) => titleIn(a, lang) !== undefined);
      expect(readable.length).toBeGreaterThan(0);
      for (const n of [1, 3, 100]) expect(neighbours.newest(n, undefined, lang).map((a) => a.id)).toEqual(readable.slice(0, n).map((a) => a.id));
    }
  });

  it('are ordered as the locale collator orders dates then ids, whatever dates the loader accepts', () => {
    const collate = new Intl.Collator().compare;
    const two = (max: number) => fc.integer({ min: 1, max }).map((n) => String(n).padStart(2, '0'));
    const date = fc.oneof(
      fc.constant(undefined),
      fc.tuple(fc.integer({ min: 1990, max: 2030 }), fc.option(fc.tuple(two(12), fc.option(two(28))))).map(([y, rest]) => (rest ? `${y}-${rest[0]}${rest[1] ? `-${rest[1]}` : ''}` : String(y))),
      // Near misses of a date's shape (built by hand, not by the loader): the collator decides.
      fc.stringMatching(/^[0-9a-]{0,11}$/),
    );
    const article = fc.record({ id: fc.stringMatching(/^[\w.-]{1,8}$/), published: date });
    fc.assert(
      fc.property(fc.uniqueArray(article, { minLength: 1, maxLength: 30, selector: (a) => a.id }), (list) => {
        const articles = list.map((a) => ({ ...a, title: a.id, lang: 'fr', file: `${a.id}.md`, hash: '', paragraphs: [], translations: {} }) as unknown as Article);
        const reference = [...articles].sort((a, b) => collate(b.published ?? '', a.published ?? '') || collate(a.id, b.id));
        expect(byRecency(articles).map((a) => a.id)).toEqual(reference.map((a) => a.id));
      }),
    );
  });
});
