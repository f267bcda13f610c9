import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { corpusCopy, NEIGHBOURS, shippedEngine, tempDir } from '../helpers.js';
import { Engine as EngineClass } from '../../src/engine.js';
import { rng } from '../../src/bench/synthetic.js';
import { loadCorpus } from '../../src/corpus/loader.js';
import { defaultLexicon } from '../../src/language/lexicon.js';
import { planQuery } from '../../src/search/query.js';
import { coverOf, coverSegment, NetPostings, SegmentRetriever, type NetWork } from '../../src/search/retriever.js';
import { ArticleIndex, buildSegment, type LangPart } from '../../src/search/segment.js';

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

describe('a question made only of broad words', () => {
  // Every article's title holds two of these words: each is in the lunr documents of a large
  // share of the articles.
  const TOPICS = ['président', 'gouvernement', 'budget', 'ministre', 'santé', 'école'];
  const QUESTIONS = ['Que dit le président du gouvernement sur le budget ?', 'Quel ministre parle de la santé à l’école ?', 'Le budget de la santé, selon le gouvernement ?'];
  let segments: ReturnType<typeof buildSegment>[];
  beforeAll(async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const r = rng(11);
      const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
      const filler = Array.from({ length: 400 }, (_, i) => `mot${i.toString(36)}`);
      const sentence = () => Array.from({ length: 12 }, () => (r() < 0.15 ? pick(TOPICS) : pick(filler))).join(' ');
      for (let i = 0; i < 200; i++) {
        const [a, b] = [pick(TOPICS), pick(TOPICS)];
        const body = Array.from({ length: 4 }, () => `${sentence()}. ${sentence()}.`).join('\n\n');
        await writeFile(join(dir, `a${i}.md`), `---\nid: a${i}\ntitle: Le ${a} et le ${b} ${pick(filler)}\nlang: fr\npublished: 2020-01-${String(1 + (i % 28)).padStart(2, '0')}\n---\n${body}\n`);
      }
      const { articles } = await loadCorpus(dir);
      segments = [buildSegment('a', articles.slice(0, 100)), buildSegment('b', articles.slice(100))];
    } finally {
      await cleanup();
    }
  }, 60_000);

  it('asks lunr nothing, and still ranks first a passage that holds the whole question, as lunr given every word does', () => {
    const lexicon = defaultLexicon();
    const retriever = new SegmentRetriever(segments);
    const everyWord = new SegmentRetriever(segments, { broadShare: Infinity, weakClauseShare: 0 });
    for (const question of QUESTIONS) {
      const plan = planQuery(question, lexicon, 'fr');
      // The case is real: every word lunr knows is in more than 2% of the articles' documents,
      // and in more than 50 (BROAD_FLOOR).
      const postings = plan.terms
        .flatMap((t) =>
          [...t.alts.fr.keys()].map((key) =>
            segments.reduce((n, s) => {
              const part = s.parts.fr!;
              const id = part.keys.id(key);
              const l = id < 0 ? -1 : part.lunrIndexOf[id]!;
              return l < 0 ? n : n + part.postOffsets.body[l + 1]! - part.postOffsets.body[l]! + part.postOffsets.title[l + 1]! - part.postOffsets.title[l]!;
            }, 0),
          ),
        )
        .filter((n) => n > 0);
      expect(postings.length, question).toBeGreaterThan(1);
      expect(postings.every((n) => n > Math.max(0.02 * 200, 50)), question).toBe(true);
      const search = vi.spyOn(ArticleIndex.prototype, 'search');
      try {
        const first = retriever.retrieve(plan, 10).passages;
        expect(search, question).not.toHaveBeenCalled();
        const reference = everyWord.retrieve(plan, 10).passages;
        expect(search.mock.calls.map(([clauses]) => clauses.length), question).toEqual([postings.length]);
        // The recall net reads the articles that hold the most of the question: the passage it
        // ranks first holds all of it, as the one found with lunr given every word does (which
        // of such passages comes first is a matter of word frequencies).
        expect(first.length, question).toBeGreaterThan(0);
        expect(reference[0]!.coverage, question).toBe(1);
        expect(first[0]!.coverage, question).toBe(reference[0]!.coverage);
      } finally {
        search.mockRestore();
      }
    }
  });
});

describe('the first stage and weak words', () => {
  // In the shipped article every word is narrow (it has one article): what lunr is not given
  // here, it is not given for its weight alone.
  const QUESTIONS = ['Combien de temps le blocage de la VoIP a-t-il duré ?', 'Qui dirige l\'ANRT par intérim ?', 'How long did the VoIP ban last in Morocco?'];
  it('leaves lunr the words far lighter than the question\'s strongest, and ranks the same passage first', async () => {
    const { articles } = await loadCorpus('corpus');
    const segments = [buildSegment('shipped', articles)];
    const lexicon = defaultLexicon();
    const retriever = new SegmentRetriever(segments);
    const everyWord = new SegmentRetriever(segments, { weakClauseShare: 0 });
    let left = 0;
    for (const question of QUESTIONS) {
      const plan = planQuery(question, lexicon, 'fr');
      const search = vi.spyOn(ArticleIndex.prototype, 'search');
      try {
        const first = retriever.retrieve(plan, 10).passages[0];
        const sent = search.mock.calls.map(([clauses]) => clauses.map(([, boost]) => boost));
        search.mockClear();
        const reference = everyWord.retrieve(plan, 10).passages[0];
        const all = search.mock.calls.map(([clauses]) => clauses.map(([, boost]) => boost));
        // A small corpus goes through lunr (BROAD_FLOOR), once per language the question has keys in.
        expect(sent.length, question).toBeGreaterThan(0);
        expect(sent.length, question).toBe(all.length);
        sent.forEach((boosts, i) => {
          const strongest = Math.max(...all[i]!);
          expect(Math.max(...boosts), question).toBe(strongest);
          expect(boosts.every((b) => b >= 0.3 * strongest), question).toBe(true);
          expect(all[i]!.filter((b) => b >= 0.3 * strongest).length, question).toBe(boosts.length);
          left += all[i]!.length - boosts.length;
        });
        expect(first, question).toBeDefined();
        expect({ paragraph: first!.paragraph, article: first!.article.id }, question).toEqual({ paragraph: reference!.paragraph, article: reference!.article.id });
      } finally {
        search.mockRestore();
      }
    }
    // The case is real: some clauses were weak enough to be left out.
    expect(left).toBeGreaterThan(0);
  });
});

describe('the recall net in one segment', () => {
  // Terms of one to three alternatives, each a sorted range of articles in one keyArticles
  // array (as in a segment), some long and probed, some short; alternatives of a term overlap.
  const N = 60;
  const cases = () => {
    const r = rng(5);
    const out: { lists: NetPostings[][]; probed: boolean[]; weights: number[] }[] = [];
    for (let c = 0; c < 300; c++) {
      const keys: number[] = [];
      const ranges: [number, number][] = [];
      const terms = 1 + Math.floor(r() * 4);
      const probed = Array.from({ length: terms }, () => r() < 0.4);
      if (probed.every(Boolean)) probed[0] = false;
      const shape = probed.map((p) => Array.from({ length: 1 + Math.floor(r() * 3) }, () => (p ? 0.5 + r() * 0.5 : r() * 0.15)));
      for (const alts of shape) {
        for (const share of alts) {
          const from = keys.length;
          for (let a = 0; a < N; a++) if (r() < share) keys.push(a);
          ranges.push([from, keys.length]);
        }
      }
      const part = { keyArticles: Int32Array.from(keys) } as unknown as LangPart;
      let k = 0;
      const lists = shape.map((alts) => alts.map(() => new NetPostings(part, ranges[k]![0], ranges[k++]![1], [1, 0.8, 0.75, 0.6][Math.floor(r() * 4)]!)));
      out.push({ lists, probed, weights: shape.map(() => 0.5 + r() * 5) });
    }
    return out;
  };
  const work = (): NetWork => ({ types: new Int32Array(N), candidate: new Uint8Array(N), cover: new Float64Array(N), strength: new Float64Array(N), seen: new Int32Array(N), hits: new Int32Array(N) });

  it('gives each candidate the cover computed term by term, probed or read, to the last bit', () => {
    const w = work();
    let probes = 0;
    for (const { lists, probed, weights } of cases()) {
      const candidates = coverSegment(lists, probed, weights, w, N);
      // The candidates: the articles that hold a term that is not probed, in order.
      const holders = new Set<number>();
      lists.forEach((alts, i) => {
        if (!probed[i]) for (const p of alts) for (let k = p.from; k < p.to; k++) holders.add(p.part.keyArticles[k]!);
      });
      expect(candidates).toEqual([...holders].sort((a, b) => a - b));
      for (const a of candidates) expect(w.cover[a]).toBe(coverOf(lists, weights, a));
      // Probing happened: a probed term's postings were long beside the candidates.
      probes += lists.filter((alts, i) => probed[i] && alts.some((p) => candidates.length * Math.log2(p.to - p.from + 2) < p.to - p.from)).length;
    }
    expect(probes).toBeGreaterThan(20);
  });
});

/**
 * One segment: an article of `paragraphs` (id "cible") beside 60 articles of other news, a
 * sixth of which add `sometimes`.
 */
async function beside(title: string, paragraphs: string[], sometimes: string, seed: number): Promise<ReturnType<typeof buildSegment>[]> {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'cible.md'), `---\nid: cible\ntitle: ${title}\nlang: fr\npublished: 2016-11-03\n---\n${paragraphs.join('\n\n')}\n`);
    const r = rng(seed);
    const words = ['marché', 'récolte', 'saison', 'village', 'route', 'école', 'pluie', 'train', 'musée', 'fleuve', 'budget', 'port'];
    const sentence = () => Array.from({ length: 10 }, () => words[Math.floor(r() * words.length)]).join(' ');
    for (let i = 0; i < 60; i++) {
      const extra = i % 6 === 0 ? ` ${sometimes}` : '';
      await writeFile(join(dir, `autre${i}.md`), `---\nid: autre${i}\ntitle: Nouvelles ${i}\nlang: fr\npublished: 2016-10-${String(1 + (i % 28)).padStart(2, '0')}\n---\n${sentence()}.${extra}\n\n${sentence()}.\n`);
    }
    const { articles } = await loadCorpus(dir);
    return [buildSegment('a', articles)];
  } finally {
    await cleanup();
  }
}

describe("an article's passages, ranked by the words that single them out", () => {
  // One article about VoIP, in four of whose five paragraphs the word stands; its first
  // paragraph alone speaks of the operators. Beside it, articles of other news that never say
  // VoIP, a sixth of which speak of operators: corpus-wide, VoIP is the rarer word.
  let segments: ReturnType<typeof buildSegment>[];
  beforeAll(async () => {
    segments = await beside(
      'Le retour des appels',
      [
        'Les opérateurs ont reçu jeudi un courrier du régulateur.',
        'La VoIP était bloquée depuis le mois de janvier.',
        'Les appels par VoIP étaient devenus impossibles dans tout le pays.',
        'La VoIP reste très utilisée par les familles.',
        'Une rumeur disait que la VoIP ne reviendrait que pour la conférence.',
      ],
      'Les opérateurs en parlent.',
      3,
    );
  }, 60_000);

  it('puts the paragraph of the rarer word within the article first, where corpus-wide weights alone do not', () => {
    const plan = planQuery('Que disent les opérateurs de la VoIP ?', defaultLexicon(), 'fr');
    const first = (r: SegmentRetriever) => r.retrieve(plan, 5).passages[0]!;
    const capped = first(new SegmentRetriever(segments));
    const uncapped = first(new SegmentRetriever(segments, { withinArticleCap: Infinity }));
    expect(capped.article.id).toBe('cible');
    expect(capped.paragraph).toBe(0);
    // Corpus-wide, VoIP outweighs the operators, and a paragraph of VoIP came first.
    expect(uncapped.article.id).toBe('cible');
    expect(uncapped.paragraph).not.toBe(0);
  });
});

describe("an article's passages, when the question's main verb is throughout the article", () => {
  // An article about a restoration, which it mentions in four of its five paragraphs; the
  // calls are mentioned only where their blocking is. Beside it, articles of other news, a
  // sixth of which speak of calls, none of a restoration.
  let segments: ReturnType<typeof buildSegment>[];
  beforeAll(async () => {
    segments = await beside(
      'Le service revient',
      [
        'Le service a été rétabli le 3 novembre.',
        'Les appels avaient été coupés le 7 janvier.',
        'Le rétablissement était attendu depuis des mois.',
        'Les familles saluent ce rétablissement.',
        'Le régulateur a expliqué pourquoi il avait fallu rétablir le service.',
      ],
      'Les appels se multiplient.',
      4,
    );
  }, 60_000);

  it('keeps its weight: the passage of the event asked about comes first, not that of the blocking', () => {
    const plan = planQuery('Quand les appels ont-ils été rétablis ?', defaultLexicon(), 'fr');
    expect(plan.terms.some((t) => t.predicate && t.alts.fr.has('retabl'))).toBe(true);
    const first = new SegmentRetriever(segments).retrieve(plan, 5).passages[0]!;
    expect(first.article.id).toBe('cible');
    expect(first.paragraph).toBe(0);
  });
});
