import { articleDate, citationOf, clip, extractiveAnswer, MAX_ANSWER_CHARS, type Citation } from './answer/extractive.js';
import type { Article, Corpus, CorpusError } from './corpus/types.js';
import { messages } from './i18n/messages.js';
import { isLang, LANGS, type Lang } from './language/lang.js';
import type { Lexicon } from './language/lexicon.js';
import { normalizeText } from './language/normalize.js';
import { prewarmSteps } from './prewarm.js';
import { deserializeSegment, type Segment } from './search/segment.js';
import { cachedLexicon, corpusOf, loadSegments, type StoreResult } from './search/store.js';
import { BackgroundBuilder } from './search/builder.js';
import { CorpusFileError } from './corpus/loader.js';
import { recencyOrder } from './corpus/recency.js';
import { textIn, titleIn } from './search/passages.js';
import { planQuery, type QueryPlan } from './search/query.js';
import { SegmentRetriever, type PassageRetriever, type RankedPassage, type Retrieval } from './search/retriever.js';
import { summarize, type Summary } from './summary/extractive.js';

/** Below this weighted share of the question's words, the best passage does not answer it. */
export const MIN_COVERAGE = 0.5;
/** At least one informative word (not an everyday one) must match this well in the passage. */
const MIN_INFORMATIVE_MATCH = 0.7;
/**
 * A question that asks for a cause, an amount or a date is not answered by a passage that
 * holds none, however many words they share ("How much does a VoIP call cost?").
 */
const TYPE_REQUIRED: ReadonlySet<string> = new Set(['cause', 'amount', 'date', 'duration', 'definition', 'weather']);
/** For names and places, a passage without one needs this much more coverage. */
const TYPE_MISSING_PENALTY = 0.2;
const TYPE_PRESENT = 0.5;
/**
 * A passage a little short of the coverage still answers when its article holds the rest
 * ("the interim head of Morocco's telecom regulator": the paragraph names the ANRT, an earlier
 * one says the ANRT is the regulator).
 */
const ARTICLE_SLACK = 0.1;
/** How much less coverage a question of 8 or more informative words needs. */
const LONG_QUESTION_RELIEF = 0.12;
/** How much more coverage a question needs when the article never has its main verb. */
const PREDICATE_MISSING_PENALTY = 0.4;
/** Passages considered for the answer, and how close to the best score they must be. */
const ANSWER_CANDIDATES = 4;
const CLOSE_SCORE = 0.6;
/** How much a passage without text in the answer language is worth beside one with it. */
const UNREADABLE_FACTOR = 0.8;
/** Passages returned with an answer. */
const PASSAGES_SHOWN = 3;

export interface PassageOut {
  article: string;
  title: string;
  paragraph: number;
  /** In the answer's language when the article has it, else the original. */
  text: string;
  lang: Lang;
  original: string;
  score: number;
  coverage: number;
  citation: Citation;
}

export interface AnswerOut {
  question: string;
  lang: Lang;
  found: boolean;
  mode: 'extractive' | 'generated';
  answer: string;
  /** The answer without its source line (the bot shows the source apart). */
  body?: string;
  passages: PassageOut[];
  /** The question's detected language (null when nothing told). */
  question_lang: Lang | null;
  answer_type: string;
  citation?: Citation;
}

export interface AskOptions {
  /** The answer language asked for; else the question's, else `fallbackLang`. */
  lang?: Lang | null;
  fallbackLang?: Lang;
}

export interface EngineOptions {
  corpusDir: string;
  /** Folder for the serialized index; null keeps it in memory only. */
  cacheDir?: string | null;
  lexicon?: Lexicon;
  /** Reload in a worker thread (default); false does it on the calling thread. */
  background?: boolean;
  /** Compile ahead while the index is read (default; prewarm.ts). */
  prewarm?: boolean;
}

export interface LoadStats {
  articles: number;
  passages: number;
  translations: number;
  errors: CorpusError[];
  fromCache: boolean;
  ms: number;
}

/** One loaded corpus and its index: immutable, so a reload builds a new one and swaps it in. */
export class Snapshot {
  readonly byId: ReadonlyMap<string, Article>;
  readonly retriever: PassageRetriever;
  private readonly segmentsByKey: Map<string, Segment>;
  /** "Not found" text per language: it lists the corpus, so it is worth computing once. */
  readonly notFound: Partial<Record<Lang, string>> = {};

  constructor(
    readonly corpus: Corpus,
    readonly segments: Segment[],
    readonly fromCache: boolean,
  ) {
    this.byId = new Map(corpus.articles.map((a) => [a.id, a]));
    this.retriever = new SegmentRetriever(segments);
    this.segmentsByKey = new Map(segments.map((s) => [s.key, s]));
  }

  /**
   * The `n` newest articles that pass `test`, newest first (as byRecency orders them): a few
   * from the head of each segment's stored order, none of the rest being newer ("not found",
   * /summary and the warm-up need a few; a pass over 10,000 articles' dates cost a process's
   * first "not found" 5 ms). With `lang`, only articles readable in that language, found
   * from the segments' indexes of the language without reading any article.
   */
  newest(n: number, test: (a: Article) => boolean = () => true, lang?: Lang): Article[] {
    const best: Article[] = [];
    if (n <= 0) return best;
    for (const segment of this.segments) {
      const viewStart = lang ? segment.parts[lang]?.viewStart : undefined;
      if (lang && !viewStart) continue;
      const { recency, articles } = segment;
      let taken = 0;
      for (let k = 0; k < recency.length && taken < n; k++) {
        const a = articles[recency[k]!]!;
        // This one and the rest of the segment are older than the n-th kept.
        if (best.length === n && recencyOrder(a, best[n - 1]!) >= 0) break;
        if ((viewStart && viewStart[recency[k]!]! < 0) || !test(a)) continue;
        taken++;
        let at = best.length;
        while (at > 0 && recencyOrder(a, best[at - 1]!) < 0) at--;
        best.splice(at, 0, a);
        if (best.length > n) best.pop();
      }
    }
    return best;
  }

  segment(key: string): Segment | undefined {
    return this.segmentsByKey.get(key);
  }

  stats(ms: number): LoadStats {
    const articles = this.corpus.articles;
    return {
      articles: articles.length,
      passages: this.segments.reduce((n, s) => n + s.passages, 0),
      translations: this.segments.reduce((n, s) => n + s.translations, 0),
      errors: this.corpus.errors,
      fromCache: this.fromCache,
      ms,
    };
  }
}

/** A snapshot from a store scan: segments handed over as objects, or as bytes by a worker. */
export function snapshotOf(result: StoreResult, previous?: Snapshot): Snapshot {
  const segments = result.segments.map((s) => s.segment ?? previous?.segment(s.key) ?? deserializeSegment(Buffer.from(s.bytes!.buffer, s.bytes!.byteOffset, s.bytes!.byteLength)));
  return new Snapshot(corpusOf(result, segments), segments, result.built === 0);
}

export async function loadSnapshot(options: EngineOptions, previous?: Snapshot, whileReading?: readonly (() => void)[]): Promise<Snapshot> {
  const result = await loadSegments({ corpusDir: options.corpusDir, cacheDir: options.cacheDir ?? null, have: (key) => previous?.segment(key), whileReading });
  return snapshotOf(result, previous);
}

/** How many of a segment's articles are readable in `lang` (those its part for `lang` indexes). */
function readableIn(segment: Segment, lang: Lang): number {
  const viewStart = segment.parts[lang]?.viewStart;
  let n = 0;
  if (viewStart) for (let a = 0; a < viewStart.length; a++) if (viewStart[a]! >= 0) n++;
  return n;
}

export { byRecency } from './corpus/recency.js';

/** Question words the warm-up asks with, one per kind of answer the planner knows (answer-type.ts). */
const WARM_UP_WORDS: Record<Lang, string[]> = {
  fr: ['Pourquoi', 'Quand', 'Qui', 'Combien', 'Où', 'Quelles', 'Combien de temps', 'Que signifie', 'Est-ce que'],
  en: ['Why', 'When', 'Who', 'How much', 'Where', 'Which', 'How long', 'What does', 'Is'],
};

/**
 * The question-answering engine: knows nothing of Discord or the command line.
 */
export class Engine {
  private builder: BackgroundBuilder | undefined;

  private constructor(
    private snapshot: Snapshot,
    private readonly options: EngineOptions,
    private readonly lexicon: Lexicon,
  ) {}

  static async open(options: EngineOptions): Promise<{ engine: Engine; stats: LoadStats }> {
    const started = performance.now();
    const lexicon = options.lexicon ?? cachedLexicon(options.cacheDir ?? null);
    // While the segment files are read, the thread compiles what the first question needs.
    const snapshot = await loadSnapshot(options, undefined, options.prewarm === false ? undefined : prewarmSteps(lexicon));
    const engine = new Engine(snapshot, options, lexicon);
    return { engine, stats: snapshot.stats(performance.now() - started) };
  }

  get corpus(): Corpus {
    return this.snapshot.corpus;
  }

  get articles(): Article[] {
    return this.snapshot.corpus.articles;
  }

  /** The `n` newest articles that pass `test` (and are readable in `lang`, when given), newest first. */
  newest(n: number, test?: (a: Article) => boolean, lang?: Lang): Article[] {
    return this.snapshot.newest(n, test, lang);
  }

  /** Articles by id, of the snapshot being served. */
  get byId(): ReadonlyMap<string, Article> {
    return this.snapshot.byId;
  }

  /**
   * Reload the corpus folder; the old index keeps serving if nothing valid loads. The scan and
   * any rebuild run in a worker thread: the bot keeps answering meanwhile, and only the
   * changed segments come back.
   */
  async reload(): Promise<{ stats: LoadStats; swapped: boolean; background: boolean }> {
    const started = performance.now();
    const { snapshot: next, background } = await this.loadInBackground();
    const swapped = next.corpus.articles.length > 0 || this.snapshot.corpus.articles.length === 0;
    if (swapped) this.snapshot = next;
    return { stats: next.stats(performance.now() - started), swapped, background };
  }

  private async loadInBackground(): Promise<{ snapshot: Snapshot; background: boolean }> {
    const previous = this.snapshot;
    if (this.options.background === false) return { snapshot: await loadSnapshot(this.options, previous), background: false };
    this.builder ??= new BackgroundBuilder();
    let result: StoreResult;
    try {
      result = await this.builder.build({ corpusDir: this.options.corpusDir, cacheDir: this.options.cacheDir ?? null, known: previous.segments.map((s) => s.key) });
    } catch (err) {
      if (err instanceof CorpusFileError) throw err;
      // The worker itself failed (not the corpus): do the work here rather than not at all.
      return { snapshot: await loadSnapshot(this.options, previous), background: false };
    }
    return { snapshot: snapshotOf(result, previous), background: true };
  }

  /**
   * Start the reload worker ahead of time (the bot does, so /reload pays no start-up), and
   * have it scan the corpus once, building nothing: the first /reload then runs code the JIT
   * has compiled, on file metadata the system has cached (it was a quarter slower).
   */
  async prepareReload(): Promise<void> {
    if (this.options.background === false) return;
    this.builder ??= new BackgroundBuilder();
    await this.builder.warm();
    const known = this.snapshot.segments.map((s) => s.key);
    await this.builder.build({ corpusDir: this.options.corpusDir, cacheDir: this.options.cacheDir ?? null, known }).catch(() => undefined);
  }

  /**
   * Answer questions made of the newest articles' titles and leads, asked every way the
   * planner knows (warmUpQuestions), one per turn of the event loop, so that the first users
   * do not wait while the JIT compiles the query path: the first questions of a process take
   * several times longer than the rest. With `budgetMs`, no question is begun once that much
   * time has gone (a command line's batch warms up for a fraction of a second, not the bot's
   * second). Returns how many were asked.
   */
  async warmUp(options: { articles?: number; budgetMs?: number } = {}): Promise<number> {
    const started = performance.now();
    let asked = 0;
    for (const [question, lang] of this.warmUpQuestions(options.articles)) {
      if (options.budgetMs !== undefined && performance.now() - started >= options.budgetMs) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.ask(question, { lang });
      asked++;
    }
    return asked;
  }

  /**
   * The warm-up's questions: for the `articles` newest articles readable in each language
   * (both languages' code paths get warm), the title, then the title and a sentence of the
   * lead after each question word (WARM_UP_WORDS). Taken in turn from each article, each
   * article starting at another word: any prefix mixes languages, articles and kinds of
   * question, so a short warm-up is as varied as a long one.
   */
  warmUpQuestions(articles = 4): [string, Lang][] {
    const lists: [string, Lang][][] = [];
    for (const lang of LANGS) {
      for (const [n, a] of this.snapshot.newest(articles, undefined, lang).entries()) {
        const title = titleIn(a, lang)!;
        // Cut short with an ellipsis, a character beyond Latin-1: V8 compiles each regular
        // expression apart for texts that have such characters (typographic apostrophes and
        // dashes, common in questions and articles), so both kinds get compiled here.
        const lead = `${(textIn(a, 0, lang) ?? '').split(/(?<=[.!?])\s/)[0]!.split(/\s+/).slice(0, 14).join(' ')}…`;
        const words = WARM_UP_WORDS[lang];
        const list: [string, Lang][] = [[title, lang]];
        for (let i = 0; i < words.length; i++) {
          const w = words[(i + 2 * n) % words.length]!;
          list.push([`${w} ${title} ?`, lang], [`${w} ${lead} ?`, lang]);
        }
        lists.push(list);
      }
    }
    const questions: [string, Lang][] = [];
    for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) questions.push(l[i]!);
    return questions;
  }

  /** Stop the background builder (the process may also just exit: it holds nothing open). */
  async close(): Promise<void> {
    await this.builder?.close();
  }

  plan(question: string, fallbackLang: Lang = 'fr'): QueryPlan {
    return planQuery(question, this.lexicon, fallbackLang);
  }

  /** How a question is planned and ranked, for diagnostics (scripts/explain.ts). */
  explain(question: string): { plan: QueryPlan; retrieval: Retrieval; unknown: (p: RankedPassage) => string[] } {
    const plan = this.plan(normalizeText(question).trim());
    const retriever = this.snapshot.retriever;
    return { plan, retrieval: retriever.retrieve(plan, 5), unknown: (p) => retriever.unknownEntities(plan, p.article, p.paragraph) };
  }

  ask(question: string, options: AskOptions = {}): AnswerOut {
    const snapshot = this.snapshot;
    const text = normalizeText(String(question ?? '')).trim();
    const plan = this.plan(text, options.lang ?? options.fallbackLang ?? 'fr');
    const lang: Lang = isLang(options.lang) ? options.lang : plan.detected ?? options.fallbackLang ?? 'fr';
    const base = { question: text, lang, mode: 'extractive' as const, question_lang: plan.detected, answer_type: plan.type };
    const t = messages(lang);
    if (snapshot.corpus.articles.length === 0) return { ...base, found: false, answer: t.emptyCorpus, passages: [] };
    if (plan.terms.length === 0) {
      return { ...base, found: false, answer: text ? this.notFoundText(lang) : t.emptyQuestion, passages: [] };
    }
    const retrieval = snapshot.retriever.retrieve(plan, 10);
    // The best passage whose article knows every name the question mentions.
    // Only the first few are used: the entity check reads whole articles, so it stops there.
    const known: RankedPassage[] = [];
    for (const p of retrieval.passages) {
      if (known.length >= ANSWER_CANDIDATES + PASSAGES_SHOWN) break;
      if (snapshot.retriever.unknownEntities(plan, p.article, p.paragraph).length === 0) known.push(p);
    }
    // The best passage that answers, among those close to the best score: a passage that
    // shares more words but holds no amount does not answer "how much".
    // An answer the user can read beats a slightly better one only in another language.
    const readable = (p: RankedPassage) => p.score * (textIn(p.article, p.paragraph, lang) ? 1 : UNREADABLE_FACTOR);
    const top = known
      .slice(0, ANSWER_CANDIDATES)
      .filter((p) => p.score >= CLOSE_SCORE * known[0]!.score && this.answers(p, plan))
      .sort((a, b) => readable(b) - readable(a))[0];
    const ordered = top ? [top, ...known.filter((p) => p !== top)] : known.length ? known : retrieval.passages;
    const passages = ordered.slice(0, PASSAGES_SHOWN).map((p) => this.passageOut(p, lang));
    if (!top) return { ...base, found: false, answer: this.notFoundText(lang), passages };
    const { body, answer } = extractiveAnswer(top, plan, retrieval.weights, lang);
    return { ...base, found: true, answer, body, passages, citation: citationOf(top.article, top.paragraph, lang) };
  }

  /** Whether a passage answers: enough of the question's information found in it. */
  private answers(p: RankedPassage, plan: QueryPlan): boolean {
    if (!plan.terms.some((t, i) => !t.common && !t.focus && p.matched[i]! >= MIN_INFORMATIVE_MATCH)) return false;
    const typed = p.typeEvidence >= TYPE_PRESENT;
    if (!typed && TYPE_REQUIRED.has(plan.type)) return false;
    // "l'ANRT a-t-elle sanctionné des opérateurs ?": an article that never speaks of sanctions
    // can hardly say, however much else it shares with the question.
    const predicateMissing = plan.terms.some((t, i) => t.predicate && !t.common && p.matched[i]! === 0 && p.articleMatched[i]! === 0);
    // Long questions say more than any one paragraph does: a little less of them need match.
    const informative = plan.terms.filter((t) => !t.common).length;
    const needed =
      MIN_COVERAGE -
      LONG_QUESTION_RELIEF * Math.min(1, Math.max(0, informative - 4) / 4) +
      (!typed && (plan.type === 'person' || plan.type === 'place') ? TYPE_MISSING_PENALTY : 0) +
      (predicateMissing ? PREDICATE_MISSING_PENALTY : 0);
    return p.coverage >= needed || (p.coverage >= needed - ARTICLE_SLACK && p.articleCoverage >= needed + ARTICLE_SLACK);
  }

  private passageOut(p: RankedPassage, lang: Lang): PassageOut {
    const original = p.article.paragraphs[p.paragraph]!.text;
    const translated = textIn(p.article, p.paragraph, lang);
    return {
      article: p.article.id,
      title: titleIn(p.article, lang) ?? p.article.title,
      paragraph: p.paragraph,
      text: translated ?? original,
      lang: translated ? lang : p.article.lang,
      original,
      score: Math.round(p.score * 1000) / 1000,
      coverage: Math.round(p.coverage * 1000) / 1000,
      citation: citationOf(p.article, p.paragraph, lang),
    };
  }

  /**
   * "Not found", saying what the corpus covers: the most recent titles readable in `lang`,
   * and how many articles exist only in the other language (their titles would not be `lang`).
   */
  notFoundText(lang: Lang): string {
    const snapshot = this.snapshot;
    return (snapshot.notFound[lang] ??= this.describeCorpus(snapshot, lang));
  }

  private describeCorpus(snapshot: Snapshot, lang: Lang): string {
    const t = messages(lang);
    const articles = snapshot.corpus.articles;
    // Counted from the segments, which know which articles they index in each language,
    // rather than by asking 10,000 articles (a process's first "not found" paid 20 ms).
    const readable = snapshot.segments.reduce((n, s) => n + readableIn(s, lang), 0);
    const shown = snapshot.newest(5, undefined, lang).map((a) => {
      const date = articleDate(a, lang);
      return `${t.quote(titleIn(a, lang)!)}${date ? ` (${date})` : ''}`;
    });
    const extra: string[] = [];
    if (readable > shown.length) extra.push(t.moreArticles(readable - shown.length));
    const others = articles.length - readable;
    // Two languages: an article not readable in one is in the other.
    if (others > 0) extra.push(t.articlesOnlyIn(others, LANGS.find((l) => l !== lang)!));
    const covers = [...shown, ...extra].join(', ');
    return clip(t.notFound(covers), MAX_ANSWER_CHARS);
  }

  summary(options: { article?: string; lang?: Lang | null } = {}): Summary {
    const lang: Lang = isLang(options.lang) ? options.lang : 'fr';
    const articles = this.articles;
    const article = options.article ? this.byId.get(options.article) : this.snapshot.newest(1)[0];
    if (!article) throw new UnknownArticleError(options.article ? messages(lang).unknownArticle(options.article) : messages(lang).emptyCorpus);
    return summarize(article, lang);
  }
}

export class UnknownArticleError extends Error {
  override name = 'UnknownArticleError';
}
